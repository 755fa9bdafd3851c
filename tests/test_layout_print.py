"""What the secretary prints: every kind of output converted to PDF by LibreOffice and read back
page by page (pdftotext, pdffonts).

One demo workspace (``zhibu demo`` + ``zhibu batch``) is printed once for the module; a short
note of our own checks that a one-page note gives a one-page record.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.layout_pdf import (
    font_sizes,
    fonts,
    have_tools,
    page_lines,
    page_size_pt,
    page_texts,
    to_pdf,
)

pytestmark = pytest.mark.slow


def test_the_print_tools_are_installed():
    assert have_tools(), "LibreOffice and poppler-utils are needed (.ci/run installs them)"


REPO = Path(__file__).resolve().parents[1]
TERM_DIR = Path("outbox") / "2024-2025学年" / "第一学期"
FOOTER = re.compile(r"^—\s*\d+\s*—$")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^。；]{1,24}$")
SIGNATURE = re.compile(r"（签字）")
SHORT_NOTE = """会议类型：支委会
时间：2024年11月6日 14:00
地点：行政楼302
主持人：沈轶娜
记录人：缪巧军
参会人员：沈轶娜、夏渊、缪巧军
会议议题：1. 研究年底组织生活会安排 2. 讨论党费收缴情况
会议内容：书记通报学院党委工作要点，委员逐项讨论组织生活会筹备工作。
决议：同意于12月中旬召开组织生活会（赞成3票，反对0票，弃权0票）。
"""


def zhibu(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)], cwd=REPO, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[Path, Path]:
    """Every document of the demo workspace (and the short note's record) and its PDF."""
    root = tmp_path_factory.mktemp("print") / "ws"
    assert zhibu("init", root).returncode == 0
    zhibu("demo", "-w", root)
    (root / "inbox" / "短会.txt").write_text(SHORT_NOTE, encoding="utf-8")
    assert zhibu("run", "-w", root).returncode == 0
    assert zhibu("batch", "-w", root, "--term", "2024-2025-1").returncode in (0, 1)
    term = root / TERM_DIR
    docs = (
        sorted((term / "会议记录").rglob("*.docx"))
        + sorted(term.glob("*.docx"))
        + sorted(term.glob("*.xlsx"))
    )
    assert len(docs) >= 12, docs
    return to_pdf(docs, root.parent / "pdf")


def _minutes(printed) -> dict[Path, Path]:
    return {doc: pdf for doc, pdf in printed.items() if "会议记录" in doc.parts}


def _body(page: str) -> list[str]:
    return [line for line in page_lines(page) if not FOOTER.match(line)]


def test_short_note_gives_one_page(printed):
    (pdf,) = [pdf for doc, pdf in printed.items() if doc.name.startswith("2024-11-06 支委会")]
    pages = page_texts(pdf)
    assert len(pages) == 1, pages
    text = re.sub(r"\s", "", pages[0])
    assert "（签字）" in text and "同意于12月中旬召开组织生活会" in text


def test_minutes_pages_never_hold_only_signatures_nor_end_with_a_heading(printed):
    for doc, pdf in _minutes(printed).items():
        for n, page in enumerate(page_texts(pdf), 1):
            lines = _body(page)
            assert lines, f"{doc.name} page {n} is empty"
            assert not all(SIGNATURE.search(line) for line in lines), f"{doc.name} page {n}: only signatures"
            assert not HEADING.match(lines[-1]), f"{doc.name} page {n} ends with heading {lines[-1]}"
            assert not re.search(r"应到人数：\s*0\s*人|应到\s*0\s*人", page), f"{doc.name} page {n}"


def test_minutes_title_is_bold_chinese_and_signatures_have_rules(printed):
    for doc, pdf in _minutes(printed).items():
        names = fonts(pdf)
        assert any("CJK" in f and "Bold" in f for f in names), (doc.name, names)
        last = page_texts(pdf, layout=True)[-1]
        assert re.search(r"（签字）：\s*_{4,}", last), (doc.name, last)


def test_compilation_contents_show_the_right_page_numbers(printed):
    (pdf,) = [pdf for doc, pdf in printed.items() if doc.name == "2024-2025学年第一学期成果汇编.docx"]
    pages = page_texts(pdf)
    toc_index = next(i for i, p in enumerate(pages) if re.sub(r"\s", "", p).startswith("目录"))
    entries = []
    for line in page_lines(pages[toc_index])[1:]:
        m = re.match(r"^(.+?)[.…·\s]{3,}(\d+)$", line)
        if m:
            entries.append((re.sub(r"\s", "", m.group(1)), int(m.group(2))))
    assert len(entries) >= 4, pages[toc_index]
    printed_number = {}
    for page in pages[toc_index + 1 :]:
        footer = [int(m) for m in re.findall(r"—\s*(\d+)\s*—", page)]
        printed_number[page] = footer[-1] if footer else None
    for heading, number in entries:
        first = next(p for p in pages[toc_index + 1 :] if heading in re.sub(r"\s", "", p))
        assert printed_number[first] == number, (heading, number, printed_number[first])


def test_category_headings_stay_with_their_tables(printed):
    (pdf,) = [pdf for doc, pdf in printed.items() if doc.name == "2024-2025学年第一学期成果汇编.docx"]
    for n, page in enumerate(page_texts(pdf), 1):
        lines = _body(page)
        assert lines and not HEADING.match(lines[-1]), (n, lines[-1:])


def test_plan_and_compilation_tables_are_readable(printed):
    for doc, pdf in printed.items():
        if doc.suffix == ".docx" and doc.parent.name == "第一学期":
            names = fonts(pdf)
            assert any("Serif" in f and "CJK" in f for f in names), (doc.name, names)
    (plan,) = [pdf for doc, pdf in printed.items() if doc.name == "2024-2025学年第一学期工作计划.docx"]
    text = "".join(page_texts(plan))
    assert "2024年9月1日" in re.sub(r"\s", "", text)  # dated at the term's start


def test_ledger_prints_within_the_page_width(printed):
    (pdf,) = [pdf for doc, pdf in printed.items() if doc.suffix == ".xlsx"]
    sizes = page_size_pt(pdf)
    assert all(abs(w - 841.9) < 1 or abs(w - 595.3) < 1 for w, _ in sizes)  # A4, either way
    pages = page_texts(pdf)
    for n, page in enumerate(pages, 1):
        lines = page_lines(page)
        # every page starts with its sheet's title (repeated title rows): no page holds only
        # the columns that ran over the right edge of another
        assert lines and lines[0].startswith("汽车运用工程系党支部2024—2025学年第一学期"), (n, lines[:2])
        if "序号" in page and "文档路径" in page:
            assert "打开" in page, n
    assert any("统计截至2025年1月31日" in p for p in pages)
    chart = next(p for p in pages if "各月组织生活次数（按类型）" in p)
    assert "次数" in chart.replace("各月组织生活次数", "") and "月份" in chart


def test_no_printed_text_of_the_term_documents_is_below_9_pt(printed):
    for doc, pdf in printed.items():
        if "会议记录" not in doc.parts:
            sizes = font_sizes(pdf)
            assert min(sizes) >= 9, (doc.name, sizes)


def test_ledger_dates_names_and_headers_are_whole_on_every_page(printed):
    (pdf,) = [pdf for doc, pdf in printed.items() if doc.suffix == ".xlsx"]
    text = "".join(page_texts(pdf))
    # Every meeting's date whole on its line (a date cut in two would show "2024年11月" and "20日"
    # on two lines), and the names of the hosts too.
    book = load_workbook(next(doc for doc in printed if doc.suffix == ".xlsx"))
    for sheet in ("支部党员大会", "支委会", "党小组会", "党课", "主题党日"):
        for row in book[sheet].iter_rows(min_row=3, values_only=True):
            if isinstance(row[1], dt.datetime):
                assert f"{row[1].year}年{row[1].month}月{row[1].day}日" in text, (sheet, row[1])
    for n, page in enumerate(page_texts(pdf), 1):  # the header row repeated on every page of a sheet
        top = " ".join(page_lines(page)[:12])
        assert any(head in top for head in ("序号", "周期", "月份", "日期")), n
    lecture = next(p for p in page_texts(pdf) if "党课台账" in p)
    assert "主讲人" in lecture


def test_a_sheet_without_rows_says_so_on_one_line_under_its_header(printed):
    (pdf,) = [pdf for doc, pdf in printed.items() if doc.suffix == ".xlsx"]
    page = next(p for p in page_texts(pdf, layout=True) if "会议记录提醒" in p)
    lines = ["".join(line.split()) for line in page_lines(page)]
    # The demo has no reminder: the line spans the sheet, not wrapped in the 日期 column over the
    # header ("没有" / "提醒" drawn on the header row).
    assert "没有提醒" in lines, lines
    assert "日期类型主题类别提醒" in lines, lines
