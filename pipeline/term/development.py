"""发展党员 at term level: reminders for zhibu status, the cross-check with the archived minutes,
the 发展党员台账 sheet of the term ledger, the papers (发展对象公示, 发展党员进度表) and the counts
of the 成果汇编. Everything reads the snapshot; nothing here writes except through ``publish``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.ingest.dates import cn_date
from pipeline.kinds.development import DATA as PEOPLE
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.development import (
    LABELS,
    STEPS,
    Assessment,
    Person,
    Rules,
    assess,
    term_counts,
)
from pipeline.records.workdays import calendar_covers, working_days
from pipeline.term.data import MeetingRow, Snapshot

GENERAL, COMMITTEE = "支部党员大会", "支委会"
_VOTE = re.compile(r"赞成\s*[0-9０-９一二三四五六七八九十两]+\s*[票人]")
# (register field, meeting type that decides it, what it decides)
DECIDED_BY = (
    ("activist", COMMITTEE, "确定入党积极分子"),
    ("candidate", COMMITTEE, "确定发展对象"),
    ("accepted", GENERAL, "接收预备党员"),
    ("regular_meeting", GENERAL, "讨论转正"),
)
NEAR_DAYS = 60  # minutes this close to the register's date are reported as a mismatch


def rules_of(config) -> Rules:
    return Rules.from_config(config.development)


def assessed(snap: Snapshot, config) -> list[Assessment]:
    rules = rules_of(config)
    return [assess(p, rules) for p in snap.of(PEOPLE)]


# --- reminders (zhibu status) ----------------------------------------------------------------


def reminders(items: list[Assessment], today: dt.date, rules: Rules) -> list[dict]:
    """Overdue steps and those due (or allowed) within ``remind_days``, most urgent first."""
    out = []
    for a in items:
        if not a.reminder(today, rules):
            continue
        s = a.step
        day = s.due or s.earliest
        out.append(
            {
                "person": a.person.name,
                "stage": a.stage,
                "step": s.text,
                "due": s.due.isoformat() if s.due else None,
                "from": s.earliest.isoformat() if s.earliest else None,
                "overdue": a.overdue(today),
                "text": f"{a.person.name}：{s.text}" + (f"（截止{cn_date(s.due)}）" if s.due else ""),
                "_day": day,
            }
        )
    out.sort(key=lambda r: (not r["overdue"], r["_day"]))
    for r in out:
        del r["_day"]
    return out


def violation_list(items: list[Assessment]) -> list[dict]:
    return [
        {"person": a.person.name, "column": LABELS.get(v.field, v.field), "problem": v.message}
        for a in items
        for v in a.violations
    ]


# --- the cross-check with the minutes ---------------------------------------------------------


@dataclass
class MinutesCheck:
    person: str
    step: str
    date: dt.date
    meeting_type: str
    problem: str  # "" when the minutes are in order
    path: str = ""

    def as_dict(self) -> dict:
        return {
            "person": self.person,
            "step": self.step,
            "date": self.date.isoformat(),
            "meeting_type": self.meeting_type,
            "problem": self.problem,
            "path": self.path,
        }

    @property
    def text(self) -> str:
        head = f"{self.person} {self.step}（{self.date.isoformat()}，{self.meeting_type}）"
        return f"{head}：{self.problem}" if self.problem else f"{head}：会议记录相符"


def _text(m: MeetingRow) -> str:
    return "\n".join((m.title, m.topic, m.body_text))


def _names(m: MeetingRow, name: str) -> bool:
    return name in _text(m)


def _has_vote(m: MeetingRow, name: str) -> bool:
    """A vote count on a line naming the person, or anywhere when only the person is decided on."""
    lines = [line for line in m.body_text.splitlines() if name in line]
    return any(_VOTE.search(line) for line in lines) or bool(_VOTE.search(m.body_text))


def cross_check(people: list[Person], meetings: list[MeetingRow]) -> list[MinutesCheck]:
    """Every decision date of the register against the archived minutes of that day."""
    by_type: dict[str, list[MeetingRow]] = defaultdict(list)
    for m in meetings:
        by_type[m.type].append(m)
    out = []
    for p in people:
        for key, mtype, step in DECIDED_BY:
            day = p.get(key)
            if day is None:
                continue
            out.append(_check_one(p.name, step, day, mtype, by_type[mtype]))
    return out


def _check_one(name: str, step: str, day: dt.date, mtype: str, meetings: list[MeetingRow]) -> MinutesCheck:
    same_day = [m for m in meetings if m.date == day]
    naming = [m for m in same_day if _names(m, name)]
    if naming:
        m = naming[0]
        if mtype == GENERAL and not _has_vote(m, name):
            return MinutesCheck(
                name, step, day, mtype, "会议记录中没有表决情况（赞成、反对、弃权票数）", m.path
            )
        return MinutesCheck(name, step, day, mtype, "", m.path)
    near = [
        m for m in meetings if m.date != day and abs((m.date - day).days) <= NEAR_DAYS and _names(m, name)
    ]
    if near:
        m = min(near, key=lambda m: abs((m.date - day).days))
        return MinutesCheck(
            name, step, day, mtype, f"会议记录的日期是{m.date.isoformat()}，与登记表不一致", m.path
        )
    if same_day:
        return MinutesCheck(name, step, day, mtype, f"当天的{mtype}记录中没有提到{name}", same_day[0].path)
    return MinutesCheck(name, step, day, mtype, f"没有找到当天的{mtype}记录")


# --- status --------------------------------------------------------------------------------


def status_data(snap: Snapshot, config, today: dt.date) -> dict:
    """The 发展党员 part of ``zhibu status --json``."""
    rules = rules_of(config)
    items = assessed(snap, config)
    checks = cross_check(snap.of(PEOPLE), snap.meetings)
    return {
        "development": reminders(items, today, rules),
        "development_people": [
            {
                "person": a.person.name,
                "stage": a.stage,
                "step": a.step.text if a.step else None,
                "due": a.step.due.isoformat() if a.step and a.step.due else None,
                "overdue": a.overdue(today),
            }
            for a in items
        ],
        "development_violations": violation_list(items),
        "development_minutes": [c.as_dict() for c in checks if c.problem],
    }


def status_lines(snap: Snapshot, config, today: dt.date) -> list[tuple[str, str | None]]:
    """(line, colour) of the 发展党员 section of ``zhibu status``; [] with no register."""
    if not snap.of(PEOPLE):
        return []
    data = status_data(snap, config, today)
    rules = rules_of(config)
    lines: list[tuple[str, str | None]] = [(f"发展党员（{len(snap.of(PEOPLE))}人）：", None)]
    overdue = [r for r in data["development"] if r["overdue"]]
    soon = [r for r in data["development"] if not r["overdue"]]
    if overdue:
        lines.append(("  已逾期：", "red"))
        lines += [(f"    · {r['text']}", None) for r in overdue]
    if soon:
        lines.append((f"  {rules.remind_days}天内到期：", "yellow"))
        lines += [(f"    · {r['text']}", None) for r in soon]
    if not data["development"]:
        lines.append((f"  没有逾期或{rules.remind_days}天内到期的步骤。", "green"))
    if data["development_violations"]:
        lines.append(("  不符合发展党员工作细则的日期：", "red"))
        lines += [(f"    · {v['person']}：{v['problem']}", None) for v in data["development_violations"]]
    if data["development_minutes"]:
        lines.append(("  与会议记录核对：", "yellow"))
        for c in data["development_minutes"]:
            lines.append(
                (f"    · {c['person']} {c['step']}（{c['date']}，{c['meeting_type']}）：{c['problem']}", None)
            )
    return lines


# --- the 成果汇编 counts --------------------------------------------------------------------


def compilation_text(snap: Snapshot, term: Term, calendar: TermCalendar) -> str:
    """One sentence of 发展党员 counts for the term and its academic year; "" with no register."""
    if not snap.of(PEOPLE):
        return ""
    start, end = calendar.bounds(term)
    year_start = calendar.bounds(Term(term.start_year, 1))[0]
    year_end = calendar.bounds(Term(term.start_year, 2))[1]
    t = term_counts(snap.of(PEOPLE), start, end)
    y = term_counts(snap.of(PEOPLE), year_start, year_end)

    def phrase(c: dict) -> str:
        return (
            f"确定入党积极分子{c['积极分子']}人、发展对象{c['发展对象']}人，"
            f"接收预备党员{c['预备党员']}人，预备党员转正{c['转正']}人"
        )

    return f"发展党员工作：{term.label}{phrase(t)}；本学年累计{phrase(y)}。"


def compilation_counts(snap: Snapshot, term: Term, calendar: TermCalendar) -> dict:
    start, end = calendar.bounds(term)
    return term_counts(snap.of(PEOPLE), start, end)


def calendar_note(days: list[dt.date]) -> str:
    """Said when a 公示 falls in a year the holiday calendar does not cover."""
    if all(calendar_covers(d) for d in days):
        return ""
    return "（该年度的法定节假日安排尚未收录，工作日按周一至周五计算，请核对）"


def publicity_days(start: dt.date, end: dt.date) -> int:
    return working_days(start, end)


def step_rows(a: Assessment) -> list[dict]:
    """The 25 steps of one person, for the 进度表."""
    p = a.person
    who = {5: p.contacts, 9: p.introducers}
    rows = []
    for number, stage, step, key, actor in STEPS:
        if key == "assessments":
            day = "、".join(d.isoformat() for d in p.assessments)
        elif key:
            day = p.get(key).isoformat() if p.get(key) else ""
        else:
            day = ""
        if number == 12 and p.publicity_start:
            end = a.publicity_end
            day = day or ""
            step = f"{step}；公示{p.publicity_start.isoformat()}至{end.isoformat() if end else ''}"
        done = bool(day) or bool(who.get(number))
        rows.append(
            {
                "序号": str(number),
                "阶段": stage,
                "步骤": step,
                "日期": day,
                "经办": who.get(number) or actor,
                "情况": "已完成" if done else ("未登记" if key is None else "—"),
            }
        )
    return rows
