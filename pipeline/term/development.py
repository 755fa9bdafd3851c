"""发展党员 at term level: reminders for zhibu status, the cross-checks an inspector makes (the
register, the roster and the archived minutes side by side; the votes filed with the minutes),
the rows of the 进度表 and the counts of the 成果汇编. Everything reads the snapshot; nothing
here writes.
"""

from __future__ import annotations

import datetime as dt

from pipeline.chinese import cn_date
from pipeline.kinds.development import DATA as PEOPLE
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.crosscheck import (
    Finding,
    MinutesCheck,
    Sources,
    decisions_of,
    minutes_against_records,
    minutes_label,
    register_against_minutes,
    roster_against_register,
)
from pipeline.records.development import (
    FULL,
    LABELS,
    Assessment,
    PeriodCounts,
    Person,
    Rules,
    assess,
    period_counts,
    step_states,
)
from pipeline.records.votes import MARK
from pipeline.records.workdays import calendar_covers, working_days
from pipeline.store import Store
from pipeline.term.data import Snapshot


def rules_of(config) -> Rules:
    return Rules.from_config(config.development)


def people_on(snap: Snapshot, day: dt.date) -> list[Person]:
    """The register as it stood on ``day``: steps dated later not done yet, people who had
    not applied by then left out (a document dated ``day`` knows nothing later)."""
    return [seen for p in snap.of(PEOPLE) if (seen := p.as_of(day)) is not None]


def assessed(snap: Snapshot, config, day: dt.date) -> list[Assessment]:
    rules = rules_of(config)
    return [assess(p, rules) for p in people_on(snap, day)]


# --- reminders (zhibu status) ----------------------------------------------------------------


def _reminder(a: Assessment, text: str, due: dt.date | None, start: dt.date | None, overdue: bool) -> dict:
    return {
        "person": a.person.name,
        "stage": a.stage,
        "step": text,
        "due": due.isoformat() if due else None,
        "from": start.isoformat() if start else None,
        "overdue": overdue,
        "text": f"{a.person.name}：{text}" + (f"（截止{cn_date(due)}）" if due else ""),
        "_day": due or start,
    }


def reminders(items: list[Assessment], today: dt.date, rules: Rules) -> list[dict]:
    """Every step past its time limit, and the next step when it is due (or allowed) within
    ``remind_days``; most urgent first."""
    out = []
    for a in items:
        late = a.overdue_steps(today)
        out += [_reminder(a, x.text, x.due, None, True) for x in late]
        s = a.step
        if s and a.reminder(today, rules) and s.text not in {x.text for x in late}:
            out.append(_reminder(a, s.text, s.due, s.earliest, a.overdue(today)))
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


# --- the cross-checks ---------------------------------------------------------------------------


def _where(m) -> str:
    return minutes_label(m.date, m.type, m.path)


def crosscheck(snap: Snapshot, config, term: Term | None, sources: Sources) -> list[dict]:
    """What an inspector finds laying roster, minutes and register side by side: the votes filed
    with the minutes of ``term`` (all terms when None), and each person's standing in the three."""
    meetings = snap.meetings
    if term is not None:
        meetings = [m for m in meetings if m.term == term.id]
    out: list[dict] = []
    for m in meetings:
        out += [
            {"person": "", "problem": f"{_where(m)}：{w.removeprefix(MARK)}", "path": m.path, "kind": "表决"}
            for w in m.warnings
            if w.startswith(MARK)
        ]
    decided = [
        dec
        for m in meetings
        for dec in decisions_of(m.type, m.date, "\n".join((m.title, m.topic, m.body_text)), _where(m))
    ]
    people, members = snap.of(PEOPLE), snap.members
    found: list[Finding] = minutes_against_records(decided, members, people, sources)
    found += roster_against_register(members, people, rules_of(config), sources)
    out += [f.as_dict() | {"path": "", "kind": "身份"} for f in found]
    return out


def sources_of(ws) -> Sources:
    """The file names the cross-checks cite: the active roster's, each register person's."""
    with Store(ws.index_path) as store:
        return Sources(store.roster_file(), store.development_files())


def status_parts(ws, snap: Snapshot, term: Term, today: dt.date) -> tuple[dict, list[tuple[str, str | None]]]:
    """The JSON part and the printed lines of ``zhibu status`` for 发展党员 and the cross-checks."""
    data = status_data(snap, ws.config, today, term, sources_of(ws))
    return data, status_lines(data, len(data["development_people"]), rules_of(ws.config))


def minutes_checks(snap: Snapshot, day: dt.date) -> list[MinutesCheck]:
    """The register's decision dates against the archived minutes, both as they stood on ``day``."""
    return register_against_minutes(people_on(snap, day), [m for m in snap.meetings if m.date <= day])


# --- status --------------------------------------------------------------------------------


