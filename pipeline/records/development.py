"""发展党员 (《中国共产党发展党员工作细则》): each person's path through the 5 stages and 25 steps, by the rules.

Pure: no I/O. A ``Person`` is one row of the 发展党员登记表 (dates as the register states them;
an empty date is a step not done yet). ``assess`` gives the current stage, the next step with
its due date and the violations of the 发展党员工作细则, under ``Rules`` (each period a setting
in zhibu.toml ``[development]``). Working days come from ``chinese_calendar`` (official
holidays and make-up working days); years it does not cover fall back to Monday–Friday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from dateutil.relativedelta import relativedelta

from pipeline.records.workdays import publicity_end, working_days

# --- the register's date columns: key, label ---------------------------------------------------

DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("applied", "申请入党日期"),
    ("talked", "谈话日期"),
    ("activist", "确定积极分子日期"),
    ("activist_filed", "积极分子备案日期"),
    ("candidate", "确定发展对象日期"),
    ("candidate_filed", "发展对象备案日期"),
    ("review", "政审日期"),
    ("training", "集中培训日期"),
    ("committee_review", "支委会审查日期"),
    ("pre_review", "上级预审日期"),
    ("volunteer_form", "填写志愿书日期"),
    ("accepted", "支部大会接收日期"),
    ("upper_talk", "上级谈话日期"),
    ("approved", "上级审批日期"),
    ("oath", "入党宣誓日期"),
    ("regular_applied", "转正申请日期"),
    ("regular_meeting", "转正大会日期"),
    ("regular_approved", "转正审批日期"),
    ("archived", "材料归档日期"),
)
LABELS = dict(DATE_FIELDS) | {
    "publicity_start": "公示开始日期",
    "publicity_end": "公示结束日期",
    "assessments": "半年考察日期",
    "birth": "出生年月",
    "extension": "延长预备期",
}

# Each dated step and the step it depends on: a date earlier than its prerequisite is wrong.
DEPENDS: tuple[tuple[str, str], ...] = (
    ("talked", "applied"),
    ("activist", "applied"),
    ("activist_filed", "activist"),
    ("candidate", "activist"),
    ("candidate_filed", "candidate"),
    ("review", "candidate"),
    ("training", "activist"),
    ("publicity_start", "candidate"),
    ("committee_review", "candidate"),
    ("pre_review", "committee_review"),
    ("volunteer_form", "candidate"),
    ("accepted", "candidate"),
    ("upper_talk", "accepted"),
    ("approved", "accepted"),
    ("oath", "accepted"),
    ("regular_applied", "accepted"),
    ("regular_meeting", "accepted"),
    ("regular_approved", "regular_meeting"),
    ("archived", "regular_meeting"),
)
# A later step that is done while an earlier one on the main line is not.
MAIN_LINE = ("applied", "activist", "candidate", "accepted", "regular_meeting", "regular_approved")

# The 25 steps of the 发展党员工作细则: (number, stage, step, register field or None, who acts).
STAGES = ("申请入党", "入党积极分子", "发展对象", "接收预备党员", "预备党员教育考察和转正")
STEPS: tuple[tuple[int, str, str, str | None, str], ...] = (
    (1, STAGES[0], "递交入党申请书", "applied", "本人"),
    (2, STAGES[0], "党组织派人谈话", "talked", "党支部"),
    (3, STAGES[1], "推荐和确定入党积极分子", "activist", "支委会"),
    (4, STAGES[1], "报上级党委备案", "activist_filed", "党支部"),
    (5, STAGES[1], "指定培养联系人", None, "支委会"),
    (6, STAGES[1], "培养教育考察（半年考察）", "assessments", "党支部"),
    (7, STAGES[2], "确定发展对象", "candidate", "支委会"),
    (8, STAGES[2], "报上级党委备案", "candidate_filed", "党支部"),
    (9, STAGES[2], "确定入党介绍人", None, "党支部"),
    (10, STAGES[2], "政治审查", "review", "党支部"),
    (11, STAGES[2], "集中培训", "training", "上级党委"),
    (12, STAGES[3], "支委会审查（含公示）", "committee_review", "支委会"),
    (13, STAGES[3], "上级党委预审", "pre_review", "上级党委"),
    (14, STAGES[3], "填写入党志愿书", "volunteer_form", "本人"),
    (15, STAGES[3], "支部党员大会讨论接收", "accepted", "支部党员大会"),
    (16, STAGES[3], "上级党委派人谈话", "upper_talk", "上级党委"),
    (17, STAGES[3], "上级党委审批", "approved", "上级党委"),
    (18, STAGES[3], "备案", None, "上级党委"),
    (19, STAGES[4], "编入党支部和党小组", None, "党支部"),
    (20, STAGES[4], "入党宣誓", "oath", "党支部"),
    (21, STAGES[4], "继续教育考察", None, "党支部"),
    (22, STAGES[4], "提出转正申请", "regular_applied", "本人"),
    (23, STAGES[4], "支部党员大会讨论转正", "regular_meeting", "支部党员大会"),
    (24, STAGES[4], "上级党委审批", "regular_approved", "上级党委"),
    (25, STAGES[4], "材料归档", "archived", "党支部"),
)

# Current stage names (status, ledger).
APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY, FULL, EXTENDED = (
    "申请人",
    "积极分子",
    "发展对象",
    "预备党员",
    "正式党员",
    "延长预备期",
)


@dataclass(frozen=True)
class Rules:
    """The periods of 《中国共产党发展党员工作细则》; every one is a zhibu.toml [development] setting."""

    talk_months: int = 1
    assessment_months: int = 6
    activist_months: int = 12
    publicity_days: int = 5  # working days
    approval_months: int = 3
    probation_months: int = 12
    regular_grace_days: int = 30
    min_age: int = 18
    training_hours: int = 24
    remind_days: int = 30

    @classmethod
    def from_config(cls, settings) -> Rules:
        """From zhibu.toml's [development] (``DevelopmentSettings``): the periods it declares."""
        return cls(**{k: getattr(settings, k) for k in cls.__dataclass_fields__ if hasattr(settings, k)})


