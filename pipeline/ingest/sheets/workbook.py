"""Stream the rows of a workbook (.xlsx/.xlsm) or a CSV file, one sheet after another.

Values are read with python-calamine (a Rust reader, 10-20x faster than openpyxl): formulas
give the value Excel saved with them. Calamine cannot tell a formula saved *without* a value
(files written by programs) or an Excel error value (#REF! …) from an empty cell, so each
sheet's XML is first scanned for such cells (``xlsxpackage.needs_detail``); a sheet that has
any is read with openpyxl's streaming parser instead, which marks them ``MISSING_FORMULA`` and
``CellErrorValue``; so is a workbook or sheet calamine cannot open at all (openpyxl then
reads it or gives today's reason). Merged cells are not used: the header detection forward-fills instead.

Both readers give the same rows: the row number Excel shows and the values of columns A, B, …
with empty cells as None, trailing empty cells dropped and rows without any value skipped.
Numbers without a fractional part are ints and dates are datetimes, as openpyxl gives them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import UnreadableFileError
from pipeline.ingest import xlsxpackage
from pipeline.ingest.sheets.cells import MISSING_FORMULA, CellErrorValue
from pipeline.ingest.textfile import decode_text
from pipeline.ingest.zipguard import MAX_CELLS, check_office_package

log = logging.getLogger("zhibu")

Row = tuple[int, list]  # (the row number Excel shows, the values of columns A, B, …)

ENGINES = ("calamine", "openpyxl")  # openpyxl alone: the reference path (benchmarks, tests)
DEFAULT_ENGINE = "calamine"

_OPEN_HINT = "请用 Excel 或 WPS 打开确认能正常显示，再“另存为” .xlsx（Excel 工作簿）格式。"
_BROKEN_HINT = "请用 Excel 或 WPS 打开后重新保存为 .xlsx，再放入收件箱。"
MAX_CSV_BYTES = 8 * 1024 * 1024  # a CSV file's cells are bounded like a workbook's (zipguard.MAX_CELLS)
_EXACT_FLOAT = 2.0**53  # beyond this a float no longer holds every integer exactly


@dataclass
class Sheet:
    name: str | None  # None for a CSV file
    hidden: bool
    rows: Iterator[Row]


@dataclass
class Source:
    sheets: Iterator[Sheet]
    properties: dict[str, str]


@contextmanager
def open_source(path: Path, display_name: str, engine: str | None = None) -> Iterator[Source]:
    """The sheets of ``path``; raises UnreadableFileError/UnsupportedFileError for bad files."""
    engine = engine or DEFAULT_ENGINE
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield Source(iter([_csv_sheet(path, display_name)]), {})
        return
    check_office_package(path, "xlsx")
    opened = _open_calamine(path, display_name) if engine == "calamine" else None
    if opened is None:  # asked for, or calamine cannot open it: openpyxl decides, as it always did
        with _OpenpyxlBook(path, display_name) as book:
            yield Source(book.sheets(), book.properties())
        return
    calamine, properties, parts = opened
    fallback = _OpenpyxlBook(path, display_name)
    try:

        def sheets() -> Iterator[Sheet]:
            from python_calamine import SheetTypeEnum, SheetVisibleEnum

            for meta in calamine.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                hidden = meta.visible != SheetVisibleEnum.Visible
                rows = _calamine_rows(calamine, meta.name, path, parts.get(meta.name), fallback)
                yield Sheet(meta.name, hidden, _guard(rows, display_name))

        yield Source(sheets(), properties)
    finally:
        fallback.close()
        calamine.close()


def _open_calamine(path: Path, display_name: str):
    """(calamine workbook, properties, sheet parts), or None when calamine cannot open the file."""
    try:
        from python_calamine import CalamineWorkbook

        with zipfile.ZipFile(path) as zf:
            properties = xlsxpackage.core_properties(zf)
            parts = _sheet_parts(zf, display_name)
        return CalamineWorkbook.from_path(str(path)), properties, parts
    except Exception as exc:  # calamine's XmlError, ZipError …, defusedxml's refusals
        log.info("calamine could not open %s, openpyxl will try: %r", display_name, exc)
        return None


def _sheet_parts(zf: zipfile.ZipFile, display_name: str) -> dict[str, str]:
    """Sheet name -> worksheet part; empty when unclear (every sheet then goes through openpyxl)."""
    try:
        return dict(xlsxpackage.sheet_parts(zf))
    except Exception as exc:  # an unusual package layout: the reference reader decides
        log.info("no sheet parts for %s: %r", display_name, exc)
        return {}


def _calamine_rows(calamine, name: str, path: Path, part: str | None, fallback) -> Iterator[Row]:
    """The rows of one sheet; through openpyxl when it holds cells calamine would read as empty."""
    with zipfile.ZipFile(path) as zf:
        detail = part is None or xlsxpackage.needs_detail(zf, part)
    if detail:
        yield from fallback.rows(name)
        return
    try:
        sheet = calamine.get_sheet_by_name(name)  # the whole sheet is parsed here
    except Exception as exc:  # calamine's XmlError …: openpyxl reads it or says why not
        log.info("calamine could not read sheet %r of %s, openpyxl will try: %r", name, path.name, exc)
        yield from fallback.rows(name)
        return
    start = sheet.start
    if start is None:
        return
    pad = [None] * start[1]  # calamine's rows begin at the first column holding a value
    date, to_datetime = dt.date, dt.datetime.combine
    midnight = dt.time()
    for number, values in enumerate(sheet.iter_rows(), start=1):
        last = -1
        for i, v in enumerate(values):
            if v == "":
                values[i] = None
                continue
            last = i
            if v.__class__ is float:
                if v.is_integer() and -_EXACT_FLOAT < v < _EXACT_FLOAT:
                    values[i] = int(v)
            elif v.__class__ is date:  # openpyxl gives a datetime for every date
                values[i] = to_datetime(v, midnight)
        if last >= 0:
            del values[last + 1 :]
            yield number, pad + values if pad else values


class _OpenpyxlBook:
    """openpyxl's read-only workbook, opened on first use: the reference reader."""

    def __init__(self, path: Path, display_name: str):
        self.path, self.display_name = path, display_name
        self._wb = None

    def __enter__(self):
        self.book()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def book(self):
        if self._wb is None:
            self._wb = _load_openpyxl(self.path, self.display_name)
        return self._wb

    def close(self) -> None:
        if self._wb is not None:
            self._wb.close()
            self._wb = None

    def properties(self) -> dict[str, str]:
        props = self.book().properties
        keys = ("title", "subject", "keywords", "description")
        return {k: getattr(props, k) or "" for k in keys}

    def sheets(self) -> Iterator[Sheet]:
        for ws in self.book().worksheets:
            hidden = getattr(ws, "sheet_state", "visible") != "visible"
            yield Sheet(ws.title, hidden, _guard(_openpyxl_rows(ws), self.display_name))

    def rows(self, name: str) -> Iterator[Row]:
        wb = self.book()
        if name in wb.sheetnames:
            yield from _openpyxl_rows(wb[name])


