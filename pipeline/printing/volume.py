"""One PDF for binding: cover, 卷内目录 and every document of the volume, numbered throughout.

Numbering (the choice, following archive practice, GB/T 9705 文书档案案卷格式): the cover and the
卷内目录 carry no page number; the documents are numbered 1..N continuously in archive order.
The 卷内目录's 页号 column gives the number printed on each document's first page (the last
document shows its first and last page, e.g. "12—15", as archive forms do). Since the front
pages are unnumbered, the length of the 卷内目录 cannot shift any number: no fixed-point
iteration is needed, however many pages the 卷内目录 takes.

Page numbers are stamped, not left to Word fields: every document is converted from a
per-volume copy whose page-number paragraphs (PAGE/NUMPAGES fields in headers and footers,
such as zhibu's own "— PAGE —" footer) are removed, and the volume's number is then drawn on
each page with pypdf. This also numbers documents that never had a footer, PDFs, and
documents with odd section setups, where ``<w:pgNumType w:start>`` would not be reliable.

The numbers follow GB/T 9704: "— N —" in 4号 (14 pt) half-width digits (宋体 kind), an em
dash each side, the dash 7 mm below the text block; odd pages right-aligned one character in
from the right edge of the text block, even pages left-aligned one character in. The text
block is read from each document's own page margins (a branch's house style moves the
number with it); GB/T 9704 margins are used for PDFs. Landscape pages (wide tables) get the
number at the same physical place as upright pages, turned with the page.

The number glyphs, the cover and the 卷内目录 are .docx files made with python-docx and
converted by the same LibreOffice run, so their fonts are real, embedded CJK fonts chosen by
the same fontconfig rules as the documents (no PDF drawing library is needed).
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree
from pypdf import PdfReader, PdfWriter, Transformation

from pipeline.errors import ConverterError, Location
from pipeline.printing.convert import convert_documents, sniff_input

MM = 72 / 25.4  # points per millimetre
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"

# The fonts of the front matter (customary names; fontconfig maps them on Linux).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_NUMBER = "宋体"

NUMBER_SIZE_PT = 14.0  # 4号
NUMBER_INDENT_PT = 14.0  # "one character in": one 4号 character
NUMBER_GAP_MM = 7.0  # from the text block's lower edge to the dash
#: Height of the em dash's middle above the baseline, in em, for CJK serif fonts.
_DASH_HEIGHT_EM = 0.36


@dataclass(frozen=True)
class VolumeEntry:
    """One document of the volume, in archive order."""

    title: str
    date: _dt.date
    docx: Path


@dataclass(frozen=True)
class VolumeResult:
    pdf: Path
    #: Every page of the PDF, cover and 卷内目录 included.
    page_count: int
    #: Pages that carry a number: the documents' pages (the 页数 on the cover).
    numbered_pages: int
    #: Unnumbered pages before the first document (cover + 卷内目录).
    front_pages: int
    toc_pages: int
    #: For each entry, the number printed on its first and on its last page.
    start_pages: list[int]
    end_pages: list[int]

    def pdf_index(self, number: int) -> int:
        """0-based index in the PDF of the page that shows ``number``."""
        return self.front_pages + number - 1


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


def cn_date(d: _dt.date) -> str:
    """2024年9月3日: full year, no zero padding."""
    return f"{d.year}年{d.month}月{d.day}日"


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
    """Copy a .docx without the page numbers of its headers and footers; count them."""
    removed = 0
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
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


# --- python-docx helpers ---------------------------------------------------------------------


def _new_document(margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26)) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(margins_mm[0]), Mm(margins_mm[1])
    section.left_margin, section.right_margin = Mm(margins_mm[2]), Mm(margins_mm[3])
    section.header_distance = section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    _set_fonts(normal.element.get_or_add_rPr(), FONT_BODY)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    return doc


def _set_fonts(rpr, font: str) -> None:
    """Latin and East-Asian font both (Word and WPS ignore a Chinese font set only as Latin)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _para(
    container,
    text: str,
    font: str,
    size: float,
    *,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    bold: bool = False,
):
    p = container.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = align
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        _set_fonts(run._element.get_or_add_rPr(), font)
    return p


