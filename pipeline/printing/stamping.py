"""Page numbers on a volume: the documents' own numbers removed, the volume's stamped on.

Every document is converted from a per-volume copy whose page-number paragraphs (PAGE/NUMPAGES
fields in headers and footers, such as zhibu's own "— PAGE —" footer) are removed; the
volume's number is then drawn on each page with pypdf, from a page of the stamps document.
This also numbers documents that never had a footer, PDFs, and documents with odd section
setups, where ``<w:pgNumType w:start>`` would not be reliable.

Placement follows GB/T 9704: the dash 7 mm below the text block; odd pages right-aligned one
character in from the right edge of the text block, even pages left-aligned one character in.
The text block is read from each document's own page margins (a branch's house style moves
the number with it); GB/T 9704 margins are used for PDFs. Landscape pages (wide tables) get
the number at the same physical place as upright pages, turned with the page.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PdfReader, PdfWriter, Transformation

from pipeline.printing.frontmatter import STAMP_MARGIN_MM
from pipeline.wordkit.spec import MM, PAGE_NUMBER_GAP_MM, PAGE_NUMBER_INDENT_PT, PAGE_NUMBER_SIZE

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
#: Height of the em dash's middle above the baseline, in em, for CJK serif fonts.
_DASH_HEIGHT_EM = 0.36


@dataclass(frozen=True)
class PageGeometry:
    """An upright page and its text block, in points (margins from each edge)."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float


GBT9704 = PageGeometry(210 * MM, 297 * MM, 37 * MM, 35 * MM, 28 * MM, 26 * MM)
# A PDF bound as it is (a scan, a record exported elsewhere) keeps its own footer, often its own
# page number: the volume's number goes to the top outer corner instead, where archives number the
# pages of a file (GB/T 9705: 正面右上角、背面左上角). Given as a text block whose lower edge lies
# 6 mm below the top edge, the number is placed by the same rule as on any page.
AS_FILED = PageGeometry(210 * MM, 297 * MM, 6 * MM, 291 * MM, 20 * MM, 20 * MM)


# --- the documents' own page numbers ------------------------------------------------------------

_PAGE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES")


def _is_page_field(instr: str | None) -> bool:
    words = (instr or "").replace("\\", " \\").split()
    return bool(words) and words[0].upper() in _PAGE_FIELDS


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


def strip_page_number_paragraphs(xml: bytes) -> tuple[bytes, int]:
    """Empty every paragraph of a header/footer part that shows a page-number field.

    Works on the outermost paragraphs, so a number inside a text box or frame goes with the
    paragraph that anchors it. Returns the new XML and how many paragraphs were emptied.
    """
    root = etree.fromstring(xml, _safe_parser())
    removed = 0
    for p in list(root.iter(f"{_W}p")):
        if any(a.tag == f"{_W}p" for a in p.iterancestors()):
            continue
        has_field = any(_is_page_field(t.text) for t in p.iter(f"{_W}instrText")) or any(
            _is_page_field(f.get(f"{_W}instr")) for f in p.iter(f"{_W}fldSimple")
        )
        if not has_field:
            continue
        for child in list(p):
            if child.tag != f"{_W}pPr":
                p.remove(child)
        removed += 1
    if not removed:
        return xml, 0
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), removed


def strip_page_numbers(src: Path, dst: Path) -> int:
    """Copy a .docx without the page numbers of its headers and footers; count them.

    The copy is stored uncompressed: it lives only until LibreOffice has read it.
    """
    removed = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            info.compress_type = zipfile.ZIP_STORED
            name = info.filename
            if (
                name.startswith("word/")
                and name.endswith(".xml")
                and name[5:].startswith(("header", "footer"))
            ):
                data, n = strip_page_number_paragraphs(data)
                removed += n
            zout.writestr(info, data)
    return removed


def _twips(el, attr: str, default: float) -> float:
    if el is None:
        return default
    value = el.get(f"{_W}{attr}")
    try:
        return abs(float(value)) / 20.0 if value is not None else default
    except ValueError:
        return default


