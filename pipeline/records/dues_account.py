"""The 党费 account: for each member and month, what was due and what was paid, and the findings.

Pure: the records of the two registers (``records.dues``), what the roster and the 发展党员
register say of each member (``Facts``) and the rules go in; an ``Account`` comes out. A month
is owed from the month the member joined (the 支部大会 that accepted a 预备党员) up to the month
of a transfer out; it is unpaid only once it has ended (``as_of``) and only in a year for which
the branch has filed a 收缴登记表. A payment for several months is spread over them (each
month its amount due when the payment is exactly that, else evenly).

Findings, each naming the member, the months and the amounts: the branch's 月交纳额 differs
from the rules'; paid less or more than due; 3 consecutive months unpaid (a warning) and 6 (an
alert citing 党章 第九条, unless a reason is recorded); 补交/预交 beyond the limit; payments for
months before joining or after a transfer out; a roster member without a base.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from pipeline.records.dues import (
    CENT,
    EXEMPT,
    LARGE,
    REASON,
    DuesBase,
    DuesPayment,
    Rules,
    months_text,
    runs,
    span_text,
    ym,
    ym_of,
    ym_text,
    yuan,
)

ZERO = Decimal("0.00")
OUTSIDE, LATER, FREE, PAID, SHORT, OVER, UNPAID, NO_RECORD = (
    "不在本支部",
    "未到期",
    "免交",
    "已交",
    "少交",
    "多交",
    "未交",
    "无记录",
)
ALERT, WARNING, NOTE = "alert", "warning", "note"
ARTICLE_9 = "党章第九条：党员没有正当理由连续六个月不交纳党费的，被认为是自行脱党，支部大会应当决定把其除名"
CATEGORY_WORDS = {"在职": "在职党员", "离退休": "离退休党员", "学生": "学生党员", "其他": "无固定收入党员"}


@dataclass
class Facts:
    """What the account knows of a member beyond the two registers."""

    name: str
    start: int | None = None  # first month owed (the month the 支部大会 accepted them)
    start_day: str = ""  # 2024年3月20日, as the source states it
    start_from: str = ""  # 发展党员登记表 / 会议记录 / 党员名册
    end: int | None = None  # last month owed (转出)
    in_roster: bool = False
    probationary: bool = False


@dataclass
class Month:
    due: Decimal | None = None  # None: not owed here, or not known (no base)
    paid: Decimal = ZERO
    state: str = ""
    reason: str = ""  # a recorded reason for leaving it unpaid


@dataclass
class Finding:
    name: str
    kind: str  # mismatch, short, over, run, outside, late, early, no-base, not-in-roster, no-start, large
    level: str  # alert / warning / note
    months: tuple[int, ...]
    text: str

    def as_dict(self) -> dict:
        return {
            "member": self.name,
            "kind": self.kind,
            "level": self.level,
            "months": [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in self.months],
            "text": self.text,
        }


@dataclass
class MemberAccount:
    name: str
    category: str = ""
    months: dict[int, Month] = field(default_factory=dict)
    large: list[DuesPayment] = field(default_factory=list)

    def owed(self, first: int, last: int) -> list[int]:
        return [m for m in range(first, last + 1) if self.months[m].state not in (OUTSIDE, FREE)]

    def due(self, first: int, last: int) -> Decimal:
        return sum((self.months[m].due or ZERO for m in self.owed(first, last)), ZERO)

    def paid(self, first: int, last: int) -> Decimal:
        return sum((self.months[m].paid for m in range(first, last + 1)), ZERO)

    def unpaid(self, first: int, last: int) -> list[int]:
        return [m for m in range(first, last + 1) if self.months[m].state == UNPAID]

    def monthly(self, first: int, last: int) -> list[Decimal]:
        """The distinct amounts due a month in ``first``..``last``, in order."""
        out: list[Decimal] = []
        for m in self.owed(first, last):
            due = self.months[m].due
            if due is not None and due not in out:
                out.append(due)
        return out


@dataclass
class Account:
    first: int
    last: int
    as_of: int  # the last month that has ended
    members: list[MemberAccount] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    recorded: set[int] = field(default_factory=set)  # years with a 收缴登记表
    based: set[int] = field(default_factory=set)  # years with a 核算表

    def total(self, what: str, first: int, last: int) -> Decimal:
        return sum((getattr(a, what)(first, last) for a in self.members), ZERO)


# --- building ----------------------------------------------------------------------------------


class _Builder:
    def __init__(
        self, rules: Rules, bases: list[DuesBase], payments: list[DuesPayment], facts: dict[str, Facts]
    ):
        self.rules, self.facts = rules, facts
        self.bases = {(b.year, b.name): b for b in bases if b.year is not None}
        self.payments: dict[str, list[DuesPayment]] = defaultdict(list)
        for p in payments:
            self.payments[p.name].append(p)
        self.recorded = {p.year for p in payments if p.year} | {m // 12 for p in payments for m in p.months}

    def due(self, name: str, m: int) -> DuesBase | None:
        return self.bases.get((self.rules.base_year(m), name))

    def names(self, start: int, first: int, last: int) -> list[str]:
        """Everyone the registers or the roster name for ``start``..``last`` who belonged to the
        branch in ``first``..``last``: the roster's order first."""
        order = [f.name for f in self.facts.values() if f.in_roster]
        order += [name for (year, name) in self.bases if ym(year, 12) >= start and ym(year, 1) <= last]
        order += [
            n for n, ps in self.payments.items() if any(start <= m <= last for p in ps for m in p.months)
        ]
        order += [n for n, ps in self.payments.items() if any(p.mark == LARGE for p in ps)]
        return [n for n in dict.fromkeys(order) if self._member_in(n, first, last)]

    def _member_in(self, name: str, start: int, last: int) -> bool:
        f = self.facts.get(name)
        return f is None or ((f.end is None or f.end >= start) and (f.start is None or f.start <= last))

    def member(self, name: str, start: int, last: int, as_of: int) -> MemberAccount:
        f = self.facts.get(name, Facts(name))
        account = MemberAccount(name)
        for m in range(start, last + 1):
            base = self.due(name, m)
            outside = (f.start is not None and m < f.start) or (f.end is not None and m > f.end)
            account.months[m] = Month(
                None if outside or base is None else base.due, state=OUTSIDE if outside else ""
            )
            if base is not None and not account.category:
                account.category = base.category
        for p in self.payments.get(name, []):
            self._apply(account, p)
        for m, month in account.months.items():
            if not month.state:
                month.state = self._state(month, m, as_of)
        return account

    def _apply(self, account: MemberAccount, p: DuesPayment) -> None:
        months = [m for m in p.months if m in account.months]
        if p.mark == LARGE:
            account.large.append(p)
        elif p.mark == EXEMPT:
            for m in months:
                if account.months[m].state != OUTSIDE:
                    account.months[m].state = FREE
        elif p.mark == REASON:
            for m in months:
                if self.rules.has_reason(p.note) or any(w in p.note for w in ("缓交", "暂缓")):
                    account.months[m].reason = p.note
        elif p.amount is not None and p.months:
            dues = [self.due(account.name, m) for m in p.months]
            for m, share in zip(
                p.months, allocate(p.amount, [d.due if d else None for d in dues]), strict=True
            ):
                if m in account.months:
                    account.months[m].paid += share

    def _state(self, month: Month, m: int, as_of: int) -> str:
        if month.due == ZERO:
            return FREE
        if month.paid == ZERO:
            if m > as_of:
                return LATER
            return UNPAID if m // 12 in self.recorded else NO_RECORD
        if month.due is None or month.paid == month.due:
            return PAID
        return SHORT if month.paid < month.due else OVER


