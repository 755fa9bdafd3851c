"""The GB/T 9704-2012 base of every Word document zhibu writes: A4 page with the
standard margins and document grid, "— 1 —" page numbers, and the styles 公文标题, 公文一级标题,
公文二级标题, 公文字段 (label with a hanging indent), 公文末段, 公文签名, 公文签字.

Fonts are set as the East-Asian font of each style (``w:rFonts w:eastAsia``); setting only the
Latin font, as python-docx's ``font.name`` does, makes Word and WPS fall back to 宋体/等线.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
# 22 lines in a 225 mm text block: 225 mm / 22 = 28.99 pt per line (579 twips).
LINE_PITCH_TWIPS = 579
LINE_SPACING = Pt(LINE_PITCH_TWIPS / 20)
# Space after the title and before the signatures: half a line, so a short record fits a page.
HALF_LINE = Pt(LINE_PITCH_TWIPS / 40)
TEXT_WIDTH_MM = 156
# Field labels are four characters and a colon ("会议名称："): a long value wraps under itself.
LABEL_CHARS = 5
# File names of 方正小标宋 (the title font); where it is not installed the title is set in bold,
# since the fallback serif is a light face and the title would barely stand out.
TITLE_FONT_FILES = ("FZXBSJW", "FZXiaoBiaoSong", "方正小标宋")


# --- low-level formatting helpers -------------------------------------------------------------


def set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set explicit fonts on a style or run element, dropping theme fonts that would win."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:hint"), "eastAsia")


def _indent_chars(
    style_or_par,
    first_line_chars: int | None = None,
    left_chars: int | None = None,
    right_chars: int | None = None,
) -> None:
    """Indents measured in characters (hundredths), so they follow the font size as Word does."""
    ppr = style_or_par._element.get_or_add_pPr() if hasattr(style_or_par, "_element") else style_or_par
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for attr, value in (
        ("w:firstLineChars", first_line_chars),
        ("w:leftChars", left_chars),
        ("w:rightChars", right_chars),
    ):
        if value is not None:
            ind.set(qn(attr), str(value))
    # Also the absolute twips (one character of 三号 = 16 pt = 320 twips): LibreOffice and
    # older WPS ignore the *Chars attributes.
    for attr, value in (("w:firstLine", first_line_chars), ("w:left", left_chars), ("w:right", right_chars)):
        if value is not None:
            ind.set(qn(attr), str(value * 320 // 100))


def _hanging(style_or_par, chars: int) -> None:
    """Hanging indent of ``chars`` characters: the first line starts at the margin, the lines
    after it start ``chars`` characters in (a value wraps under itself, not under its label)."""
    ppr = style_or_par._element.get_or_add_pPr() if hasattr(style_or_par, "_element") else style_or_par
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    for attr in ("w:firstLine", "w:firstLineChars"):
        ind.attrib.pop(qn(attr), None)
    ind.set(qn("w:leftChars"), str(chars * 100))
    ind.set(qn("w:left"), str(chars * 320))
    ind.set(qn("w:hangingChars"), str(chars * 100))
    ind.set(qn("w:hanging"), str(chars * 320))


def no_grid_snap(style) -> None:
    ppr = style.element.get_or_add_pPr()
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    ppr.insert(0, el)


def title_font_installed() -> bool:
    """Whether 方正小标宋 is installed on this computer (Windows, macOS or Linux font folders)."""
    folders = [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts", Path.home() / ".fonts"]
    if os.environ.get("LOCALAPPDATA"):
        folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    folders += [Path("/Library/Fonts"), Path.home() / "Library" / "Fonts", Path.home() / ".local/share/fonts"]
    folders += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    for folder in folders:
        try:
            for path in folder.rglob("*"):
                if any(key.lower() in path.name.lower() for key in TITLE_FONT_FILES):
                    return True
        except OSError:
            continue
    return False


def _paragraph_style(
    doc,
    name: str,
    *,
    font: str,
    size: Pt,
    align=None,
    first_line_chars: int = 200,
    bold: bool = False,
    exact_line: bool = True,
):
    styles = doc.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != "Normal":
        style.base_style = styles["Normal"]
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
    _indent_chars(style, first_line_chars=first_line_chars)
    return style


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # Page number line sits about 7 mm below the text block (GB/T 9704 §7.5).
    section.footer_distance = Mm(25)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    # Odd pages: number on the right; even pages: on the left.
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _field_run(paragraph, instruction: str, placeholder: str):
    """A complex field (PAGE, TOC …) as Word writes it: begin, instruction, separate, result, end."""

    def fld(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    runs = []
    for part in ("begin", "instr", "separate", "result", "end"):
        run = paragraph.add_run()
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        elif part == "result":
            run.text = placeholder
        else:
            run._r.append(fld(part))
        runs.append(run)
    return runs


def _page_number_footer(footer, align) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _indent_chars(
        paragraph,
        first_line_chars=0,
        right_chars=100 if align == WD_ALIGN_PARAGRAPH.RIGHT else None,
        left_chars=100 if align == WD_ALIGN_PARAGRAPH.LEFT else None,
    )
    runs = [paragraph.add_run("— ")] + _field_run(paragraph, "PAGE", "1") + [paragraph.add_run(" —")]
    for run in runs:
        run.font.size = PAGE_NUMBER_SIZE
        set_fonts(run._r, PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)


def _base_document(*, title_bold: bool = True):
    doc = Document()
    # The default python-docx document starts with one empty paragraph; remove it.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    normal = _paragraph_style(doc, "Normal", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    # docDefaults too, so that tables, footnotes and pasted text start from 仿宋 as well.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr_default.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    del normal
    title = _paragraph_style(
        doc,
        "公文标题",
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        first_line_chars=0,
        bold=title_bold,
    )
    # Headings never stand alone at the foot of a page.
    title.paragraph_format.keep_with_next = True
    for name, font in (("公文一级标题", HEADING_FONT), ("公文二级标题", SUBHEADING_FONT)):
        _paragraph_style(doc, name, font=font, size=BODY_SIZE).paragraph_format.keep_with_next = True
    field = _paragraph_style(doc, "公文字段", font=BODY_FONT, size=BODY_SIZE, first_line_chars=0)
    _hanging(field, LABEL_CHARS)
    # The last paragraph of a record stays on the page of the signatures.
    last = _paragraph_style(doc, "公文末段", font=BODY_FONT, size=BODY_SIZE)
    last.paragraph_format.keep_with_next = True
    sign = _paragraph_style(
        doc, "公文签名", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line_chars=0
    )
    sign.paragraph_format.keep_with_next = True
    signing = _paragraph_style(
        doc, "公文签字", font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, first_line_chars=0
    )
    signing.paragraph_format.keep_together = True
    signing.paragraph_format.space_before = HALF_LINE
    # Off the document grid: LibreOffice would round the half lines up to whole grid rows.
    for style in (title, signing):
        no_grid_snap(style)
    label = doc.styles.add_style("公文标签", WD_STYLE_TYPE.CHARACTER)
    set_fonts(label.element, HEADING_FONT)
    _page_setup(doc)
    core = doc.core_properties
    core.author = "zhibu"
    core.title = ""
    core.comments = ""
    core.revision = 1
    return doc


def save(doc) -> bytes:
    """The document as .docx bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
