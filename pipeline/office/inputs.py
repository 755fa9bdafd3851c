"""What LibreOffice is given and what it gives back: sniffing inputs, checking outputs."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader

WORD_EXTENSIONS = {".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".odt", ".ott", ".rtf", ".wps"}
SHEET_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".et", ".ods", ".ett"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

DOCX_FILTER = "MS Word 2007 XML"
ODT_FILTER = "writer8"
ODS_FILTER = "calc8"
RTF_FILTER = "Rich Text Format"
OLE_FILTERS = {".doc": "MS Word 97", ".dot": "MS Word 97", ".xls": "MS Excel 97", ".et": "MS Excel 97"}
XLSX_FILTER = "Calc MS Excel 2007 XML"
#: Input filters of spreadsheets: their PDF is made by Calc's export filter, not Writer's.
SHEET_FILTERS = {XLSX_FILTER, ODS_FILTER, "MS Excel 97"}


def _sniff_zip(path: Path) -> tuple[str | None, str | None]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = zf.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None, "文件已损坏（压缩包结构不完整）"
    if "word/document.xml" in names:
        return DOCX_FILTER, None
    if "content.xml" in names and "opendocument.text" in mimetype:
        return ODT_FILTER, None
    if "content.xml" in names and "opendocument.spreadsheet" in mimetype:
        return ODS_FILTER, None
    if "xl/workbook.xml" in names:
        return XLSX_FILTER, None
    return None, "文件不是 Word 文档或表格，或已损坏（压缩包里没有正文）"


def sniff_input(path: Path) -> tuple[str | None, str | None]:
    """(LibreOffice input filter, or None to let it detect; Chinese problem, or None).

    The filter is forced from the file's first bytes: LibreOffice otherwise imports a damaged
    .docx as plain text and "succeeds" with a PDF of garbage.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        return None, "文件不存在"
    except OSError as exc:
        return None, f"文件无法读取（{exc.strerror or exc}）"
    if size == 0:
        return None, "文件是空的（0 字节）"
    suffix = path.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        # Forced for .doc and .xls: a damaged one would otherwise be imported as plain text.
        # A .wps (Kingsoft or MS Works) or an encrypted .docx: let LibreOffice detect.
        return OLE_FILTERS.get(suffix), None
    if head.startswith(b"{\\rtf"):
        return RTF_FILTER, None
    if suffix in WORD_EXTENSIONS:
        return None, "文件已损坏或不是 Word 文档（文件内容与扩展名不符）"
    if suffix in SHEET_EXTENSIONS:
        return None, "文件已损坏或不是表格文件（文件内容与扩展名不符）"
    return None, None  # .txt, .html...: LibreOffice detects the type itself


def is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(1024).lstrip().startswith(b"%PDF-")
    except OSError:
        return False


def valid_pdf_pages(path: Path) -> int:
    """Number of pages of a PDF, 0 when it is missing, empty, truncated or unreadable."""
    try:
        if path.stat().st_size == 0 or not is_pdf(path):
            return 0
        return len(PdfReader(path, strict=False).pages)
    except Exception:  # noqa: BLE001 - any failure to read means "not a usable PDF"
        return 0


def valid_output(path: Path) -> bool:
    """A converted file LibreOffice really wrote: a readable PDF, or a non-empty zip package."""
    if not path.is_file():
        return False
    if path.suffix.lower() == ".pdf":
        return valid_pdf_pages(path) > 0
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is None and len(zf.namelist()) > 0
    except (zipfile.BadZipFile, OSError):
        return False


def unique_names(sources: Sequence[Path], suffix: str) -> list[str]:
    """Output names: the input's stem, with " (2)", " (3)"... when stems repeat."""
    seen: dict[str, int] = {}
    names = []
    for src in sources:
        stem = src.stem or "document"
        key = stem.casefold()  # Windows and macOS file names ignore case
        seen[key] = seen.get(key, 0) + 1
        names.append(f"{stem}{suffix}" if seen[key] == 1 else f"{stem} ({seen[key]}){suffix}")
    return names