def allocate(amount: Decimal, dues: list[Decimal | None]) -> list[Decimal]:
    """A payment for ``len(dues)`` months, month by month: each month's due when the payment is
    exactly their sum, else evenly (the cents left over to the last month)."""
    if len(known := [d for d in dues if d is not None]) == len(dues) and sum(known, ZERO) == amount:
        return known
    each = (amount / len(dues)).quantize(CENT, rounding=ROUND_DOWN)
    return [each] * (len(dues) - 1) + [amount - each * (len(dues) - 1)]


def build(
    rules: Rules,
    bases: list[DuesBase],
    payments: list[DuesPayment],
    facts: dict[str, Facts],
    first: int,
    last: int,
    as_of: int,
) -> Account:
    """The account of months ``first``..``last``, unpaid months counted up to ``as_of``. Runs of
    unpaid months are followed back before ``first`` (up to two years) through the data."""
    b = _Builder(rules, bases, payments, facts)
    known = [m for p in payments for m in p.months] + [ym(y, rules.fixing_month) for (y, _) in b.bases]
    start = max(min([first, *known]), first - 24)
    account = Account(first, last, as_of, recorded=b.recorded, based={y for (y, _) in b.bases})
    for name in b.names(start, first, last):
        member = b.member(name, start, last, as_of)
        account.findings += _findings(b, member, start, account)
        member.months = {m: v for m, v in member.months.items() if m >= first}
        account.members.append(member)
    account.findings += _mismatches(bases, first, last, rules)
    return account


