"""Which images in the inbox are the pages of one scanned record, and checking them before OCR.

An image dropped WITH a note is one of that note's activity photos (``pipeline.learn.photos``).
Images WITHOUT a note are scanned paper records:

* a folder of images and no note is one record, its pages in name order
  (``inbox/2019-10-08 支委会/01.jpg``, ``02.jpg`` …);
* images named as a numbered set are one record (``2019-10-08 支委会-1.jpg``,
  ``2019-10-08 支委会-2.jpg``, or ``… (1).jpg``, ``…_01.png``) when the name says which meeting;
* any other image is a record of one page.

The first page stands for the record in the inbox; the others are filed with it.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import UnreadableFileError, UnsupportedFileError
from pipeline.records.types import resolve_meeting_type

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
NOTE_SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf"}
# Folders whose files are separate inputs, never the pages of one record.
SEPARATE_FOLDERS = {"原样归档", "失败"}
_DATE = re.compile(r"(19|20)\d\d\s*[-._年/]\s*\d{1,2}")
# A page scanned even at 72 dpi is 595 px wide: a smaller image holds no readable page.
MIN_SIDE = 500
PHOTO_HINT = (
    "如果这是活动照片，它找不到对应的会议笔记：请和笔记放在同一个文件夹里（文件夹里只放一份笔记），"
    "或让照片的文件名以笔记的文件名开头（如「2024-10-25 主题党日-合影.jpg」配「2024-10-25 主题党日.txt」）。"
)
# ``<name>-1``, ``<name> 2``, ``<name>_03``, ``<name>(4)``: a separator, then a page number of at
# most three digits (camera counters such as IMG_2034 have four or more).
_NUMBERED = re.compile(r"^(?P<base>.*\D)(?:[\s\-_—]+(?P<n>\d{1,3})|[（(](?P<p>\d{1,3})[）)])$")


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(("~$", "."))


def _entries(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))]
    except OSError:
        return []


def _natural(path: Path) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path.name.lower()))


def _numbered(path: Path) -> tuple[str, int] | None:
    """The name and page number of a page of a numbered set. Only a name that says which meeting
    (a date or a type) makes a set: a scanner's Scan_001, Scan_002 are separate records."""
    m = _NUMBERED.match(path.stem)
    if not m:
        return None
    base = m.group("base").strip()
    if resolve_meeting_type(base) is None and not _DATE.search(base):
        return None
    return base, int(m.group("n") or m.group("p"))


def scan_pages(image: Path, inbox: Path) -> list[Path]:
    """The pages of the scanned record ``image`` belongs to, in order (``image`` alone when it
    is a record of one page). Call only for an image that is no note's photo."""
    folder = image.parent
    if not image.is_relative_to(inbox):  # zhibu check on a file elsewhere: that file alone
        return [image]
    entries = _entries(folder)
    if folder != inbox and folder.name not in SEPARATE_FOLDERS:
        if not any(p.suffix.lower() in NOTE_SUFFIXES for p in entries):
            return sorted((p for p in entries if is_image(p)), key=_natural)
    own = _numbered(image)
    if own is None:
        return [image]
    siblings = [(n[1], p.name, p) for p in entries if is_image(p) and (n := _numbered(p)) and n[0] == own[0]]
    if len(siblings) < 2:
        return [image]
    return [p for _, _, p in sorted(siblings)]


def lead_page(image: Path, inbox: Path) -> Path | None:
    """The first page of the record a later page belongs to (None for a first page)."""
    pages = scan_pages(image, inbox)
    return pages[0] if pages and pages[0] != image else None


def check_image(path: Path, max_megapixels: float) -> None:
    """Raise an InputError for an image that cannot be read, or is too large or too small to OCR."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            width, height = im.size
            if min(width, height) < MIN_SIDE:
                raise UnsupportedFileError(
                    f"图片「{path.name}」只有 {width}×{height} 像素，太小，看不清纸质记录上的字",
                    hint="扫描纸质记录请选 150-300 dpi，拍照时让整页占满画面；" + PHOTO_HINT,
                )
            if width * height > max_megapixels * 1_000_000:
                raise UnsupportedFileError(
                    f"图片「{path.name}」有 {width}×{height} 像素，超过了上限（{max_megapixels:g} 百万像素）",
                    hint="扫描时选 300 dpi 即可；确需更大的图片时，在 zhibu.toml 的 [scan] 中调大 max_megapixels。",
                )
            im.verify()
    except (UnsupportedFileError, UnreadableFileError):
        raise
    except Image.DecompressionBombError:
        raise UnsupportedFileError(
            f"图片「{path.name}」的像素数大得异常（超过 {max_megapixels:g} 百万像素的上限），已拒绝处理",
            hint="这可能是损坏或恶意构造的文件；正常的扫描件请选 300 dpi 重新扫描。",
        ) from None
    except Exception:  # Pillow raises many types for broken or hostile files
        raise UnreadableFileError(
            f"图片「{path.name}」已损坏或不是图片，无法识别",
            hint="请用图片查看器打开确认能正常显示，再重新扫描或拍照。",
        ) from None
