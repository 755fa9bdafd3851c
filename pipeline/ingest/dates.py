"""Dates and times as secretaries type them.

2024年5月10日, 2024-05-10, 2024.5.10, 2024/5/10, 二〇二四年五月十日, with full-width digits,
a range of days by its first day (4月13—14日),
an optional weekday and an optional time: 14:30, 14：30, 下午2:30, 下午2点半, 下午两点半,
14时30分, or a range 14:30—16:00. A date without a year ("3月26日") is found by
``find_month_day``; the year is never guessed here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NoReturn

from pipeline.chinese import cn_date, cn_time, digits_in_dates
from pipeline.errors import DateFormatError

__all__ = [
    "cn_date",
    "cn_time",
    "find_date",
    "find_month_day",
    "iter_dates",
    "normalize",
    "parse_date",
    "parse_datetime",
]

_DATE = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*(?:年|[-./／])\s*(?P<m>\d{1,2})\s*(?:月|[-./／])\s*(?P<d>\d{1,2})(?!\d)\s*(?:日|号)?"
)
_COMPACT = re.compile(r"(?<!\d)(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
# A range of days ("4月13—14日", "4月13日至14日") is dated by its first day.
_MONTH_DAY = re.compile(
    r"(?<![\d年./-])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*"
    r"(?:[日号]?\s*[—–~～至到-]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号]|日|号|(?=上午|下午|中午|晚|早))"
)
_TIME = re.compile(
    r"(?P<ampm>上午|下午|中午|晚上|晚间|早上|早晨|傍晚|凌晨|夜间|晚|早|午后)?\s*(?P<h>\d{1,2})\s*(?P<sep>[:：]|时|點|点)"
    r"\s*(?P<min>\d{1,2}|半)?\s*分?"
)
_WEEKDAY = re.compile(r"[（(]?\s*(星期|周|礼拜)[一二三四五六日天1-7]\s*[）)]?")
_FULLWIDTH_FIX = str.maketrans({"〇": "0"})
# A year typed with a Latin zero or letter O among Chinese numerals: 二0二三年, 二O二四年, 二○二四年.
_MIXED_YEAR = re.compile(
    r"(?=[〇零一二三四五六七八九0OoＯ○]{4}\s*年)(?=[^年]*[一二三四五六七八九])[〇零一二三四五六七八九0OoＯ○]{4}"
)


def _mixed_year(m: re.Match) -> str:
    return re.sub("[0OoＯ○]", "〇", m.group(0))


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, Chinese numerals in dates to digits."""
    text = _MIXED_YEAR.sub(_mixed_year, unicodedata.normalize("NFKC", text))
    return digits_in_dates(text).translate(_FULLWIDTH_FIX).strip()


def _make_date(y: int, mo: int, d: int, written: str) -> dt.date:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise DateFormatError(
            f"日期「{written}」不存在（{y}年没有{mo}月{d}日）",
            hint="请核对年、月、日，写成 2024年5月10日 这样的格式。",
        ) from None


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first date with a year in ``text`` and its span (in the normalized text), or None.

    Raises for an impossible date."""
    s = normalize(text)
    m = _DATE.search(s) or _COMPACT.search(s)
    if not m:
        return None
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    return _make_date(y, mo, d, m.group(0).strip()), m.start(), m.end()


def find_month_day(text: str) -> tuple[int, int, int, int] | None:
    """A date written without its year ("3月26日"): month, day and span, or None."""
    s = normalize(text)
    m = _MONTH_DAY.search(s)
    if not m:
        return None
    mo, d = int(m.group("m")), int(m.group("d"))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return mo, d, m.start(), m.end()


def iter_dates(text: str) -> list[tuple[str, dt.date | tuple[int, int], int, int]]:
    """Every date in already normalized ``text``, in order: ("full", date, start, end) for a date with
    its year, ("partial", (month, day), start, end) for one without. Impossible dates are skipped."""
    found: list[tuple[str, dt.date | tuple[int, int], int, int]] = []
    for m in _DATE.finditer(text):
        try:
            day = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        found.append(("full", day, m.start(), m.end()))
    for m in _MONTH_DAY.finditer(text):
        mo, d = int(m.group("m")), int(m.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            found.append(("partial", (mo, d), m.start(), m.end()))
    return sorted(found, key=lambda f: f[2])


def parse_date(text: str) -> dt.date:
    found = find_date(text)
    if not found:
        _no_date(text)
    return found[0]


def _no_date(text: str) -> NoReturn:
    raise DateFormatError(
        f"无法识别日期「{text.strip()}」",
        hint="请写成 2024年5月10日、2024-05-10、2024.5.10 或 2024/5/10。",
    )


def _to_time(m: re.Match, ampm: str | None) -> dt.time | None:
    hour = int(m.group("h"))
    minute_text = m.group("min")
    minute = 30 if minute_text == "半" else int(minute_text or 0)
    if ampm in ("下午", "晚上", "晚间", "傍晚", "晚", "夜间", "午后") and hour < 12:
        hour += 12
    elif ampm == "中午" and hour < 6:
        hour += 12
    elif ampm is None and 1 <= hour <= 6 and m.group("sep") in "时点":
        # Nobody meets at 2 a.m.: a spoken "两点半" with no 上午/下午 is the afternoon (14:30 stays as typed).
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def parse_times(text: str) -> tuple[dt.time | None, dt.time | None]:
    """Start and end time in text that follows a date ("下午2:30—4:00", "（星期五）14:30")."""
    rest = _WEEKDAY.sub(" ", normalize(text))
    times: list[dt.time] = []
    ampm = None
    for m in _TIME.finditer(rest):
        ampm = m.group("ampm") or ampm
        t = _to_time(m, m.group("ampm") or (ampm if times else None))
        if t:
            times.append(t)
    if len(times) >= 2 and times[1] < times[0] and times[1].hour < 12:
        # "下午2:30-4:00": the end time inherits the afternoon.
        times[1] = dt.time(times[1].hour + 12, times[1].minute)
    start = times[0] if times else None
    finish = times[1] if len(times) > 1 and times[1] > times[0] else None
    return start, finish


def parse_datetime(text: str) -> tuple[dt.date, dt.time | None, dt.time | None]:
    """A date with an optional start time and end time."""
    found = find_date(text)
    if not found:
        _no_date(text)
    day, _, end = found
    start, finish = parse_times(normalize(text)[end:])
    return day, start, finish