# --- findings ----------------------------------------------------------------------------------


def _findings(b: _Builder, a: MemberAccount, start: int, account: Account) -> list[Finding]:
    f = b.facts.get(a.name, Facts(a.name))
    out = _runs(a, start, account, b.rules) + _balances(a, account)
    out += _outside(a, f, b.payments.get(a.name, []), account)
    out += _timing(a.name, b.payments.get(a.name, []), account, b.rules)
    out += _facts(a, f, b, account)
    return out


def _runs(a: MemberAccount, start: int, account: Account, rules: Rules) -> list[Finding]:
    until = min(account.last, account.as_of)
    unpaid = [m for m in range(start, until + 1) if a.months[m].state == UNPAID]
    out = []
    for first, last in runs(unpaid):
        n = last - first + 1
        if n < rules.warn_unpaid or last < account.first:
            continue
        months = tuple(range(first, last + 1))
        reasons = list(dict.fromkeys(a.months[m].reason for m in months if a.months[m].reason))
        span = f"{span_text(first, last)}连续{n}个月未交纳党费"
        if reasons and all(a.months[m].reason for m in months):
            out.append(
                Finding(a.name, "run", NOTE, months, f"{a.name}：{span}，已记录原因：{'；'.join(reasons)}")
            )
        elif n >= rules.alert_unpaid:
            text = f"{a.name}：{span}，且没有记录正当理由。{ARTICLE_9}。请支部立即了解情况、谈话提醒，并按规定处理"
            out.append(Finding(a.name, "run", ALERT, months, text))
        else:
            text = f"{a.name}：{span}，请及时提醒（连续{rules.alert_unpaid}个月不交纳党费按党章第九条处理）"
            out.append(Finding(a.name, "run", WARNING, months, text))
    return out


def _balances(a: MemberAccount, account: Account) -> list[Finding]:
    out = []
    for state, word in ((SHORT, "少交"), (OVER, "多交")):
        months = [m for m in range(account.first, account.last + 1) if a.months[m].state == state]
        groups: dict[tuple, list[int]] = defaultdict(list)
        for m in months:
            groups[(a.months[m].due, a.months[m].paid)].append(m)
        for (due, paid), ms in groups.items():
            for first, last in runs(ms):
                each = "每月" if last > first else ""
                text = (
                    f"{a.name}：{span_text(first, last)}{each}应交{yuan(due)}元，实交{yuan(paid)}元，"
                    f"{word}{yuan(abs(due - paid))}元"
                )
                out.append(
                    Finding(
                        a.name,
                        "short" if state == SHORT else "over",
                        WARNING,
                        tuple(range(first, last + 1)),
                        text,
                    )
                )
    return out


def _outside(a: MemberAccount, f: Facts, payments: list[DuesPayment], account: Account) -> list[Finding]:
    out = []
    paid = [m for p in payments if p.mark == "" for m in p.months if account.first <= m <= account.last]
    early = sorted({m for m in paid if m < f.start}) if f.start is not None else []
    late = sorted({m for m in paid if m > f.end}) if f.end is not None else []
    if early and f.start is not None:
        text = (
            f"{a.name}：登记了{months_text(early)}的党费，但{f.start_day or ym_text(f.start)}才被接收为预备党员"
            f"（{f.start_from}），应从{ym_text(f.start)}起交纳"
        )
        out.append(Finding(a.name, "outside", WARNING, tuple(early), text))
    if late and f.end is not None:
        text = (
            f"{a.name}：登记了{months_text(late)}的党费，但已于{ym_text(f.end)}转出组织关系（党员名册），"
            "转出后的党费应在接收的党组织交纳"
        )
        out.append(Finding(a.name, "outside", WARNING, tuple(late), text))
    return out