def _cell_text(cell, text: str, font: str, size: float, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = align
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.font.size = Pt(size)
    _set_fonts(run._element.get_or_add_rPr(), font)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _row_flag(row, tag: str) -> None:
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _fixed_table(table, widths_mm: Sequence[float], cell_margin_mm: float = 1.5) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(cell_margin_mm * MM * 20)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _bottom_border(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    el = OxmlElement("w:bottom")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), "6")
    el.set(qn("w:color"), "000000")
    borders.append(el)
    tc_pr.append(borders)


# --- cover, 卷内目录 and the number stamps ---------------------------------------------------


def date_range(entries: Sequence[VolumeEntry]) -> str:
    first = min(e.date for e in entries)
    last = max(e.date for e in entries)
    return cn_date(first) if first == last else f"{cn_date(first)}—{cn_date(last)}"


def write_cover(
    path: Path, *, branch: str, term_label: str, volume_name: str, dates: str, count: int, pages: int
) -> None:
    doc = _new_document()
    _para(doc, branch, FONT_TITLE, 22, before=90, line=36)
    _para(doc, volume_name, FONT_TITLE, 36, before=48, line=54)
    _para(doc, term_label, FONT_KAI, 18, before=30, line=30)
    _para(doc, "", FONT_BODY, 16, before=150)
    table = doc.add_table(rows=3, cols=2)
    _no_borders(table)
    _fixed_table(table, (34, 106))
    rows = [("起止日期", dates), ("本卷件数", f"{count}件"), ("本卷页数", f"{pages}页")]
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.height = Mm(14)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        _cell_text(row.cells[0], label, FONT_HEADING, 16, WD_ALIGN_PARAGRAPH.DISTRIBUTE)
        _cell_text(row.cells[1], value, FONT_BODY, 16)
        _bottom_border(row.cells[1])
    doc.save(path)


TOC_WIDTHS_MM = (14, 70, 40, 18, 14)


def write_toc(path: Path, entries: Sequence[VolumeEntry], starts: Sequence[int], ends: Sequence[int]) -> None:
    doc = _new_document()
    _para(doc, "卷内目录", FONT_TITLE, 22, after=16, line=36)
    table = doc.add_table(rows=1 + len(entries), cols=len(TOC_WIDTHS_MM))
    table.style = "Table Grid"
    _fixed_table(table, TOC_WIDTHS_MM)
    header = table.rows[0]
    _row_flag(header, "w:tblHeader")  # repeated on every page of a long 卷内目录
    header.height, header.height_rule = Mm(12), WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell, text in zip(header.cells, ("序号", "文件题名", "日期", "页号", "备注"), strict=True):
        _cell_text(cell, text, FONT_HEADING, 14)
    last = len(entries) - 1
    for i, (entry, start, end) in enumerate(zip(entries, starts, ends, strict=True)):
        row = table.rows[i + 1]
        _row_flag(row, "w:cantSplit")
        row.height, row.height_rule = Mm(12), WD_ROW_HEIGHT_RULE.AT_LEAST
        pages = f"{start}—{end}" if i == last and end > start else str(start)
        texts = (str(i + 1), entry.title, cn_date(entry.date), pages, "")
        aligns = [WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT] + [WD_ALIGN_PARAGRAPH.CENTER] * 3
        for cell, text, align in zip(row.cells, texts, aligns, strict=True):
            _cell_text(cell, text, FONT_BODY, 12, align)
    doc.save(path)


#: Stamp pages: A4, 20 mm side margins; each holds one number at the top of its text area.
_STAMP_MARGIN_MM = 20.0


