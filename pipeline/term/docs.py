"""Shared Word building blocks of the term documents (成果汇编, 学期工作计划).

They start from the same GB/T 9704 base as the minutes templates (page setup, page numbers,
styles 公文标题/公文一级标题/公文二级标题, East-Asian fonts) and add what longer documents
need: outline levels on the heading styles (for the TOC field and PDF bookmarks), a table
style, a cover page without a page number, and a table of contents.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import unicodedata
import zipfile

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pipeline.chinese import int_to_cn
from pipeline.render.docx_base import (
    BODY_FONT,
    HEADING_FONT,
    SUBHEADING_FONT,
    TITLE_FONT,
    _base_document,
    _field_run,
    _indent_chars,
    _paragraph_style,
    set_fonts,
)

TABLE_SIZE = Pt(12)  # 小四: readable beside the 三号 body; widths follow the content (fit_widths)
CELL_MARGIN_MM = 1.9  # Word's default left/right cell margin (0.19 cm)
TABLE_STYLE = "公文表格"
TABLE_HEAD_STYLE = "公文表头"
TOC_STYLES = ("toc 1", "toc 2")
TEXT_WIDTH = Mm(156)
# Elements that follow w:updateFields in w:settings and w:pgNumType in w:sectPr (schema order:
# Word refuses a document whose elements are out of order).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)
_AFTER_PG_NUM_TYPE = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一."""
    return int_to_cn(n)


def heading1(n: int) -> str:
    return f"{cn_number(n)}、"


def heading2(n: int) -> str:
    return f"（{cn_number(n)}）"


def _outline(style, level: int) -> None:
    ppr = style.element.get_or_add_pPr()
    el = ppr.find(qn("w:outlineLvl"))
    if el is None:
        el = OxmlElement("w:outlineLvl")
        ppr.append(el)
    el.set(qn("w:val"), str(level))


def _no_grid_snap(style) -> None:
    ppr = style.element.get_or_add_pPr()
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    ppr.insert(0, el)


def new_document():
    """The GB/T 9704 base with the extra styles of the term documents."""
    doc = _base_document()
    _outline(doc.styles["公文一级标题"], 0)
    _outline(doc.styles["公文二级标题"], 1)
    for name, font in ((TABLE_STYLE, BODY_FONT), (TABLE_HEAD_STYLE, HEADING_FONT)):
        style = _paragraph_style(doc, name, font=font, size=TABLE_SIZE, first_line_chars=0, exact_line=False)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _no_grid_snap(style)
    doc.styles[TABLE_STYLE].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    doc.styles[TABLE_HEAD_STYLE].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for level, name in enumerate(TOC_STYLES):
        style = _paragraph_style(
            doc, name, font=BODY_FONT, size=doc.styles["Normal"].font.size, first_line_chars=0
        )
        # Word's own TOC styles (id TOC1, not custom), so that updating the field keeps them.
        style.element.set(qn("w:styleId"), f"TOC{level + 1}")
        style.element.attrib.pop(qn("w:customStyle"), None)
        _indent_chars(style, first_line_chars=0, left_chars=200 * level)
        style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    # Word then offers to update the TOC field (page numbers) when the document is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
    return doc


def paragraph(doc, text: str = "", style: str = "Normal"):
    return doc.add_paragraph(text, style=style)


def branch_line(doc, branch: str, style: str):
    """The branch's name; until zhibu.toml gives it, a rule to write it on by hand."""
    p = paragraph(doc, branch, style)
    if not branch.strip():
        p.add_run("\u3000" * 10).font.underline = True
    return p


def styled_run(par, text: str, *, font: str | None = None, size: Pt | None = None, bold: bool | None = None):
    run = par.add_run(text)
    if font:
        set_fonts(run._r, font)
    if size:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    return run


def cover(doc, branch: str, title: str, subtitle: str, date_line: str) -> None:
    """A cover page without page number, followed by a new section whose pages count from 1."""
    for _ in range(4):
        paragraph(doc, "", "公文字段")
    branch_line(doc, branch, "公文标题")
    paragraph(doc, "", "公文字段")
    p = paragraph(doc, "", "公文标题")
    styled_run(p, title, font=TITLE_FONT, size=Pt(36))
    for _ in range(2):
        paragraph(doc, "", "公文字段")
    p = paragraph(doc, "", "公文字段")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(p, subtitle, font=SUBHEADING_FONT)
    for _ in range(7):
        paragraph(doc, "", "公文字段")
    p = paragraph(doc, "", "公文字段")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(p, date_line)
    doc.add_section(WD_SECTION.NEW_PAGE)
    first, rest = doc.sections[0], doc.sections[-1]
    first.different_first_page_header_footer = True  # the cover shows no page number
    rest.different_first_page_header_footer = False
    pg = rest._sectPr.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        rest._sectPr.insert_element_before(pg, *_AFTER_PG_NUM_TYPE)
    pg.set(qn("w:start"), "1")