def _timing(name: str, payments: list[DuesPayment], account: Account, rules: Rules) -> list[Finding]:
    out = []
    for p in payments:
        if p.mark or not p.months or not (account.first <= p.months[-1] and p.months[0] <= account.last):
            continue
        span = span_text(p.months[0], p.months[-1])
        if p.paid_on is not None:
            out += _late_or_early(name, p, p.paid_on, span, rules)
        if p.amount is not None and p.amount > rules.large_amount * len(p.months):
            text = (
                f"{name}：{span}一笔交纳{yuan(p.amount)}元，超过每月{yuan(rules.large_amount)}元；"
                "如为自愿交纳的大额党费，请在备注中写明“大额党费”"
            )
            out.append(Finding(name, "large", WARNING, tuple(p.months), text))
    return out


def _late_or_early(name: str, p: DuesPayment, paid_on: dt.date, span: str, rules: Rules) -> list[Finding]:
    """补交 or 预交 (paid on ``paid_on``) beyond ``late_months`` months (six by default: [dues] late_months)."""
    paid = ym_of(paid_on)
    day = f"{paid_on.year}年{paid_on.month}月{paid_on.day}日"
    if paid - p.months[0] > rules.late_months:
        text = f"{name}：{span}的党费于{day}补交，补交超过{rules.late_months}个月"
        return [Finding(name, "late", WARNING, tuple(p.months), text)]
    if p.months[-1] - paid > rules.late_months:
        text = f"{name}：{day}预交了{span}的党费，预交超过{rules.late_months}个月"
        return [Finding(name, "early", WARNING, tuple(p.months), text)]
    return []


def _facts(a: MemberAccount, f: Facts, b: _Builder, account: Account) -> list[Finding]:
    out = []
    owed = a.owed(account.first, account.last)
    years = sorted({b.rules.base_year(m) for m in owed if b.rules.base_year(m) in account.based})
    missing = [y for y in years if (y, a.name) not in b.bases]
    if f.in_roster and missing:
        text = f"{a.name}：党员名册中有此人，但{'、'.join(f'{y}年度' for y in missing)}党费基数核算表中没有，应交数额无法计算"
        out.append(Finding(a.name, "no-base", WARNING, (), text))
    roster = any(x.in_roster for x in b.facts.values())
    if roster and not f.in_roster:
        text = f"{a.name}：不在当前党员名册中（如已转出，请在名册的“转出时间”栏写明）"
        out.append(Finding(a.name, "not-in-roster", NOTE, (), text))
    if f.probationary and f.start is None:
        text = f"{a.name}：预备党员，但发展党员登记表、会议记录和党员名册都没有写明支部大会接收的日期，已按全年计算应交党费"
        out.append(Finding(a.name, "no-start", WARNING, (), text))
    return out


def _mismatches(bases: list[DuesBase], first: int, last: int, rules: Rules) -> list[Finding]:
    out = []
    for b in bases:
        if b.year is None or not (ym(b.year, 1) <= last and first <= ym(b.year, 12)):
            continue
        if (
            b.basis in ("按比例", "定额")
            and b.branch_due is not None
            and b.due is not None
            and b.branch_due != b.due
        ):
            rule = f"计算基数{b.band}，交纳比例{b.rate}" if b.basis == "按比例" else "每月定额交纳"
            text = (
                f"{b.name}：{b.year}年度核算表填报的月交纳额为{yuan(b.branch_due)}元，按规定应为{yuan(b.due)}元"
                f"（{CATEGORY_WORDS.get(b.category, b.category)}，{rule}）"
            )
            out.append(Finding(b.name, "mismatch", WARNING, (), text))
    return out
