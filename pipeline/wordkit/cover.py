"""A cover page: the branch's name, the document's name in large type, a subtitle (the term),
and at the foot either a date line or a few facts written on rules (a volume's 起止日期, 件数,
页数). The cover carries no page number; ``page.start_numbered_body`` starts the pages after it."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from pipeline.wordkit.spec import (
    BODY_FONT,
    BODY_SIZE,
    COVER_TITLE_SIZE,
    HEADING_FONT,
    SUBHEADING_FONT,
    TITLE_FONT,
)
from pipeline.wordkit.styles import FIELD, TABLE_HEAD, TITLE
from pipeline.wordkit.tables import borderless, row_heights, underline_cell
from pipeline.wordkit.text import name_or_rule, paragraph, styled_run

FACT_WIDTHS_MM = (34, 106)


def _blank_lines(doc: DocxDocument, n: int) -> None:
    for _ in range(n):
        paragraph(doc, "", FIELD)


def _centred(doc: DocxDocument, text: str, font: str | None = None) -> None:
    par = paragraph(doc, "", FIELD)
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled_run(par, text, font=font)


def _facts(doc: DocxDocument, facts: Sequence[tuple[str, str]]) -> None:
    """Label (黑体, spread over its cell) and value (仿宋, centred on a rule), one row each."""
    t = doc.add_table(rows=len(facts), cols=2)
    t.autofit = False
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    borderless(t)
    for column, width in zip(t.columns, FACT_WIDTHS_MM, strict=True):
        column.width = Mm(width)
    for row, (label, value) in zip(t.rows, facts, strict=True):
        for cell, text, font in zip(row.cells, (label, value), (HEADING_FONT, BODY_FONT), strict=True):
            cell.paragraphs[0].style = doc.styles[TABLE_HEAD]
            styled_run(cell.paragraphs[0], text, font=font, size=BODY_SIZE)
        for cell, width in zip(row.cells, FACT_WIDTHS_MM, strict=True):
            cell.width = Mm(width)
        row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        underline_cell(row.cells[1])
    row_heights(t, 14)


def cover_page(
    doc: DocxDocument,
    branch: str,
    title: str,
    subtitle: str,
    *,
    date_line: str = "",
    facts: Sequence[tuple[str, str]] = (),
) -> None:
    """The cover's content; an empty ``branch`` leaves a rule to write the name on."""
    _blank_lines(doc, 4)
    name_or_rule(doc, branch, TITLE)
    _blank_lines(doc, 1)
    par = paragraph(doc, "", TITLE)
    styled_run(par, title, font=TITLE_FONT, size=COVER_TITLE_SIZE)
    _blank_lines(doc, 2)
    _centred(doc, subtitle, SUBHEADING_FONT)
    _blank_lines(doc, 7)
    if date_line:
        _centred(doc, date_line)
    if facts:
        _facts(doc, facts)
