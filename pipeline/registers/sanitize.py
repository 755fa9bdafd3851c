"""A copy of a register without its sensitive columns (身份证号, 联系电话, 住址 …).

zhibu never stores those values (domain.md §6). The readers ignore them, the correction file
leaves them out, and the copy of the original that goes into the archive has them blanked in
every sheet, hidden and unrecognized ones included: a column whose label (in the first rows)
is a sensitive one is emptied below that label. The labels stay, so the archived register
still shows its layout.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

from openpyxl import load_workbook

from pipeline.ingest.legacy import LEGACY_SUFFIXES, modern_copy
from pipeline.ingest.sheets.header import SCAN_ROWS, sensitive_columns
from pipeline.ingest.textfile import decode_text


def sanitized_bytes(path: Path) -> bytes | None:
    """The file with every sensitive column emptied; None when it has none."""
    if path.suffix.lower() == ".csv":
        return _csv(path)
    if path.suffix.lower() in LEGACY_SUFFIXES:  # .xls/.et/.ods: blanked in an .xlsx copy
        with modern_copy(path, path.name) as modern:
            return sanitized_bytes(modern)
    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", keep_links=False)
    changed = False
    try:
        for ws in wb.worksheets:
            head = [(r[0].row, [c.value for c in r]) for r in ws.iter_rows(max_row=SCAN_ROWS * 2) if r]
            found = sensitive_columns(head)
            if not found:
                continue
            label_row, columns = found
            for row in ws.iter_rows(min_row=label_row + 1):
                for cell in row:
                    if cell.column - 1 in columns and cell.value is not None:
                        cell.value = None
                        changed = True
        if not changed:
            return None
        # Unique bytes: the archive keys files by their SHA-256.
        wb.properties.identifier = uuid.uuid4().hex
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    finally:
        wb.close()


def _csv(path: Path) -> bytes | None:
    text = decode_text(path.read_bytes(), path.name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    found = sensitive_columns(list(enumerate(rows[: SCAN_ROWS * 2], start=1)))
    if not found:
        return None
    label_row, columns = found
    out = io.StringIO()
    writer = csv.writer(out, dialect, lineterminator="\r\n")
    for number, row in enumerate(rows, start=1):
        if number > label_row:
            row = ["" if i in columns else v for i, v in enumerate(row)]
        writer.writerow(row)
    return out.getvalue().encode("utf-8-sig")
