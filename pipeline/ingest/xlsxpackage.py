"""The parts of an .xlsx package the fast reader needs besides the cell values.

* ``sheet_parts``: which worksheet XML part holds which sheet (workbook.xml and its rels);
* ``core_properties``: title, subject, keywords and description (docProps/core.xml);
* ``needs_detail``: whether a sheet holds a formula saved without its value or an Excel error
  value, which python-calamine reads as an empty cell (the sheet is then read with openpyxl).

Every XML part is parsed with defusedxml (no entity expansion), the worksheet is scanned in
chunks, never loaded whole.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml import ElementTree

_OFFICE_DOCUMENT = "/officeDocument"
_CHUNK = 1 << 20


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``part``."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = ElementTree.fromstring(zf.read(rels_name))
    except KeyError:
        return {}
    out = {}
    for rel in root:
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            continue
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id") or ""] = (rel.get("Type") or "", path)
    return out


def workbook_part(zf: zipfile.ZipFile) -> str:
    for rel_type, target in _rels(zf, "").values():
        if rel_type.endswith(_OFFICE_DOCUMENT):
            return target
    return "xl/workbook.xml"


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, worksheet part) in the workbook's order."""
    book = workbook_part(zf)
    rels = _rels(zf, book)
    root = ElementTree.fromstring(zf.read(book))
    out = []
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        if rid in rels:
            out.append((element.get("name") or "", rels[rid][1]))
    return out


def core_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """The core properties openpyxl reports (all "" when the part is missing)."""
    props = dict.fromkeys(("title", "subject", "keywords", "description"), "")
    try:
        data = zf.read("docProps/core.xml")
    except KeyError:
        return props
    for element in ElementTree.fromstring(data):
        name = _local(element.tag)
        if name in props:
            props[name] = element.text or ""
    return props


_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# Fast substring tests (no regex over the whole sheet) before the cells are looked at.
_MARKERS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/", b't="e"', b"t='e'", b"t = ")
_CELL = re.compile(rb"<" + _PREFIX + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _PREFIX + rb"c>)", re.S)
_ERROR_TYPE = re.compile(rb"\st\s*=\s*[\"']e[\"']")
_FORMULA = re.compile(rb"<" + _PREFIX + rb"f[\s>/]")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^>]*)?>[^<]")
_ROW_END = re.compile(rb"</" + _PREFIX + rb"row>")


def needs_detail(zf: zipfile.ZipFile, part: str) -> bool:
    """True when the sheet has a cell with an error value or a formula without a saved value."""
    try:
        fh = zf.open(part)
    except KeyError:
        return True
    with fh:
        tail = b""
        while True:
            chunk = fh.read(_CHUNK)
            buf = tail + chunk
            if not chunk:
                return _has_special_cell(buf)
            cut = _last_row_end(buf)
            if cut < 0:
                tail = buf
                continue
            if _has_special_cell(buf[:cut]):
                return True
            tail = buf[cut:]


def _last_row_end(buf: bytes) -> int:
    """The offset just after the last closing row tag in ``buf`` (-1 when there is none)."""
    at = buf.rfind(b"</row>")
    if at >= 0:
        return at + len(b"</row>")
    ends = [m.end() for m in _ROW_END.finditer(buf)]  # prefixed tags: </x:row>
    return ends[-1] if ends else -1


def _has_special_cell(xml: bytes) -> bool:
    if not any(marker in xml for marker in _MARKERS):
        return False
    for m in _CELL.finditer(xml):
        attrs, inner = m.group(1), m.group(2) or b""
        if _ERROR_TYPE.search(attrs):
            return True
        if _FORMULA.search(inner) and not _VALUE.search(inner):
            return True
    return False
