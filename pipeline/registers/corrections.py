"""The 待修正 workbook: the bad rows of a register, to fix and drop back into the inbox.

One sheet per sheet that had bad rows, under the same name; a title row that keeps what the
original said about the rows (the meeting of a sign-in sheet, the term of a plan); the
original header in one row (two-row headers flattened to the recognized label), without the
sensitive columns; the rows as they were; and a last column 错误原因. The workbook's subject
marks it as zhibu's correction file of its kind, so it is read back as that kind wherever it
is dropped, and a roster correction is merged into the current roster instead of replacing it;
the digest of its values (``ingest.sheets.digest``) tells one dropped back unchanged.
Text is always written as text: a value starting with = never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import CORRECTION_MARK, PROPERTY_PREFIX, RegisterResult
from pipeline.ingest.sheets.digest import DIGEST_PROPERTY, values_digest
from pipeline.ingest.sheets.header import is_sensitive_label
from pipeline.ingest.sheets.sensitive import looks_sensitive
from pipeline.kinds.form import first_sheet

REASON_HEADER = "错误原因"
SUFFIX = f".{CORRECTION_MARK}.xlsx"
NOTE = "（待修正：请按最后一列改正后，只把本文件放回 inbox 文件夹）"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" h:mm'


def correction_name(display_name: str) -> str:
    """成果/成果登记表.xlsx → 成果登记表.待修正.xlsx (never 待修正.待修正)."""
    stem = Path(display_name).stem
    while stem.endswith(f".{CORRECTION_MARK}"):
        stem = stem[: -len(CORRECTION_MARK) - 1]
    return stem + SUFFIX


def put_text(cell, value: str) -> None:
    """A text cell that stays text (=, +, -, @ at the start are not formulas)."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"


def put_value(cell, value) -> None:
    if value is None or value is cells.MISSING_FORMULA or isinstance(value, cells.CellErrorValue):
        cell.value = None
    elif isinstance(value, str):
        put_text(cell, value)
    elif isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = DATE_FORMAT if value.time() == dt.time(0, 0) else DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, dt.time):
        cell.value = value
        cell.number_format = "h:mm"
    elif isinstance(value, bool | int | float):
        cell.value = value
    else:
        put_text(cell, str(value))


def correction_workbook(result: RegisterResult) -> bytes:
    wb = Workbook()
    wb.remove(first_sheet(wb))
    kinds: list[str] = []
    for info in result.sheets:
        bad = [b for b in result.bad_rows if b.sheet == info.name]
        if not bad:
            continue
        kind = info.register or info.kind
        kinds.append(kind)
        columns = [
            c for c in info.header.columns if c.key != "_sensitive" and not is_sensitive_label(c.label)
        ]
        ws = wb.create_sheet(_sheet_title(info.name or kind, wb))
        width = len(columns) + 1
        title = " ".join((info.context or info.header.title or kind).split()) or kind
        put_text(ws.cell(1, 1), f"{title}{NOTE}")
        ws.cell(1, 1).font = Font(bold=True, size=12)
        if width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        header_fill = PatternFill("solid", fgColor="DDEBF7")
        for j, column in enumerate(columns, start=1):
            put_text(ws.cell(2, j), column.short or column.label or "")
            ws.cell(2, j).font = Font(bold=True)
            ws.cell(2, j).fill = header_fill
        put_text(ws.cell(2, width), REASON_HEADER)
        ws.cell(2, width).font = Font(bold=True, color="C00000")
        ws.cell(2, width).fill = header_fill
        for i, row in enumerate(bad, start=3):
            for j, column in enumerate(columns, start=1):
                value = row.values[column.index] if column.index < len(row.values) else None
                put_value(ws.cell(i, j), None if looks_sensitive(value) else value)  # never personal data
            put_text(ws.cell(i, width), f"原第{row.row}行：{row.reason}")
            ws.cell(i, width).font = Font(color="C00000")
            ws.cell(i, width).alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A3"
        _column_widths(ws, columns, bad, width)
    _mark(wb, kinds)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _column_widths(ws, columns: list, bad: list, width: int) -> None:
    """Each column as wide as its longest entry (within 8–40), the reason column 50."""
    for j, column in enumerate(columns, start=1):
        longest = max(
            [len(column.short or column.label or "")]
            + [
                len(cells.text(r.values[column.index]))
                if column.index < len(r.values)
                and not isinstance(r.values[column.index], cells.CellErrorValue)
                and r.values[column.index] is not cells.MISSING_FORMULA
                else 0
                for r in bad
            ]
        )
        ws.column_dimensions[get_column_letter(j)].width = min(max(8, longest * 2 + 2), 40)
    ws.column_dimensions[get_column_letter(width)].width = 50


def _mark(wb: Workbook, kinds: list[str]) -> None:
    """zhibu's mark on the workbook, and a digest of its values: dropped back unchanged, it is known."""
    marker = kinds[0] if len(set(kinds)) == 1 else "登记表"
    wb.properties.subject = f"{PROPERTY_PREFIX}{marker}:{CORRECTION_MARK}"
    wb.properties.title = f"{marker}（{CORRECTION_MARK}）"
    wb.properties.creator = "zhibu"
    digest = values_digest((ws.title, ws.iter_rows(values_only=True)) for ws in wb.worksheets)
    # The openpyxl stubs predate its custom document properties (openpyxl 3.1).
    wb.custom_doc_props.append(StringProperty(name=DIGEST_PROPERTY, value=digest))  # type: ignore[attr-defined]


def _sheet_title(name: str, wb) -> str:
    title = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = title, 2
    while title in wb.sheetnames:
        title = f"{base[:28]}({n})"
        n += 1
    return title
