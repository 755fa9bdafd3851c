"""Dates and times as secretaries type them (domain.md §4–6).

2024年5月10日, 2024-05-10, 2024.5.10, 2024/5/10, with full-width digits, optional weekday
and an optional time: 14:30, 14：30, 下午2:30, 下午2点半, 14时30分, or a range 14:30-16:00.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from pipeline.errors import DateFormatError

_DATE = re.compile(
    r"(?P<y>\d{4})\s*(?:年|[-./／])\s*(?P<m>\d{1,2})\s*(?:月|[-./／])\s*(?P<d>\d{1,2})\s*(?:日|号)?"
)
_COMPACT = re.compile(r"(?<!\d)(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_TIME = re.compile(
    r"(?P<ampm>上午|下午|中午|晚上|早上)?\s*(?P<h>\d{1,2})\s*(?:[:：]|时|点)\s*(?P<min>\d{1,2}|半)?\s*分?"
)
_FULLWIDTH_FIX = str.maketrans({"〇": "0"})


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, stray spaces folded."""
    return unicodedata.normalize("NFKC", text).translate(_FULLWIDTH_FIX).strip()


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first date in ``text`` with its span, or None. Raises for an impossible date."""
    s = normalize(text)
    m = _DATE.search(s) or _COMPACT.search(s)
    if not m:
        return None
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    try:
        return dt.date(y, mo, d), m.start(), m.end()
    except ValueError:
        raise DateFormatError(
            f"日期「{m.group(0)}」不存在（{y}年没有{mo}月{d}日）",
            hint="请核对年、月、日，写成 2024年5月10日 这样的格式。",
        ) from None


def parse_date(text: str) -> dt.date:
    found = find_date(text)
    if not found:
        raise DateFormatError(
            f"无法识别日期「{text.strip()}」",
            hint="请写成 2024年5月10日、2024-05-10、2024.5.10 或 2024/5/10。",
        )
    return found[0]


def _to_time(m: re.Match) -> dt.time | None:
    hour = int(m.group("h"))
    minute_text = m.group("min")
    minute = 30 if minute_text == "半" else int(minute_text or 0)
    ampm = m.group("ampm")
    if ampm in ("下午", "晚上") and hour < 12:
        hour += 12
    if ampm == "中午" and hour < 6:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def parse_datetime(text: str) -> tuple[dt.date, dt.time | None, dt.time | None]:
    """A date with an optional start time and end time."""
    found = find_date(text)
    if not found:
        parse_date(text)  # raises the precise error
    day, _, end = found
    rest = normalize(text)[end:]
    rest = re.sub(r"[（(]?\s*(星期|周|礼拜)[一二三四五六日天]\s*[）)]?", " ", rest)
    times = [t for t in (_to_time(m) for m in _TIME.finditer(rest)) if t]
    if len(times) >= 2 and times[1] < times[0] and "下午" in rest and times[1].hour < 12:
        # "下午2:30-4:00": the end time inherits the afternoon.
        times[1] = dt.time(times[1].hour + 12, times[1].minute)
    start = times[0] if times else None
    finish = times[1] if len(times) > 1 else None
    return day, start, finish


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cn_time(t: dt.time | None) -> str:
    return f"{t.hour}:{t.minute:02d}" if t else ""
