"""The layout rules of wordkit that the year's papers (考核自评表, 支撑材料目录, 党费 papers) depend
on, printed through LibreOffice and read back page by page: a table that ends a page takes its
last rows to the signature's page; a long title breaks after the branch's name, never inside a
word; no table is wider than the text block."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document

from pipeline import wordkit as wk
from tests.support.layout_pdf import have_tools, page_lines, page_texts, to_pdf

pytestmark = pytest.mark.slow
BRANCH = "汽车运用工程系党支部"
HEADER = ["序号", "指标", "说明"]


def _paper(rows: int) -> bytes:
    doc = wk.new_document(table_size=wk.SMALL_TABLE_SIZE)
    wk.title(doc, f"{BRANCH}2024年考核自评表")
    body = [[str(i), f"第{i}项", f"行{i}说明"] for i in range(1, rows + 1)]
    wk.table(doc, HEADER, [*body, ["", "合计", f"末行{rows}"]], [20, 40, 96])
    wk.paragraph(doc, "评定等级：")
    wk.signature_block(doc, BRANCH, dt.date(2024, 12, 31))
    return wk.save_dated(doc, "考核自评表", dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[int, list[str]]:
    """Tables of 24 to 44 one-line rows: one of them ends at the foot of the first page."""
    assert have_tools(), "LibreOffice and poppler are needed: bash .ci/run installs them"
    folder = tmp_path_factory.mktemp("papers")
    paths = {}
    for n in range(24, 45, 2):
        paths[n] = folder / f"table-{n}.docx"
        paths[n].write_bytes(_paper(n))
    pdfs = to_pdf(list(paths.values()), folder / "pdf")
    return {n: page_texts(pdfs[p]) for n, p in paths.items()}


def test_the_signature_never_stands_alone_after_a_table(printed):
    assert any(len(pages) == 2 for pages in printed.values())  # the sizes do cross a page
    for n, pages in printed.items():
        last = "".join(pages[-1].split())
        assert "评定等级" in last and "2024年12月31日" in last, n
        assert f"末行{n}" in last, (n, last)  # the 合计 row went with the signature


def test_a_long_title_breaks_after_the_branch_name(tmp_path):
    assert have_tools(), "LibreOffice and poppler are needed: bash .ci/run installs them"
    doc = wk.new_document()
    wk.title(doc, f"{BRANCH}2024年度党费收缴情况公示")
    wk.paragraph(doc, "正文。")
    path = tmp_path / "title.docx"
    path.write_bytes(wk.save_dated(doc, "公示", dt.date(2025, 1, 10)))
    assert Document(str(path)).paragraphs[0].text == f"{BRANCH}\n2024年度党费收缴情况公示"
    lines = page_lines(page_texts(to_pdf([path], tmp_path / "pdf")[path])[0])
    assert ["".join(x.split()) for x in lines[:2]] == [BRANCH, "2024年度党费收缴情况公示"]
    # A title that fits one line is left alone.
    assert wk.title_lines(f"{BRANCH}2024年考核自评表") == f"{BRANCH}2024年考核自评表"
