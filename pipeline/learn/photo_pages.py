"""Photos placed in the minutes: the 活动照片 section (or the template's ``{{ 活动照片 }}``), two per row,
scaled to the text width, upright (EXIF rotation applied), captioned with their file names and
downsampled for print; also placed again when archived minutes are rendered anew.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from pipeline import wordkit as wk
from pipeline.learn.photos import MeetingWithPhotos, archived_photos
from pipeline.records.meeting import Meeting
from pipeline.render.minutes import PHOTO_MARK

MAX_SIDE = 1280  # px: 430 dpi at half the text width, far more than print needs
JPEG_QUALITY = 80
MAX_PHOTO_HEIGHT = Mm(110)  # a portrait photo alone must not fill the page
GAP = Mm(4)
SECTION_TITLE = "活动照片"
# Camera and messenger default names say nothing: such photos get no caption.
_CAMERA_NAME = re.compile(
    r"^(IMG|DSC|DSCN|DCIM|PXL|MVIMG|P\d{6,}|mmexport|wx_camera|微信图片|Screenshot|截图|image)", re.I
)
_LEADING_NUMBER = re.compile(r"^[\s\-_—.、()（）]*(?:\d{1,3}[\s\-_—.、)）]+)?")


def caption(photo: Path, note_stem: str) -> str:
    """``2024-10-25 主题党日-1-参观展馆.jpg`` → ``参观展馆``; camera names give no caption."""
    rest = photo.stem[len(note_stem) :] if photo.stem.startswith(note_stem) else photo.stem
    rest = _LEADING_NUMBER.sub("", rest).strip(" -_—.、")
    if not rest or rest.isdigit() or _CAMERA_NAME.match(rest):
        return ""
    return rest


def prepare(photo: Path) -> tuple[bytes, int, int] | None:
    """Upright, downsampled JPEG bytes and pixel size; None when the file is not an image."""
    from PIL import Image, ImageOps

    try:
        with Image.open(photo) as opened:
            im = ImageOps.exif_transpose(opened)
            im.thumbnail((MAX_SIDE, MAX_SIDE))
            if im.mode in ("RGBA", "LA", "P"):
                im = im.convert("RGBA")
                flat = Image.new("RGB", im.size, (255, 255, 255))
                flat.paste(im, mask=im.getchannel("A"))
                im = flat
            elif im.mode != "RGB":
                im = im.convert("RGB")
            out = io.BytesIO()
            im.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            return out.getvalue(), im.width, im.height
    except Exception:  # Pillow raises many types for broken or hostile files
        return None


# --- the document ---------------------------------------------------------------------------


def embed(data: bytes, meeting: Meeting, note_stem: str | None = None, template: Path | None = None) -> bytes:
    """The rendered minutes with the meeting's photos placed; the placeholder removed.

    ``template``: the template the minutes came from; one without {{ 活动照片 }} leaves no
    placeholder, so minutes without photos are returned as they are without being opened."""
    photos = getattr(meeting, "photos", [])
    if not photos and template is not None and not places_photos(template):
        return data
    if not photos and not _has_marker(data):
        return data
    stem = note_stem if note_stem is not None else Path(meeting.source_name).stem
    data, bad = embed_files(data, photos, stem)
    if isinstance(meeting, MeetingWithPhotos):
        meeting.unreadable[:] = bad  # shared with the copy the reading holds: said by ``report_placed``
    return data


def embed_archived(rendered: Path, archived_note: Path, original_name: str) -> None:
    """Place the archived photos of a note in its re-rendered minutes (zhibu batch --rerender)."""
    found = archived_photos(archived_note)
    data = rendered.read_bytes()
    if found or _has_marker(data):
        rendered.write_bytes(embed_files(data, found, Path(original_name).stem)[0])


def places_photos(template: Path) -> bool:
    """Whether a template has a {{ 活动照片 }} paragraph (read once per version of the file)."""
    try:
        stamp = template.stat().st_mtime_ns
    except OSError:
        return True
    return _places_photos(template, stamp)


@functools.lru_cache(maxsize=64)
def _places_photos(template: Path, stamp: int) -> bool:
    try:
        with zipfile.ZipFile(template) as package:
            return "活动照片".encode() in package.read("word/document.xml")
    except (OSError, zipfile.BadZipFile, KeyError):
        return True


def _has_marker(data: bytes) -> bool:
    """Whether the template placed {{ 活动照片 }} (its document part holds the marker)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return PHOTO_MARK.encode() in package.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        return False


