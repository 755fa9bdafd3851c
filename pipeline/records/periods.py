"""Checking periods: month, quarter, half-year, term, academic year, calendar year.

A rule "1 per quarter" is checked once per period. Which periods a term shows: every period of
the rule's kind that overlaps the term (a quarter or year may extend beyond the term; it is then
counted over its whole length, and judged only when it has ended).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.records.calendar import Term, TermCalendar

PERIOD_KINDS: dict[str, str] = {
    "month": "每月",
    "quarter": "每季度",
    "half-year": "每半年",
    "term": "每学期",
    "academic-year": "每学年",
    "year": "每年",
}
# What a secretary may write in zhibu.toml instead of the English key.
PERIOD_ALIASES: dict[str, str] = {
    "月": "month",
    "每月": "month",
    "季度": "quarter",
    "每季度": "quarter",
    "季": "quarter",
    "半年": "half-year",
    "每半年": "half-year",
    "学期": "term",
    "每学期": "term",
    "学年": "academic-year",
    "每学年": "academic-year",
    "年": "year",
    "每年": "year",
}
KIND_NAMES = {
    "month": "月",
    "quarter": "季度",
    "half-year": "半年",
    "term": "学期",
    "academic-year": "学年",
    "year": "年度",
}
_QUARTERS = "一二三四"

# States of a period relative to "today".
ENDED, CURRENT, FUTURE = "ended", "current", "future"


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str
    label: str  # 2024-10, 2024Q4, 2024H2, 2024-2025-1, 2024-2025, 2024
    zh: str  # 2024年10月, 2024年第四季度 …

    def state(self, today: dt.date) -> str:
        if today > self.end:
            return ENDED
        return CURRENT if today >= self.start else FUTURE

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def month(self) -> int | None:
        return self.start.month if self.kind == "month" else None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def month_period(year: int, month: int) -> Period:
    return Period(
        dt.date(year, month, 1), _month_end(year, month), "month", f"{year}-{month:02d}", f"{year}年{month}月"
    )


def period_containing(kind: str, day: dt.date, calendar: TermCalendar) -> Period:
    y, m = day.year, day.month
    if kind == "month":
        return month_period(y, m)
    if kind == "quarter":
        q = (m - 1) // 3 + 1
        return Period(
            dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), kind, f"{y}Q{q}", f"{y}年第{_QUARTERS[q - 1]}季度"
        )
    if kind == "half-year":
        h = 1 if m <= 6 else 2
        return Period(
            dt.date(y, 6 * h - 5, 1),
            _month_end(y, 6 * h),
            kind,
            f"{y}H{h}",
            f"{y}年{'上' if h == 1 else '下'}半年",
        )
    if kind == "term":
        term = calendar.term_of(day)
        start, end = calendar.bounds(term)
        return Period(start, end, kind, term.id, term.label)
    if kind == "academic-year":
        sy = y if m >= 9 else y - 1
        term = Term(sy, 1)
        return Period(dt.date(sy, 9, 1), dt.date(sy + 1, 8, 31), kind, term.year_id, term.year_label)
    if kind == "year":
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), kind, str(y), f"{y}年")
    raise ValueError(kind)


def periods_overlapping(kind: str, start: dt.date, end: dt.date, calendar: TermCalendar) -> list[Period]:
    """Every period of ``kind`` that overlaps [start, end], in order."""
    out: list[Period] = []
    day = start
    while day <= end:
        p = period_containing(kind, day, calendar)
        if not out or out[-1] != p:
            out.append(p)
        day = p.end + dt.timedelta(days=1)
    return out


def term_periods(kind: str, term: Term, calendar: TermCalendar) -> list[Period]:
    start, end = calendar.bounds(term)
    if kind == "term":
        return [Period(start, end, "term", term.id, term.label)]
    return periods_overlapping(kind, start, end, calendar)


def term_months(term: Term, calendar: TermCalendar) -> list[Period]:
    return term_periods("month", term, calendar)
