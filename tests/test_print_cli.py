"""zhibu pdf / zhibu print through the CLI, with real LibreOffice."""

from __future__ import annotations

import re
import sqlite3
import subprocess

from pypdf import PdfReader


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
    volume = ws.root / result.output.strip().splitlines()[-1]
    assert volume.is_file() and volume.name == "2024-2025学年第一学期 组织活动记录卷.pdf"
    reader = PdfReader(str(volume))
    cover = _text(volume, 1).replace(" ", "")
    docs = _term_docs(ws)
    assert len(docs) >= 8
    assert (
        "汽车运用工程系党支部" in cover
        and "2024—2025学年第一学期" in cover
        and f"本卷件数{len(docs)}件" in cover
    )
    toc = _text(volume, 2)
    toc = toc.replace(" ", "")
    # Titles wrap inside their cell; the 支委会 row gives its date and its start page.
    assert "卷内目录" in toc and "支委会会议记录（讨论确定发展对" in toc
    start = int(re.search(r"2024年10月8日(\d+)\n", toc).group(1))
    pages = [_text(volume, i).replace(" ", "") for i in range(1, len(reader.pages) + 1)]
    first = next(i for i, text in enumerate(pages) if "会议名称：讨论确定发展对象" in text)
    assert f"—{start}—" in pages[first]
    # Every page after the front matter carries Chinese text (fonts embedded, nothing blank).
    for page in range(3, len(reader.pages) + 1):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in _text(volume, page)), page


def test_pdf_beside_each_document_of_a_term(demo_ws):
    ws = demo_ws
    result = ws("pdf", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    docs = [path for path, _ in _term_docs(ws)]
    assert docs and f"转换 {len(docs)} 份，失败 0 份" in result.output
    for doc in docs:
        pdf = doc.with_suffix(".pdf")
        assert pdf.is_file() and len(PdfReader(str(pdf)).pages) >= 1


def test_pdf_without_arguments_is_a_chinese_usage_error(ws):
    result = ws("pdf", "-w", ws.root)
    assert result.exit_code != 0 and "请指定要转换的文件" in result.output


def test_print_of_an_empty_term_says_so(ws):
    result = ws("print", "-w", ws.root, "--term", "2023-2024-2", ok=False)
    assert "还没有任何已归档的文档" in result.output
