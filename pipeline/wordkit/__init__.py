"""The one GB/T 9704-2012 Word toolkit: every .docx zhibu writes is made with it on python-docx.

A document starts as ``new_document()`` (A4, margins 37/35/28/26 mm, the 22-line grid, "— 1 —"
page numbers odd right / even left, the style sheet with East-Asian fonts) and is filled with
``title``, ``heading`` (一、（一）1．（1）), ``paragraph``, ``field_line``, ``table`` (header repeated,
widths that never break a date or a name), ``signature_block``, ``signing_line``, ``internal_mark``,
``comment``, ``cover_page`` + ``start_numbered_body`` and ``toc``; then ``save`` (templates) or
``save_dated`` (byte-stable term and year documents). Measures and fonts are in ``spec``.
"""

from pipeline.wordkit.cover import cover_page
from pipeline.wordkit.document import new_document, save, save_dated, stable_package
from pipeline.wordkit.ooxml import hanging_indent, indent_chars, set_fonts, tab_stop
from pipeline.wordkit.page import start_numbered_body
from pipeline.wordkit.spec import (
    BODY_FONT,
    BODY_SIZE,
    HALF_LINE,
    HEADING_FONT,
    NOTE_SIZE,
    SMALL_TABLE_SIZE,
    SUBHEADING_FONT,
    TEXT_WIDTH_MM,
    TITLE_FONT,
    text_width,
    title_font_installed,
)
from pipeline.wordkit.styles import (
    FIELD,
    HEADINGS,
    LABEL,
    LAST,
    NORMAL,
    SIGNATURE,
    SIGNING,
    TABLE_HEAD,
    TABLE_TEXT,
    TITLE,
)
from pipeline.wordkit.tables import (
    borderless,
    center_cells,
    fit_widths,
    merge_down,
    row_heights,
    table,
    unbreakable,
    underline_cell,
)
from pipeline.wordkit.text import (
    blank_rule,
    comment,
    display_line,
    field_line,
    heading,
    heading_number,
    internal_mark,
    name_or_rule,
    paragraph,
    signature_block,
    signing_line,
    styled_run,
    title,
)
from pipeline.wordkit.toc import heading_pages, toc, toc_page_numbers

__all__ = [
    "BODY_FONT",
    "BODY_SIZE",
    "FIELD",
    "HALF_LINE",
    "HEADINGS",
    "HEADING_FONT",
    "LABEL",
    "LAST",
    "NORMAL",
    "NOTE_SIZE",
    "SIGNATURE",
    "SIGNING",
    "SMALL_TABLE_SIZE",
    "SUBHEADING_FONT",
    "TABLE_HEAD",
    "TABLE_TEXT",
    "TEXT_WIDTH_MM",
    "TITLE",
    "TITLE_FONT",
    "blank_rule",
    "borderless",
    "center_cells",
    "comment",
    "cover_page",
    "display_line",
    "field_line",
    "fit_widths",
    "hanging_indent",
    "heading",
    "heading_number",
    "heading_pages",
    "indent_chars",
    "internal_mark",
    "merge_down",
    "name_or_rule",
    "new_document",
    "paragraph",
    "row_heights",
    "save",
    "save_dated",
    "set_fonts",
    "signature_block",
    "signing_line",
    "stable_package",
    "start_numbered_body",
    "styled_run",
    "tab_stop",
    "table",
    "text_width",
    "title",
    "title_font_installed",
    "toc",
    "toc_page_numbers",
    "unbreakable",
    "underline_cell",
]
