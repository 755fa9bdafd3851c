"""Printing: documents to PDF, and a term's bound volume (卷册)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline.api.common import in_workspace
from pipeline.api.reports import PdfReport, Progress, VolumeReport
from pipeline.errors import ZhibuError
from pipeline.fs.leftovers import sweep_workspace
from pipeline.office.convert import convert_documents
from pipeline.office.inputs import is_pdf
from pipeline.printing.volume import VolumeEntry, build_volume
from pipeline.records.calendar import Term
from pipeline.render.minutes import DOCUMENT_TITLES
from pipeline.term.batch import documents_date, run_batch, term_folder
from pipeline.term.data import load_snapshot
from pipeline.term.documents import TermDocument, term_documents
from pipeline.term.volume_pages import record_volume
from pipeline.workspace import Workspace

VOLUME_NAME = "组织活动记录"


def _term_documents(ws: Workspace, term: Term, today: dt.date) -> list[TermDocument]:
    """The term's documents in archive order (``term.documents``), dated as the batch dates them."""
    return term_documents(ws, load_snapshot(ws), term, documents_date(ws.config, term, today))


def file_title(row) -> str:
    """文件题名 of the 卷内目录 for an index row: 支委会会议记录（讨论确定发展对象）."""
    title = row.title or Path(row.path).stem
    if not row.meeting_type:
        return title
    kind = DOCUMENT_TITLES.get(row.meeting_type, f"{row.meeting_type}会议记录")
    return kind if title == row.meeting_type else f"{kind}（{title}）"


def conversion_settings(ws: Workspace) -> dict:
    """zhibu.toml [print]: how many LibreOffice workers, and when one counts as stuck."""
    return {"workers": ws.config.print.workers or None, "stall": ws.config.print.stall_seconds}


def _tick(progress: Progress | None, what: str):
    """convert_documents' progress(done, total) as ``progress(done, total, what)``."""
    return (lambda done, total: progress(done, total, what)) if progress else None


@in_workspace
def pdf(
    ws: Workspace,
    files: Sequence[Path] = (),
    *,
    term: str | None = None,
    destinations: Mapping[Path, Path] | None = None,
    progress: Progress | None = None,
) -> PdfReport:
    """Each document to a PDF (``zhibu pdf``): ``files``, and every document of ``term``. A PDF goes
    beside its document, or where ``destinations`` says (a page's preview cache, say)."""
    sources = [Path(p).resolve() for p in files]
    wanted = {Path(src).resolve(): Path(dest) for src, dest in (destinations or {}).items()}
    if term:  # every document of the term, the 台账 whole; a record filed as a PDF is one already
        documents = _term_documents(ws, Term.parse(term), dt.date.today())
        sources += [d.path for d in documents if not is_pdf(d.path)]
    sources = list(dict.fromkeys(sources))
    if not sources:
        return PdfReport()
    sweep_workspace(ws, holds_lock=False)
    if progress:
        progress(0, len(sources), "")
    result = convert_documents(
        sources,
        destinations={src: wanted.get(src) or src.with_suffix(".pdf") for src in sources},
        progress=_tick(progress, "转换PDF"),
        **conversion_settings(ws),
    )
    return PdfReport(sources, dict(result.pdfs), dict(result.failures), list(result.stalled))


@in_workspace
def print_term(
    ws: Workspace,
    *,
    term: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> VolumeReport:
    """Every document of the term bound in one PDF: cover, 卷内目录 (with 责任者), continuous page
    numbers (``zhibu print``). Term documents not made yet (工作计划, 成果汇编, 台账, 发展党员
    papers) are made first, dated as ``zhibu batch`` dates them (``as_of``); those there already are
    bound as they are."""
    today = today or dt.date.today()
    chosen = Term.parse(term) if term else ws.config.calendar.term_of(today)
    if not any(m.term == chosen.id and (ws.root / m.path).is_file() for m in load_snapshot(ws).meetings):
        raise ZhibuError(
            f"{chosen.label}还没有任何已归档的文档", hint="先把会议笔记放进收件箱（inbox/）归档，再生成卷册。"
        )
    made = run_batch(ws, [chosen], today, as_of=as_of, missing_only=True)[0]
    documents = term_documents(ws, load_snapshot(ws), chosen, made.as_of)
    entries = [
        VolumeEntry(d.title, d.date, d.path, d.responsible, d.sheets, d.remark, d.own_numbers)
        for d in documents
    ]
    dest = term_folder(ws, chosen) / f"{chosen.year_folder}{chosen.name} {VOLUME_NAME}卷.pdf"
    sweep_workspace(ws, holds_lock=False)
    if progress:
        progress(0, len(entries), "")
    volume = build_volume(
        entries,
        dest,
        branch=ws.config.branch_name,
        term_label=chosen.label,
        volume_name=VOLUME_NAME,
        work_dir=ws.state,
        progress=_tick(progress, "转换卷内文件"),
        **conversion_settings(ws),
    )
    pages = {
        d.path.relative_to(ws.root).as_posix(): (first, last)
        for d, first, last in zip(documents, volume.start_pages, volume.end_pages, strict=True)
        if d.path.is_relative_to(ws.root)
    }
    record_volume(ws, chosen.id, dest, f"{chosen.label}{VOLUME_NAME}卷", pages)
    return VolumeReport(chosen, len(entries), volume, made.files, made.warnings + made.errors, documents)
