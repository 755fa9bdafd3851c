"""党费 from the snapshot: what is known of each member, the account of a year or a term, and
the 党费 part of ``zhibu status`` (text and ``--json`` key ``dues``).

When a 预备党员 starts to owe dues (the month of the 支部大会 that accepted them) comes from the
发展党员登记表 (支部大会接收日期), else from the archived minutes of a 支部党员大会 that accepted
them, else from the roster's 入党时间. A transfer out is the roster's 转出时间. Nothing here shows
an income figure: the index holds none.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pipeline.ingest.dates import cn_date
from pipeline.kinds.development import DATA as PEOPLE
from pipeline.kinds.dues_base import DATA as BASES
from pipeline.kinds.dues_payments import DATA as PAYMENTS
from pipeline.records.dues import LARGE, Rules, months_text, parse_ym, ym, ym_iso, ym_of, ym_text, yuan
from pipeline.records.dues_account import ALERT, NOTE, WARNING, Account, Facts, build
from pipeline.term.data import MeetingRow, Snapshot

GENERAL = "支部党员大会"
ACCEPT_WORDS = ("接收", "吸收", "同意")


def rules_of(config) -> Rules:
    return Rules.from_config(config.dues)


def has_dues(snap: Snapshot) -> bool:
    return bool(snap.of(BASES) or snap.of(PAYMENTS))


def accepted_in_minutes(meetings: list[MeetingRow], name: str) -> dt.date | None:
    """The day of the earliest 支部党员大会 whose minutes accept ``name`` as a 预备党员 (a line
    naming them, 预备党员 and 接收, not a 转正)."""
    for m in sorted(meetings, key=lambda m: m.date):
        if not m.counts_as(GENERAL):
            continue
        for line in "\n".join((m.topic, m.body_text)).splitlines():
            if (
                name in line
                and "预备党员" in line
                and "转正" not in line
                and any(w in line for w in ACCEPT_WORDS)
            ):
                return m.date
    return None


def facts_of(snap: Snapshot) -> dict[str, Facts]:
    """Each member's first and last month owed, from the roster, the 发展党员 register and the minutes."""
    people = {p.name: p for p in snap.of(PEOPLE)}
    out: dict[str, Facts] = {}
    for m in snap.members:
        out[m.name] = Facts(
            m.name, end=parse_ym(m.transferred_out), in_roster=True, probationary=m.is_probationary
        )
    for name, p in people.items():
        if p.get("accepted") and name not in out:
            out[name] = Facts(name)
    joined = {m.name: m.joined for m in snap.members}
    for name, f in out.items():
        person = people.get(name)
        day, source = (person.get("accepted"), "发展党员登记表") if person else (None, "")
        if day is None and (f.probationary or person is not None):
            day, source = accepted_in_minutes(snap.meetings, name), "会议记录"
        if day is not None:
            f.start, f.start_day, f.start_from = ym_of(day), cn_date(day), source
        elif parse_ym(joined.get(name)) is not None:
            f.start, f.start_from = parse_ym(joined[name]), "党员名册"
            f.start_day = _roster_day(joined[name])
    return out


def _roster_day(text: str) -> str:
    try:
        return cn_date(dt.date.fromisoformat(text[:10]))
    except ValueError:
        return f"{int(text[:4])}年{int(text[5:7])}月"


def last_ended(today: dt.date) -> int:
    """The last month that has ended: only ended months can be unpaid."""
    return ym_of(today) - 1


def account(snap: Snapshot, config, first: int, last: int, today: dt.date) -> Account:
    """The account of months ``first``..``last`` as known ``today``."""
    return build(
        rules_of(config),
        snap.of(BASES),
        snap.of(PAYMENTS),
        facts_of(snap),
        first,
        last,
        min(last, last_ended(today)),
    )


def year_account(snap: Snapshot, config, year: int, today: dt.date) -> Account:
    return account(snap, config, ym(year, 1), ym(year, 12), today)


# --- zhibu status --------------------------------------------------------------------------------