def status_data(
    snap: Snapshot, config, today: dt.date, term: Term | None = None, sources: Sources | None = None
) -> dict:
    """The 发展党员 and cross-check parts of ``zhibu status --json``."""
    rules = rules_of(config)
    items = assessed(snap, config, today)
    found = crosscheck(snap, config, term, sources or Sources())
    # A missing vote the minutes' own warnings already name is said once, there.
    voted = {c["path"] for c in found if c["kind"] == "表决"}
    checks = [
        c for c in minutes_checks(snap, today) if c.problem and not ("表决" in c.problem and c.path in voted)
    ]
    return {
        "development": reminders(items, today, rules),
        "development_people": [
            {
                "person": a.person.name,
                "stage": a.stage,
                "step": a.step.text if a.step else None,
                "due": a.step.due.isoformat() if a.step and a.step.due else None,
                "overdue": a.overdue(today),
                "overdue_steps": [
                    {"step": x.number, "text": x.text, "due": x.due.isoformat()}
                    for x in a.overdue_steps(today)
                ],
            }
            for a in items
        ],
        "development_violations": violation_list(items),
        "development_minutes": [c.as_dict() for c in checks],
        "crosscheck": found,
    }


def status_lines(data: dict, people: int, rules: Rules) -> list[tuple[str, str | None]]:
    """(line, colour) of the 发展党员 and 核对 sections of ``zhibu status`` from ``status_data``."""
    lines: list[tuple[str, str | None]] = []
    if people:
        lines += _development_lines(data, people, rules)
    if data["crosscheck"]:
        lines.append(("核对（党员名册、会议记录、发展党员登记表）：", "red"))
        lines += [(f"  · {c['problem']}", None) for c in data["crosscheck"]]
    return lines


def _development_lines(data: dict, people: int, rules: Rules) -> list[tuple[str, str | None]]:
    lines: list[tuple[str, str | None]] = [(f"发展党员（{people}人）：", None)]
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
            day = cn_date(dt.date.fromisoformat(c["date"]))
            lines.append(
                (f"    · {c['person']} {c['step']}（{day}，{c['meeting_type']}）：{c['problem']}", None)
            )
    return lines


# --- the 成果汇编 counts --------------------------------------------------------------------


def _counts(snap: Snapshot, config, start: dt.date, end: dt.date, as_of: dt.date) -> PeriodCounts:
    return period_counts(snap.of(PEOPLE), start, end, rules_of(config), as_of)


def compilation_text(snap: Snapshot, term: Term, config, as_of: dt.date) -> str:
    """The 发展党员 counts of the term and its academic year, approvals as of ``as_of``; "" with
    no register. A 支部大会 decision is counted with how many of its people the 上级党委 approved."""
    if not snap.of(PEOPLE):
        return ""
    calendar: TermCalendar = config.calendar
    start, end = calendar.bounds(term)
    year_start = calendar.bounds(Term(term.start_year, 1))[0]
    year_end = calendar.bounds(Term(term.start_year, 2))[1]
    t = _counts(snap, config, start, min(end, as_of), as_of)
    y = _counts(snap, config, year_start, min(year_end, as_of), as_of)
    if not t.sentence():  # the register records none of the counted steps
        return ""
    return f"发展党员工作：{term.label}{t.sentence()}。本学年累计：{y.sentence()}。"


def compilation_counts(snap: Snapshot, term: Term, config, as_of: dt.date) -> dict:
    start, end = config.calendar.bounds(term)
    return _counts(snap, config, start, min(end, as_of), as_of).as_dict()


def calendar_note(days: list[dt.date]) -> str:
    """Said when a 公示 falls in a year the holiday calendar does not cover."""
    if all(calendar_covers(d) for d in days):
        return ""
    return "（该年度的法定节假日安排尚未收录，工作日按周一至周五计算，请核对）"


def publicity_days(start: dt.date, end: dt.date) -> int:
    return working_days(start, end)


def step_rows(a: Assessment, today: dt.date) -> list[dict]:
    """The 25 steps of one person, for the 进度表 and the web page, judged as of ``today``."""
    return [
        {
            "序号": str(s.number),
            "阶段": s.stage,
            "步骤": s.step,
            "日期": s.value,
            "经办": s.actor,
            "情况": s.state,
        }
        for s in step_states(a, today)
    ]


def next_text(a: Assessment) -> str:
    """下一步 in the papers and the 台账: the step and its deadline; for a 正式党员 whose 入党材料
    are archived (the register says so), that nothing is left; otherwise blank."""
    if a.step is not None:
        return a.step.text + (f"（截止{cn_date(a.step.due)}）" if a.step.due else "")
    archived = a.person.get("archived")
    if a.stage == FULL and archived:
        return f"无（发展程序已完成，入党材料已于{cn_date(archived)}归档）"
    return ""
