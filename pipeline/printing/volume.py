"""One PDF for binding: cover, 卷内目录 and every document of the volume, numbered throughout.

Numbering (the choice, following archive practice, GB/T 9705 文书档案案卷格式): the cover and the
卷内目录 carry no page number; the documents are numbered 1..N continuously in archive order.
The 卷内目录's 页号 column gives the number printed on each document's first page (the last
document shows its first and last page, e.g. "12—15", as archive forms do). Since the front
pages are unnumbered, the length of the 卷内目录 cannot shift any number: no fixed-point
iteration is needed, however many pages the 卷内目录 takes.

A PDF is bound as it is (a record exported to PDF, a scan made searchable): its own footer stays,
so its pages get the volume's number in the top outer corner (``stamping.AS_FILED``); so does a
Word document that keeps its own numbers (``VolumeEntry.own_numbers``: one whose contents list its
pages by them, such as the 成果汇编). A workbook
(the 台账's summary pages) is bound as the sheets its entry names, printed with a margin for the
number (``sheets``).

The steps: per-volume copies of the documents without their own page numbers (``stamping``),
the documents to PDF (parallel LibreOffice workers), cover, 卷内目录 and number stamps
(``frontmatter``) to PDF, then merge and stamp, published atomically.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader, PdfWriter

from pipeline.errors import ConverterError, Location
from pipeline.fs.files import publish
from pipeline.fs.leftovers import VOLUME_PREFIX, owned_temp_dir
from pipeline.office.convert import DEFAULT_STALL, convert_documents, default_workers
from pipeline.office.inputs import DOCX_FILTER, SHEET_FILTERS, is_pdf, sniff_input
from pipeline.printing.frontmatter import (
    VolumeEntry,
    cn_date,
    date_range,
    write_cover,
    write_stamps,
    write_toc,
)
from pipeline.printing.sheets import print_copy
from pipeline.printing.stamping import AS_FILED, GBT9704, PageGeometry, merge_and_stamp, page_copy

__all__ = ["GBT9704", "VolumeEntry", "VolumeResult", "build_volume", "cn_date", "date_range"]


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


@dataclass
class _Volume:
    """One build: where it works, how it converts, what to call it in errors."""

    documents: list[VolumeEntry]
    dest: Path
    work: Path
    name: str
    convert: dict

    def fail(self, entry: VolumeEntry | None, message: str, hint: str | None = None) -> ConverterError:
        where = entry.docx.name if entry else self.dest.name
        return ConverterError(
            f"{message}；卷册「{self.name}」未生成", hint=hint, location=Location(file=where)
        )

    def to_pdf(self, sources: list[Path], folder: Path, progress=None) -> dict[Path, Path]:
        res = convert_documents(sources, self.work / folder, progress=progress, **self.convert)
        for i, src in enumerate(sources):
            if src in res.failures:
                err = res.failures[src]
                entry = self.documents[i] if len(sources) == len(self.documents) else None
                raise self.fail(entry, err.message, err.hint)
        return res.pdfs


def build_volume(
    documents: list[VolumeEntry],
    dest: Path,
    *,
    branch: str,
    term_label: str,
    volume_name: str,
    work_dir: Path | None = None,
    stall: float = DEFAULT_STALL,
    retries: int = 1,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> VolumeResult:
    """Write the bound volume ``dest`` (one PDF) and say where each document starts.

    ``documents`` are in archive order; each may be a .docx (the usual case), a legacy
    .doc/.wps/.rtf/.odt (turned into .docx first) or a PDF. Intermediate files go to a
    temporary folder inside ``work_dir`` (the system's temp folder when None), removed at the
    end. ``dest`` is published atomically. ``progress(done, total)`` follows the conversion of the
    documents, the longest step. Raises ConverterError (in Chinese, naming the file).
    """
    dest = Path(dest)
    if not documents:
        raise ConverterError(f"卷内没有文件，卷册「{volume_name}」未生成", location=Location(file=dest.name))
    with owned_temp_dir(VOLUME_PREFIX if work_dir is None else "volume-", work_dir) as work:
        vol = _Volume(
            list(documents),
            dest,
            work,
            volume_name,
            {"stall": stall, "retries": retries, "workers": workers, "durable": False},
        )
        sources, geometries = _prepare(vol)
        pdfs = vol.to_pdf(sources, Path("pdf"), progress=progress)
        readers = [PdfReader(pdfs[src]) for src in sources]
        counts = [len(r.pages) for r in readers]
        starts = [1 + sum(counts[:i]) for i in range(len(counts))]
        ends = [s + c - 1 for s, c in zip(starts, counts, strict=True)]
        total = sum(counts)
        cover, toc, stamps = _front_matter(vol, branch, term_label, starts, ends, total)
        writer = merge_and_stamp(
            [cover, toc], readers, geometries, stamps, f"{branch} {term_label} {volume_name}"
        )
        _publish(dest, writer)
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


def _publish(dest: Path, writer: PdfWriter) -> None:
    """Publish the merged volume at ``dest`` atomically; a ConverterError naming it when it cannot be written."""

    def write(out: BinaryIO) -> None:
        writer.write(out)

    try:
        publish(dest, write=write)
    except OSError as exc:
        raise ConverterError(
            f"无法写入卷册文件（{exc.strerror or exc}）",
            hint="请检查文件夹的写入权限和磁盘空间；如果该 PDF 正在被打开，请先关闭。",
            location=Location(file=dest.name),
        ) from exc


def _prepare(vol: _Volume) -> tuple[list[Path], list[tuple[PageGeometry | None, PageGeometry | None]]]:
    """Per-volume copies: legacy formats as .docx, every .docx without its own page numbers."""
    copies = vol.work / "copies"
    copies.mkdir()
    sources, kinds = [], []
    sheet_geometries: dict[int, tuple[PageGeometry, PageGeometry]] = {}
    for i, entry in enumerate(vol.documents):
        src = Path(entry.docx)
        if not src.is_file():
            raise vol.fail(entry, "文件不存在，无法编入卷册", "请确认该文件没有被移动、改名或删除。")
        infilter, problem = sniff_input(src)
        if problem:
            raise vol.fail(
                entry,
                f"{problem}，无法编入卷册",
                "请用 Word 或 WPS 打开检查该文件，另存为 .docx 后重新生成。",
            )
        kind = _kind(src, infilter)
        suffix = {"pdf": ".pdf", "docx": ".docx", "sheet": ".xlsx"}.get(kind, src.suffix.lower() or ".doc")
        copy = copies / f"{i + 1:03d}{suffix}"
        if kind == "sheet":
            sheet_geometries[i] = _sheet_copy(vol, entry, copy)
        else:
            shutil.copyfile(src, copy)
        sources.append(copy)
        kinds.append(kind)
    legacy = [i for i, k in enumerate(kinds) if k == "legacy"]
    if legacy:
        made = convert_documents(
            [sources[i] for i in legacy], vol.work / "legacy", target="docx", **vol.convert
        )
        for i in legacy:
            err = made.failures.get(sources[i])
            if err:
                raise vol.fail(vol.documents[i], err.message, err.hint)
            sources[i], kinds[i] = made.pdfs[sources[i]], "docx"
    geometries: list[tuple[PageGeometry | None, PageGeometry | None]] = []
    for i, kind in enumerate(kinds):
        if kind == "docx" and vol.documents[i].own_numbers:
            geometries.append((AS_FILED, None))  # its footer numbers stay, as its contents cite them
        elif kind == "docx":
            sources[i], geometry = page_copy(sources[i], copies / f"{i + 1:03d}-volume.docx")
            geometries.append(geometry)
        else:
            geometries.append(
                sheet_geometries.get(i) or ((AS_FILED, None) if kind == "pdf" else (None, None))
            )
    return sources, geometries


def _kind(src: Path, infilter: str | None) -> str:
    """How a document is bound: "pdf" as it is, "docx", "sheet" (a workbook), or "legacy" Word."""
    if is_pdf(src):
        return "pdf"
    if infilter == DOCX_FILTER:
        return "docx"
    return "sheet" if infilter in SHEET_FILTERS else "legacy"


def _sheet_copy(vol: _Volume, entry: VolumeEntry, copy: Path) -> tuple[PageGeometry, PageGeometry]:
    """The workbook's copy that prints the entry's sheets with binding margins."""
    try:
        return print_copy(Path(entry.docx), copy, entry.sheets)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged workbook
        raise vol.fail(
            entry,
            f"表格无法读取（{type(exc).__name__}），无法编入卷册",
            "请用 Excel 或 WPS 打开检查该文件，或重新运行 zhibu batch 生成它。",
        ) from exc


def _front_matter(vol: _Volume, branch: str, term_label: str, starts, ends, total: int):
    """Cover, 卷内目录 and the number stamps (one part per worker), converted side by side."""
    front = vol.work / "front"
    front.mkdir()
    cover_docx, toc_docx = front / "cover.docx", front / "toc.docx"
    write_cover(
        cover_docx,
        branch=branch,
        term_label=term_label,
        volume_name=vol.name,
        dates=date_range(vol.documents),
        count=len(vol.documents),
        pages=total,
    )
    write_toc(toc_docx, vol.documents, starts, ends)
    # The stamps in one part per worker, converted side by side (the longest of these files).
    parts = max(1, min(vol.convert.get("workers") or default_workers(), total))
    bounds = [1 + total * k // parts for k in range(parts + 1)]
    stamp_docx = [front / f"stamps{k + 1}.docx" for k in range(parts)]
    for k, path in enumerate(stamp_docx):
        write_stamps(path, range(bounds[k], bounds[k + 1]))
    sources = [*stamp_docx, cover_docx, toc_docx]
    res = convert_documents(sources, front / "pdf", **{**vol.convert, "chunk_size": 1 if parts > 1 else 20})
    if res.failures:
        err = next(iter(res.failures.values()))
        raise vol.fail(None, f"无法生成封面、卷内目录或页码（{err.message}）", err.hint)
    cover, toc = PdfReader(res.pdfs[cover_docx]), PdfReader(res.pdfs[toc_docx])
    stamps = [page for path in stamp_docx for page in PdfReader(res.pdfs[path]).pages]
    if len(stamps) != total:
        raise vol.fail(None, f"页码排版异常（需要 {total} 个页码，生成了 {len(stamps)} 个）")
    if len(cover.pages) != 1:
        raise vol.fail(None, "封面超过一页（支部名称或卷名过长）", "请缩短支部名称或卷名后重新生成。")
    return cover, toc, stamps
