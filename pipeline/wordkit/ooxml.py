"""Low-level WordprocessingML the python-docx API does not reach: East-Asian fonts, indents in
characters, the line grid, outline levels, tab stops, complex fields and schema-ordered inserts.

Word refuses a document whose elements are out of schema order, and falls back to 宋体/等线 when
a Chinese font is set only as the Latin font (``font.name``): these helpers get both right.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pipeline.wordkit.spec import CHAR_TWIPS, LATIN_FONT

# Elements that follow w:updateFields in w:settings, and w:pgNumType in w:sectPr (schema order).
AFTER_UPDATE_FIELDS = (
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
# The children of w:pPr in schema order (CT_PPr).
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
AFTER_PG_NUM_TYPE = (
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


def set_fonts(element: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Explicit fonts on a style or run element (``style.element``, ``run._r``): the East-Asian
    font for Chinese text, ``latin`` for digits and Latin letters; theme fonts that would win
    are dropped."""
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


def _ppr(target: Any) -> Any:
    """The w:pPr of a style or paragraph (python-docx objects), or ``target`` itself."""
    return target._element.get_or_add_pPr() if hasattr(target, "_element") else target


def _ind(target: Any) -> Any:
    return ppr_child(_ppr(target), "w:ind")


def indent_chars(
    target: Any, first_line: int | None = None, left: int | None = None, right: int | None = None
) -> None:
    """Indents of a style or paragraph in hundredths of a character (200 = two characters), so
    they follow the font size as Word does; the twips of a 三号 character are written too."""
    ind = _ind(target)
    for attr, value in (("w:firstLineChars", first_line), ("w:leftChars", left), ("w:rightChars", right)):
        if value is not None:
            ind.set(qn(attr), str(value))
    for attr, value in (("w:firstLine", first_line), ("w:left", left), ("w:right", right)):
        if value is not None:
            ind.set(qn(attr), str(value * CHAR_TWIPS // 100))


def hanging_indent(target: Any, chars: int) -> None:
    """Hanging indent of ``chars`` characters: the first line starts at the margin, the lines
    after it ``chars`` characters in (a value wraps under itself, not under its label)."""
    ind = _ind(target)
    for attr in ("w:firstLine", "w:firstLineChars"):
        ind.attrib.pop(qn(attr), None)
    ind.set(qn("w:leftChars"), str(chars * 100))
    ind.set(qn("w:left"), str(chars * CHAR_TWIPS))
    ind.set(qn("w:hangingChars"), str(chars * 100))
    ind.set(qn("w:hanging"), str(chars * CHAR_TWIPS))


def no_grid_snap(style: BaseStyle) -> None:
    """Keep a style off the document grid: LibreOffice would round its lines up to whole grid rows."""
    ppr = style.element.get_or_add_pPr()
    ppr_child(ppr, "w:snapToGrid").set(qn("w:val"), "0")


def outline_level(style: BaseStyle, level: int) -> None:
    """The outline level of a heading style (0 = top): the TOC field and PDF bookmarks use it."""
    ppr = style.element.get_or_add_pPr()
    ppr_child(ppr, "w:outlineLvl").set(qn("w:val"), str(level))


def tab_stop(
    paragraph: Paragraph, position_mm: float, *, align: str = "left", leader: str | None = None
) -> None:
    """A tab stop; ``leader="underscore"`` draws the rule a blank is filled in on by hand."""
    # python-docx generates get_or_add_tabs from the w:pPr schema; its type hints do not list it.
    tabs = paragraph._p.get_or_add_pPr().get_or_add_tabs()  # type: ignore[attr-defined]
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), align)
    if leader:
        tab.set(qn("w:leader"), leader)
    tab.set(qn("w:pos"), str(int(position_mm * 1440 / 25.4)))
    tabs.append(tab)


def field_runs(paragraph: Paragraph, instruction: str, placeholder: str) -> list[Run]:
    """A complex field (PAGE, TOC …) as Word writes it: begin, instruction, separate, result, end."""
    runs: list[Run] = []
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
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), part)
            run._r.append(char)
        runs.append(run)
    return runs


def child(parent: Any, tag: str, successors: tuple[str, ...] = ()) -> Any:
    """The ``tag`` child of ``parent``, added before the first of ``successors`` when missing."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        if successors:
            parent.insert_element_before(el, *successors)
        else:
            parent.append(el)
    return el


def ppr_child(ppr: Any, tag: str) -> Any:
    """The ``tag`` child of a w:pPr, added in schema order when missing."""
    return child(ppr, tag, PPR_ORDER[PPR_ORDER.index(tag) + 1 :])
