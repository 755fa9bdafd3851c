"""Tables: bordered, centred on the page, the header row repeated on every page, no row split
across pages, the header kept with the first row (and so with the heading above the table).

Column widths follow the content (``fit_widths``): a column whose every entry is a date, a
number or a short word such as a 2–4 character name is never wrapped, the other columns share
what is left, so long titles wrap in the wide columns only. A cell of several lines ("\n", one
name a line) is measured by its longest line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell, _Row

from pipeline.wordkit.spec import TABLE_SIZE, TEXT_WIDTH_MM, text_width
from pipeline.wordkit.styles import TABLE_HEAD, TABLE_TEXT

CELL_MARGIN_MM = 1.9  # Word's default left/right cell margin (0.19 cm)
# A date (2024年5月10日, 2024年5月, 2024-05-10, 2024.5.10) or a number (12, 3.5, 1,200.00, 25%).
_DATE = re.compile(r"\d{4}\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[-./]\d{1,2}(?:[-./]\d{1,2})?)")
_NUMBER = re.compile(r"[-+]?[\d,]+(?:\.\d+)?%?")
# A word that must not break: a name of 2–4 characters, a level (国家级), a state (已完成).
SHORT_WORD_EM = 4.5


def unbreakable(text: str) -> bool:
    """Whether a cell's text is a date, a number or a short word, never to be wrapped."""
    text = str(text).strip()
    if not text:
        return True
    if _DATE.fullmatch(text) or _NUMBER.fullmatch(text):
        return True
    return text_width(text) <= SHORT_WORD_EM and not re.search(r"[\s、，,；;/／]", text)


def _widest(text: str) -> float:
    """The width of a cell's longest line (a cell may hold one name a line)."""
    return max(text_width(line) for line in str(text).split("\n"))


def _kept_whole(header: Sequence[str], rows: Sequence[Sequence[str]], nowrap: Sequence[int]) -> list[int]:
    return [i for i in range(len(header)) if i in nowrap or (rows and all(unbreakable(r[i]) for r in rows))]


def fit_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    total_mm: float = TEXT_WIDTH_MM,
    size: Pt | None = None,
    nowrap: Sequence[int] = (),
) -> list[float]:
    """Column widths (mm) that fit the content: the ``nowrap`` columns and the columns of dates,
    numbers and short words get the width of their longest entry, and so does every column whose
    longest entry fits in its fair share; the rest share what is left in proportion to their
    content, at least five characters each."""
    em = (size or TABLE_SIZE).pt * 25.4 / 72
    pad = 2 * CELL_MARGIN_MM + 0.5
    natural = [
        max([_widest(head)] + [_widest(r[i]) for r in rows]) * em + pad for i, head in enumerate(header)
    ]
    widths = [0.0] * len(header)
    whole = _kept_whole(header, rows, nowrap)
    scale = min(1.0, total_mm / sum(natural[i] for i in whole)) if whole else 1.0
    room = total_mm
    for i in whole:
        widths[i] = natural[i] * scale
        room -= widths[i]
    open_cols = [i for i in range(len(header)) if i not in whole]
    while open_cols:
        share = room / len(open_cols)
        fits = [i for i in open_cols if natural[i] <= share]
        if not fits:
            floor = {i: min(natural[i], 5 * em + pad) for i in open_cols}
            if sum(floor.values()) > room:  # never wider than the text block: the floors give way
                floor = {i: w * max(room, 0) / sum(floor.values()) for i, w in floor.items()}
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


def _flag(row: _Row, tag: str, *, first: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    if first:
        trpr.insert(0, el)
    else:
        trpr.append(el)


def table(
    doc: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float] | None = None,
    *,
    nowrap: Sequence[int] = (),
) -> Table:
    """A bordered table in 公文表格 / 公文表头 (仿宋 / 黑体, the style sheet's table size),
    header row repeated on every page, no row split across pages, kept with the heading above."""
    size = doc.styles[TABLE_TEXT].font.size
    widths_mm = list(widths_mm or fit_widths(header, rows, size=size, nowrap=nowrap))
    t: Table = doc.add_table(rows=1, cols=len(header))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _flag(t.rows[0], "w:tblHeader")
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        cell.paragraphs[0].style = doc.styles[TABLE_HEAD]
        cell.paragraphs[0].add_run(text)
    for values in rows:
        for cell, text in zip(t.add_row().cells, values, strict=True):
            cell.paragraphs[0].style = doc.styles[TABLE_TEXT]
            cell.paragraphs[0].add_run(str(text))
    for column, width in zip(t.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for n, row in enumerate(t.rows):
        _flag(row, "w:cantSplit", first=True)
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            if n == 0 and len(t.rows) > 1:  # the header row stays with the first row (and the heading)
                for par in cell.paragraphs:
                    par.paragraph_format.keep_with_next = True
    return t


def center_cells(t: Table, columns: Sequence[int]) -> None:
    """Centre the text of ``columns`` (numbers, dates, levels)."""
    for row in t.rows:
        for i in columns:
            row.cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def row_heights(t: Table, mm: float) -> None:
    """Every row at least ``mm`` high, its text vertically centred (a form to write on)."""
    for row in t.rows:
        row.height, row.height_rule = Mm(mm), WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def merge_down(t: Table, column: int) -> None:
    """Merge runs of equal cells in a column (the month column of a schedule)."""
    rows = t.rows[1:]
    i = 0
    while i < len(rows):
        j = i
        text = rows[i].cells[column].text
        while j + 1 < len(rows) and rows[j + 1].cells[column].text == text:
            j += 1
        if j > i:
            merged = rows[i].cells[column].merge(rows[j].cells[column])
            for extra in merged.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
            merged.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        i = j + 1


def borderless(t: Table) -> None:
    """No borders at all (a layout table, such as the facts on a cover)."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    # python-docx types OxmlElement() as lxml's _Element and its own insert methods as taking ElementBase.
    t._tbl.tblPr.insert_element_before(
        borders,  # type: ignore[arg-type]
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
    )


def underline_cell(cell: _Cell) -> None:
    """A rule under one cell (a value written on a line)."""
    borders = OxmlElement("w:tcBorders")
    el = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:color", "000000")):
        el.set(qn(attr), value)
    borders.append(el)
    cell._tc.get_or_add_tcPr().insert_element_before(
        borders,  # type: ignore[arg-type]  # as in borderless
        "w:shd",
        "w:noWrap",
        "w:tcMar",
        "w:textDirection",
        "w:tcFitText",
        "w:vAlign",
        "w:hideMark",
    )
