"""The term: its documents (台账, 汇编, 计划, 发展党员 papers), its progress, and search."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from pipeline.api.common import in_workspace
from pipeline.api.reports import BatchReport, Progress, SearchReport, StatusReport
from pipeline.errors import CommandLineError, ZhibuError
from pipeline.filing.session import Session
from pipeline.records.calendar import Term, parse_year
from pipeline.records.rules import load_rules
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type
from pipeline.store import Store
from pipeline.term import development, dues
from pipeline.term.assess_run import status_part as assessment_status
from pipeline.term.assess_run import write_assessment
from pipeline.term.batch import run_batch
from pipeline.term.compliance import check_term
from pipeline.term.data import load_snapshot
from pipeline.term.dues_papers import write_year
from pipeline.term.rerender import rerender_term
from pipeline.term.search import search as search_index
from pipeline.term.semester_plan import missing_message, missing_sections
from pipeline.workspace import Workspace


def _terms(ws: Workspace, term: str | None, year: str | None, today: dt.date) -> list[Term]:
    if term and year:
        raise CommandLineError(
            "--term 和 --year 只能选一个",
            hint="生成一个学期用 --term 2024-2025-1，生成整个学年用 --year 2024-2025。",
        )
    if year:
        start = parse_year(year)
        return [Term(start, 1), Term(start, 2)]
    return [Term.parse(term)] if term else [ws.config.calendar.term_of(today)]


@in_workspace
def batch(
    ws: Workspace,
    *,
    term: str | None = None,
    year: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    rerender: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> BatchReport:
    """A term's (or a year's) 台账, 汇编, 计划 and 发展党员 papers (``zhibu batch``), dated and
    judged as of ``as_of`` (default: the last day of a term that has ended, else today), and for a
    year its 党费 papers; with ``rerender`` the term's minutes are first made again with today's
    templates."""
    today = today or dt.date.today()
    report = BatchReport()
    terms = _terms(ws, term, year, today)
    if rerender:
        with Session(ws) as session:
            for t in terms:
                report.rerendered.append((t, rerender_term(session, t, workers=jobs or os.cpu_count())))
    report.terms = run_batch(ws, terms, today, as_of=as_of, progress=progress)
    if year:  # 党费 are accounted by calendar year: the one the academic year starts in
        report.dues = write_year(ws, terms[0].start_year, today)
        # the 考核自评 of the year (a 自然年: the one the academic year starts in)
        report.assessment = write_assessment(ws, year, today, as_of=as_of)
    return report


@in_workspace
def status(ws: Workspace, *, term: str | None = None, today: dt.date | None = None) -> StatusReport:
    """What is due and what is missing in a term, by zhibu.toml's rules (``zhibu status``)."""
    today = today or dt.date.today()
    chosen = _terms(ws, term, None, today)[0]
    cfg = ws.config
    snap = load_snapshot(ws)
    compliance = check_term(chosen, cfg.calendar, load_rules(cfg), snap, cfg.committee, today)
    missing = missing_sections(snap, chosen)
    return StatusReport(
        compliance,
        *development.status_parts(ws, snap, chosen, today),
        dues.status_data(snap, cfg, today),
        dues.status_lines(snap, cfg, today),
        [missing_message(missing)] if missing else [],
        *assessment_status(ws, snap, today),
    )


@in_workspace
def search(
    ws: Workspace,
    words: Sequence[str],
    *,
    meeting_type: str | None = None,
    term: str | None = None,
    limit: int = 50,
) -> SearchReport:
    """The archived minutes holding every word, newest first (``zhibu search``)."""
    activity = None
    if meeting_type:
        found = resolve_meeting_type(meeting_type, exact=True)
        if not found:
            raise ZhibuError(
                f"会议类型「{meeting_type}」无法识别",
                hint=f"请写成以下之一：{'、'.join(t.name for t in MEETING_TYPES)}。",
            )
        activity = found.name
    term_id = Term.parse(term).id if term else None
    query = " ".join(words)
    with Store(ws.index_path) as store:
        hits, method = search_index(store, query, activity=activity, term=term_id, limit=limit)
    return SearchReport(query, method, hits, limit)
