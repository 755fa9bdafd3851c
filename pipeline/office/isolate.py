"""A copy of a document that cannot reach outside itself, made before LibreOffice opens it.

A Word document can make the program that opens it fetch things: an image linked to
``http://…`` or ``file:///etc/…`` (a relationship with ``TargetMode="External"``), an
INCLUDEPICTURE / INCLUDETEXT / LINK / DDE field, a linked OLE object, an attached template on
a server (``\\\\server\\share`` also leaks the Windows login to that server). zhibu converts
only a copy, and removes all of these from it first:

* **.docx** (and .docm/.dotx): every external relationship except hyperlinks (a link in the
  PDF is not fetched) is dropped; those fields lose their instruction and keep the result
  Word last showed; VML pictures lose any ``src``/``href`` that is a URL or a path; the
  settings lose their mail-merge data source.
* **.odt**: every ``xlink:href`` of an image, object or linked section that points outside the
  package is removed.
* **.doc, .wps, .rtf** (whose fields cannot be edited safely): when such a field is found the
  file is refused with a Chinese reason; otherwise the copy is unchanged.

The LibreOffice profile blocks links and the internet as a second line of defence.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.office.inputs import DOCX_FILTER, ODS_FILTER, ODT_FILTER, SHEET_EXTENSIONS

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

#: Fields that load something from outside the document when they are updated.
FETCHING_FIELDS = ("INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "DDE", "DDEAUTO", "IMPORT")
_FIELD_RE = re.compile(r"(?<![A-Za-z])(?:" + "|".join(FETCHING_FIELDS) + r")\s")
_URLISH = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]+:|\\\\|//|/)")

#: Text formats whose references LibreOffice follows and zhibu does not edit.
MARKUP_SUFFIXES = {".htm", ".html", ".xhtml", ".mht", ".mhtml", ".xml", ".svg", ".fodt", ".fods", ".uot"}

REFUSED = (
    "文件中含有引用外部内容的域（如 INCLUDEPICTURE、INCLUDETEXT、LINK），为安全起见不转换"
    "（转换时会读取网络或本机上的其他文件）"
)
REFUSED_HINT = "请用 Word 或 WPS 打开该文件，选中全文按 Ctrl+Shift+F9 把域转为普通文字，另存为 .docx 后再试。"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _dump(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fetching(instr: str | None) -> bool:
    words = (instr or "").split()
    return bool(words) and words[0].upper() in FETCHING_FIELDS


def _strip_rels(data: bytes) -> tuple[bytes, int]:
    root = etree.fromstring(data, _parser())
    removed = 0
    for rel in list(root):
        if (rel.get("TargetMode") or "").lower() == "external" and not (rel.get("Type") or "").endswith(
            "/hyperlink"
        ):
            root.remove(rel)
            removed += 1
    return (_dump(root), removed) if removed else (data, 0)


def _unwrap(el) -> None:
    """Replace ``el`` by its children (a simple field by its result)."""
    parent = el.getparent()
    index = parent.index(el)
    for child in list(el):
        parent.insert(index, child)
        index += 1
    parent.remove(el)


def _strip_complex_fields(root) -> int:
    """Drop the instruction part of fetching complex fields, keeping their shown result."""
    stack: list[dict] = []  # open fields: instruction text, elements to drop, phase
    doomed = []
    for el in root.iter(f"{_W}fldChar", f"{_W}instrText", f"{_W}t", f"{_W}drawing", f"{_W}pict"):
        kind = el.get(f"{_W}fldCharType") if el.tag == f"{_W}fldChar" else None
        if kind == "begin":
            stack.append({"instr": "", "marks": [el], "in_instr": True})
            continue
        if not stack:
            continue
        top = stack[-1]
        if el.tag == f"{_W}instrText":
            top["instr"] += el.text or ""
            top["marks"].append(el)
        elif kind == "separate":
            top["in_instr"] = False
            top["marks"].append(el)
        elif kind == "end":
            top["marks"].append(el)
            stack.pop()
            if _fetching(top["instr"]):
                doomed += top["marks"]
        elif top["in_instr"]:
            top["marks"].append(el)
        if kind is None and stack and any(f["in_instr"] for f in stack[:-1]):
            stack[-1]["marks"].append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.getparent().remove(el)
    return len(doomed)


def _strip_part(data: bytes) -> tuple[bytes, int]:
    root = etree.fromstring(data, _parser())
    removed = _strip_complex_fields(root)
    for fld in list(root.iter(f"{_W}fldSimple")):
        if _fetching(fld.get(f"{_W}instr")):
            _unwrap(fld)
            removed += 1
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.startswith("{urn:schemas-microsoft-com:"):
            continue
        for attr in list(el.attrib):
            local = attr.rsplit("}", 1)[-1]
            if local in ("src", "href") and _URLISH.match(el.get(attr) or ""):
                del el.attrib[attr]
                removed += 1
    for name in ("mailMerge", "attachedTemplate"):
        for el in list(root.iter(f"{_W}{name}")):
            el.getparent().remove(el)
            removed += 1
    return (_dump(root), removed) if removed else (data, 0)


def _strip_odf(data: bytes) -> tuple[bytes, int]:
    root = etree.fromstring(data, _parser())
    removed = 0
    for el in root.iter():
        href = el.get(XLINK_HREF) if isinstance(el.tag, str) else None
        if href is None or el.tag.endswith("}a") or el.tag.endswith("}link"):
            continue  # hyperlinks are not fetched
        if _URLISH.match(href) or href.startswith("../"):
            del el.attrib[XLINK_HREF]
            removed += 1
    return (_dump(root), removed) if removed else (data, 0)


def _rewrite_zip(src: Path, dst: Path, edit) -> int:
    """Copy the package, with the parts ``edit`` changes; a plain copy when it changes none."""
    changed: dict[str, bytes] = {}
    with zipfile.ZipFile(src) as zin:
        for info in zin.infolist():
            data = zin.read(info)
            new, n = edit(info.filename, data)
            if n:
                changed[info.filename] = new
        if not changed:
            shutil.copyfile(src, dst)
            return 0
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, changed.get(info.filename) or zin.read(info))
    return len(changed)


#: A part without any of these (lower-cased) cannot hold what ``_docx_edit`` removes.
_SUSPECT_TOKENS = (
    b"external",
    b"include",
    b"link",
    b"dde",
    b"import",
    b"href",
    b"src=",
    b"mailmerge",
    b"attachedtemplate",
)


def _suspect(data: bytes) -> bool:
    lowered = data.lower()
    return any(token in lowered for token in _SUSPECT_TOKENS)


_EMPTY_RELS = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{REL_NS}"/>'


def _docx_edit(name: str, data: bytes) -> tuple[bytes, int]:
    if not _suspect(data):
        return data, 0
    try:
        if name.endswith(".rels"):
            return _strip_rels(data)
        if name.startswith("word/") and name.endswith(".xml"):
            return _strip_part(data)
    except (etree.XMLSyntaxError, ValueError):
        # A part we cannot read may still be read by LibreOffice's laxer parser: relationships
        # are dropped (none can point outside); other parts stay as they are.
        if name.endswith(".rels"):
            return _EMPTY_RELS.encode(), 1
    return data, 0


def _odt_edit(name: str, data: bytes) -> tuple[bytes, int]:
    try:
        if name in ("content.xml", "styles.xml"):
            return _strip_odf(data)
    except (etree.XMLSyntaxError, ValueError):
        pass
    return data, 0


def binary_has_fetching_fields(path: Path) -> bool:
    """A .doc/.wps/.rtf whose text holds a fetching field code (8-bit or UTF-16 text)."""
    raw = path.read_bytes()
    texts = [raw.decode("latin-1"), raw.decode("utf-16-le", "ignore"), raw[1:].decode("utf-16-le", "ignore")]
    return any(_FIELD_RE.search(t) for t in texts)


def isolated_copy(src: Path, dst: Path, infilter: str | None) -> str | None:
    """Copy ``src`` to ``dst`` without what reaches outside; a Chinese refusal, or None.

    Raises OSError when ``src`` cannot be read or ``dst`` written; XML or zip damage is left for
    LibreOffice to judge (the copy is then the file unchanged).
    """
    try:
        if infilter == DOCX_FILTER:
            _rewrite_zip(src, dst, _docx_edit)
            return None
        if infilter == ODT_FILTER:
            _rewrite_zip(src, dst, _odt_edit)
            return None
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError):
        dst.unlink(missing_ok=True)
        return "文件已损坏（压缩包结构不完整）"
    if src.suffix.lower() in SHEET_EXTENSIONS or infilter in (ODS_FILTER, "Calc MS Excel 2007 XML"):
        shutil.copyfile(src, dst)  # spreadsheets: the profile blocks their links
        return None
    if src.suffix.lower() in MARKUP_SUFFIXES:
        return "网页、XML 等格式的文件可能引用网络或本机上的其他文件，为安全起见不转换"
    if binary_has_fetching_fields(src):
        return REFUSED
    shutil.copyfile(src, dst)
    return None
