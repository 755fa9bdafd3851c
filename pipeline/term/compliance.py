"""The compliance check: for each rule and each period of a term, how many were required and held.

Only periods that have ended count as missing; the current one is "due" while it is not yet
satisfied; future periods are shown but never judged (``status`` and the ledger agree on this).
Meetings are counted over the whole period, also outside the term. A period that straddles two
terms (2025年第一季度: January in 第一学期, February–March in 第二学期) is shown in both but judged
missing only in the term that contains its last day, so each period is reported missing once.

党小组会 (the choice, documented in the README text): when the active roster names 党小组
(所在党小组), the rule is checked per group, and a meeting counts for the group it was filed
under (its note, title or file name names it, or its host belongs to it in the roster); meetings
of no known group are reported as unattributed, not guessed. Without groups in the roster the
branch as a whole is checked.

One activity, one record: two records of one activity on one day (``records.same_day``) count
once, and a note says so until the secretary resolves them.

谈心谈话 (pairs rule): we do not pretend to check every pair. With a roster we report how many
members were talked with by a committee member in the period (committee–member coverage) and
how many committee–committee pairs were covered; member–member talks are only counted.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.checks import DEFAULT_QUORUM
from pipeline.records.periods import CURRENT, ENDED, FUTURE, Period, term_periods
from pipeline.records.register_rows import group_named_in
from pipeline.records.rules import Rule, RuleSet, describe_rule
from pipeline.records.same_day import Clash, clashes, one_per_activity
from pipeline.term.data import MeetingRow, Snapshot, committee_names, holders

DONE, MISSING, DUE, NOT_YET, EXEMPT, UNKNOWN, LATER = (
    "done",
    "missing",
    "due",
    "future",
    "exempt",
    "unknown",
    "later",
)
STATUS_LABELS = {
    DONE: "已完成",
    MISSING: "缺",
    DUE: "本期待办",
    NOT_YET: "未到期",
    EXEMPT: "假期不检查",
    UNKNOWN: "无法核对",
    LATER: "下学期判断",
}


@dataclass
class Check:
    rule: Rule
    period: Period
    required: int
    held: int
    status: str
    group: str = ""
    meetings: list[MeetingRow] = field(default_factory=list)
    note: str = ""
    owned: bool = True  # this term judges the period (it contains the period's last day)

    @property
    def name(self) -> str:
        """What the row is called: 支委会, 党小组会（第一党小组）, 书记讲党课."""
        return f"{self.rule.key}（{self.group}）" if self.group else self.rule.key

    @property
    def open(self) -> bool:
        return self.status in (MISSING, DUE)

    def as_dict(self, exempt_months: tuple[int, ...]) -> dict:
        return {
            "activity": self.rule.activity,
            "rule": self.rule.key,
            "group": self.group or None,
            "period": self.period.label,
            "period_kind": self.period.kind,
            "period_name": self.period.zh,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "required": self.required,
            "held": self.held,
            "status": self.status,
            "status_name": STATUS_LABELS[self.status],
            "requirement": self.rule.describe(),
            "source": self.rule.source,
            "note": self.note,
            "judged_in_this_term": self.owned,
            "meetings": [
                {"date": m.date.isoformat(), "title": m.title, "path": m.path} for m in self.meetings
            ],
        }

    def message(self) -> str:
        text = f"{self.period.zh} {self.name}：要求{self.required}，实际{self.held}"
        if self.note:
            text += f"（{self.note}）"
        return text


@dataclass
class Compliance:
    term: Term
    start: dt.date
    end: dt.date
    today: dt.date
    ruleset: RuleSet
    checks: list[Check] = field(default_factory=list)
    unattributed: list[MeetingRow] = field(default_factory=list)  # 党小组会 naming no group
    clashes: list[Clash] = field(default_factory=list)  # two records of one activity, counted once
    quorum: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # other filed warnings
    counts: dict[str, int] = field(default_factory=dict)  # per activity (a joint meeting counts for each)
    total: int = 0  # meetings filed in the term (a joint meeting once)
    notes: list[str] = field(default_factory=list)  # about the check itself

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if c.status == MISSING]

    @property
    def due(self) -> list[Check]:
        return [c for c in self.checks if c.status == DUE]

    def messages(self) -> list[str]:
        """Chinese lines for the batch summary: missing periods, then quorum problems."""
        out = [f"缺：{c.message()}" for c in self.missing]
        # From the term's last day on, periods running into the next term are that term's business.
        out += [f"待办：{c.message()}" for c in self.due if c.owned or self.today < self.end]
        out += [f"党小组会未写明党小组：{m.date.isoformat()} {m.title}" for m in self.unattributed]
        out += [f"到会人数：{q['date']} {q['type']}：{q['warning']}" for q in self.quorum]
        return out + self.notes


def clash_note(c: Clash) -> str:
    """A clash as the batch, ``status`` and the ledger state it."""
    return (
        f"{c.first.date.isoformat()} {c.first.type}有两份记录（「{PurePosixPath(c.first.path).name}」"
        f"「{PurePosixPath(c.second.path).name}」），"
        f"{c.describe()}，未核实前按一次计算（同一次活动请放入文件名带“更正”的笔记替换；两次活动请写明各自的开始时间）"
    )


def term_meetings(snap: Snapshot, start: dt.date, end: dt.date) -> list[MeetingRow]:
    return snap.meetings_between(start, end)


def group_of(meeting: MeetingRow, groups: list[str]) -> str | None:
    """The 党小组 a meeting belongs to (its planned 党小组, else the one it names), or None.

    Uses the registers' matcher (第一党小组 = 一组 = 1组) when it is installed; otherwise the
    group's name (or its 党小组/小组 variant) must appear in the title, topic or file name.
    """
    if meeting.party_group in groups:
        return meeting.party_group  # as planned: stated, or the host's group in the roster
    for text in (meeting.party_group, meeting.topic, meeting.title, meeting.source_name):
        named = group_named_in(text, groups) if text else None
        if named:
            return named
    text = meeting.text_for_matching.replace(" ", "")
    found = [g for g in groups if any(v in text for v in _group_variants(g))]
    return max(found, key=len) if found else None


def _group_variants(group: str) -> set[str]:
    g = group.replace(" ", "")
    out = {g}
    if g.endswith("党小组"):
        out.add(g[:-3] + "小组")
    elif g.endswith("小组"):
        out.add(g[:-2] + "党小组")
    return {v for v in out if len(v) >= 2}


def owner_term(period: Period, calendar: TermCalendar) -> Term:
    """The term that judges a period: the one containing its last day."""
    return calendar.term_of(period.end)


def _judge(period: Period, today: dt.date, required: int, held: int, owned: bool = True) -> str:
    state = period.state(today)
    if state == FUTURE:
        return NOT_YET
    if held >= required:
        return DONE
    if state == CURRENT:
        return DUE
    return MISSING if owned else LATER


def check_term(
    term: Term,
    calendar: TermCalendar,
    ruleset: RuleSet,
    snap: Snapshot,
    config_committee=(),
    today: dt.date | None = None,
) -> Compliance:
    today = today or dt.date.today()
    if any(m.date > today for m in snap.meetings):
        # "Today" is in the past (status --date): judge only what had been held by then.
        snap = replace(snap, meetings=[m for m in snap.meetings if m.date <= today])
    start, end = calendar.bounds(term)
    result = Compliance(term, start, end, today, ruleset)
    # Two records of one activity count once until the secretary resolves them.
    result.clashes = [c for c in clashes(snap.meetings) if start <= c.first.date <= end]
    result.notes += [clash_note(c) for c in result.clashes]
    snap = replace(snap, meetings=one_per_activity(snap.meetings))
    groups = snap.groups
    committee = committee_names(config_committee, snap.members)
    for rule in ruleset.rules:
        for period in term_periods(rule.per, term, calendar):
            owned = owner_term(period, calendar) == term
            result.checks += period_checks(rule, period, snap, committee, ruleset, today, owned)
    in_term = term_meetings(snap, start, end)
    if groups and any(r.scope == "group" for r in ruleset.rules):
        result.unattributed = [m for m in in_term if m.type == "党小组会" and group_of(m, groups) is None]
        if result.unattributed:
            result.notes.append(
                f"有{len(result.unattributed)}次党小组会的笔记、主题和文件名中没有写明党小组名称，"
                f"主持人也不在名册的党小组中（名册中的党小组：{'、'.join(groups)}），未计入任何党小组"
            )
    result.counts = dict(Counter(t for m in in_term for t in m.activities))
    result.total = len(in_term)
    result.quorum, result.warnings = _meeting_warnings(in_term, ruleset)
    return result


def period_checks(
    rule: Rule,
    period: Period,
    snap: Snapshot,
    committee: dict[str, str],
    ruleset: RuleSet,
    today: dt.date,
    owned: bool,
) -> list[Check]:
    """The checks of one rule in one period: one, or one per 党小组 for a rule of each group."""
    meetings = snap.meetings_between(period.start, period.end, rule.activity)
    if rule.pairs:
        check = _pairs_check(rule, period, meetings, snap, committee, today, owned)
        check.owned = owned
        return [check]
    if rule.by:
        who = holders(committee, rule.by)
        if not who:
            note = f"zhibu.toml 的 [[committee]] 中没有写明{rule.by}，无法核对"
            return [Check(rule, period, rule.count, 0, UNKNOWN, owned=owned, note=note)]
        meetings = [m for m in meetings if who & {m.chair, m.lecturer}]
    groups = snap.groups
    targets: list[tuple[str, list[MeetingRow]]] = [("", meetings)]
    if rule.scope == "group" and groups:
        targets = [(g, [m for m in meetings if group_of(m, groups) == g]) for g in groups]
    checks = []
    for group, mine in targets:
        held = len(mine)
        if ruleset.exempt(rule, period.month):
            status = EXEMPT
        else:
            status = _judge(period, today, rule.count, held, owned)
        checks.append(Check(rule, period, rule.count, held, status, group, mine, owned=owned))
    return checks


def _pairs_check(
    rule: Rule,
    period: Period,
    talks: list[MeetingRow],
    snap: Snapshot,
    committee: dict[str, str],
    today: dt.date,
    owned: bool,
) -> Check:
    members = snap.member_names()
    done_talks = [t for t in talks if t.partner]
    if not members:
        status = _judge(period, today, rule.count, len(talks), owned)
        return Check(
            rule,
            period,
            rule.count,
            len(talks),
            status,
            meetings=talks,
            note="未导入党员名册，只统计谈话次数，无法核对谈话覆盖面",
        )
    ordinary = [n for n in members if n not in committee]
    counts: Counter[str] = Counter()
    pairs: set[frozenset[str]] = set()
    for t in done_talks:
        a, b = t.chair, t.partner
        if a in committee and b in ordinary:
            counts[b] += 1
        elif b in committee and a in ordinary:
            counts[a] += 1
        elif a in committee and b in committee and a != b:
            pairs.add(frozenset((a, b)))
    covered = [n for n in ordinary if counts[n] >= rule.count]
    uncovered = [n for n in ordinary if counts[n] < rule.count]
    cc_total = len(list(itertools.combinations(sorted(committee), 2)))
    note = f"支委与党员谈话覆盖{len(covered)}/{len(ordinary)}人；支委之间{len(pairs)}/{cc_total}对；共谈话{len(talks)}次"
    if uncovered:
        shown = "、".join(uncovered[:10]) + ("等" if len(uncovered) > 10 else "")
        note += f"；尚未谈话：{shown}"
    note += "；党员之间的谈话只计次数，不逐对核对"
    status = _judge(period, today, len(ordinary), len(covered), owned)
    if status == DONE and cc_total and len(pairs) < cc_total and period.state(today) != FUTURE:
        status = (MISSING if owned else LATER) if period.state(today) == ENDED else DUE
    return Check(rule, period, len(ordinary), len(covered), status, meetings=talks, note=note)


def _meeting_warnings(meetings: list[MeetingRow], ruleset: RuleSet) -> tuple[list[dict], list[dict]]:
    """Quorum problems and other warnings of the term's meetings.

    Quorum warnings are those filed with the minutes (outputs.warnings). When zhibu.toml changes
    the quorum of an activity ([rules.quorum]), that activity is checked again with the new rule
    from the 应到/实到 counts in the index instead.
    """
    quorum, other = [], []
    for m in meetings:
        base = {"id": m.id, "date": m.date.isoformat(), "type": m.type, "title": m.title, "path": m.path}
        configured, default = ruleset.quorum.get(m.type), DEFAULT_QUORUM.get(m.type)
        recheck = (configured and (configured.fraction, configured.strict)) != (
            default and (default.fraction, default.strict)
        )
        for w in m.warnings:
            if "法定人数" in w:
                if not recheck:
                    quorum.append(base | {"warning": w})
            else:
                other.append(base | {"warning": w})
        if (
            recheck
            and configured
            and m.expected
            and m.present is not None
            and not configured.satisfied(m.present, m.expected)
        ):
            quorum.append(
                base
                | {
                    "warning": (
                        f"{m.type}应到{m.expected}人、实到{m.present}人，未达到{configured.describe()}的法定人数"
                        f"（{configured.source}），会议决定可能无效"
                    )
                }
            )
    return quorum, other


def describe_for_comment(check: Check, ruleset: RuleSet) -> str:
    text = describe_rule(check.rule, ruleset.exempt_months)
    if check.note:
        text += f"\n说明：{check.note}"
    if check.period.kind != "month":
        text += f"\n期间：{check.period.start.isoformat()} 至 {check.period.end.isoformat()}"
    return text


__all__ = ["CURRENT", "Check", "Compliance", "check_term", "STATUS_LABELS"]
