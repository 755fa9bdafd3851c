"""The year's assessment, scored: each indicator of the 考核细则 evaluated from the facts of the
archive (``YearFacts``, gathered by ``term.assess_facts``). Pure: facts in, scored indicators out.

Every point lost or won is one line naming what the archive shows ("2024年7月、8月无支委会记录
−1.0"), so each is traceable to the documents listed as the indicator's evidence. A period that
has not ended yet is never a deduction: it is listed as open, with what would recover it
("本月还没有支委会记录"). An indicator whose facts are not in the archive (no 党费收缴登记表) is
not scored and says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline.chinese import cn_date
from pipeline.kinds.achievements import Achievement
from pipeline.records.achievement_terms import LEVELS
from pipeline.records.assessment import (
    BONUS,
    DEVELOPMENT,
    DUES,
    PERIODS,
    PLAN,
    SELF,
    SIGNIN,
    Criteria,
    Indicator,
    points_text,
)
from pipeline.records.calendar import Term
from pipeline.records.development import Assessment
from pipeline.records.dues import ym_of
from pipeline.records.dues_account import Account
from pipeline.term.compliance import CURRENT, DUE, MISSING, Check
from pipeline.term.data import MeetingRow


@dataclass(frozen=True)
class AssessYear:
    """The year assessed: a 自然年 (2024) or a 学年 (2024-2025)."""

    id: str
    start: dt.date
    end: dt.date
    label: str  # 2024年, 2024—2025学年

    @property
    def work_label(self) -> str:
        """What a 工作总结 of the year is called: 2024年度, 2024—2025学年."""
        return self.label.replace("年", "年度") if self.id.isdigit() else self.label

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass(frozen=True)
class Evidence:
    """A supporting file: the archived document or register that shows a fact."""

    title: str
    date: dt.date | None
    path: str  # relative to the workspace root
    page: str = ""  # its pages in the bound volume of its term, when one was printed


@dataclass(frozen=True)
class Line:
    """One itemised deduction (negative) or addition (positive)."""

    text: str
    amount: Decimal

    @property
    def shown(self) -> str:
        sign = "+" if self.amount > 0 else "−"
        value = abs(self.amount)
        figure = f"{value:.1f}" if value == value.quantize(Decimal("0.1")) else points_text(value)
        return f"{self.text} {sign}{figure}"


@dataclass
class Scored:
    indicator: Indicator
    score: Decimal | None  # None: for the secretary (自评, or facts not in the archive)
    lines: list[Line] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # what zhibu found, beside an indicator left to people
    evidence: list[Evidence] = field(default_factory=list)
    open: list[str] = field(default_factory=list)  # losing points now, and what would recover them
    reason: str = ""  # why a measurable indicator was not scored


@dataclass
class YearFacts:
    """What the archive holds for the year, as the evaluator needs it."""

    year: AssessYear
    as_of: dt.date
    today: dt.date
    checks: dict[tuple[str, str], list[Check]] = field(default_factory=dict)  # (activity, per)
    meetings: list[MeetingRow] = field(default_factory=list)  # in the year, one record per activity
    signins: dict[tuple[str, dt.date], Evidence] = field(default_factory=dict)
    achievements: list[tuple[Achievement, Evidence | None]] = field(default_factory=list)
    dues: Account | None = None  # None: no 党费收缴登记表 of the year
    dues_files: list[Evidence] = field(default_factory=list)
    development: list[Assessment] | None = None  # None: no 发展党员登记表
    development_files: list[Evidence] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)  # terms starting in the year
    plans: dict[str, list[Evidence]] = field(default_factory=dict)  # term id -> its filed plan
    minutes_evidence: dict[int, Evidence] = field(default_factory=dict)  # meeting id -> its record
    self_facts: Callable[[Indicator], tuple[list[str], list[Evidence]]] | None = None


@dataclass
class Result:
    criteria: Criteria
    facts: YearFacts
    scored: list[Scored]

    @property
    def complete(self) -> bool:
        return all(s.score is not None for s in self.scored)

    @property
    def measured(self) -> Decimal:
        """The sum of the scores zhibu computed."""
        return sum((s.score for s in self.scored if s.score is not None), Decimal(0))

    @property
    def pending_points(self) -> Decimal:
        """The 分值 of the indicators left for the secretary."""
        return sum((s.indicator.points for s in self.scored if s.score is None), Decimal(0))

    @property
    def total(self) -> Decimal | None:
        return self.measured if self.complete else None

    @property
    def projected(self) -> Decimal:
        """The total if every indicator left for the secretary got its full 分值."""
        return self.measured + self.pending_points


def evaluate(criteria: Criteria, facts: YearFacts) -> Result:
    return Result(criteria, facts, [score(i, facts) for i in criteria.indicators])


def score(indicator: Indicator, facts: YearFacts) -> Scored:
    kind = indicator.rule.kind
    out = Scored(indicator, None)
    if kind == SELF:
        if facts.self_facts:
            out.facts, out.evidence = facts.self_facts(indicator)
        return out
    SCORERS[kind](out, facts)
    if out.reason:
        out.score = None
        return out
    total = sum((line.amount for line in out.lines), Decimal(0))
    if indicator.rule.bonus:
        cap = indicator.rule.cap if indicator.rule.cap is not None else indicator.points
        out.score = min(total, cap, indicator.points)
        if total > out.score:
            out.facts.append(f"加分合计{points_text(total)}分，按最多{points_text(out.score)}分计")
    else:
        out.score = max(Decimal(0), indicator.points + total)
        if indicator.points + total < 0:
            out.facts.append(f"扣分合计{points_text(-total)}分，超过分值，按0分计")
    return out


# --- each kind of rule ------------------------------------------------------------------------------


def _month_list(periods: list[str]) -> str:
    """['2024-07', '2024-08', '2025-01'] -> 2024年7月、8月、2025年1月."""
    parts, year = [], ""
    for label in periods:
        y, m = label.split("-")
        parts.append(f"{int(m)}月" if y == year else f"{y}年{int(m)}月")
        year = y
    return "、".join(parts)


def _same_year(text: str) -> str:
    """2024年第一季度、2024年第二季度 -> 2024年第一季度、第二季度 (the year said once)."""
    parts, year = [], ""
    for part in text.split("、"):
        head, sep, rest = part.partition("年")
        parts.append(rest if sep and head == year else part)
        year = head if sep else year
    return "、".join(parts)


def _missing_text(rule_name: str, checks: list[Check]) -> str:
    first = checks[0]
    who = f"{first.group}" if first.group else ""
    if first.period.kind == "month":
        when = _month_list([c.period.label for c in checks])
    else:
        when = _same_year("、".join(c.period.zh for c in checks))
    if first.rule.pairs:
        return f"{when}谈心谈话未覆盖（{first.note}）"
    what = "书记讲党课记录" if rule_name == "书记讲党课" else f"{first.rule.activity}记录"
    return f"{who}{when}无{what}"


def _open_text(check: Check) -> str:
    what = "书记讲党课" if check.rule.by else check.rule.activity
    who = check.group or ""
    zh = {"month": "本月", "quarter": "本季度", "half-year": "本半年", "term": "本学期"}
    when = zh.get(check.period.kind, "本年度")
    if check.rule.pairs:
        return f"{when}谈心谈话尚未覆盖（{check.note}）：与尚未谈话的党员谈心谈话"
    return f"{who}{when}还没有{what}记录（{check.period.zh}结束前开展并归档可不扣分）"


def _periods(out: Scored, facts: YearFacts) -> None:
    rule = out.indicator.rule
    checks = facts.checks.get((rule.activity, rule.per), [])
    missing = [c for c in checks if c.status == MISSING]
    by_group: dict[str, list[Check]] = {}
    for c in missing:
        by_group.setdefault(c.group, []).append(c)
    for group_checks in by_group.values():
        text = _missing_text(rule.activity, group_checks)
        out.lines.append(Line(text, -rule.amount * len(group_checks)))
    out.open = [_open_text(c) for c in checks if c.status == DUE and c.period.state(facts.today) == CURRENT]
    held = {m.id: m for c in checks for m in c.meetings if facts.year.contains(m.date)}
    judged = [c for c in checks if c.status not in ("exempt", "future")]
    if judged:
        out.facts.append(f"应开展{len(judged)}期，已开展{len(judged) - len(missing)}期（记录{len(held)}份）")
    out.evidence = [
        facts.minutes_evidence[i]
        for i in sorted(held, key=lambda i: held[i].date)
        if i in facts.minutes_evidence
    ]


def _signin(out: Scored, facts: YearFacts) -> None:
    rule = out.indicator.rule
    wanted = [
        m
        for m in facts.meetings
        if (m.counts_as(rule.activity) if rule.activity else m.type != "谈心谈话") and m.date <= facts.as_of
    ]
    seen: dict[str, Evidence] = {}
    for m in wanted:
        sheet = next((facts.signins[(t, m.date)] for t in m.activities if (t, m.date) in facts.signins), None)
        if sheet is None:
            out.lines.append(Line(f"{cn_date(m.date)}{m.type}记录无签到表", -rule.amount))
        else:
            seen.setdefault(sheet.path, sheet)
    out.facts.append(f"会议记录{len(wanted)}份，有签到表{len(wanted) - len(out.lines)}份")
    out.evidence = list(seen.values())


def _dues(out: Scored, facts: YearFacts) -> None:
    acc = facts.dues
    if acc is None:
        out.reason = f"没有导入{facts.year.label}的党费收缴登记表，无法核对党费交纳情况"
        return
    rule = out.indicator.rule
    first, through = ym_of(facts.year.start), min(acc.as_of, ym_of(facts.year.end))
    for member in acc.members:
        months = member.unpaid(first, through)
        if months:
            labels = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months]
            out.lines.append(Line(f"{member.name}{_month_list(labels)}未交党费", -rule.amount * len(months)))
    out.facts.append(f"核对到{through // 12}年{through % 12 + 1}月，{len(acc.members)}名党员")
    out.evidence = list(facts.dues_files)


def _development(out: Scored, facts: YearFacts) -> None:
    if facts.development is None:
        out.reason = "没有导入发展党员登记表，无法核对发展党员程序"
        return
    rule = out.indicator.rule
    for a in facts.development:
        for v in a.violations:
            if facts.year.contains(a.person.get(v.field)):
                out.lines.append(Line(f"{a.person.name}：{v.message}", -rule.amount))
        for x in a.overdue_steps(facts.as_of):
            if facts.year.contains(x.due):
                out.lines.append(Line(f"{a.person.name}：{x.text}逾期（截止{cn_date(x.due)}）", -rule.amount))
    out.facts.append(f"发展党员登记表{len(facts.development)}人")
    out.evidence = list(facts.development_files)


def _plan(out: Scored, facts: YearFacts) -> None:
    rule = out.indicator.rule
    for term in facts.terms:
        files = facts.plans.get(term.id, [])
        if files:
            out.evidence += files
        else:
            out.lines.append(Line(f"{term.label}没有导入工作计划表", -rule.amount))


def _level_ok(level: str, wanted: str, or_higher: bool) -> bool:
    if not wanted:
        return True
    if level == wanted:
        return True
    if or_higher and level in LEVELS and wanted in LEVELS:
        return LEVELS.index(level) <= LEVELS.index(wanted)
    return False


def _bonus(out: Scored, facts: YearFacts) -> None:
    rule = out.indicator.rule
    unit = "篇" if rule.activity == "新闻报道" else "项"
    found = [
        (a, ev)
        for a, ev in facts.achievements
        if a.category == rule.activity
        and facts.year.contains(a.date)
        and a.date is not None
        and a.date <= facts.as_of
        and _level_ok(a.level, rule.level, rule.or_higher)
    ]
    for a, _ev in found:
        level = f"，{a.level}" if a.level else ""
        out.lines.append(Line(f"{rule.activity}《{a.name}》（{a.date_text}{level}）", rule.amount))
    out.facts.append(f"{facts.year.label}{rule.activity}{len(found)}{unit}")
    out.evidence = list(dict.fromkeys(ev for _a, ev in found if ev is not None))


SCORERS: dict[str, Callable[[Scored, YearFacts], None]] = {
    PERIODS: _periods,
    SIGNIN: _signin,
    DUES: _dues,
    DEVELOPMENT: _development,
    PLAN: _plan,
    BONUS: _bonus,
}
