"""A copy of a register without personal data (身份证号, 联系电话, 住址 …).

zhibu never stores those values (domain.md §6). The readers ignore them, the correction file
leaves them out, and the copy of the original that goes into the archive has them blanked:

* **by column**: in every sheet (hidden and unrecognized ones included), every row that reads
  as a header and labels a column as sensitive (身份证号, 手機號碼, ID No., E-mail …, see
  ``header.is_sensitive_label``) — wherever that row is, row 3 or row 300 — has that column
  emptied below it. The labels stay, so the archived register still shows its layout.
* **by value**, whatever the header: any cell that holds a mainland ID number (with a correct
  check digit) or a mobile number (``sensitive.looks_sensitive``).

The whole file is read once, streaming, to find out whether anything must be blanked; only
then is it loaded for writing. ``SanitizeReport.message`` says exactly what was blanked.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from pipeline.ingest.legacy import LEGACY_SUFFIXES, modern_copy
from pipeline.ingest.sheets.header import sensitive_labels
from pipeline.ingest.sheets.sensitive import looks_sensitive
from pipeline.ingest.textfile import decode_text


@dataclass
class SanitizeReport:
    data: bytes  # the sanitized file
    labels: list[str] = field(default_factory=list)  # sensitive column labels whose values were blanked
    cells: int = 0  # cells blanked for their value alone (under no sensitive label)

    @property
    def message(self) -> str:
        parts = []
        if self.labels:
            parts.append(f"「{'」「'.join(self.labels)}」列")
        if self.cells:
            parts.append(f"另外 {self.cells} 个像身份证号或手机号的单元格")
        return f"表中的敏感信息没有读取；归档的副本中已清空{'，'.join(parts)}（原表请自行妥善保存）"


def sanitized_bytes(path: Path) -> bytes | None:
    """The file with every sensitive value emptied; None when it has none."""
    report = sanitize_register(path)
    return report.data if report else None


def sanitize_register(path: Path) -> SanitizeReport | None:
    """The register with every sensitive value blanked, and what was blanked; None when nothing was."""
    if path.suffix.lower() == ".csv":
        return _csv(path)
    if path.suffix.lower() in LEGACY_SUFFIXES:  # .xls/.et/.ods: blanked in an .xlsx copy
        with modern_copy(path, path.name) as modern:
            return _workbook(modern)
    return _workbook(path)


def blank_cells(rows: Iterable[tuple[int, list]], labels: dict[str, None]) -> Iterator[tuple[int, int, bool]]:
    """(row number, 0-based column, by label?) of every cell to blank in one sheet.

    A row that reads as a header with sensitive labels turns those columns sensitive for every
    row below it; the labels met are added to ``labels`` (an ordered set)."""
    columns: set[int] = set()
    for number, values in rows:
        found = sensitive_labels(values)
        for i, value in enumerate(values):
            if value is None or value == "":
                continue
            if i in columns and not found:  # a header row keeps its labels
                yield number, i, True
            elif looks_sensitive(value):  # a label cell too: "电话 138…" is a value, not a label
                yield number, i, False
        columns |= found
        for i in sorted(found):
            labels.setdefault(" ".join(str(values[i]).split()), None)


def _rows(ws) -> Iterator[tuple[int, list]]:
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, list(row)


def _workbook(path: Path) -> SanitizeReport | None:
    # A streaming pass first: most registers have nothing to blank, and loading a large one
    # for writing costs many times its size in memory.
    wb = load_workbook(path, read_only=True, keep_links=False)
    try:
        needed = any(any(True for _ in blank_cells(_rows(ws), {})) for ws in wb.worksheets)
    finally:
        wb.close()
    if not needed:
        return None
    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=False)
    labels: dict[str, None] = {}
    by_value = 0
    try:
        for ws in wb.worksheets:
            for number, column, by_label in list(blank_cells(_cell_rows(ws), labels)):
                ws.cell(number, column + 1).value = None
                by_value += not by_label
        # Unique bytes: the archive keys files by their SHA-256.
        wb.properties.identifier = uuid.uuid4().hex
        buf = io.BytesIO()
        wb.save(buf)
        return SanitizeReport(buf.getvalue(), list(labels), by_value)
    finally:
        wb.close()


def _cell_rows(ws) -> Iterator[tuple[int, list]]:
    """Rows by their real row number (a loaded sheet may start below row 1)."""
    for row in ws.iter_rows():
        if row:
            yield row[0].row, [c.value for c in row]


def _csv(path: Path) -> SanitizeReport | None:
    text = decode_text(path.read_bytes(), path.name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    labels: dict[str, None] = {}
    blanks = list(blank_cells(enumerate(rows, start=1), labels))
    if not blanks:
        return None
    for number, column, _ in blanks:
        rows[number - 1][column] = ""
    out = io.StringIO()
    writer = csv.writer(out, dialect, lineterminator="\r\n")
    writer.writerows(rows)
    return SanitizeReport(out.getvalue().encode("utf-8-sig"), list(labels), sum(not b for *_, b in blanks))
