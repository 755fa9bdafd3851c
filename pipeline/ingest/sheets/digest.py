"""A 待修正 workbook dropped back unchanged: the digest of its cell values.

zhibu stores a digest of every value of a 待修正 workbook it writes in a custom document
property (``DIGEST_PROPERTY``; Excel and WPS keep custom properties when they save). A dropped
correction file whose values still give that digest has not been fixed: when none of its rows
can be filed, it is refused as unchanged instead of reporting the same bad rows again. A file
that was changed, or whose rows now go through (the roster they needed has come), is read as
any register.

The values are compared as text (a whole number the same as an int, a date at midnight the same
as a date, empty cells and trailing blanks ignored), so that the digest of the values written
equals that of the values read back by either reader.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.etree import ElementTree

from pipeline.errors import SheetError
from pipeline.ingest.sheets.workbook import open_source

DIGEST_PROPERTY = "zhibu-values"
_CUSTOM_PART = "docProps/custom.xml"


def _canonical(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):  # a time of day, as a reader may give it
        seconds = int(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value)


def values_digest(sheets: Iterable[tuple[str, Iterable[Sequence[object]]]]) -> str:
    """The digest of every sheet's name and values (empty rows and trailing blanks ignored)."""
    digest = hashlib.sha256()
    for name, rows in sheets:
        digest.update(b"\x1d" + name.encode("utf-8"))
        for row in rows:
            cells = [_canonical(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                digest.update(("\x1f".join(cells) + "\x1e").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def stored_digest(path: Path) -> str | None:
    """The digest zhibu stored in a workbook it wrote, if any."""
    try:
        with zipfile.ZipFile(path) as zf:
            root = ElementTree.fromstring(zf.read(_CUSTOM_PART))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return None
    for prop in root:
        if prop.get("name") == DIGEST_PROPERTY:
            return "".join(prop.itertext()).strip() or None
    return None


def refuse_unchanged(path: Path, display_name: str, reasons: list[str]) -> None:
    """Refuse a 待修正 workbook of zhibu's whose values are as it wrote them (``reasons``: why
    its rows are still bad). Called only when none of its rows could be filed."""
    stored = stored_digest(path)
    if stored is None:
        return
    with open_source(path, display_name) as source:
        now = values_digest((s.name or "", (values for _number, values in s.rows)) for s in source.sheets)
    if now != stored:
        return
    shown = "；".join(reasons[:3]) + ("等" if len(reasons) > 3 else "")
    raise SheetError(
        "这是 zhibu 生成的待修正表格，还没有修改",
        hint=f"请按最后一列“错误原因”改正各行（{shown}），保存后再放回 inbox 文件夹；"
        "不需要的行可以删除，整张表都不需要时删除这个文件即可。",
    )