@dataclass
class Person:
    name: str
    gender: str = ""
    birth: str = ""  # ISO date or YYYY-MM
    unit: str = ""
    dates: dict[str, dt.date] = field(default_factory=dict)  # DATE_FIELDS keys
    assessments: list[dt.date] = field(default_factory=list)
    publicity_start: dt.date | None = None
    publicity_end: dt.date | None = None
    contacts: str = ""  # 培养联系人
    introducers: str = ""  # 入党介绍人
    training_hours: float | None = None
    extension_months: int | None = None  # 延长预备期
    note: str = ""
    sheet: str | None = None
    row: int | None = None

    def get(self, key: str) -> dt.date | None:
        if key == "publicity_start":
            return self.publicity_start
        if key == "publicity_end":
            return self.publicity_end
        if key == "assessments":
            return max(self.assessments) if self.assessments else None
        return self.dates.get(key)

    def as_json(self) -> dict:
        data = asdict(self)
        data["dates"] = {k: v.isoformat() for k, v in self.dates.items()}
        data["assessments"] = [d.isoformat() for d in self.assessments]
        for k in ("publicity_start", "publicity_end"):
            data[k] = data[k].isoformat() if data[k] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> Person:
        data = dict(data)
        data["dates"] = {k: dt.date.fromisoformat(v) for k, v in data.get("dates", {}).items()}
        data["assessments"] = [dt.date.fromisoformat(v) for v in data.get("assessments", [])]
        for k in ("publicity_start", "publicity_end"):
            data[k] = dt.date.fromisoformat(data[k]) if data.get(k) else None
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    def same_facts(self, other: Person) -> bool:
        a, b = self.as_json(), other.as_json()
        for d in (a, b):
            d.pop("sheet", None)
            d.pop("row", None)
        return a == b


