"""The plan check: which activities the rules require that a term's 工作计划 (and the record so far)
leaves out, period by period."""

from __future__ import annotations

from pipeline.errors import ZhibuError
from pipeline.kinds.plan import ITEMS_DATA as PLAN_ITEMS
from pipeline.kinds.plan import PlanItem
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.periods import Period, term_periods
from pipeline.records.rules import Rule, RuleSet
from pipeline.records.types import MEETING_TYPES
from pipeline.term.compliance import owner_term
from pipeline.term.data import Snapshot, committee_names, holders


def plan_activities(item: PlanItem) -> set[str]:
    """The activities a plan item schedules: its 活动 column and every activity its content names
    (“召开组织生活会，开展民主评议党员” schedules both)."""
    found = {item.activity} if item.activity else set()
    content = "".join(item.content.split())
    for mtype in MEETING_TYPES:
        if any(name in content for name in (mtype.name, *mtype.aliases)):
            found.add(mtype.name)
    return found


def _plan_covers(item: PlanItem, period: Period, calendar: TermCalendar) -> bool:
    if item.when:
        return period.contains(item.when)
    # Undated items (时间：每月 / 全学期) cover every period of their term.
    if not item.term:
        return False
    try:
        start, end = calendar.bounds(Term.parse(item.term))
    except ZhibuError:
        return False
    return start <= period.end and period.start <= end


def plan_gaps(
    term: Term, calendar: TermCalendar, ruleset: RuleSet, snap: Snapshot, config_committee=()
) -> list[tuple[Rule, Period]]:
    """Required activities the plan (and the record so far) leaves out, for periods ending in the term.

    A period counts as covered when any plan item (of any term) schedules the activity inside
    it (an item without a month, “每月”, covers its whole term), or a meeting of that activity
    was already held in it. Periods that end after the term are left to the next term's plan.
    """
    committee = committee_names(config_committee, snap.members)
    planned = [(plan_activities(i), i) for i in snap.of(PLAN_ITEMS)]
    gaps = []
    for rule in ruleset.rules:
        for period in term_periods(rule.per, term, calendar):
            if owner_term(period, calendar) != term or ruleset.exempt(rule, period.month) or rule.count == 0:
                continue
            items = [i for acts, i in planned if rule.activity in acts and _plan_covers(i, period, calendar)]
            held = snap.meetings_between(period.start, period.end, rule.activity)
            if rule.by:
                who = holders(committee, rule.by)
                items = [i for i in items if rule.by in i.owner + i.content or any(n in i.owner for n in who)]
                held = [m for m in held if who & {m.chair, m.lecturer}]
            if not items and not held:
                gaps.append((rule, period))
    return gaps
