"""The page: A4 with the GB/T 9704 margins and line grid, "— 1 —" page numbers (odd pages right,
even pages left, one character in; GB/T 9704-2012 §7.5), and a cover section without a number
whose following pages count from 1."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml.ns import qn
from docx.section import _Footer
from docx.shared import Mm

from pipeline.wordkit.ooxml import AFTER_PG_NUM_TYPE, child, field_runs, indent_chars, set_fonts
from pipeline.wordkit.spec import (
    GBT9704_MARGINS,
    LINE_PITCH_TWIPS,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_SIZE,
    Margins,
)


def page_setup(doc: DocxDocument, margins: Margins = GBT9704_MARGINS, *, grid: bool = True) -> None:
    """A4 upright with ``margins``; ``grid``: the 22-lines-a-page document grid of the body."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(margins.top), Mm(margins.bottom)
    section.left_margin, section.right_margin = Mm(margins.left), Mm(margins.right)
    section.header_distance = Mm(15)
    # The page number line sits about 7 mm below the text block (GB/T 9704 §7.5).
    section.footer_distance = Mm(25)
    if grid:
        el = child(section._sectPr, "w:docGrid", ("w:printerSettings", "w:sectPrChange"))
        el.set(qn("w:type"), "lines")
        el.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _page_number_footer(footer: _Footer, align: WD_PARAGRAPH_ALIGNMENT) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    right = align == WD_ALIGN_PARAGRAPH.RIGHT
    indent_chars(paragraph, first_line=0, right=100 if right else None, left=None if right else 100)
    runs = [paragraph.add_run("— "), *field_runs(paragraph, "PAGE", "1"), paragraph.add_run(" —")]
    for run in runs:
        run.font.size = PAGE_NUMBER_SIZE
        set_fonts(run._r, PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)


def page_numbers(doc: DocxDocument) -> None:
    """ "— 1 —" in 4号 宋体: odd pages right-aligned, even pages left-aligned, one character in."""
    section = doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def start_numbered_body(doc: DocxDocument) -> None:
    """End the cover: a new page and section whose pages count from 1; the cover shows no number."""
    doc.add_section(WD_SECTION.NEW_PAGE)
    first, rest = doc.sections[0], doc.sections[-1]
    first.different_first_page_header_footer = True
    rest.different_first_page_header_footer = False
    child(rest._sectPr, "w:pgNumType", AFTER_PG_NUM_TYPE).set(qn("w:start"), "1")
