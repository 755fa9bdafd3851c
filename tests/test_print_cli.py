"""zhibu pdf / zhibu print through the CLI, with real LibreOffice."""

from __future__ import annotations

import re
import sqlite3
import subprocess

from pypdf import PdfReader

from tests.support.layout_pdf import font_sizes


def _term_docs(ws, term="2024-2025-1"):
    """The term's current documents, as the index knows them (what the volume must contain)."""
    con = sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3")
    try:
        rows = con.execute(
            "SELECT path, title FROM outputs WHERE active = 1 AND term = ? AND path LIKE '%.docx' "
            "ORDER BY date, id",
            (term,),
        ).fetchall()
    finally:
        con.close()
    return [(ws.root / p, t) for p, t in rows]


def _text(pdf, page):
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_print_volume_of_the_demo_term(demo_ws):
    ws = demo_ws
    result = ws("print", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    # The term documents not made yet are made first, dated at the end of the past term.
    assert "[新建]" in result.output and "工作计划.docx" in result.output
    volume = ws.root / result.output.strip().splitlines()[-1]
    assert volume.is_file() and volume.name == "2024-2025学年第一学期 组织活动记录卷.pdf"
    reader = PdfReader(str(volume))
    cover = _text(volume, 1).replace(" ", "")
    docs = _term_docs(ws)
    assert len(docs) >= 8
    count = len(docs) + 3  # the minutes, the plan, the 汇编, the 台账's summary pages
    assert (
        "汽车运用工程系党支部" in cover and "2024—2025学年第一学期" in cover and f"本卷件数{count}件" in cover
    )
    toc = _text(volume, 2)
    flat = re.sub(r"\s", "", toc)
    assert "卷内目录" in flat and "责任者" in flat
    # Archive order: the plan first, the minutes by date, the 汇编, the 台账's summary pages last.
    titles = [
        t for t in ("工作计", "支委会会议记录（研究本学期", "成果汇", "三会一") if t in flat
    ]  # titles wrap
    assert titles == ["工作计", "支委会会议记录（研究本学期", "成果汇", "三会一"], flat
    assert [flat.index(t) for t in titles] == sorted(flat.index(t) for t in titles)
    assert "第一党小组" in flat  # the 责任者 of a 党小组会 is its group
    # The 支委会 row gives its date (GB/T 9705: eight digits) and its start page.
    start = int(re.search(r"20241008\s+(\d+)", toc).group(1))
    pages = [_text(volume, i).replace(" ", "") for i in range(1, len(reader.pages) + 1)]
    first = next(i for i, text in enumerate(pages) if "会议名称：讨论确定发展对象" in text)
    assert f"—{start}—" in pages[first]
    # Every page after the front matter carries Chinese text (fonts embedded, nothing blank).
    for page in range(3, len(reader.pages) + 1):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in _text(volume, page)), page
    assert "组织生活合规检查" in "".join(pages) and "各月组织生活次数" in "".join(pages)
    assert min(font_sizes(volume)) >= 9  # every printed page readable


def test_pdf_of_a_term_converts_every_document(demo_ws):
    ws = demo_ws
    ws("batch", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    result = ws("pdf", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    docs = [path for path, _ in _term_docs(ws)]
    term = ws.root / "outbox" / "2024-2025学年" / "第一学期"
    made = [
        term / f"2024-2025学年第一学期{n}" for n in ("工作计划.docx", "成果汇编.docx", "三会一课台账.xlsx")
    ]
    assert docs and f"转换 {len(docs) + 3} 份，失败 0 份" in result.output
    for doc in docs + made:
        pdf = doc.with_suffix(".pdf")
        assert pdf.is_file() and len(PdfReader(str(pdf)).pages) >= 1
    # The whole 台账, every sheet.
    ledger = _text(made[2].with_suffix(".pdf"), 1) + "".join(
        _text(made[2].with_suffix(".pdf"), i)
        for i in range(2, len(PdfReader(str(made[2].with_suffix(".pdf"))).pages) + 1)
    )
    assert "支委会台账" in ledger and "党课台账" in ledger


def test_pdf_without_arguments_is_a_chinese_usage_error(ws):
    result = ws("pdf", "-w", ws.root)
    assert result.exit_code != 0 and "请指定要转换的文件" in result.output


def test_print_of_an_empty_term_says_so(ws):
    result = ws("print", "-w", ws.root, "--term", "2023-2024-2", ok=False)
    assert "还没有任何已归档的文档" in result.output