def add_months(day: dt.date, months: int) -> dt.date:
    return day + relativedelta(months=months)


def birth_date(text: str) -> dt.date | None:
    """出生年月 as stored (1990-05-12 or 1990-05); a month alone counts from its last day."""
    try:
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1) + relativedelta(months=1, days=-1)
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


# --- where a person stands ------------------------------------------------------------------------


@dataclass
class Step:
    """What a person has to do next: ``due`` a deadline; ``earliest`` a date not to act before."""

    text: str
    due: dt.date | None = None
    earliest: dt.date | None = None


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

    def overdue(self, today: dt.date) -> bool:
        return bool(self.step and self.step.due and self.step.due < today)

    def reminder(self, today: dt.date, rules: Rules) -> bool:
        s = self.step
        if s is None:
            return False
        day = s.due or s.earliest
        return day is not None and (
            self.overdue(today) or day <= today + dt.timedelta(days=rules.remind_days)
        )


def d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


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
    accepted = p.get("accepted")
    if accepted is None:
        return None
    return add_months(accepted, rules.probation_months + (p.extension_months or 0)) - dt.timedelta(days=1)


def next_step(p: Person, rules: Rules, stage: str) -> Step | None:
    g = p.get
    if stage == APPLICANT:
        if g("applied") and not g("talked"):
            return Step(
                "派人谈话（收到入党申请书后一个月内）", due=add_months(g("applied"), rules.talk_months)
            )
        return Step("推荐和确定入党积极分子（支委会研究）")
    if stage == ACTIVIST:
        last = g("assessments") or g("activist")
        return Step(
            "半年考察（培养联系人填写考察意见，支部审核）",
            due=add_months(last, rules.assessment_months),
            earliest=None,
        )
    if stage == CANDIDATE:
        missing = [label for key, label in (("review", "政治审查"), ("training", "集中培训")) if not g(key)]
        if missing:
            return Step(f"完成{'、'.join(missing)}")
        if not p.publicity_start:
            return Step(f"对发展对象进行公示（{rules.publicity_days}个工作日），再召开支部党员大会讨论接收")
        end = p.publicity_end or publicity_end(p.publicity_start, rules.publicity_days)
        return Step(f"公示{d(end)}期满，期满后召开支部党员大会讨论接收", earliest=end + dt.timedelta(days=1))
    if stage in (PROBATIONARY, EXTENDED):
        if not g("approved"):
            return Step(
                "报上级党委审批（支部大会后三个月内）", due=add_months(g("accepted"), rules.approval_months)
            )
        if not g("regular_meeting"):
            end = probation_end(p, rules)
            return Step(f"预备期{d(end)}期满，请召开支部党员大会讨论转正", due=end)
        return Step(
            "报上级党委审批转正（三个月内）", due=add_months(g("regular_meeting"), rules.approval_months)
        )
    if not g("archived"):
        return Step("入党材料归档")
    return None


