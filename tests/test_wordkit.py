"""The GB/T 9704 Word toolkit (pipeline.wordkit): page, style sheet, headings, tables, signature,
comments, cover and saving; and one document using all of it printed through LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from pipeline import wordkit as wk
from pipeline.render.development_templates import (
    LONGEST_DATE,
    LONGEST_NAME,
    build_progress_template,
    build_publicity_template,
)
from pipeline.wordkit.ooxml import PPR_ORDER
from pipeline.wordkit.tables import CELL_MARGIN_MM
from tests.support.docs import east_asia_font
from tests.support.layout_pdf import page_texts, to_pdf

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BRANCH = "汽车运用工程系党支部"
NAMES = ["欧阳明月", "林初", "司马远帆", "许南乔", "苏小禾", "韩知远", "顾清和", "宋佳禾"]
NOTE = "人数取自党员名册，请核对。"
HEADER = ["序号", "姓名", "交纳日期", "金额（元）", "备注"]


def _rows(n: int) -> list[list[str]]:
    return [
        [
            str(i + 1),
            NAMES[i % len(NAMES)],
            f"2024年{10 + i % 3}月{1 + i % 28}日",
            f"{12.5 + i:.2f}",
            "按月交纳，已开具收据，经支部组织委员核对无误" if i % 4 == 0 else "",
        ]
        for i in range(n)
    ]


def dues_notice(rows: int = 40) -> bytes:
    """An invented internal notice that uses every part of the toolkit."""
    doc = wk.new_document()
    wk.internal_mark(doc)
    wk.title(doc, "关于2024年第四季度党费收缴情况的公示")
    wk.paragraph(doc, "", wk.FIELD)
    wk.heading(doc, 1, wk.heading_number(1, 1) + "收缴概况")
    first = wk.paragraph(doc, "本季度应交党费的党员36人，已全部按月交纳。")
    wk.comment(doc, first.runs, NOTE)
    wk.heading(doc, 2, wk.heading_number(2, 1) + "按月交纳情况")
    wk.heading(doc, 3, wk.heading_number(3, 1) + "十月")
    wk.heading(doc, 4, wk.heading_number(4, 1) + "补交")
    wk.paragraph(doc, "收缴明细如下表。")
    wk.center_cells(wk.table(doc, HEADER, _rows(rows)), [0, 2, 3])
    wk.signature_block(doc, BRANCH, dt.date(2024, 12, 31))
    return wk.save_dated(doc, "党费公示", dt.date(2024, 12, 31))


def _mm(twips: str) -> float:
    return int(twips) * 25.4 / 1440


def test_page_is_a4_with_the_gbt9704_margins_grid_and_numbers():
    doc = Document(io.BytesIO(dues_notice(3)))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"  # the PAGE field's shown result between the dashes
    assert (odd.alignment, even.alignment) == (2, 0)  # right, left
    assert " PAGE " in odd._p.xml and odd.runs[0].font.size.pt == 14


def test_style_sheet_sets_east_asian_fonts_sizes_and_outline_levels():
    doc = Document(io.BytesIO(dues_notice(3)))
    assert east_asia_font(doc, "公文标题") == "方正小标宋简体"
    assert doc.styles["公文标题"].font.size.pt == 22
    assert [east_asia_font(doc, name) for name in wk.HEADINGS] == [
        "黑体",
        "楷体_GB2312",
        "仿宋_GB2312",
        "仿宋_GB2312",
    ]
    for level, name in enumerate(wk.HEADINGS):
        ppr = doc.styles[name].element.pPr
        assert ppr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(level)
        assert doc.styles[name].paragraph_format.keep_with_next
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16 and round(normal.paragraph_format.line_spacing.pt, 2) == 28.95
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    first = doc.paragraphs[0]
    assert (
        first.text == "内部" and first.style.name == "公文标注" and east_asia_font(doc, "公文标注") == "黑体"
    )


def test_paragraph_properties_are_in_schema_order():
    """Word refuses a document whose w:pPr children are out of the schema's order."""
    with zipfile.ZipFile(io.BytesIO(dues_notice(3))) as zf:
        parts = [n for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")]
        checked = 0
        for name in parts:
            root = etree.fromstring(zf.read(name))
            for ppr in root.iter(f"{W}pPr"):
                tags = ["w:" + etree.QName(c).localname for c in ppr]
                known = [PPR_ORDER.index(t) for t in tags if t in PPR_ORDER]
                assert known == sorted(known), (name, tags)
                checked += 1
    assert checked > 30


def test_heading_numbers_of_the_four_levels():
    assert [wk.heading_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3．", "（3）"]
    assert wk.heading_number(1, 12) == "十二、"
    with pytest.raises(ValueError):
        wk.heading_number(5, 1)


def _natural_mm(text: str, size_pt: float = 12) -> float:
    return wk.text_width(text) * size_pt * 25.4 / 72 + 2 * CELL_MARGIN_MM


def test_column_widths_never_break_a_date_a_number_or_a_name():
    rows = _rows(40)
    widths = wk.fit_widths(HEADER, rows)
    assert abs(sum(widths) - wk.TEXT_WIDTH_MM) < 0.5
    for column in (0, 1, 2, 3):  # 序号, 姓名, 交纳日期, 金额 are kept whole
        longest = max([HEADER[column]] + [r[column] for r in rows], key=wk.text_width)
        assert widths[column] >= _natural_mm(longest), (HEADER[column], widths[column])
    assert widths[4] < _natural_mm(rows[0][4])  # the remark wraps, in the widest column
    assert widths[4] == max(widths)
    assert wk.unbreakable("2024年12月31日") and wk.unbreakable("欧阳明月") and wk.unbreakable("1,200.50")
    assert not wk.unbreakable("张伟、李娜") and not wk.unbreakable("汽车营销教研室")


def test_table_repeats_its_header_and_keeps_rows_whole():
    doc = Document(io.BytesIO(dues_notice(5)))
    table = doc.tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == HEADER
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert all(c.paragraphs[0].paragraph_format.keep_with_next for c in header.cells)
    assert header.cells[0].paragraphs[0].style.name == "公文表头"
    assert table.rows[1].cells[1].paragraphs[0].style.name == "公文表格"
    assert [c.text for c in table.rows[1].cells][:3] == ["1", "欧阳明月", "2024年10月1日"]


def _right_chars(paragraph) -> float:
    return int(paragraph._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100


def test_signature_block_places_the_date_two_characters_right_of_the_name():
    doc = wk.new_document()
    wk.paragraph(doc, "正文。")
    wk.signature_block(doc, BRANCH, dt.date(2024, 5, 10))
    blank, name, date = doc.paragraphs[-3:]
    assert (blank.text, name.text, date.text) == ("", BRANCH, "2024年5月10日")
    assert _right_chars(name) == 2  # 署名 右空二字
    # The date starts two characters to the right of the name's first character.
    name_start = -_right_chars(name) - wk.text_width(BRANCH)
    date_start = -_right_chars(date) - wk.text_width("2024年5月10日")
    assert abs(date_start - name_start - 2) < 0.01
    # A date longer than the name keeps two characters from the margin; the name moves left.
    doc = wk.new_document()
    wk.signature_block(doc, "第一党支部", dt.date(2024, 12, 31))
    name, date = doc.paragraphs[-2:]
    assert _right_chars(date) == 2 and _right_chars(name) > 2
    # Without a branch name, a rule to write it on by hand.
    doc = wk.new_document()
    wk.signature_block(doc, "", "2024年5月10日")
    assert [r.font.underline for r in doc.paragraphs[-2].runs] == [True]


def test_comment_is_kept_beside_the_text():
    data = dues_notice(3)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        comments = zf.read("word/comments.xml").decode()
        body = zf.read("word/document.xml").decode()
    assert NOTE in comments and 'w:author="zhibu"' in comments
    assert "commentRangeStart" in body and "commentReference" in body
    assert NOTE not in body


def test_saved_twice_the_same_bytes():
    assert dues_notice(3) == dues_notice(3)


def test_cover_is_unnumbered_and_the_body_counts_from_one():
    doc = wk.new_document()
    wk.cover_page(doc, BRANCH, "成果汇编", "2024—2025学年第一学期", date_line="编制日期：2025年1月20日")
    wk.start_numbered_body(doc)
    wk.paragraph(doc, "正文。")
    cover, body = doc.sections
    assert cover.different_first_page_header_footer and not body.different_first_page_header_footer
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts == [BRANCH, "成果汇编", "2024—2025学年第一学期", "编制日期：2025年1月20日", "正文。"]


def test_development_templates_fit_a_four_character_name_and_a_full_date():
    assert not Document(io.BytesIO(build_publicity_template())).tables  # a paragraph a person
    table = Document(io.BytesIO(build_progress_template())).tables[0]
    widths = [_mm(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert abs(sum(widths) - wk.TEXT_WIDTH_MM) < 1
    assert widths[3] >= _natural_mm(LONGEST_NAME, 10.5)  # 经办: the names, one a line
    assert widths[2] >= _natural_mm(LONGEST_DATE, 10.5)  # 日期: the dates, one a line
    assert widths[4] >= _natural_mm("未登记日期", 10.5)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


@pytest.mark.slow
def test_printed_the_header_repeats_and_nothing_breaks_a_date_or_a_name(tmp_path):
    src = tmp_path / "党费公示.docx"
    src.write_bytes(dues_notice(40))
    pdf = to_pdf([src], tmp_path / "pdf")[src]
    pages = page_texts(pdf, layout=True)
    assert len(pages) == 2
    assert pages[0].lstrip().startswith("内部")
    squeezed = [re.sub(r"\s+", "", p) for p in pages]
    assert "关于2024年第四季度党费收缴情况的公示" in squeezed[0]
    assert all(re.sub(r"\s+", "", "序号 姓名 交纳日期 金额（元） 备注") in s for s in squeezed)
    lines = [re.sub(r"\s+", "", line) for page in pages for line in page.splitlines()]
    for row in _rows(40):  # each row's number, name, date and amount on one printed line
        assert any(line.startswith(row[0] + row[1] + row[2] + row[3]) for line in lines), row
    assert NOTE not in "".join(squeezed)  # the comment does not print
    assert [re.findall(r"—(\d+)—", s)[-1] for s in squeezed] == ["1", "2"]
    # The date (longer than the name less two characters) ends two characters (2 × 16 pt) from the
    # right edge of the text block, and starts two characters right of the name's first character.
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    words = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', bbox.stdout)
    name = next(w for w in words if w[2] == BRANCH)
    year = next(w for w in reversed(words) if w[2].startswith("2024"))
    day = next(w for w in reversed(words) if w[2] == "日")
    assert abs(float(year[0]) - float(name[0]) - 32) < 4, (name, year)
    assert abs((595.3 - 26 * 72 / 25.4) - float(day[1]) - 32) < 4, day