def _load_openpyxl(path: Path, display_name: str):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as exc:
        raise UnreadableFileError(
            f"无法读取这个 Excel 工作簿（{type(exc).__name__}）", hint=_OPEN_HINT
        ) from None
    except Exception as exc:  # openpyxl raises many types for damaged packages
        log.info("openpyxl could not open %s: %r", display_name, exc)
        raise UnreadableFileError(
            f"无法读取这个 Excel 工作簿（{type(exc).__name__}）", hint=_OPEN_HINT
        ) from None


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


def _openpyxl_rows(ws) -> Iterator[Row]:
    """openpyxl's rows, shaped as the calamine reader shapes them."""
    for number, values in _openpyxl_raw_rows(ws):
        last = -1
        for i, v in enumerate(values):
            if v == "":
                values[i] = None
            elif v is not None:
                last = i
        if last >= 0:
            del values[last + 1 :]
            yield number, values


def _openpyxl_raw_rows(ws) -> Iterator[Row]:
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


def _guard(rows: Iterator[Row], display_name: str) -> Iterator[Row]:
    """Turn a parse failure in the middle of a sheet into a Chinese error."""
    try:
        yield from rows
    except (SyntaxError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise UnreadableFileError(
            f"工作簿内容已损坏，读到一半无法继续（{type(exc).__name__}）", hint=_BROKEN_HINT
        ) from None
    except Exception as exc:
        if type(exc).__module__.split(".")[0] != "python_calamine":
            raise
        log.info("calamine could not read a sheet of %s: %r", display_name, exc)
        raise UnreadableFileError(
            f"工作簿内容已损坏，读到一半无法继续（{type(exc).__name__}）", hint=_BROKEN_HINT
        ) from None


def _csv_sheet(path: Path, display_name: str) -> Sheet:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise _too_big(f"约 {size // (1024 * 1024)} MB")
    text = decode_text(path.read_bytes(), display_name)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)

    def rows() -> Iterator[Row]:
        cells = 0
        for number, row in enumerate(reader, start=1):
            cells += len(row)
            if cells > MAX_CELLS:
                raise _too_big(f"超过 {MAX_CELLS:,} 个单元格，第 {number:,} 行")
            yield number, [v if v.strip() else None for v in row]

    return Sheet(None, False, rows())


def _too_big(size: str) -> UnreadableFileError:
    return UnreadableFileError(
        f"表格的数据太多（{size}），超过一次能处理的上限"
        f"（{MAX_CSV_BYTES // (1024 * 1024)} MB 或 {MAX_CELLS:,} 个单元格），为免占满内存已拒绝处理",
        hint="支部的登记表一般只有几千行。请把表格按学年或类别拆成几个较小的文件"
        "（每个文件一万行以内），分别放入收件箱。",
    )