def violations(p: Person, rules: Rules) -> list[Violation]:
    out: list[Violation] = []
    g = p.get
    for key, before in DEPENDS:
        if g(key) and g(before) and g(key) < g(before):
            out.append(Violation(key, f"{LABELS[key]} {d(g(key))} 早于{LABELS[before]} {d(g(before))}"))
    for day in p.assessments:
        if g("activist") and day < g("activist"):
            out.append(Violation("assessments", f"半年考察 {d(day)} 早于确定积极分子日期 {d(g('activist'))}"))
    if p.publicity_start and p.publicity_end and p.publicity_end < p.publicity_start:
        out.append(Violation("publicity_end", f"公示结束日期 {d(p.publicity_end)} 早于开始日期"))
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
    if born and g("applied") and g("applied") < add_months(born, 12 * rules.min_age):
        out.append(
            Violation(
                "applied", f"申请入党时（{d(g('applied'))}）未满{rules.min_age}周岁（出生年月 {p.birth}）"
            )
        )
    if g("applied") and g("talked") and g("talked") > add_months(g("applied"), rules.talk_months):
        out.append(Violation("talked", f"谈话 {d(g('talked'))} 晚于收到申请后{rules.talk_months}个月"))
    if g("activist") and g("candidate") and g("candidate") < add_months(g("activist"), rules.activist_months):
        out.append(
            Violation(
                "candidate",
                f"确定发展对象（{d(g('candidate'))}）距确定积极分子（{d(g('activist'))}）不满{rules.activist_months}个月",
            )
        )
    if p.training_hours is not None and p.training_hours < rules.training_hours:
        out.append(Violation("training", f"集中培训{p.training_hours:g}学时，少于{rules.training_hours}学时"))
    accepted = g("accepted")
    if accepted:
        if not g("review") or g("review") > accepted:
            out.append(Violation("review", "接收为预备党员前没有政治审查"))
        if not g("training") or g("training") > accepted:
            out.append(Violation("training", "接收为预备党员前没有参加集中培训"))
        out += _publicity(p, rules, accepted)
        if g("approved") and g("approved") > add_months(accepted, rules.approval_months):
            out.append(
                Violation(
                    "approved", f"上级审批 {d(g('approved'))} 超过支部大会后{rules.approval_months}个月"
                )
            )
    end = probation_end(p, rules)
    meeting = g("regular_meeting")
    if end and meeting and meeting > end + dt.timedelta(days=rules.regular_grace_days):
        out.append(
            Violation(
                "regular_meeting",
                f"转正大会 {d(meeting)} 距预备期期满（{d(end)}）超过{rules.regular_grace_days}天",
            )
        )
    if end and meeting and meeting < end:
        out.append(Violation("regular_meeting", f"转正大会 {d(meeting)} 早于预备期期满（{d(end)}）"))
    if (
        meeting
        and g("regular_approved")
        and g("regular_approved") > add_months(meeting, rules.approval_months)
    ):
        out.append(
            Violation(
                "regular_approved",
                f"转正审批 {d(g('regular_approved'))} 超过转正大会后{rules.approval_months}个月",
            )
        )
    return out


def _publicity(p: Person, rules: Rules, accepted: dt.date) -> list[Violation]:
    start, end = p.publicity_start, p.publicity_end
    if not start:
        return [Violation("publicity_start", "接收为预备党员前没有公示")]
    end = end or publicity_end(start, rules.publicity_days)
    if end >= accepted:
        return [
            Violation("publicity_end", f"公示 {d(start)} 至 {d(end)} 未在支部大会（{d(accepted)}）前结束")
        ]
    n = working_days(start, end)
    if n < rules.publicity_days:
        return [
            Violation(
                "publicity_end",
                f"公示 {d(start)} 至 {d(end)} 只有{n}个工作日，少于{rules.publicity_days}个工作日",
            )
        ]
    return []


def assess(p: Person, rules: Rules) -> Assessment:
    stage = stage_of(p)
    end = p.publicity_end or (
        publicity_end(p.publicity_start, rules.publicity_days) if p.publicity_start else None
    )
    return Assessment(
        p, stage, next_step(p, rules, stage), violations(p, rules), probation_end(p, rules), end
    )


def term_counts(people: list[Person], start: dt.date, end: dt.date) -> dict[str, int]:
    """New 积极分子, 发展对象, 预备党员 accepted and 转正 dated within [start, end]."""

    def n(key: str) -> int:
        return sum(1 for p in people if p.get(key) and start <= p.get(key) <= end)

    return {
        "积极分子": n("activist"),
        "发展对象": n("candidate"),
        "预备党员": n("accepted"),
        "转正": n("regular_meeting"),
    }
