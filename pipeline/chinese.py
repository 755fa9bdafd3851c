"""Chinese text helpers, in one place: numerals, traditional characters, dates, ordinals.

* ``cn_to_int("二十三")`` -> 23, ``int_to_cn(12)`` -> "十二" (cn2an does the conversion);
* ``digits_in_dates("二〇二四年三月十五日下午两点半")`` -> "2024年3月15日下午2点半": Chinese numerals
  written in dates and clock times become digits, other words ("一致", "十分重要") stay as written;
* ``to_simplified("支委會")`` -> "支委会" for recognition only (OpenCC t2s); records keep the text
  as written;
* ``cn_amount("四十五元五角")`` -> Decimal("45.5"), an amount of money written in words (cn2an);
* ``cn_date(date)`` -> "2024年5月10日" (GB/T 9704-2012: full year, no zero padding);
* ``cn_ordinal(3)`` -> "三", ``section_number(3)`` -> "三、".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation

import cn2an

_DIGIT = "〇零一二两三四五六七八九"
_NUM = f"[{_DIGIT}十]"
# A year written digit by digit (二〇二四), month and day in counting form (十二, 二十六).
_CN_YEAR = re.compile(f"([{_DIGIT}]{{4}})(?=\\s*年)")
_CN_MONTH_DAY = re.compile(f"(?<![{_DIGIT}十])({_NUM}{{1,3}})(?=\\s*(?:月|日|号))")
# Clock times: 两点半, 十点, 下午三点二十分, 十四时三十分.
_CN_CLOCK = re.compile(f"(?<![{_DIGIT}十])({_NUM}{{1,3}})(\\s*[点時时])(?:\\s*({_NUM}{{1,3}})(\\s*分)?)?")


def cn_to_int(text: str) -> int | None:
    """A Chinese numeral (二十三, 两, 〇) or digits as an int; None when it is not a number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(ch in _DIGIT for ch in text) and len(text) > 1:
        # Digit by digit: 二〇二四
        return int("".join(str(_digit_value(ch)) for ch in text))
    try:
        return int(cn2an.cn2an(text.replace("两", "二"), "smart"))
    except (ValueError, KeyError, TypeError):
        return None


_AMOUNT_UNITS = str.maketrans({"块": "元", "圆": "元", "毛": "角", "〇": "零"})
_CENTS_ONLY = re.compile("元零?(?=[一二三四五六七八九两壹贰叁肆伍陆柒捌玖]分)")


def cn_amount(text: str) -> Decimal | None:
    """An amount written in Chinese numerals (四十五元, 肆拾伍元整, 零点二, 五角, 二十元零五分);
    None when it is not one. Digits are not handled here (``Decimal`` reads them)."""
    s = "".join(text.split()).translate(_AMOUNT_UNITS).removeprefix("人民币").removesuffix("整")
    if "角" in s or "分" in s:
        s = _CENTS_ONLY.sub("元零角", s if "元" in s else "零元" + s)  # cn2an wants 元 and 角 written
    else:
        s = s.removesuffix("元")
    if not s:
        return None
    try:
        return Decimal(str(cn2an.cn2an(s, "smart")))
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return None


def _digit_value(ch: str) -> int:
    return {"〇": 0, "零": 0, "两": 2}.get(ch, "〇一二三四五六七八九".find(ch))


def int_to_cn(n: int) -> str:
    """12 -> 十二 (the form used in headings and counts)."""
    return cn2an.an2cn(n, "low")


def _number(match: re.Match, group: int = 1) -> str:
    value = cn_to_int(match.group(group))
    return str(value) if value is not None else match.group(group)


def digits_in_dates(text: str) -> str:
    """Chinese numerals in dates and clock times become digits; other text is unchanged."""
    if not re.search(_NUM, text):
        return text
    text = _CN_YEAR.sub(_number, text)
    text = _CN_MONTH_DAY.sub(_number, text)

    def clock(m: re.Match) -> str:
        hour = _number(m)
        minutes = _number(m, 3) if m.group(3) else ""
        return f"{hour}{m.group(2).strip()}{minutes}{'分' if m.group(4) else ''}"

    return _CN_CLOCK.sub(clock, text)


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified, for recognising labels, types and phrases."""
    if not text or text.isascii():
        return text
    return _t2s().convert(text)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cn_time(t: dt.time | None) -> str:
    return f"{t.hour}:{t.minute:02d}" if t else ""


def cn_ordinal(n: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十."""
    return int_to_cn(n)


def section_number(n: int) -> str:
    """The first-level heading number: 一、 二、 …"""
    return f"{cn_ordinal(n)}、"


def sub_number(n: int) -> str:
    """The second-level heading number: （一） （二） …"""
    return f"（{cn_ordinal(n)}）"
