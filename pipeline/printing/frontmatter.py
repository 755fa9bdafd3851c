"""The pages zhibu adds to a volume: cover, 卷内目录 and the page-number stamps, as .docx.

They are made with python-docx and converted by the same LibreOffice run as the documents,
so their fonts are real, embedded CJK fonts chosen by the same fontconfig rules (no PDF
drawing library is needed). The numbers follow GB/T 9704: "— N —" in 4号 (14 pt) digits of
the 宋体 kind, an em dash each side.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pipeline.chinese import cn_date

MM = 72 / 25.4  # points per millimetre

# The fonts of the front matter (customary names; fontconfig maps them on Linux).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_NUMBER = "宋体"

NUMBER_SIZE_PT = 14.0  # 4号
NUMBER_INDENT_PT = 14.0  # "one character in": one 4号 character
NUMBER_GAP_MM = 7.0  # from the text block's lower edge to the dash


@dataclass(frozen=True)
class VolumeEntry:
    """One document of the volume, in archive order."""

    title: str
    date: _dt.date
    docx: Path


# --- python-docx helpers ---------------------------------------------------------------------


def _new_document(margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26)) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(margins_mm[0]), Mm(margins_mm[1])
    section.left_margin, section.right_margin = Mm(margins_mm[2]), Mm(margins_mm[3])
    section.header_distance = section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    _set_fonts(normal.element.get_or_add_rPr(), FONT_BODY)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    return doc


def _set_fonts(rpr, font: str) -> None:
    """Latin and East-Asian font both (Word and WPS ignore a Chinese font set only as Latin)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _para(
    container,
    text: str,
    font: str,
    size: float,
    *,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    bold: bool = False,
):
    p = container.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = align
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        _set_fonts(run._element.get_or_add_rPr(), font)
    return p


def _cell_text(cell, text: str, font: str, size: float, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = align
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.font.size = Pt(size)
    _set_fonts(run._element.get_or_add_rPr(), font)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _row_flag(row, tag: str) -> None:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _fixed_table(table, widths_mm: Sequence[float], cell_margin_mm: float = 1.5) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(cell_margin_mm * MM * 20)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _bottom_border(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    el = OxmlElement("w:bottom")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), "6")
    el.set(qn("w:color"), "000000")
    borders.append(el)
    tc_pr.append(borders)


# --- cover, 卷内目录 and the number stamps ---------------------------------------------------


def date_range(entries: Sequence[VolumeEntry]) -> str:
    first = min(e.date for e in entries)
    last = max(e.date for e in entries)
    return cn_date(first) if first == last else f"{cn_date(first)}—{cn_date(last)}"


def write_cover(
    path: Path, *, branch: str, term_label: str, volume_name: str, dates: str, count: int, pages: int
) -> None:
    doc = _new_document()
    _para(doc, branch, FONT_TITLE, 22, before=90, line=36)
    _para(doc, volume_name, FONT_TITLE, 36, before=48, line=54)
    _para(doc, term_label, FONT_KAI, 18, before=30, line=30)
    _para(doc, "", FONT_BODY, 16, before=150)
    table = doc.add_table(rows=3, cols=2)
    _no_borders(table)
    _fixed_table(table, (34, 106))
    rows = [("起止日期", dates), ("本卷件数", f"{count}件"), ("本卷页数", f"{pages}页")]
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.height = Mm(14)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        _cell_text(row.cells[0], label, FONT_HEADING, 16, WD_ALIGN_PARAGRAPH.DISTRIBUTE)
        _cell_text(row.cells[1], value, FONT_BODY, 16)
        _bottom_border(row.cells[1])
    doc.save(path)


TOC_WIDTHS_MM = (14, 70, 40, 18, 14)


def write_toc(path: Path, entries: Sequence[VolumeEntry], starts: Sequence[int], ends: Sequence[int]) -> None:
    doc = _new_document()
    _para(doc, "卷内目录", FONT_TITLE, 22, after=16, line=36)
    table = doc.add_table(rows=1 + len(entries), cols=len(TOC_WIDTHS_MM))
    table.style = "Table Grid"
    _fixed_table(table, TOC_WIDTHS_MM)
    header = table.rows[0]
    _row_flag(header, "w:tblHeader")  # repeated on every page of a long 卷内目录
    header.height, header.height_rule = Mm(12), WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell, text in zip(header.cells, ("序号", "文件题名", "日期", "页号", "备注"), strict=True):
        _cell_text(cell, text, FONT_HEADING, 14)
    last = len(entries) - 1
    for i, (entry, start, end) in enumerate(zip(entries, starts, ends, strict=True)):
        row = table.rows[i + 1]
        _row_flag(row, "w:cantSplit")
        row.height, row.height_rule = Mm(12), WD_ROW_HEIGHT_RULE.AT_LEAST
        pages = f"{start}—{end}" if i == last and end > start else str(start)
        texts = (str(i + 1), entry.title, cn_date(entry.date), pages, "")
        aligns = [WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT] + [WD_ALIGN_PARAGRAPH.CENTER] * 3
        for cell, text, align in zip(row.cells, texts, aligns, strict=True):
            _cell_text(cell, text, FONT_BODY, 12, align)
    doc.save(path)


#: Stamp pages: A4, 20 mm side margins; each holds one number at the top of its text area.
STAMP_MARGIN_MM = 20.0


def write_stamps(path: Path, numbers: Sequence[int]) -> None:
    """One page per number, "— N —", right-aligned when N is odd, left-aligned when even."""
    m = STAMP_MARGIN_MM
    doc = _new_document((m, m, m, m))
    for i, n in enumerate(numbers):
        align = WD_ALIGN_PARAGRAPH.RIGHT if n % 2 else WD_ALIGN_PARAGRAPH.LEFT
        p = _para(doc, f"— {n} —", FONT_NUMBER, NUMBER_SIZE_PT, align=align)
        p.paragraph_format.page_break_before = i > 0
    doc.save(path)