def read_geometry(docx: Path) -> tuple[PageGeometry | None, PageGeometry | None]:
    """(upright, landscape) page geometries of a .docx, both as upright text blocks.

    A landscape section is turned back upright the way it is bound (the table's head
    towards the binding edge): its left margin becomes the upright page's bottom margin.
    """
    try:
        with zipfile.ZipFile(docx) as zf:
            root = etree.fromstring(zf.read("word/document.xml"), _safe_parser())
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None, None
    upright = landscape = None
    for sect in root.iter(f"{_W}sectPr"):
        size = sect.find(f"{_W}pgSz")
        mar = sect.find(f"{_W}pgMar")
        w = _twips(size, "w", GBT9704.width)
        h = _twips(size, "h", GBT9704.height)
        top = _twips(mar, "top", GBT9704.top)
        bottom = _twips(mar, "bottom", GBT9704.bottom)
        left = _twips(mar, "left", GBT9704.left) + _twips(mar, "gutter", 0)
        right = _twips(mar, "right", GBT9704.right)
        if w <= h and upright is None:
            upright = PageGeometry(w, h, top, bottom, left, right)
        elif w > h and landscape is None:
            landscape = PageGeometry(h, w, top=right, bottom=left, left=top, right=bottom)
    return upright, landscape


def _first_baseline(page) -> float | None:
    """The y of the first text drawn on a page (in the page's user space)."""
    found: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and not found:
            found.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    try:
        page.extract_text(visitor_text=visit)
    except Exception:  # noqa: BLE001 - fall back to the computed position
        return None
    return found[0] if found else None


def _stamp_transform(
    number: int, geo: PageGeometry, baseline: float, page_w: float, page_h: float, origin: tuple[float, float]
) -> Transformation:
    """Move stamp ``number`` (laid out on an A4 stamp page) to its place on a volume page."""
    m = STAMP_MARGIN_MM * MM
    landscape = page_w > page_h
    upright_w = page_h if landscape else page_w  # the page as bound, upright
    if number % 2:  # odd: right edge one character in from the text block's right edge
        dx = (upright_w - geo.right - PAGE_NUMBER_INDENT_PT) - (210 * MM - m)
    else:  # even: left edge one character in from the text block's left edge
        dx = (geo.left + PAGE_NUMBER_INDENT_PT) - m
    target_baseline = geo.bottom - PAGE_NUMBER_GAP_MM * MM - _DASH_HEIGHT_EM * PAGE_NUMBER_SIZE.pt
    t = Transformation().translate(dx, target_baseline - baseline)
    if landscape:
        # Upright (x, y) -> landscape (y, upright_w - x): the page turned the way it is bound.
        t = t.transform(Transformation((0, -1, 1, 0, 0, upright_w)))
    return t.translate(origin[0], origin[1])


def stamp_baselines(stamps: Sequence, total: int) -> list[float]:
    """Where the number sits on the first (odd) and second (even) stamp pages."""
    fallback = 297 * MM - STAMP_MARGIN_MM * MM - 1.0 * PAGE_NUMBER_SIZE.pt
    return [(_first_baseline(stamps[k]) or fallback) for k in range(min(2, total))]


def merge_and_stamp(
    front: Sequence[PdfReader],
    documents: Sequence[PdfReader],
    geometries: Sequence[tuple[PageGeometry | None, PageGeometry | None]],
    stamps: Sequence,
    title: str,
) -> PdfWriter:
    """The front pages unnumbered, then every document page with its volume number stamped.

    ``stamps`` holds one page per number, in order (``stamps[0]`` shows "— 1 —").
    """
    writer = PdfWriter()
    for reader in front:
        for page in reader.pages:
            writer.add_page(page)
    baselines = stamp_baselines(stamps, len(stamps))
    number = 0
    for (upright, landscape), reader in zip(geometries, documents, strict=True):
        for page in reader.pages:
            number += 1
            out = writer.add_page(page)
            if out.rotation:
                out.transfer_rotation_to_content()
            box = out.cropbox
            w, h = float(box.width), float(box.height)
            geo = (landscape if w > h else upright) or GBT9704
            baseline = baselines[(number - 1) % 2] if len(baselines) > 1 else baselines[0]
            out.merge_transformed_page(
                stamps[number - 1],
                _stamp_transform(number, geo, baseline, w, h, (float(box.left), float(box.bottom))),
            )
    writer.add_metadata({"/Title": title, "/Creator": "zhibu"})
    writer.compress_identical_objects()
    return writer


def page_copy(src: Path, dst: Path) -> tuple[Path, tuple[PageGeometry | None, PageGeometry | None]]:
    """The per-volume copy of a .docx without its own page numbers, and its geometry."""
    try:
        strip_page_numbers(src, dst)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError):
        dst = src  # LibreOffice will judge it
    return dst, read_geometry(dst)
