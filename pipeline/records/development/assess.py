"""Where a person stands: the stage, the next step, the steps past their time limit and the
dates that break 《中国共产党发展党员工作细则》."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.records.development.person import Person, Rules, add_months, birth_date, birth_month, d
from pipeline.records.development.register import (
    ACTIVIST,
    APPLICANT,
    CANDIDATE,
    DEPENDS,
    EXTENDED,
    FULL,
    LABELS,
    MAIN_LINE,
    PROBATIONARY,
)
from pipeline.records.workdays import publicity_end, working_days

# --- where a person stands ------------------------------------------------------------------------


@dataclass
class Step:
    """What a person has to do next: ``due`` a deadline; ``earliest`` a date not to act before."""

    text: str
    due: dt.date | None = None
    earliest: dt.date | None = None


@dataclass(frozen=True)
class Deadline:
    """A step with a time limit that is not done yet: its number among the 25 steps, what is to
    be done and by when."""

    number: int
    text: str
    due: dt.date


@dataclass
class Violation:
    field: str  # the register column concerned (a key of LABELS)
    message: str


@dataclass
class Assessment:
    person: Person
    stage: str
    step: Step | None
    violations: list[Violation]
    probation_end: dt.date | None = None
    publicity_end: dt.date | None = None  # stated, or computed from the start
    deadlines: list[Deadline] = field(default_factory=list)

    def overdue(self, today: dt.date) -> bool:
        return bool(self.step and self.step.due and self.step.due < today)

    def overdue_steps(self, today: dt.date) -> list[Deadline]:
        """Every step whose time limit has passed without it being done, first due first."""
        return [x for x in self.deadlines if x.due < today]

    def reminder(self, today: dt.date, rules: Rules) -> bool:
        """Overdue, or due (or first allowed: a 公示 or a 预备期 ending) within ``remind_days``."""
        s = self.step
        if s is None:
            return False
        soon = today + dt.timedelta(days=rules.remind_days)
        return self.overdue(today) or any(day is not None and day <= soon for day in (s.due, s.earliest))

    @property
    def early_regular(self) -> bool:
        """The 转正 was discussed before the 预备期 ended (a violation; not counted as done)."""
        meeting = self.person.get("regular_meeting")
        return bool(meeting and self.probation_end and meeting < self.probation_end)


def stage_of(p: Person) -> str:
    g = p.get
    if g("regular_approved"):
        return FULL
    if g("accepted"):
        return EXTENDED if p.extension_months else PROBATIONARY
    if g("candidate"):
        return CANDIDATE
    if g("activist"):
        return ACTIVIST
    return APPLICANT


def probation_end(p: Person, rules: Rules) -> dt.date | None:
    """预备期满 (and 转正时间): the date of acceptance one 预备期 (and any extension) later."""
    accepted = p.get("accepted")
    if accepted is None:
        return None
    return add_months(accepted, rules.probation_months + (p.extension_months or 0))


def deadlines(p: Person, rules: Rules, stage: str) -> list[Deadline]:
    """The steps with a time limit that are due and not done (《中国共产党发展党员工作细则》):
    the talk within a month of the application, the half-yearly assessment of an 积极分子, the
    approval within three months of the 支部大会, the 转正 discussion when the 预备期 ends, the
    approval of the 转正 within three months."""
    g = p.get
    out: list[Deadline] = []
    applied = g("applied")
    if applied and not g("talked") and stage == APPLICANT:
        out.append(
            Deadline(2, "派人谈话（收到入党申请书后一个月内）", add_months(applied, rules.talk_months))
        )
    last = g("assessments") or g("activist")
    if stage == ACTIVIST and last:
        out.append(
            Deadline(
                6, "半年考察（培养联系人填写考察意见，支部审核）", add_months(last, rules.assessment_months)
            )
        )
    accepted = g("accepted")
    if accepted and not g("approved") and not g("regular_meeting"):
        out.append(
            Deadline(17, "报上级党委审批（支部大会后三个月内）", add_months(accepted, rules.approval_months))
        )
    end = probation_end(p, rules)
    if end and not g("regular_meeting"):
        due = end + dt.timedelta(days=rules.regular_grace_days)
        out.append(Deadline(23, f"预备期{d(end)}期满，期满后召开支部党员大会讨论转正", due))
    meeting = g("regular_meeting")
    if meeting and not g("regular_approved"):
        out.append(Deadline(24, "报上级党委审批转正（三个月内）", add_months(meeting, rules.approval_months)))
    return sorted(out, key=lambda x: x.due)


def next_step(p: Person, rules: Rules, stage: str, due: list[Deadline] | None = None) -> Step | None:
    """What to do next: the step with a time limit of the current stage, else the next one."""
    g = p.get
    by_number = {x.number: x for x in (deadlines(p, rules, stage) if due is None else due)}
    limited = [n for n in (2, 6, 17, 23, 24) if n in by_number]
    if limited:
        x = by_number[limited[0]]
        return Step(x.text, due=x.due, earliest=probation_end(p, rules) if x.number == 23 else None)
    if stage == APPLICANT:
        return Step("推荐和确定入党积极分子（支委会研究）")
    if stage == CANDIDATE:
        missing = [label for key, label in (("review", "政治审查"), ("training", "集中培训")) if not g(key)]
        if missing:
            return Step(f"完成{'、'.join(missing)}")
        if not p.publicity_start:
            return Step(f"对发展对象进行公示（{rules.publicity_days}个工作日），再召开支部党员大会讨论接收")
        end = p.publicity_end or publicity_end(p.publicity_start, rules.publicity_days)
        return Step(f"公示{d(end)}期满，期满后召开支部党员大会讨论接收", earliest=end + dt.timedelta(days=1))
    if stage == FULL and not g("archived"):
        return Step("入党材料归档")
    return None


def violations(p: Person, rules: Rules) -> list[Violation]:
    out: list[Violation] = []
    g = p.get
    for key, before in DEPENDS:
        this, earlier = g(key), g(before)
        if this and earlier and this < earlier:
            out.append(Violation(key, f"{LABELS[key]}{d(this)}早于{LABELS[before]}{d(earlier)}"))
    activist = g("activist")
    for day in p.assessments:
        if activist and day < activist:
            out.append(Violation("assessments", f"半年考察{d(day)}早于确定积极分子日期{d(activist)}"))
    if p.publicity_start and p.publicity_end and p.publicity_end < p.publicity_start:
        out.append(Violation("publicity_end", f"公示结束日期{d(p.publicity_end)}早于开始日期"))
    done = [k for k in MAIN_LINE if g(k)]
    if done:
        latest = MAIN_LINE.index(done[-1])
        for key in MAIN_LINE[:latest]:
            if not g(key):
                out.append(Violation(key, f"已有{LABELS[done[-1]]}，但没有填写{LABELS[key]}"))
    out += _time_rules(p, rules)
    return out


def _time_rules(p: Person, rules: Rules) -> list[Violation]:
    out: list[Violation] = []
    g = p.get
    born = birth_date(p.birth)
    applied, talked, activist, candidate = g("applied"), g("talked"), g("activist"), g("candidate")
    if born and applied and applied < add_months(born, 12 * rules.min_age):
        out.append(
            Violation(
                "applied",
                f"申请入党时（{d(applied)}）未满{rules.min_age}周岁（出生年月{birth_month(p.birth)}）",
            )
        )
    if applied and talked and talked > add_months(applied, rules.talk_months):
        out.append(Violation("talked", f"谈话{d(talked)}晚于收到申请后{rules.talk_months}个月"))
    if activist and candidate and candidate < add_months(activist, rules.activist_months):
        out.append(
            Violation(
                "candidate",
                f"确定发展对象（{d(candidate)}）距确定积极分子（{d(activist)}）不满{rules.activist_months}个月",
            )
        )
    if p.training_hours is not None and p.training_hours < rules.training_hours:
        out.append(Violation("training", f"集中培训{p.training_hours:g}学时，少于{rules.training_hours}学时"))
    accepted = g("accepted")
    if accepted:
        for key, what in (("review", "政治审查"), ("training", "集中培训")):
            out += _before_acceptance(p, key, what, accepted)
        out += _publicity(p, rules, accepted)
        approved = g("approved")
        if approved and approved > add_months(accepted, rules.approval_months):
            out.append(
                Violation("approved", f"上级审批{d(approved)}超过支部大会后{rules.approval_months}个月")
            )
    return out + _regular_rules(p, rules)


def _before_acceptance(p: Person, key: str, what: str, accepted: dt.date) -> list[Violation]:
    """A step that must come before the 支部大会 accepts: not dated, or dated after it."""
    day = p.get(key)
    if day is None:
        return [Violation(key, f"登记表没有{LABELS[key]}（接收为预备党员前须经{what}）")]
    if day > accepted:
        return [Violation(key, f"{LABELS[key]}{d(day)}晚于支部大会接收日期{d(accepted)}（接收前须经{what}）")]
    return []


def _regular_rules(p: Person, rules: Rules) -> list[Violation]:
    """The 转正: discussed when the 预备期 ends (not before it, nor long after), approved in time."""
    out: list[Violation] = []
    g = p.get
    end = probation_end(p, rules)
    meeting = g("regular_meeting")
    if end and meeting and meeting > end + dt.timedelta(days=rules.regular_grace_days):
        out.append(
            Violation(
                "regular_meeting",
                f"转正大会{d(meeting)}距预备期满（{d(end)}）超过{rules.regular_grace_days}天",
            )
        )
    if end and meeting and meeting < end:
        out.append(Violation("regular_meeting", f"转正大会{d(meeting)}早于预备期满（{d(end)}），属提前转正"))
    approved = g("regular_approved")
    if meeting and approved and approved > add_months(meeting, rules.approval_months):
        out.append(
            Violation("regular_approved", f"转正审批{d(approved)}超过转正大会后{rules.approval_months}个月")
        )
    return out


def _publicity(p: Person, rules: Rules, accepted: dt.date) -> list[Violation]:
    start, end = p.publicity_start, p.publicity_end
    if not start:
        return [Violation("publicity_start", "登记表没有公示日期（接收为预备党员前须公示）")]
    end = end or publicity_end(start, rules.publicity_days)
    if end >= accepted:
        return [Violation("publicity_end", f"公示{d(start)}至{d(end)}未在支部大会（{d(accepted)}）前结束")]
    n = working_days(start, end)
    if n < rules.publicity_days:
        return [
            Violation(
                "publicity_end",
                f"公示{d(start)}至{d(end)}只有{n}个工作日，少于{rules.publicity_days}个工作日",
            )
        ]
    return []


def assess(p: Person, rules: Rules) -> Assessment:
    stage = stage_of(p)
    end = p.publicity_end or (
        publicity_end(p.publicity_start, rules.publicity_days) if p.publicity_start else None
    )
    due = deadlines(p, rules, stage)
    return Assessment(
        p, stage, next_step(p, rules, stage, due), violations(p, rules), probation_end(p, rules), end, due
    )
