"""The cells, widths and print set-up every zhibu workbook shares (the 台账, the 党费 and 发展党员
ledgers): fonts and fills, a cell written as text (never a formula), titles and header rows, column
widths that fit Chinese text, chart text, relative links to the archived documents, the sheets' names."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pipeline.ingest.dates import cn_date

FONT = "宋体"
RED_FILL = PatternFill("solid", fgColor="FFFFC7CE")  # Excel's "bad" red
YELLOW_FILL = PatternFill("solid", fgColor="FFFFEB9C")
GREEN_FILL = PatternFill("solid", fgColor="FFC6EFCE")
HEAD_FILL = PatternFill("solid", fgColor="FFD9D9D9")
THIN = Side(style="thin", color="FF808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
TITLE_SIZE = 14
COMPLIANCE_SHEET = "合规检查"
CHART_SHEET = "月度统计"
SUMMARY_SHEETS = (COMPLIANCE_SHEET, CHART_SHEET)  # the ledger's pages bound into the term's volume
WARNINGS_SHEET = "会议提醒"
ACHIEVEMENTS_SHEET = "成果登记"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def put(ws, row: int, col: int, value, *, bold: bool = False, number_format: str | None = None):
    """Write one cell; text is always text, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    cell.font = Font(name=FONT, bold=bold)
    cell.border = BORDER
    cell.alignment = Alignment(vertical="center", wrap_text=isinstance(value, str))
    if number_format:
        cell.number_format = number_format
    return cell


def _title(ws, text: str, width: int) -> None:
    put(ws, 1, 1, text, bold=True)
    ws.cell(1, 1).font = Font(name=FONT, bold=True, size=TITLE_SIZE)
    ws.cell(1, 1).border = Border()
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 28


def _header(ws, row: int, names: list[str], widths: Sequence[float]) -> None:
    for col, (name, width) in enumerate(zip(names, widths, strict=True), 1):
        cell = put(ws, row, col, name, bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row + 1, 1)
    print_setup(ws, row, landscape=sum(widths) > PORTRAIT_WIDTH)


# Column widths are in the spreadsheet's width units; LibreOffice prints about 111 of them across a
# landscape A4 page and 76 across an upright one (margins below) at 100 %. A sheet up to these
# limits prints its 11 pt text at 11 pt; fit-to-width is only the safety net (never below 9 pt).
PORTRAIT_WIDTH = 72
LANDSCAPE_WIDTH = 100
# The width of a text in those units: a CJK character about 1.6 at 11 pt, a digit or Latin letter
# up to 1.0 (the serif CJK fonts' digits are wide), plus the cell's padding.
CJK_UNITS, OTHER_UNITS, PAD_UNITS = 1.6, 1.0, 2.0


def text_units(value) -> float:
    """Width of a cell's longest line in column-width units (a date as it is shown)."""
    text = cn_date(value) if isinstance(value, dt.date) else "" if value is None else str(value)
    lines = text.splitlines() or [""]
    return max(sum(CJK_UNITS if ord(ch) > 0x2E7F else OTHER_UNITS for ch in line) for line in lines)


def column_widths(names: list[str], rows: list[list], *, wrap: set[int], least: float = 16) -> list[float]:
    """Widths that fit the content: every column not in ``wrap`` (dates, numbers, names, short words)
    as wide as its longest entry, so it never breaks; the ``wrap`` columns share what is left of a
    page width (upright when everything fits it, else landscape), at least ``least`` each."""
    natural = [
        max([text_units(n)] + [text_units(r[i]) for r in rows]) + PAD_UNITS for i, n in enumerate(names)
    ]
    page = PORTRAIT_WIDTH if sum(natural) <= PORTRAIT_WIDTH else LANDSCAPE_WIDTH
    widths = list(natural)
    room = page - sum(natural[i] for i in range(len(names)) if i not in wrap)
    open_cols = sorted(wrap, key=lambda i: natural[i])
    while open_cols:
        share = room / len(open_cols)
        if natural[open_cols[0]] > share:
            floor = {i: min(natural[i], least) for i in open_cols}
            extra = max(room - sum(floor.values()), 0)
            need = sum(natural[i] - floor[i] for i in open_cols) or 1
            for i in open_cols:
                widths[i] = floor[i] + extra * (natural[i] - floor[i]) / need
            break
        i = open_cols.pop(0)
        room -= natural[i]
    spare = page - sum(widths)
    if spare > 0:  # everything fits: the wrapping columns (else all) take the rest of the page
        takers = sorted(wrap) or list(range(len(names)))
        for i in takers:
            widths[i] += spare / len(takers)
    return widths


def fit_title(ws, widths: list[float]) -> None:
    """The title row (``_title``) wrapped and as tall as its lines need over ``widths``."""
    cell = ws.cell(1, 1)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    lines = math.ceil(text_units(cell.value) * TITLE_SIZE / 11 / max(sum(widths) - PAD_UNITS, 1))
    ws.row_dimensions[1].height = 28 if lines <= 1 else 20 * lines


def print_setup(ws, header_row: int, *, landscape: bool) -> None:
    """Print on A4, all columns on one page width (fit-to-width, as many pages down as needed),
    the title and header rows repeated on every page, narrow margins, centred."""
    ws.print_title_rows = f"1:{header_row}"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True


def _chart_chars(size: int, bold: bool = False) -> CharacterProperties:
    face = DrawingFont(typeface=FONT)
    return CharacterProperties(latin=face, ea=face, cs=face, sz=size, b=bold)


def chart_text(size: int = 1000) -> RichText:
    """Text properties for a chart part: the workbook's Chinese font, ``size`` in 1/100 pt."""
    chars = _chart_chars(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=chars), endParaRPr=chars)])


def chart_title(text: str, size: int = 1000) -> Title:
    chars = _chart_chars(size, bold=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=chars), r=[RegularTextRun(rPr=chars, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def fit_row(ws, row: int) -> None:
    """A row tall enough for its wrapped text (LibreOffice does not grow rows on opening)."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = ws.column_dimensions[cell.column_letter].width or 10
            per_line = max((width - PAD_UNITS) * 0.95, 1)  # a line breaks a little before the edge
            lines = max(lines, sum(math.ceil(text_units(t) / per_line) or 1 for t in cell.value.splitlines()))
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines + 4


def keep_whole(ws, row: int, columns) -> None:
    """The cells of ``columns`` in ``row`` never wrapped and centred (a date, a name, a number)."""
    for col in columns:
        ws.cell(row, col).alignment = Alignment(horizontal="center", vertical="center", wrap_text=False)


def link_target(doc: Path, ledger_dir: Path) -> str:
    """A relative link from the workbook's folder; spaces, % and # escaped as in a URI."""
    rel = Path(os.path.relpath(doc, ledger_dir)).as_posix()
    return "".join(
        c if ord(c) > 127 or c.isalnum() or c in "/-_.~()!*'," else "".join(f"%{b:02X}" for b in c.encode())
        for c in rel
    )