def embed_files(data: bytes, photos: list[Path], note_stem: str) -> tuple[bytes, list[str]]:
    """Place ``photos`` in a rendered .docx; returns it and the names that could not be read."""
    doc = Document(io.BytesIO(data))
    marker = _marker_paragraph(doc)
    prepared, bad = [], []
    for photo in photos:
        image = prepare(photo)
        if image is None:
            bad.append(photo.name)
        else:
            prepared.append((image, caption(photo, note_stem)))
    if not prepared:
        if marker is not None:
            _drop_marker(marker)
            return _save(doc), bad
        return data, bad
    if marker is not None:
        anchor, width = marker, _available_width(doc, marker)
        heading = None
    else:
        anchor = _signature_paragraph(doc)
        anchor = anchor if anchor is not None else _body_end(doc)
        width = _available_width(doc, None)
        heading = _heading(doc)
        anchor.addprevious(heading)
    table = _photo_table(doc, prepared, width)
    anchor.addprevious(table)
    if marker is not None:
        _drop_marker(marker)
    return _save(doc), bad


def _drop_marker(marker) -> None:
    """Remove the placeholder paragraph; in a table cell, empty it (a cell ends with a paragraph)."""
    if marker.getparent().tag == qn("w:tc"):
        for r in marker.findall(qn("w:r")):
            marker.remove(r)
    else:
        marker.getparent().remove(marker)


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _marker_paragraph(doc):
    for p in doc.element.body.iter(qn("w:p")):
        if PHOTO_MARK in _text(p):
            return p
    return None


def _signature_paragraph(doc):
    """The first signature line after the body: photos go above the signatures."""
    for p in doc.element.body.iterchildren(qn("w:p")):
        if re.search(r"签\s*[字名]", _text(p)):
            while (prev := p.getprevious()) is not None and prev.tag == qn("w:p") and not _text(prev).strip():
                p = prev
            return p
    return None


def _body_end(doc):
    body = doc.element.body
    last = body[-1]
    if last.tag == qn("w:sectPr"):
        p = OxmlElement("w:p")
        last.addprevious(p)
        return p
    p = OxmlElement("w:p")
    body.append(p)
    return p


def _available_width(doc, marker) -> int:
    section = doc.sections[-1]
    width = section.page_width - section.left_margin - section.right_margin
    if marker is not None:
        tc = next((a for a in marker.iterancestors(qn("w:tc"))), None)
        tcw = tc.tcPr.find(qn("w:tcW")) if tc is not None and tc.tcPr is not None else None
        if tcw is not None and tcw.get(qn("w:type")) in (None, "dxa") and tcw.get(qn("w:w")):
            width = min(width, Emu(int(tcw.get(qn("w:w"))) * 635) - Mm(3))
    return int(width)


def _heading(doc):
    names = {s.name for s in doc.styles}
    if wk.HEADINGS[0] in names:  # zhibu's own templates: their first-level heading style
        p = doc.add_paragraph(SECTION_TITLE, style=wk.HEADINGS[0])
    else:
        p = doc.add_paragraph()
        run = p.add_run(SECTION_TITLE)
        run.bold = True
    p.paragraph_format.keep_with_next = True  # never alone at the foot of a page
    el = p._p
    el.getparent().remove(el)
    return el


def _photo_table(doc, prepared: list, width: int):
    """A borderless table, two photos a row, each with its caption under it."""
    columns = 1 if len(prepared) == 1 else 2
    rows = (len(prepared) + columns - 1) // columns
    table = doc.add_table(rows=rows, cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    wk.borderless(table)
    cell_width = (width - GAP * (columns - 1)) // columns
    for i, ((jpeg, px_w, px_h), text) in enumerate(prepared):
        cell = table.cell(i // columns, i % columns)
        cell.width = Emu(cell_width)
        pic_width = min(cell_width - Mm(2), int(MAX_PHOTO_HEIGHT * px_w / px_h))
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _plain(p)
        p.add_run().add_picture(io.BytesIO(jpeg), width=Emu(pic_width))
        if text:
            cap = cell.add_paragraph()
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _plain(cap)
            cap.add_run(text).font.size = Pt(12)
    for row in table.rows:  # a photo and its caption stay on one page
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    tbl = table._tbl
    tbl.getparent().remove(tbl)
    return tbl


def _plain(p) -> None:
    """No first-line indent and single spacing: a fixed 29 pt line would crop the picture."""
    fmt = p.paragraph_format
    fmt.first_line_indent = Emu(0)
    fmt.line_spacing = 1.0
    fmt.space_before = fmt.space_after = Pt(2)
    ind = p._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        for attr in ("w:firstLineChars", "w:leftChars"):
            ind.attrib.pop(qn(attr), None)
