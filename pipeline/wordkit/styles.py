"""The one style sheet of every document zhibu writes (GB/T 9704-2012 §7).

Paragraph styles: 公文标题 (2号 小标宋, centred), 公文一级标题 … 公文四级标题 (一、 黑体; （一） 楷体;
1． and （1） 仿宋; each kept with the next paragraph and given an outline level for the table of
contents and PDF bookmarks), Normal (3号 仿宋 body, two-character first-line indent, fixed line on
the 22-line grid), 公文字段 (a label with a hanging indent), 公文末段 (the last paragraph, kept with
the signatures), 公文签名 (署名 and date, right-aligned), 公文签字 (the line signed by hand),
公文标注 (the "内部" mark at the top left), 公文表格 / 公文表头 (table text and header), toc 1 / toc 2.
Character style: 公文标签 (a field label in 黑体). Fonts are set as the East-Asian font of each style.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import (
    WD_ALIGN_PARAGRAPH,
    WD_LINE_SPACING,
    WD_PARAGRAPH_ALIGNMENT,
    WD_TAB_ALIGNMENT,
    WD_TAB_LEADER,
)
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle

from pipeline.wordkit.ooxml import hanging_indent, indent_chars, no_grid_snap, outline_level, set_fonts
from pipeline.wordkit.spec import (
    BODY_FONT,
    BODY_SIZE,
    EAST_ASIAN_LANGUAGE,
    HALF_LINE,
    HEADING_FONT,
    LABEL_CHARS,
    LATIN_FONT,
    LINE_SPACING,
    SUBHEADING_FONT,
    TABLE_SIZE,
    TEXT_WIDTH_MM,
    TITLE_FONT,
    TITLE_SIZE,
)

NORMAL = "Normal"
TITLE = "公文标题"
HEADINGS = ("公文一级标题", "公文二级标题", "公文三级标题", "公文四级标题")
HEADING_FONTS = (HEADING_FONT, SUBHEADING_FONT, BODY_FONT, BODY_FONT)
FIELD = "公文字段"
LAST = "公文末段"
SIGNATURE = "公文签名"
SIGNING = "公文签字"
MARK = "公文标注"
LABEL = "公文标签"
TABLE_TEXT = "公文表格"
TABLE_HEAD = "公文表头"
TOC_STYLES = ("toc 1", "toc 2")


def paragraph_style(
    doc: DocxDocument,
    name: str,
    *,
    font: str,
    size: Pt,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    first_line_chars: int = 200,
    bold: bool = False,
    exact_line: bool = True,
) -> ParagraphStyle:
    """Add (or reset) a paragraph style based on Normal: font, size, alignment, indent, line."""
    styles = doc.styles
    names = [s.name for s in styles]
    style = styles[name] if name in names else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if not isinstance(style, ParagraphStyle):
        raise TypeError(f"{name} is not a paragraph style")
    if name != NORMAL:
        style.base_style = styles[NORMAL]
    style.font.size = size
    style.font.bold = bold
    set_fonts(style.element, font)
    fmt = style.paragraph_format
    if exact_line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_SPACING
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if align is not None:
        fmt.alignment = align
    indent_chars(style, first_line=first_line_chars)
    return style


def _defaults(doc: DocxDocument) -> None:
    """docDefaults too, so that tables, footnotes and pasted text start from 仿宋 and Chinese."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def _record_styles(doc: DocxDocument, title_bold: bool) -> None:
    """Title, the first two heading levels, fields, last paragraph, signatures, labels."""
    title = paragraph_style(
        doc, TITLE, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, first_line_chars=0
    )
    title.font.bold = title_bold
    # Headings never stand alone at the foot of a page.
    title.paragraph_format.keep_with_next = True
    for name, font in zip(HEADINGS[:2], HEADING_FONTS[:2], strict=True):
        paragraph_style(doc, name, font=font, size=BODY_SIZE).paragraph_format.keep_with_next = True
    field = paragraph_style(doc, FIELD, font=BODY_FONT, size=BODY_SIZE, first_line_chars=0)
    hanging_indent(field, LABEL_CHARS)
    # The last paragraph of a record stays on the page of the signatures.
    paragraph_style(doc, LAST, font=BODY_FONT, size=BODY_SIZE).paragraph_format.keep_with_next = True
    sign = paragraph_style(
        doc, SIGNATURE, font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line_chars=0
    )
    sign.paragraph_format.keep_with_next = True
    signing = paragraph_style(
        doc, SIGNING, font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, first_line_chars=0
    )
    signing.paragraph_format.keep_together = True
    signing.paragraph_format.space_before = HALF_LINE
    # Off the document grid: LibreOffice would round the half lines up to whole grid rows.
    for style in (title, signing):
        no_grid_snap(style)
    label = doc.styles.add_style(LABEL, WD_STYLE_TYPE.CHARACTER)
    set_fonts(label.element, HEADING_FONT)


def _table_styles(doc: DocxDocument, size: Pt) -> None:
    """Table text (仿宋, left) and header (黑体, centred): single lines, off the grid."""
    for name, font, align in (
        (TABLE_TEXT, BODY_FONT, WD_ALIGN_PARAGRAPH.LEFT),
        (TABLE_HEAD, HEADING_FONT, WD_ALIGN_PARAGRAPH.CENTER),
    ):
        style = paragraph_style(doc, name, font=font, size=size, first_line_chars=0, exact_line=False)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        no_grid_snap(style)
        style.paragraph_format.alignment = align


def _toc_styles(doc: DocxDocument) -> None:
    for level, name in enumerate(TOC_STYLES):
        style = paragraph_style(doc, name, font=BODY_FONT, size=BODY_SIZE, first_line_chars=0)
        # Word's own TOC styles (id TOC1, not custom), so that updating the field keeps them.
        style.element.set(qn("w:styleId"), f"TOC{level + 1}")
        style.element.attrib.pop(qn("w:customStyle"), None)
        indent_chars(style, first_line=0, left=200 * level)
        style.paragraph_format.tab_stops.add_tab_stop(
            Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )


def add_styles(doc: DocxDocument, *, title_bold: bool = True, table_size: Pt = TABLE_SIZE) -> None:
    """The whole style sheet on a fresh python-docx document."""
    paragraph_style(doc, NORMAL, font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _defaults(doc)
    _record_styles(doc, title_bold)
    for level in (0, 1):
        outline_level(doc.styles[HEADINGS[level]], level)
    _table_styles(doc, table_size)
    _toc_styles(doc)
    for level in (2, 3):
        style = paragraph_style(doc, HEADINGS[level], font=HEADING_FONTS[level], size=BODY_SIZE)
        style.paragraph_format.keep_with_next = True
        outline_level(style, level)
    mark = paragraph_style(doc, MARK, font=HEADING_FONT, size=BODY_SIZE, first_line_chars=0)
    mark.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