def toc(doc, entries: list[tuple[int, str]], page_numbers: dict[str, int] | None = None) -> None:
    """A table of contents: a TOC field whose shown result is written by us.

    Word and WPS rebuild the field with page numbers (they offer to when the document opens);
    LibreOffice keeps our written entries when it converts for printing. ``entries`` are
    (level, heading text); page numbers are added when known.
    """
    p = paragraph(doc, "目　　录", "公文标题")
    p.paragraph_format.space_after = Pt(0)
    paragraph(doc, "", "公文字段")
    page_numbers = page_numbers or {}
    pars = []
    for level, text in entries or [(0, "（无）")]:
        par = paragraph(doc, "", TOC_STYLES[min(level, 1)])
        pars.append((par, text))
    first, last = pars[0][0], pars[-1][0]
    runs = _field_run(first, 'TOC \\o "1-2" \\h \\z \\u', "")
    end_run = runs[-1]
    # Move the "end" fldChar after the last entry; keep begin/instr/separate before the first.
    runs[3]._r.getparent().remove(runs[3]._r)
    end_run._r.getparent().remove(end_run._r)
    for par, text in pars:
        par.add_run(text)
        if text in page_numbers:
            par.add_run("\t" + str(page_numbers[text]))
    last._p.append(end_run._r)
    doc.add_page_break()


def text_width(text: str) -> float:
    """Width of a text in em as Word and LibreOffice set it: CJK and full-width characters 1,
    digits and Latin about 0.55, plus the fifth of an em they insert between CJK and digits/Latin."""
    width, previous = 0.0, None
    for ch in str(text):
        wide = unicodedata.east_asian_width(ch) in "WF"
        width += 1.0 if wide else 0.55
        if previous is not None and wide != previous and not ch.isspace():
            width += 0.2
        previous = wide
    return width


def fit_widths(
    header: list[str],
    rows: list[list[str]],
    total_mm: float = 156,
    size: Pt = None,
    nowrap: tuple[int, ...] = (),
) -> list[float]:
    """Column widths that fit the content: the ``nowrap`` columns (numbers, dates, levels) and
    every column whose longest entry fits in its fair share get just that; the rest share what
    is left in proportion to their content, so long names wrap in the wide columns only."""
    em = (size or TABLE_SIZE).pt * 25.4 / 72
    pad = 2 * CELL_MARGIN_MM + 0.5
    natural = []
    for i, head in enumerate(header):
        longest = max([text_width(head)] + [text_width(r[i]) for r in rows])
        natural.append(longest * em + pad)
    widths = [0.0] * len(header)
    open_cols = [i for i in range(len(header)) if i not in nowrap]
    room = total_mm
    for i in nowrap:
        widths[i] = natural[i]
        room -= natural[i]
    while open_cols:
        share = room / len(open_cols)
        fits = [i for i in open_cols if natural[i] <= share]
        if not fits:
            # Each wrapping column gets at least five characters, the rest in proportion to
            # how much more its content needs.
            floor = {i: min(natural[i], 5 * em + pad) for i in open_cols}
            extra = room - sum(floor.values())
            need = sum(natural[i] - floor[i] for i in open_cols) or 1
            for i in open_cols:
                widths[i] = floor[i] + max(extra, 0) * (natural[i] - floor[i]) / need
            break
        for i in fits:
            widths[i] = natural[i]
            room -= natural[i]
            open_cols.remove(i)
    spare = total_mm - sum(widths)
    if spare > 0.5:  # every column fits: spread the rest evenly
        widths = [w + spare / len(widths) for w in widths]
    return widths


