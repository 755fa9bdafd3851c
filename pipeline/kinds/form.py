"""The blank registers of ``zhibu forms``: how a kind declares its form, and the workbook made of it.

Each form has a title row, a frozen header, column widths, date formats on the date columns and
drop-down lists (会议类型, 成果类别, 级别 …; an unlisted value only raises a warning, since
aliases are understood). The workbook's subject names its kind, so a filled copy is read as
that kind wherever it is dropped.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.ingest.sheets.base import PROPERTY_PREFIX

DAY = 'yyyy"年"m"月"d"日"'
MONTH = 'yyyy"年"m"月"'
ROWS = 300  # rows prepared with formats and drop-downs
BLANK = "（空白表）"  # kept out of the subject: a filled copy is not blank


@dataclass(frozen=True)
class Col:
    label: str
    width: float
    fmt: str | None = None
    choices: tuple[str, ...] = ()
    strict: bool = False


@dataclass(frozen=True)
class FormEnv:
    """What a blank form may show beyond its columns."""

    branch: str
    categories: tuple[str, ...] = ()  # zhibu.toml achievements.category_order
    term_label: str = ""  # the current term
    names: tuple[str, ...] = ()  # the active roster's names


@dataclass(frozen=True)
class Form:
    """A kind's blank register: its file name, columns (fixed, or from the workspace) and help line."""

    file: str
    columns: Sequence[Col] | Callable[[FormEnv], Sequence[Col]]
    help: str
    # Lays the workbook out itself (a sign-in sheet's meeting lines, the plan's second sheet);
    # None: one sheet named after the kind, titled "<branch><kind>", header in row 2.
    build: Callable[[Workbook, Form, FormEnv], None] | None = None

    def columns_for(self, env: FormEnv) -> list[Col]:
        return list(self.columns(env) if callable(self.columns) else self.columns)


_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def validation(col: Col, letter: str, first: int, last: int) -> DataValidation:
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(col.choices) + '"',
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        errorStyle="stop" if col.strict else "warning",
        errorTitle="请从下拉列表中选择",
        error=f"「{col.label}」建议从下拉列表中选择。",
        promptTitle=col.label,
        prompt="请从下拉列表中选择",
        showInputMessage=True,
    )
    dv.add(f"{letter}{first}:{letter}{last}")
    return dv


def lay_out(
    ws, title: str, columns: list[Col], header_row: int, help_text: str, prefill: Sequence[str] = ()
) -> None:
    """One sheet of a form: title, header, formats and drop-downs, borders, the help line, print setup."""
    width = len(columns)
    ws.cell(1, 1, title).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(header_row, j, col.label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = col.width
        first, last = header_row + 1, header_row + ROWS
        if col.fmt:
            for r in range(first, last + 1):
                ws.cell(r, j).number_format = col.fmt
        if col.choices:
            ws.add_data_validation(validation(col, letter, first, last))
    for i, name in enumerate(prefill, start=header_row + 1):
        ws.cell(i, 1, i - header_row)
        ws.cell(i, 2, name)
    for r in range(header_row + 1, header_row + max(len(prefill), 30) + 1):
        for j in range(1, width + 1):
            ws.cell(r, j).border = BORDER
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    note_row = header_row + max(len(prefill), 30) + 2
    ws.cell(note_row, 1, f"注：{help_text}。").font = Font(color="808080", size=9)
    ws.page_setup.orientation = "landscape" if width > 6 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def first_sheet(wb: Workbook) -> Worksheet:
    """The worksheet a new Workbook starts with (openpyxl types ``active`` as possibly None)."""
    ws = wb.active
    if not isinstance(ws, Worksheet):
        raise TypeError("a new workbook starts with one worksheet")
    return ws


def blank_workbook(kind: str, form: Form, env: FormEnv) -> bytes:
    """The blank register of ``kind`` as .xlsx bytes."""
    wb = Workbook()
    if form.build is not None:
        form.build(wb, form, env)
    else:
        ws = first_sheet(wb)
        ws.title = kind
        lay_out(ws, f"{env.branch}{kind}", form.columns_for(env), 2, form.help)
    wb.properties.subject = f"{PROPERTY_PREFIX}{kind}"
    wb.properties.title = f"{kind}{BLANK}"
    wb.properties.creator = "zhibu"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
