"""Planning one meeting's minutes: the single place that decides what a document will say
and where it will be filed.

``plan_minutes`` is pure: a meeting record and a ``PlanningState`` (what the workspace knows:
configuration, quorum rules, the active roster, stored sign-in sheets) in, a ``PlannedMinutes``
out (template variables, archive path, index row, warnings). ``zhibu run`` and ``zhibu watch``
render and file it, ``zhibu check`` renders it and writes nothing, ``zhibu batch --rerender``
renders it again through the batch renderer: all four say the same thing about a meeting.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from pipeline.config import Config
from pipeline.fs.files import render_path
from pipeline.records import attendance
from pipeline.records.archived import talk_pair
from pipeline.records.calendar import Term
from pipeline.records.checks import QuorumRule, check_meeting
from pipeline.records.crosscheck import Sources, decisions_of, minutes_against_records, minutes_label
from pipeline.records.development import Person
from pipeline.records.meeting import Meeting
from pipeline.records.register_rows import Member, SignInSheet
from pipeline.records.rules import load_rules
from pipeline.records.votes import vote_problems, voting_figures
from pipeline.render.minutes import build_context
from pipeline.store import Store


@dataclass(frozen=True)
class PlanningState:
    """What planning needs from the workspace, read once and shared by every meeting of a run."""

    config: Config
    quorum: dict[str, QuorumRule]
    roster: tuple[Member, ...] = ()
    signins: dict[tuple[str, str], SignInSheet] = field(default_factory=dict)
    people: tuple[Person, ...] = ()  # the 发展党员登记表, for the cross-checks of the minutes
    sources: Sources = field(default_factory=Sources)  # the files those name

    @classmethod
    def read(cls, config: Config, store: Store | None = None) -> PlanningState:
        """The state of a workspace; ``store`` None (no index yet) means nothing is stored."""
        quorum = load_rules(config).quorum
        if store is None:
            return cls(config, quorum)
        return cls(
            config,
            quorum,
            tuple(store.active_roster()),
            store.signin_sheets(),
            tuple(store.development_people()),
            Sources(store.roster_file(), store.development_files()),
        )

    def with_roster(self, members: list[Member]) -> PlanningState:
        """The same state with a roster that is about to be filed."""
        return replace(self, roster=tuple(members))


@dataclass
class PlannedMinutes:
    meeting: Meeting  # the record as completed by the roster and sign-in sheet
    term: Term
    context: dict  # the template variables
    rel_path: PurePosixPath  # where the document goes, relative to outbox/
    row: dict  # the index row of the document (``outputs`` columns)
    warnings: list[str]  # for the run summary, each prefixed with the meeting's date and type


def plan_minutes(meeting: Meeting, state: PlanningState) -> PlannedMinutes:
    """Complete the attendance, build the template variables, choose the archive path."""
    # A copy with its own lists: attendance is completed on it, the record itself stays as read.
    m = replace(
        meeting,
        attendees=list(meeting.attendees),
        absentees=list(meeting.absentees),
        observers=list(meeting.observers),
        warnings=list(meeting.warnings),
    )
    cfg = state.config
    sheet = m.signin
    if sheet is None and not m.type.is_talk:
        sheet = state.signins.get((m.type.name, m.date.isoformat()))
    m.party_group = m.party_group or attendance.party_group(m, list(state.roster))
    attendance.apply(m, signin=sheet, members=list(state.roster), config_committee=cfg.committee)
    term = cfg.calendar.term_of(m.date)
    context = build_context(m, cfg.branch, term.label, state.quorum)
    text = searchable_text(context)
    archive = cfg.archive
    rel = render_path(
        archive.minutes_path,
        path_values(term, m.date.isoformat(), m.type.name, m.title),
        archive.max_name_length,
    )
    warnings = (
        list(m.warnings)
        + check_meeting(m, state.quorum)
        + vote_problems(m.type.name, text, *voting_figures(m))
    )
    row = {
        "kind": "minutes",
        "meeting_type": m.type.name,
        "also_types": ",".join(m.also_types),
        "date": m.date.isoformat(),
        "term": term.id,
        "title": context["会议名称"],
        "topic": m.topic,
        "chair": m.chair,
        "place": m.place,
        "expected": m.expected_count(),  # None when nothing states it: stored as NULL, never 0
        "present": m.present_count(),
        "warnings": json.dumps(warnings, ensure_ascii=False),
        "body_text": text,
        **talk_columns(m, context),
        **fact_columns(m),
    }
    prefix = f"{m.date.isoformat()} {m.type.name}："
    # The roster and the register may be corrected after the minutes are filed: their disagreements
    # are said in the run and in zhibu status, not stored with the minutes.
    where = minutes_label(m.date, m.type.name)
    decided = decisions_of(m.type.name, m.date, text, where)
    found = minutes_against_records(decided, list(state.roster), list(state.people), state.sources)
    said = [prefix + w for w in warnings] + [f"{prefix}核对：{f.text}" for f in found]
    return PlannedMinutes(m, term, context, rel, row, said)


def talk_columns(m: Meeting, context: dict) -> dict[str, str | None]:
    """谈话人 and 谈话对象 of a talk record as its document states them (the title when it does not)."""
    if not m.type.is_talk:
        return {"talker": None, "partner": None}
    named = talk_pair(context["会议名称"])
    return {"talker": context["谈话人"] or named[0], "partner": context["谈话对象"] or named[1]}


def fact_columns(m: Meeting) -> dict[str, str | None]:
    """What tells this activity from another of the same day, and who was responsible for it:
    start time, 记录人, 主讲人, 党小组, absentees (None where the record states nothing)."""
    return {
        "start_time": m.time.strftime("%H:%M") if m.time else None,
        "recorder": m.recorder or None,
        "lecturer": m.lecturer or None,
        "party_group": m.party_group or None,
        "absentees": "、".join(a.name for a in m.absentees) or None,
    }


def path_values(term: Term, day: str, meeting_type: str = "", title: str = "") -> dict[str, str]:
    """The values of the archive path patterns (zhibu.toml [archive])."""
    return {"学年": term.year_folder, "学期": term.name, "日期": day, "类型": meeting_type, "主题": title}


# The fields that open a document's searchable text, one line each, before its content.
SEARCH_FIELDS = ("会议名称", "时间", "地点", "主持人", "记录人", "出席人员", "缺席人员", "谈话人", "谈话对象")


def searchable_text(context: dict) -> str:
    """The text of a document that ``zhibu search`` looks in: the ``SEARCH_FIELDS``, then the
    headings and paragraphs of its content."""
    parts = [str(context.get(k, "")) for k in SEARCH_FIELDS]
    for section in context.get("正文", []):
        parts.append(section["标题"])
        parts.extend(section["段落"])
    return "\n".join(parts)


def roster_cache_enabled() -> bool:
    """The planning state is cached per roster and sign-in version; ZHIBU_NO_ROSTER_CACHE=1
    reads it again for every meeting (the baseline of benchmarks/scale.py)."""
    return os.environ.get("ZHIBU_NO_ROSTER_CACHE") != "1"
