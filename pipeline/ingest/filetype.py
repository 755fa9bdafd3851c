"""What a file really is, whatever its extension says: the one detector of inputs saved under
the wrong extension (a workbook saved as .docx, a Word document named .xlsx or .txt).

It looks at the content only: an Office Open XML package by its ``[Content_Types].xml``, an old
Office file by the streams its directory names, a PDF and the images zhibu reads by their first
bytes. A file whose extension zhibu already reads it by (a .docx named .doc goes through
LibreOffice) is left alone; anything it cannot tell is left to the readers.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import UnsupportedFileError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_SCAN_BYTES = 32 * 1024 * 1024  # the directory of an old Office file is searched this far


@dataclass(frozen=True)
class Format:
    """A kind of file: its name for the secretary, the extension to give it, the extensions
    zhibu reads it by."""

    label: str
    suffix: str
    read_as: frozenset[str]


WORKBOOK = Format("Excel 表格", ".xlsx", frozenset({".xlsx", ".xlsm", ".xls", ".et"}))
DOCUMENT = Format("Word 文档", ".docx", frozenset({".docx", ".doc", ".wps", ".odt"}))
OLD_WORKBOOK = Format("Excel 97-2003 表格", ".xls", frozenset({".xls", ".et"}))
OLD_DOCUMENT = Format("Word 97-2003 文档", ".doc", frozenset({".doc", ".wps"}))
PDF = Format("PDF 文件", ".pdf", frozenset({".pdf"}))
JPEG = Format("JPG 图片", ".jpg", frozenset({".jpg", ".jpeg", ".png"}))
PNG = Format("PNG 图片", ".png", frozenset({".jpg", ".jpeg", ".png"}))

# The main part's content type of each Office Open XML package zhibu reads.
_MAIN_PARTS = (
    ("spreadsheetml.sheet.main+xml", WORKBOOK),
    ("sheet.macroEnabled.main+xml", WORKBOOK),
    ("wordprocessingml.document.main+xml", DOCUMENT),
    ("wordprocessingml.template.main+xml", DOCUMENT),
    ("document.macroEnabled.main+xml", DOCUMENT),
)


def _package(path: Path) -> Format | None:
    try:
        with zipfile.ZipFile(path) as zf:
            types = zf.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return next((fmt for part, fmt in _MAIN_PARTS if part in types), None)


def _old_office(path: Path) -> Format | None:
    """An old Office file by its directory's stream names (UTF-16); None for an encrypted
    Office Open XML package (also OLE) or anything unclear."""
    with open(path, "rb") as fh:
        data = fh.read(_OLE_SCAN_BYTES)
    word = "WordDocument".encode("utf-16-le") in data
    book = "Workbook".encode("utf-16-le") in data or "Book\0".encode("utf-16-le") in data
    if "EncryptedPackage".encode("utf-16-le") in data or word == book:
        return None
    return OLD_DOCUMENT if word else OLD_WORKBOOK


def actual_format(path: Path) -> Format | None:
    """What ``path`` is by its content, when that is one of the formats above."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
        if head.startswith(b"PK\x03\x04"):
            return _package(path)
        if head.startswith(_OLE_MAGIC):
            return _old_office(path)
    except OSError:
        return None
    if b"%PDF-" in head:
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def check_extension(path: Path) -> None:
    """Refuse a file whose extension is not what its content is, saying what it really is."""
    fmt = actual_format(path)
    if fmt is None or path.suffix.lower() in fmt.read_as:
        return
    space = " " if fmt.label[0].isascii() else ""
    raise UnsupportedFileError(
        f"这个文件实际上是{space}{fmt.label}，请把扩展名改为 {fmt.suffix} 后重新放入",
        hint=f"文件的扩展名是 {path.suffix or '（无）'}，内容却是{space}{fmt.label}：在资源管理器里把文件名最后的"
        f"“{path.suffix}”改为“{fmt.suffix}”（看不到扩展名时，在“查看”中勾选“文件扩展名”），再放回收件箱。",
    )