def status_data(snap: Snapshot, config, today: dt.date) -> dict:
    """``dues`` of ``zhibu status --json``: the year of the last ended month, up to that month;
    None when neither register was filed."""
    if not has_dues(snap):
        return {"dues": None}
    through = last_ended(today)
    year = through // 12
    a = year_account(snap, config, year, today)
    first = ym(year, 1)
    runs = [f for f in a.findings if f.kind == "run"]
    unknown = _due_unknown(a, first, through)
    return {
        "dues": {
            "year": year,
            "through": ym_iso(through),
            "recorded": year in a.recorded,
            # The sum of the amounts known; None when none is (no 核算表 row for anybody), never 0.00.
            # Members who owe months of an unknown amount are named apart: the sum leaves them out.
            "due": yuan(a.total("due", first, through)) if len(unknown) < len(a.members) else None,
            "due_unknown": unknown,
            "paid": yuan(a.total("paid", first, through)),
            "prepaid": yuan(a.total("paid", through + 1, ym(year, 12))),
            "unpaid": [
                {
                    "member": m.name,
                    "months": [ym_iso(x) for x in m.unpaid(first, through)],
                    "text": f"{m.name}：{months_text(m.unpaid(first, through))}",
                }
                for m in a.members
                if m.unpaid(first, through)
            ],
            "alerts": [f.as_dict() for f in runs],
            "warnings": [f.as_dict() for f in a.findings if f.kind != "run"],
            "large": [
                {
                    "member": m.name,
                    "amount": yuan(p.amount),
                    "paid_on": p.paid_on.isoformat() if p.paid_on else None,
                }
                for m in a.members
                for p in m.large
                if p.mark == LARGE
            ],
        }
    }


def _due_unknown(a: Account, first: int, last: int) -> list[str]:
    """Members owing a month whose amount is not known (no 核算表 row for its year)."""
    return [m.name for m in a.members if any(m.months[x].due is None for x in m.owed(first, last))]


def due_text(data: dict) -> str:
    """应交…元 as far as it is known: the members without a base named, never a 0 for unknown."""
    if data["due"] is None:
        return "应交数额无法计算（党费基数核算表中没有党员的月交纳额）"
    unknown = data["due_unknown"]
    if not unknown:
        return f"应交{data['due']}元"
    return f"应交{data['due']}元（{'、'.join(unknown[:5])}{'等' if len(unknown) > 5 else ''}{len(unknown)}人没有核算基数，未计入）"


COLOURS = {ALERT: "red", WARNING: "yellow", NOTE: None}


def status_lines(snap: Snapshot, config, today: dt.date) -> list[tuple[str, str | None]]:
    """(line, colour) of the 党费 section of ``zhibu status``; [] when neither register was filed."""
    data = status_data(snap, config, today)["dues"]
    if data is None:
        return []
    through = parse_ym(data["through"])
    head = (
        f"党费（{data['year']}年，统计到{ym_text(through)}）："
        if through is not None
        else f"党费（{data['year']}年）："
    )
    if not data["recorded"]:
        return [(head, None), (f"  {data['year']}年还没有导入党费收缴登记表，无法核对交纳情况。", "yellow")]
    prepaid = Decimal(data["prepaid"])
    lines: list[tuple[str, str | None]] = [
        (
            head
            + f"{due_text(data)}，已交{data['paid']}元"
            + (f"（另预交{data['prepaid']}元）" if prepaid else ""),
            None,
        )
    ]
    if data["alerts"]:
        lines.append(
            ("  连续未交党费：", "red" if any(x["level"] == ALERT for x in data["alerts"]) else "yellow")
        )
        lines += [(f"    · {x['text']}", COLOURS[x["level"]]) for x in data["alerts"]]
    if data["unpaid"]:
        lines.append((f"  未交党费的党员（{len(data['unpaid'])}人）：", "yellow"))
        lines += [(f"    · {u['text']}", None) for u in data["unpaid"]]
    else:
        lines.append(("  截至上月没有未交党费的党员。", "green"))
    if data["warnings"]:
        lines.append(("  需要核对：", "yellow"))
        lines += [(f"    · {w['text']}", None) for w in data["warnings"]]
    for x in data["large"]:
        lines.append((f"  大额党费：{x['member']} {x['amount']}元（单独列出，全额上缴）", None))
    return lines
