"""The planner: what filing one input will do, as a ``FilingPlan``, before anything is written.

A plan holds where the original goes, each document to make (rendered, with its index row and
the older version it replaces, which goes to 历史版本), the photos moved beside the original, and
the index writes of a register (its rows, a new roster, sign-ins). A register may change minutes
filed earlier: a sign-in sheet completes its meeting, a roster gives the counts that were
missing; those minutes are planned again and replace their previous version.

Documents are rendered here (``render=True``); ``zhibu doctor`` plans with ``render=False``: its
documents are on disk already, and only their index rows are wanted.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive.commit import FilingPlan, PlannedOutput
from pipeline.errors import ArchiveError
from pipeline.filing.arrival import Arrival
from pipeline.filing.outcome import Outcome
from pipeline.fs.files import inside, render_path, safe_file_name, unique_path
from pipeline.inbox import printable
from pipeline.ingest.result import IngestResult
from pipeline.ingest.sheets import RegisterResult
from pipeline.learn import asis, photo_pages, photos
from pipeline.planning import (
    SEARCH_FIELDS,
    PlannedMinutes,
    PlanningState,
    path_values,
    plan_minutes,
    roster_cache_enabled,
)
from pipeline.records import corrections, same_day
from pipeline.records.archived import MeetingRow
from pipeline.records.meeting import Meeting
from pipeline.registers import filing as register_filing
from pipeline.render.minutes import render_docx
from pipeline.store import Store
from pipeline.workspace import Workspace

log = logging.getLogger("zhibu.filing")


@dataclass(frozen=True)
class Planning:
    """What the planner reads: the workspace, its index and the planning state (roster, sign-ins)."""

    ws: Workspace
    store: Store
    state: PlanningState
    failed: Path  # where a register's 待修正 workbook is written
    render: bool = True  # False: index rows only (``zhibu doctor``), no document is made

    def register_context(self) -> register_filing.FilingContext:
        return register_filing.FilingContext(self.store, self.ws.root, self.failed, self.ws.config)


def plan_filing(planning: Planning, arrival: Arrival, result: IngestResult, outcome: Outcome) -> FilingPlan:
    """Everything filing ``arrival`` will do; register counts and warnings go to ``outcome``."""
    plan = FilingPlan(
        root=planning.ws.root,
        inbox_file=arrival.path,
        sha256=arrival.sha256,
        original_name=arrival.name,
        kind=result.kind,
        original_dest=arrival.archived or original_dest(planning.ws, arrival.path, result),
        signature=arrival.signature,
    )
    if arrival.archived is None:  # the photos dropped with a note join its meeting, archived beside it
        photos.plan_archive(photos.attach(result, arrival.path, planning.ws.inbox), plan, outcome)
    state, filed = planning.state, register_filing.RegisterFiling()
    if isinstance(result, RegisterResult):  # (a register has no photos)
        filed = register_filing.file_register(planning.register_context(), result, plan, outcome)
        if filed.roster is not None:
            state = state.with_roster(filed.roster)
    documents = _Documents(planning, state, plan, outcome)
    for meeting in result.meetings:
        documents.add(meeting, arrival.name)
    for row, meeting in filed.replan:  # minutes completed by a sign-in sheet
        documents.add(meeting, meeting.source_name, row.id)
    if arrival.archived is None and planning.render:
        photos.report_placed(result, plan, outcome)
    counted = 0
    for row, meeting in filed.waiting:  # minutes whose counts the new roster gives
        if row.id not in documents.replanned and plan_minutes(meeting, state).row["expected"] is not None:
            documents.add(meeting, meeting.source_name, row.id)
            counted += 1
    if counted:
        outcome.warnings.append(
            f"已按新名册重新生成{counted}份此前缺少应到、实到人数的会议记录，原稿移到历史版本"
        )
    log.debug(
        "「%s」的归档计划：文档 %d 份，替换旧版本 %d 份，原件归档到 %s",
        arrival.name,
        len(plan.outputs),
        sum(len(o.replaces) for o in plan.outputs),
        plan.rel(plan.original_dest),
    )
    return plan


def original_dest(ws: Workspace, path: Path, result: IngestResult) -> Path:
    """Where the original is archived: the originals folder of its term (zhibu.toml [archive])."""
    day = register_filing.source_day(result, ws.config.calendar) or (
        result.meetings[0].date if result.meetings else dt.date.today()
    )
    term = ws.config.calendar.term_of(day)
    folder = ws.outbox / render_path(ws.config.archive.originals_dir, path_values(term, day.isoformat()))
    target = folder / safe_file_name(
        Path(printable(path.name)).stem, path.suffix.lower(), ws.config.archive.max_name_length
    )
    return unique_path(target)


@dataclass
class _Documents:
    """The documents of one plan: each meeting's minutes, planned once, under a name not taken."""

    planning: Planning
    state: PlanningState
    plan: FilingPlan
    outcome: Outcome
    taken: set[Path] = field(default_factory=set)  # paths given to this plan's documents
    replanned: set[int] = field(default_factory=set)  # filed minutes already planned again

    def add(self, meeting: Meeting, source_name: str, row_id: int | None = None) -> None:
        if row_id is not None and row_id in self.replanned:
            return
        if row_id is not None:
            self.replanned.add(row_id)
        planned, warnings = plan_meeting(
            self.planning, meeting, source_name, self.taken, self.state, self.plan.outputs
        )
        self.plan.outputs.append(planned)
        self.outcome.warnings += warnings


