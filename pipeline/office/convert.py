"""Documents to PDF (or legacy formats to .docx/.xlsx) with LibreOffice: the driver.

``convert_documents`` returns successes and failures for callers that report per file;
``convert_to_pdf`` is the simple API (raises when any file failed, after converting all the
others). How the work is done is in ``soffice`` (one start, watchdog, profile), ``isolate``
(copies that reach nothing outside) and ``workers`` (parallel chunks, checks, retries).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from pipeline.errors import BatchConversionError, ConverterError, Location
from pipeline.fs.files import publish
from pipeline.office.inputs import sniff_input, unique_names, valid_pdf_pages
from pipeline.office.soffice import find_soffice
from pipeline.office.workers import ConversionResult, Job, Plan, Pool

DEFAULT_CHUNK_SIZE = 20
#: Seconds without progress after which LibreOffice is judged stuck on a file.
DEFAULT_STALL = 30.0
MAX_WORKERS = 4

TARGETS = {
    "pdf": ("pdf:writer_pdf_Export", ".pdf"),
    "docx": ("docx:MS Word 2007 XML", ".docx"),
    "xlsx": ("xlsx:Calc MS Excel 2007 XML", ".xlsx"),
}


def default_workers() -> int:
    """One LibreOffice per core, at most MAX_WORKERS (each takes 150–300 MB of memory)."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _prepare_out_dir(out_dir: Path | None) -> Path:
    if out_dir is None:
        raise ValueError("convert_documents needs out_dir or destinations")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConverterError(
            f"无法创建输出文件夹（{exc.strerror or exc}）",
            hint="请检查该文件夹的位置和写入权限。",
            location=Location(file=str(out_dir)),
        ) from exc
    return out_dir


def _jobs(sources, dests, target: str, suffix: str, result: ConversionResult) -> list[Job]:
    """Jobs for LibreOffice; refuses damaged files and passes PDFs through when making PDFs."""
    jobs = []
    for i, src in enumerate(sources):
        infilter, problem = sniff_input(src)
        if problem:
            result.failures[src] = ConverterError(
                f"{problem}，无法转换为 {suffix[1:].upper()}",
                hint="请用 Word 或 WPS 打开检查该文件，另存为 .docx 后重新放入。",
                location=Location(file=src.name),
            )
        elif target == "pdf" and valid_pdf_pages(src):
            result.pdfs[src] = publish(dests[src], source=src)  # already a PDF: nothing to convert
        else:
            jobs.append(Job(src, i, infilter, dests[src]))
    return jobs


def convert_documents(
    paths: Iterable[Path],
    out_dir: Path | None = None,
    *,
    destinations: Mapping[Path, Path] | None = None,
    stall: float = DEFAULT_STALL,
    retries: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int | None = None,
    target: str = "pdf",
    progress: Callable[[int, int], None] | None = None,
    durable: bool = True,
) -> ConversionResult:
    """Convert every file it can; report the others, each with a Chinese ConverterError.

    ``target`` is ``"pdf"``, ``"docx"`` or ``"xlsx"`` (legacy .doc/.xls to Office XML). Outputs
    are ``out_dir/<stem>.<target>`` (stems that repeat get " (2)", " (3)"...), or the paths
    given in ``destinations``; each is published atomically. ``stall`` is how many seconds
    LibreOffice may go without finishing a file (plus allowances for its start-up and large
    files) before it is killed; the file it hung on fails, the others go on. Other failures are
    retried ``retries`` times, alone. ``workers`` LibreOffice processes run at once (default:
    one per core, at most 4); with few files each gets one chunk. ``progress(done, total)`` is
    called as files finish (from the workers' threads). ``durable=False`` skips the fsyncs
    (outputs that are themselves temporary). Raises ConverterError only when
    LibreOffice is missing or ``out_dir`` cannot be written.
    """
    if target not in TARGETS:
        raise ValueError(f"unsupported target {target!r}")
    convert_to, suffix = TARGETS[target]
    sources = list(dict.fromkeys(Path(p) for p in paths))  # same path twice: convert once
    result = ConversionResult()
    if not sources:
        return result
    if destinations is None:
        out = _prepare_out_dir(out_dir)
        dests = {s: out / n for s, n in zip(sources, unique_names(sources, suffix), strict=True)}
    else:
        dests = {s: Path(destinations[s]) for s in sources}
    jobs = _jobs(sources, dests, target, suffix, result)
    if progress and (result.failures or result.pdfs):
        progress(len(result.failures) + len(result.pdfs), len(sources))
    if not jobs:
        return result
    workers = max(1, workers or default_workers())
    workers = min(workers, len(jobs))
    # Few files: one chunk per worker, so that no worker waits and no extra start is paid.
    chunk = max(1, min(chunk_size, math.ceil(len(jobs) / workers)))
    plan = Plan(
        soffice=find_soffice(about=jobs[0].source.name),
        convert_to=convert_to,
        suffix=suffix,
        stall=stall,
        retries=retries,
        chunk_size=chunk,
        total=len(sources),
        progress=progress,
        durable=durable,
    )
    Pool(plan, jobs, result).run(workers)
    return result


def convert_to_pdf(
    docx_paths: list[Path],
    out_dir: Path,
    *,
    stall: float = DEFAULT_STALL,
    retries: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Convert Word documents to PDF in ``out_dir``; the PDFs in the order of the inputs.

    All convertible files are converted even when some fail; then a failure raises
    :class:`BatchConversionError` (a ConverterError naming the first failed file, with
    ``.result`` holding every PDF made and every failure).
    """
    result = convert_documents(
        docx_paths,
        out_dir,
        stall=stall,
        retries=retries,
        chunk_size=chunk_size,
        workers=workers,
        progress=progress,
    )
    if result.failures:
        raise BatchConversionError(result)
    return [result.pdfs[Path(p)] for p in docx_paths]