def write_stamps(path: Path, numbers: Sequence[int]) -> None:
    """One page per number, "— N —", right-aligned when N is odd, left-aligned when even."""
    m = _STAMP_MARGIN_MM
    doc = _new_document((m, m, m, m))
    for i, n in enumerate(numbers):
        align = WD_ALIGN_PARAGRAPH.RIGHT if n % 2 else WD_ALIGN_PARAGRAPH.LEFT
        p = _para(doc, f"— {n} —", FONT_NUMBER, NUMBER_SIZE_PT, align=align)
        p.paragraph_format.page_break_before = i > 0
    doc.save(path)


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
    m = _STAMP_MARGIN_MM * MM
    landscape = page_w > page_h
    upright_w = page_h if landscape else page_w  # the page as bound, upright
    if number % 2:  # odd: right edge one character in from the text block's right edge
        dx = (upright_w - geo.right - NUMBER_INDENT_PT) - (210 * MM - m)
    else:  # even: left edge one character in from the text block's left edge
        dx = (geo.left + NUMBER_INDENT_PT) - m
    target_baseline = geo.bottom - NUMBER_GAP_MM * MM - _DASH_HEIGHT_EM * NUMBER_SIZE_PT
    t = Transformation().translate(dx, target_baseline - baseline)
    if landscape:
        # Upright (x, y) -> landscape (y, upright_w - x): the page turned the way it is bound.
        t = t.transform(Transformation((0, -1, 1, 0, 0, upright_w)))
    return t.translate(origin[0], origin[1])


# --- the volume ----------------------------------------------------------------------------


def _fail(entry: VolumeEntry | None, message: str, volume_name: str, dest: Path, hint: str | None = None):
    where = entry.docx.name if entry else dest.name
    return ConverterError(f"{message}；卷册「{volume_name}」未生成", hint=hint, location=Location(file=where))