def table(doc, header: list[str], rows: list[list[str]], widths_mm: list[float] | None = None):
    """A bordered table: 仿宋/黑体 小四, header row repeated on every page, no row split across
    pages, kept with the heading above it (the header and first row stay with the heading)."""
    widths_mm = widths_mm or fit_widths(header, rows)
    t = doc.add_table(rows=1, cols=len(header))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    hdr = t.rows[0]
    trpr = hdr._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, text in zip(hdr.cells, header, strict=True):
        cell.paragraphs[0].style = doc.styles[TABLE_HEAD_STYLE]
        cell.paragraphs[0].add_run(text)
    for values in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.paragraphs[0].style = doc.styles[TABLE_STYLE]
            cell.paragraphs[0].add_run(str(text))
    for column, width in zip(t.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for n, row in enumerate(t.rows):
        trpr = row._tr.get_or_add_trPr()
        no_split = OxmlElement("w:cantSplit")
        no_split.set(qn("w:val"), "true")
        trpr.insert(0, no_split)
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            if n == 0 and len(t.rows) > 1:  # the header row stays with the first row (and the heading)
                for par in cell.paragraphs:
                    par.paragraph_format.keep_with_next = True
    return t


def center_cells(t, columns: list[int]) -> None:
    for row in t.rows:
        for i in columns:
            row.cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def merge_down(t, column: int) -> None:
    """Merge runs of equal cells in a column (the month column of a schedule)."""
    rows = t.rows[1:]
    i = 0
    while i < len(rows):
        j = i
        text = rows[i].cells[column].text
        while j + 1 < len(rows) and rows[j + 1].cells[column].text == text:
            j += 1
        if j > i:
            top, bottom = rows[i].cells[column], rows[j].cells[column]
            merged = top.merge(bottom)
            for extra in merged.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        i = j + 1


def save(doc, title: str, day: dt.date) -> bytes:
    core = doc.core_properties
    core.title = title
    core.created = core.modified = dt.datetime.combine(day, dt.time())
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"<dcterms:created[^>]*>([^<]*)</dcterms:created>")


def stable_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps, so equal content gives equal bytes.

    This makes ``zhibu batch`` idempotent: a document that did not change is not rewritten and
    no history copy is made. The "modified" time of the core properties (openpyxl sets it to
    the moment of saving) is set to the "created" time, which the builders fix to the day.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            member = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                created = _CREATED.search(member)
                if created:
                    stamp = created.group(1).replace(b"\\", b"\\\\")
                    member = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", member)
            dst.writestr(fixed, member)
    return out.getvalue()


# --- page numbers of the table of contents ---------------------------------------------------------

_PAGE_FOOTER = re.compile(r"—\s*(\d+)\s*—")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def heading_pages(pages: list[str], headings: list[str], after: int) -> dict[str, int]:
    """The printed page number of each heading, from the text of the PDF's pages.

    ``after`` is the index of the last page not to search (the TOC, which lists every heading);
    headings are found in order, each on or after the page of the one before. The printed
    number is read from the page's "— n —" footer, else counted from the first searched page.
    """
    found: dict[str, int] = {}
    start = after + 1
    for heading in headings:
        key = _squeeze(heading)
        for i in range(start, len(pages)):
            if key in _squeeze(pages[i]):
                numbers = _PAGE_FOOTER.findall(pages[i])
                found[heading] = int(numbers[-1]) if numbers else i - after + 1
                start = i
                break
    return found


def toc_page_numbers(data: bytes, headings: list[str]) -> dict[str, int]:
    """Print the document once through LibreOffice and read where each heading landed.

    Empty when LibreOffice is not installed or the conversion fails: the TOC then has no page
    numbers until Word or WPS updates the field (they offer to when the document opens).
    """
    import tempfile
    from pathlib import Path

    from pypdf import PdfReader

    from pipeline.errors import ZhibuError
    from pipeline.office.convert import convert_documents, find_soffice

    try:
        find_soffice()
    except ZhibuError:
        return {}
    with tempfile.TemporaryDirectory(prefix="zhibu-toc-") as tmp:
        src = Path(tmp) / "toc.docx"
        src.write_bytes(data)
        try:
            result = convert_documents([src], Path(tmp) / "pdf", stall=60, retries=0)
            pdf = result.pdfs.get(src)
            if pdf is None:
                return {}
            pages = [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
        except Exception:  # noqa: BLE001 - page numbers are a nicety; the document stands without them
            logging.getLogger("zhibu").exception("TOC page numbers: conversion failed")
            return {}
    toc_page = next((i for i, text in enumerate(pages) if "目录" in _squeeze(text)), 0)
    return heading_pages(pages, headings, toc_page)
