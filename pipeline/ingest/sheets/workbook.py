"""Stream the rows of a workbook (.xlsx/.xlsm) or a CSV file, one sheet after another.

Workbooks are opened with ``openpyxl.load_workbook(read_only=True, data_only=True)``: rows are
parsed from the sheet XML as they are needed, so memory does not grow with the sheet, and
formulas give the value Excel saved with them. A formula saved *without* a value (files
written by programs) is marked ``MISSING_FORMULA`` instead of reading as an empty cell; Excel
error values (#REF! …) become ``CellErrorValue``. Merged cells are not known in read-only
mode (openpyxl reads them after the rows), so the header detection forward-fills instead.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from pipeline.errors import UnreadableFileError
from pipeline.ingest.sheets.cells import MISSING_FORMULA, CellErrorValue
from pipeline.ingest.textfile import decode_text
from pipeline.ingest.zipguard import check_office_package

log = logging.getLogger("zhibu")

Row = tuple[int, list]  # (the row number Excel shows, the values of columns A, B, …)


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    hidden: bool
    rows: Iterator[Row]


@dataclass
class Source:
    sheets: Iterator[Sheet]
    properties: dict[str, str]


def _row_parser():
    """openpyxl's sheet parser, marking formulas without a saved value (None if internals moved)."""
    try:
        from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser
    except ImportError:  # pragma: no cover - a future openpyxl
        return None

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = MISSING_FORMULA
            elif cell["data_type"] == "e" and cell["value"] is not None:
                cell["value"] = CellErrorValue(cell["value"])
            return cell

    return Parser


def _stream_rows(ws) -> Iterator[Row]:
    parser_class = _row_parser()
    try:
        source = ws._get_source
        wb = ws.parent
        args = (ws._shared_strings,)
        kwargs = {
            "data_only": True,
            "epoch": wb.epoch,
            "date_formats": wb._date_formats,
            "timedelta_formats": wb._timedelta_formats,
        }
    except AttributeError:  # pragma: no cover - a future openpyxl: no formula detection
        parser_class = None
    if parser_class is None:  # pragma: no cover
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, list(row)
        return
    with source() as src:
        parser = parser_class(src, *args, **kwargs)
        for number, cells in parser.parse():
            if not cells:
                continue
            width = max(c["column"] for c in cells)
            values: list = [None] * width
            for c in cells:
                values[c["column"] - 1] = c["value"]
            yield number, values


@contextmanager
def open_source(path: Path, display_name: str) -> Iterator[Source]:
    """The sheets of ``path``; raises UnreadableFileError/UnsupportedFileError for bad files."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield Source(iter([_csv_sheet(path, display_name)]), {})
        return
    check_office_package(path, "xlsx")
    try:
        wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as exc:
        raise UnreadableFileError(
            f"无法读取这个 Excel 工作簿（{type(exc).__name__}）",
            hint="请用 Excel 或 WPS 打开确认能正常显示，再“另存为” .xlsx（Excel 工作簿）格式。",
        ) from None
    except Exception as exc:  # openpyxl raises many types for damaged packages
        log.info("openpyxl could not open %s: %r", display_name, exc)
        raise UnreadableFileError(
            f"无法读取这个 Excel 工作簿（{type(exc).__name__}）",
            hint="请用 Excel 或 WPS 打开确认能正常显示，再“另存为” .xlsx（Excel 工作簿）格式。",
        ) from None
    try:
        props = wb.properties
        properties = {
            "title": props.title or "",
            "subject": props.subject or "",
            "keywords": props.keywords or "",
            "description": props.description or "",
        }

        def sheets() -> Iterator[Sheet]:
            for ws in wb.worksheets:
                hidden = getattr(ws, "sheet_state", "visible") != "visible"
                yield Sheet(ws.title, hidden, _guard(_stream_rows(ws), display_name))

        yield Source(sheets(), properties)
    finally:
        wb.close()


def _guard(rows: Iterator[Row], display_name: str) -> Iterator[Row]:
    """Turn a parse failure in the middle of a sheet into a Chinese error."""
    try:
        yield from rows
    except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise UnreadableFileError(
            f"工作簿内容已损坏，读到一半无法继续（{type(exc).__name__}）",
            hint="请用 Excel 或 WPS 打开后重新保存为 .xlsx，再放入收件箱。",
        ) from None


def _csv_sheet(path: Path, display_name: str) -> Sheet:
    text = decode_text(path.read_bytes(), display_name)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)

    def rows() -> Iterator[Row]:
        for number, row in enumerate(reader, start=1):
            yield number, [v if v.strip() else None for v in row]

    return Sheet(None, False, rows())