def build_volume(
    documents: list[VolumeEntry],
    dest: Path,
    *,
    branch: str,
    term_label: str,
    volume_name: str,
    work_dir: Path | None = None,
    timeout: float = 120,
    retries: int = 1,
) -> VolumeResult:
    """Write the bound volume ``dest`` (one PDF) and say where each document starts.

    ``documents`` are in archive order; each may be a .docx (the usual case), a legacy
    .doc/.wps/.rtf/.odt (turned into .docx first) or a PDF. Intermediate files go to a
    temporary folder inside ``work_dir`` (the system's temp folder when None), removed at the
    end. ``dest`` is replaced atomically. Raises ConverterError (in Chinese, naming the file).
    """
    dest = Path(dest)
    if not documents:
        raise ConverterError(f"卷内没有文件，卷册「{volume_name}」未生成", location=Location(file=dest.name))
    if work_dir is not None:
        Path(work_dir).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="zhibu-volume-", dir=work_dir))
    try:
        return _build(
            documents,
            dest,
            work,
            branch=branch,
            term_label=term_label,
            volume_name=volume_name,
            timeout=timeout,
            retries=retries,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _build(documents, dest, work, *, branch, term_label, volume_name, timeout, retries) -> VolumeResult:
    copies = work / "copies"
    legacy_docx = work / "legacy"
    pdfs = work / "pdf"
    for d in (copies, legacy_docx, pdfs):
        d.mkdir()

    # 1. Per-volume copies without the documents' own page numbers.
    kinds: list[str] = []
    sources: list[Path] = []
    for i, entry in enumerate(documents):
        src = Path(entry.docx)
        if not src.is_file():
            raise _fail(
                entry,
                "文件不存在，无法编入卷册",
                volume_name,
                dest,
                hint="请确认该文件没有被移动、改名或删除。",
            )
        infilter, problem = sniff_input(src)
        if problem:
            raise _fail(
                entry,
                f"{problem}，无法编入卷册",
                volume_name,
                dest,
                hint="请用 Word 或 WPS 打开检查该文件，另存为 .docx 后重新生成。",
            )
        with src.open("rb") as fh:
            is_pdf = fh.read(5) == b"%PDF-"
        kinds.append("pdf" if is_pdf else "docx" if infilter == "MS Word 2007 XML" else "legacy")
        suffix = ".pdf" if is_pdf else ".docx" if kinds[-1] == "docx" else src.suffix.lower() or ".doc"
        copy = copies / f"{i + 1:03d}{suffix}"
        shutil.copyfile(src, copy)
        sources.append(copy)

    legacy = [i for i, k in enumerate(kinds) if k == "legacy"]
    if legacy:
        res = convert_documents(
            [sources[i] for i in legacy], legacy_docx, target="docx", timeout=timeout, retries=retries
        )
        for i in legacy:
            if sources[i] in res.failures:
                raise _fail(
                    documents[i],
                    res.failures[sources[i]].message,
                    volume_name,
                    dest,
                    hint=res.failures[sources[i]].hint,
                )
            sources[i] = res.pdfs[sources[i]]  # (a .docx here)
            kinds[i] = "docx"

    geometries: list[tuple[PageGeometry | None, PageGeometry | None]] = []
    for i, kind in enumerate(kinds):
        if kind == "docx":
            stripped = copies / f"{i + 1:03d}-volume.docx"
            try:
                strip_page_numbers(sources[i], stripped)
            except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError):
                stripped = sources[i]  # LibreOffice will judge it
            geometries.append(read_geometry(stripped))
            sources[i] = stripped
        else:
            geometries.append((None, None))

    # 2. The documents to PDF, many per LibreOffice start.
    res = convert_documents(sources, pdfs, timeout=timeout, retries=retries)
    for i, src in enumerate(sources):
        if src in res.failures:
            err = res.failures[src]
            raise _fail(documents[i], err.message, volume_name, dest, hint=err.hint)
    readers = [PdfReader(res.pdfs[src]) for src in sources]
    counts = [len(r.pages) for r in readers]
    starts, ends, n = [], [], 1
    for c in counts:
        starts.append(n)
        ends.append(n + c - 1)
        n += c
    total = n - 1

    # 3. Cover, 卷内目录 and the number stamps, in one more LibreOffice start.
    front = work / "front"
    front.mkdir()
    cover_docx, toc_docx, stamps_docx = front / "cover.docx", front / "toc.docx", front / "stamps.docx"
    write_cover(
        cover_docx,
        branch=branch,
        term_label=term_label,
        volume_name=volume_name,
        dates=date_range(documents),
        count=len(documents),
        pages=total,
    )
    write_toc(toc_docx, documents, starts, ends)
    write_stamps(stamps_docx, range(1, total + 1))
    res = convert_documents(
        [cover_docx, toc_docx, stamps_docx], front / "pdf", timeout=timeout, retries=retries
    )
    if res.failures:
        err = next(iter(res.failures.values()))
        raise _fail(None, f"无法生成封面、卷内目录或页码（{err.message}）", volume_name, dest, hint=err.hint)
    cover = PdfReader(res.pdfs[cover_docx])
    toc = PdfReader(res.pdfs[toc_docx])
    stamps = PdfReader(res.pdfs[stamps_docx])
    if len(stamps.pages) != total:
        raise _fail(
            None, f"页码排版异常（需要 {total} 个页码，生成了 {len(stamps.pages)} 个）", volume_name, dest
        )
    if len(cover.pages) != 1:
        raise _fail(
            None,
            "封面超过一页（支部名称或卷名过长）",
            volume_name,
            dest,
            hint="请缩短支部名称或卷名后重新生成。",
        )
    fallback = 297 * MM - _STAMP_MARGIN_MM * MM - 1.0 * NUMBER_SIZE_PT
    baselines = [(_first_baseline(stamps.pages[k]) or fallback) for k in range(min(2, total))]

    # 4. Merge and stamp.
    writer = PdfWriter()
    for page in [*cover.pages, *toc.pages]:
        writer.add_page(page)
    number = 0
    for (upright, landscape), reader in zip(geometries, readers, strict=True):
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
                stamps.pages[number - 1],
                _stamp_transform(number, geo, baseline, w, h, (float(box.left), float(box.bottom))),
            )
    writer.add_metadata({"/Title": f"{branch} {term_label} {volume_name}", "/Creator": "zhibu"})
    writer.compress_identical_objects()

    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.zhibu-partial")
    try:
        with partial.open("wb") as fh:
            writer.write(fh)
        os.replace(partial, dest)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ConverterError(
            f"无法写入卷册文件（{exc.strerror or exc}）",
            hint="请检查文件夹的写入权限和磁盘空间；如果该 PDF 正在被打开，请先关闭。",
            location=Location(file=dest.name),
        ) from exc
    front_pages = len(cover.pages) + len(toc.pages)
    return VolumeResult(
        pdf=dest,
        page_count=front_pages + total,
        numbered_pages=total,
        front_pages=front_pages,
        toc_pages=len(toc.pages),
        start_pages=starts,
        end_pages=ends,
    )