def plan_meeting(
    planning: Planning,
    m: Meeting,
    source_name: str,
    taken: set[Path],
    state: PlanningState,
    pending: Sequence[PlannedOutput] = (),
) -> tuple[PlannedOutput, list[str]]:
    """Plan, render and place one meeting's minutes; an older version of the same meeting (same
    type and date, same topic or file name; with “更正” in the file name, every record of the same
    activity that day; a correction that moved the date, see ``moved_from``) is replaced and moved
    to the history folder of its own term. Another record of the same
    activity (filed, or ``pending`` in this plan) is a warning (``records.same_day``)."""
    ws = planning.ws
    if not roster_cache_enabled():
        # The baseline of benchmarks/scale.py (ZHIBU_NO_ROSTER_CACHE=1): the roster and sign-ins
        # read again for every meeting, as before they were read once per version.
        state = PlanningState.read(ws.config, planning.store)
    planned = plan_minutes(m, state)
    data = _document(planning, planned) if planning.render else None
    target = ws.outbox / planned.rel_path.with_suffix(
        asis.filed_suffix(planned.meeting)
    )  # .pdf: a PDF or scan
    if not inside(target, ws.outbox):
        raise ArchiveError(
            "归档路径超出了 outbox 文件夹", hint="请检查 zhibu.toml 中的 archive.minutes_path。"
        )
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    replaced, clashes = same_day_records(planning.store, planned, source_name, [o.row for o in pending])
    replaces = []
    for row in replaced:
        old = ws.root / row.path
        history = _history_dir(ws, planned if row.date == m.date else row) / f"{stamp} {old.name}"
        replaces.append((row.id, old, unique_path(history, taken)))
        if row.date != m.date:
            clashes.append(corrections.moved_message(row.date, m.date, row.path))
    if (target.exists() and target not in {old for _, old, _ in replaces}) or target in taken:
        target = unique_path(target, taken)
    taken.add(target)
    return PlannedOutput(target, data, planned.row, replaces), planned.warnings + clashes


def same_day_records(
    store: Store, planned: PlannedMinutes, source_name: str, pending: Sequence[dict] = ()
) -> tuple[list[MeetingRow], list[str]]:
    """The filed minutes a planned meeting replaces (the same meeting: type, date and topic or
    file name; with “更正” in the file name every record of the same activity that day; a
    correction that moved the date, ``moved_from``), and the
    warnings about another record of the same activity, filed or ``pending`` (index rows planned
    in the same filing). Used by ``zhibu run`` and ``zhibu check`` alike."""
    m = planned.meeting
    record = same_day.record_of(planned.row, planned.rel_path.as_posix(), source_name)
    replaced = store.same_meeting(m.type.name, m.date.isoformat(), m.topic, source_name)
    replaced += moved_from(store, planned, source_name)
    day = store.minutes_on(m.type.name, m.date.isoformat())
    if same_day.is_correction(source_name):
        known = {x.id for x in replaced}
        replaced += [r for r in day if same_day.same_activity(record, r) and r.id not in known]
    gone = {r.id for r in replaced}
    others = [(r, f"已归档的「{r.path}」（来自「{r.source_name}」）") for r in day if r.id not in gone]
    others += [(same_day.record_of(row, "", source_name), "同一文件中的另一份") for row in pending]
    warnings: list[str] = []
    for row, label in others:
        found = same_day.clash(row, record)
        if found is not None:
            warnings.append(same_day.clash_message(found, label, "这一份"))
    return replaced, warnings


def _history_dir(ws: Workspace, of: PlannedMinutes | MeetingRow) -> Path:
    """The history folder of a record's term and date: a planned meeting's, or a filed record's
    whose correction moved the date."""
    if isinstance(of, PlannedMinutes):
        m = of.meeting
        values = path_values(of.term, m.date.isoformat(), m.type.name, m.title)
    else:
        values = path_values(ws.config.calendar.term_of(of.date), of.date.isoformat(), of.type, of.title)
    return ws.outbox / render_path(ws.config.archive.history_dir, values)


def moved_from(store: Store, planned: PlannedMinutes, source_name: str) -> list[MeetingRow]:
    """The filed minutes on another date that this meeting corrects: a file of the same name, the
    same type and topic, the same text apart from dates and times (``records.corrections``)."""
    m = planned.meeting
    text = planned.row["body_text"]
    return [
        row
        for row in store.same_name_elsewhen(m.type.name, m.date.isoformat(), m.topic, source_name)
        if corrections.same_apart_from_date(text, row.body_text, len(SEARCH_FIELDS))
    ]


def _document(planning: Planning, planned: PlannedMinutes) -> bytes:
    """The document's bytes: a finished record as it is; minutes rendered from the meeting's
    template, with the activity's photos."""
    original = asis.original_of(planned.meeting)
    if original is not None:
        return original
    template = planning.ws.meeting_template(planned.meeting.type)
    said = len(planned.meeting.warnings)
    rendered = render_docx(template, planned.context, display_name=f"templates/{template.name}")
    data = photo_pages.embed(rendered, planned.meeting, template=template)
    planned.warnings += planned.meeting.warnings[said:]
    return data
