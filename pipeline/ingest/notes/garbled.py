"""What a web page did to a report when it was copied: pinyin printed after the characters
("會(huì)議": dropped, it is no part of the words), and a date whose 年 and 月 it dropped
("2021316日上午930时").

A dropped date is read only where one reading is possible and the report confirms it or has no other full date
to contradict it: the digits after the year split into one real month and day (316 → 3月16日; 112 could be
1月12日 or 11月2日: not read), and when the report has other full dates, one of them (a byline, a signature)
has the same year and does not come before it (a page is published after its meeting); a clock after it (930时 → 9:30) keeps its two digits of minutes
and agrees with 上午/下午. The run says what was read ("请核对"); anything else stays unread, and a
report with no other date is refused as before.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.ingest.dates import normalize

_RUN = re.compile(
    r"(?<![\d年月日/.\-:：])(?P<y>20\d{2})(?P<md>\d{3,4})日"
    r"(?P<half>上午|下午|中午|晚上|晚)?(?:(?P<hm>\d{3,4})时)?(?![\d分])"
)
_FULL = re.compile(r"(?<!\d)(20\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)")


def _day(year: int, digits: str) -> dt.date | None:
    """The one real date the digits make (month first, the day two digits when it can be)."""
    splits = (
        [(digits[:1], digits[1:]), (digits[:2], digits[2:])]
        if len(digits) == 3
        else [(digits[:2], digits[2:])]
    )
    found = []
    for month, day in splits:
        try:
            found.append(dt.date(year, int(month), int(day)))
        except ValueError:
            continue
    return found[0] if len(found) == 1 else None


def _clock(digits: str | None, half: str | None) -> str:
    """ "930" → "9:30" (minutes keep their two digits), when the hour agrees with 上午/下午."""
    if not digits:
        return ""
    hour, minute = int(digits[:-2]), int(digits[-2:])
    if (
        minute > 59
        or hour > 23
        or (half == "上午" and hour > 12)
        or (half in ("下午", "晚上", "晚") and hour == 0)
    ):
        return ""
    return f"{hour}:{minute:02d}"


def repair(text: str) -> tuple[str, str]:
    """(the text with the one dropped-character date read, the run's note), or (text, "")."""
    plain = normalize(text)
    m = _RUN.search(plain)
    if not m:
        return text, ""
    day = _day(int(m.group("y")), m.group("md"))
    full = [(int(y), int(mo), int(d)) for y, mo, d in _FULL.findall(plain)]
    others = [
        dt.date(y, mo, d) for y, mo, d in full if 1 <= mo <= 12 and 1 <= d <= 31 and y == int(m.group("y"))
    ]
    confirmed = any(day <= other <= day + dt.timedelta(days=366) for other in others) if day else False
    # A report with no other full date has nothing to contradict the one reading.
    if day is None or (full and not confirmed):
        return text, ""
    clock = _clock(m.group("hm"), m.group("half"))
    written = m.group(0) if clock or not m.group("hm") else m.group(0)[: m.start("hm") - m.start()]
    read = f"{day.year}年{day.month}月{day.day}日{m.group('half') or ''}{clock}"
    shown = f"{day.year}年{day.month}月{day.day}日" + (f" {clock}" if clock else "")
    note = f"日期「{written}」缺了字，读作{shown}，请核对"
    i = text.find(written)
    if i < 0:  # written with full-width digits: leave it unread
        return text, ""
    return text[:i] + read + text[i + len(written) :], note


# Pinyin a traditional-character page printed after a character: "會(huì)議", "活動(dòng)". Only a
# syllable with a tone mark, right after a Han character: "(A座)", "(dang)" stay.
_PINYIN = re.compile(
    r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)"
)


def strip_pinyin(text: str) -> str:
    """The text without the pinyin a page printed after its characters ("會(huì)議" → "會議")."""
    return _PINYIN.sub("", text)
