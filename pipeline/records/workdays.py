"""Working days in China: official holidays and make-up working days (调休) from ``chinese_calendar``.

Years the library does not cover yet fall back to Monday–Friday; ``calendar_covers`` says so,
so that a paper can state it.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def is_working_day(day: dt.date) -> bool:
    """An official working day (holidays and make-up days); Monday–Friday where no data exists."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def calendar_covers(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def working_days(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end``, both included."""
    n, day = 0, start
    while day <= end:
        n += is_working_day(day)
        day += dt.timedelta(days=1)
    return n


def publicity_end(start: dt.date, days: int) -> dt.date:
    """The last day of a 公示 of ``days`` working days starting on ``start`` (its first working day)."""
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted >= days:
                return day
        day += dt.timedelta(days=1)
