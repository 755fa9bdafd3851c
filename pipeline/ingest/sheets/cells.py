"""Cell values as secretaries type them, turned into text, names, counts, dates and months.

A value comes from openpyxl (str, int, float, datetime, time, bool, None) or from a CSV file
(str). Two markers stand for what cannot be used: ``MISSING_FORMULA`` (a formula whose result
was never saved, e.g. a file written by a program rather than Excel) and ``CellErrorValue``
(#REF!, #VALUE! …). Parsers raise ``CellProblem`` with a Chinese message; the row reader adds
the sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from openpyxl.utils.datetime import from_excel

from pipeline.chinese import cn_amount
from pipeline.errors import CellProblem, DateFormatError
from pipeline.ingest.dates import find_date, parse_datetime
from pipeline.ingest.names import normalize_name


class _MissingFormula:
    def __repr__(self) -> str:
        return "MISSING_FORMULA"


MISSING_FORMULA = _MissingFormula()


class CellErrorValue(str):
    """An Excel error value such as #REF!."""


_SPACES = "\u3000\xa0\t\r\n "
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_INT = re.compile(r"(\d+)")


def unusable(value) -> bool:
    """A formula whose result was never saved, or an Excel error value (#N/A, #REF! …)."""
    return value is MISSING_FORMULA or isinstance(value, CellErrorValue)


def check_usable(value) -> None:
    if value is MISSING_FORMULA:
        raise CellProblem(
            "单元格是公式，但文件里没有保存公式的计算结果",
            hint="请用 Excel 或 WPS 打开这个文件，确认公式显示正常后保存一次（或把公式改成数值），再放入收件箱。",
        )
    if isinstance(value, CellErrorValue):
        raise CellProblem(f"单元格显示错误值「{value}」", hint="请改正这个单元格的公式或内容。")


def is_blank(value) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and not value.strip(_SPACES)


def text(value) -> str:
    """Free text as typed (Chinese punctuation kept), trimmed; numbers without a trailing .0."""
    check_usable(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.year}年{value.month}月{value.day}日 {value.hour}:{value.minute:02d}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.time):
        return f"{value.hour}:{value.minute:02d}"
    lines = [line.strip(_SPACES) for line in str(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def one_line(value) -> str:
    return " ".join(text(value).split("\n"))


def folded(value) -> str:
    """NFKC (full-width digits and letters to ASCII), no spaces: for matching, not for display."""
    return "".join(unicodedata.normalize("NFKC", text(value)).split())


def name(value) -> str:
    """A person's name: 张　伟 and "张 伟 " are 张伟 (names are padded to line up in print)."""
    raw = normalize_name(text(value))
    if re.search(r"[A-Za-z]", raw):  # a Latin name keeps its inner spaces
        return " ".join(unicodedata.normalize("NFKC", raw).split())
    return "".join(unicodedata.normalize("NFKC", raw).split()).strip("。.,，、")


def count(value, label: str) -> int | None:
    """A number of people: 12, 12.0, "１２", "12人"; None when blank."""
    check_usable(value)
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellProblem(f"「{label}」应为人数，却是「{text(value)}」")
    if isinstance(value, int | float):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise CellProblem(f"「{label}」应为整数人数，却是「{text(value)}」")
    s = folded(value)
    m = _INT.search(s)
    if not m or re.search(r"\d+\.\d", s):
        raise CellProblem(f"「{label}」应为人数，却写成了「{text(value)}」", hint="请只写数字，例如 12。")
    return int(m.group(1))


# --- money ----------------------------------------------------------------------------------

_MONEY_MARKS = str.maketrans("", "", "￥¥$,，")
_MONEY = re.compile(r"^(?:RMB|CNY|人民币)?([+-]?\d+(?:\.\d+)?)(?:元|圆|块)?(?:整)?$", re.IGNORECASE)
MONEY_HINT = "请只写金额，例如 45、45.00、￥45 或 45元。"


def money(value, label: str) -> Decimal | None:
    """An amount of money as typed: 45, 45.00, ￥45, 45元, 1,200.50, 四十五元; in 分 (half-up).

    None when blank. A negative amount or text that is no amount is a ``CellProblem``."""
    check_usable(value)
    if is_blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time):
        raise CellProblem(f"「{label}」应为金额，却是「{text(value)}」", hint=MONEY_HINT)
    if isinstance(value, int | float):
        amount = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    else:
        s = unicodedata.normalize("NFKC", text(value)).translate(_MONEY_MARKS)
        s = "".join(s.split())
        found = _MONEY.match(s)
        try:
            written = Decimal(found.group(1)) if found else cn_amount(s)
        except InvalidOperation:
            written = None
        if written is None:
            raise CellProblem(f"「{label}」里的「{text(value)}」不是金额", hint=MONEY_HINT)
        amount = written
    if amount < 0:
        raise CellProblem(f"「{label}」的金额「{text(value)}」是负数", hint=MONEY_HINT)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- dates ----------------------------------------------------------------------------------

_MONTH = re.compile(r"(?:(?P<y>\d{4})\s*(?:年|[-./／])\s*)?(?P<m>\d{1,2})\s*(?:月|(?=$))")
_MONTH_ONLY_TEXT = re.compile(r"^(?P<y>\d{4})\s*[-./／]\s*(?P<m>\d{1,2})$")
_YEAR_ONLY = re.compile(r"^(\d{4})\s*年?(?:度)?$")


def _excel_serial(value: float) -> dt.datetime | None:
    if 1 <= value < 2958466:  # 1900-01-01 .. 9999-12-31
        try:
            result = from_excel(value)
        except (ValueError, OverflowError):
            return None
        return result if isinstance(result, dt.datetime) else None
    return None


class Period:
    """A day or a month (day None); year None when only 10月 was written."""

    __slots__ = ("year", "month", "day")

    def __init__(self, year: int | None, month: int, day: int | None = None):
        self.year, self.month, self.day = year, month, day

    def date(self) -> dt.date | None:
        if self.year is None:
            return None
        return dt.date(self.year, self.month, self.day or 1)

    def __repr__(self) -> str:
        return f"Period({self.year}, {self.month}, {self.day})"


def day(value, label: str, *, default_year=None) -> dt.date | None:
    """A date: an Excel date, 2024-05-10, 2024.5.10, 2024/5/10, 2024年5月10日 (full-width too).

    None when blank. ``default_year`` (a year, or a function month -> year) completes 5月10日.
    """
    found = day_time(value, label, default_year=default_year)
    return found[0] if found else None


def day_time(
    value, label: str, *, default_year=None
) -> tuple[dt.date, dt.time | None, dt.time | None] | None:
    check_usable(value)
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        t = value.time()
        return value.date(), (t if t != dt.time(0, 0) else None), None
    if isinstance(value, dt.date):
        return value, None, None
    if isinstance(value, bool):
        raise CellProblem(f"「{label}」应为日期，却是「{text(value)}」")
    if isinstance(value, int | float):
        serial = _excel_serial(float(value)) if value > 10000 else None
        if serial:
            return serial.date(), None, None
        raise CellProblem(
            f"「{label}」应为日期，却是数字「{text(value)}」", hint="请写成 2024年5月10日 或 2024-05-10。"
        )
    raw = text(value)
    s = unicodedata.normalize("NFKC", raw)
    try:
        if find_date(s):
            return parse_datetime(s)
    except DateFormatError as err:
        raise CellProblem(err.message, err.hint) from None
    if default_year:
        m = re.search(r"(\d{1,2})\s*(?:月|[-./／])\s*(\d{1,2})\s*(?:日|号)?", s)
        year = default_year(int(m.group(1))) if m and callable(default_year) else default_year
        if m and year:
            try:
                return parse_datetime(f"{year}年{m.group(1)}月{m.group(2)}日" + s[m.end() :])
            except DateFormatError as err:
                raise CellProblem(err.message, err.hint) from None
    raise CellProblem(
        f"无法识别「{label}」里的日期「{raw}」",
        hint="请写成 2024年5月10日、2024-05-10、2024.5.10 或 2024/5/10。",
    )


def period(value, label: str, *, allow_year_only: bool = False) -> Period | None:
    """A day or a month: everything ``day`` accepts, and 2024年10月, 2024-10, 2024.10, 10月.

    A number such as 2024.1 (Excel turns a typed 2024.1 into a number) is read as it shows:
    January 2024. 2024年 alone is refused unless ``allow_year_only`` (then month 0).
    """
    check_usable(value)
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        d = value.date() if isinstance(value, dt.datetime) else value
        return Period(d.year, d.month, d.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _period_of_number(value, label, allow_year_only)
    return _period_of_text(text(value), label, allow_year_only)


def _period_of_number(value: int | float, label: str, allow_year_only: bool) -> Period:
    """A number read as it shows: 2024.1 is January 2024, 2024 a year, 1-12 a month, else an Excel date."""
    shown = text(value)
    m = re.fullmatch(r"(\d{4})\.(\d{1,2})", shown)
    if m and 1 <= int(m.group(2)) <= 12:
        return Period(int(m.group(1)), int(m.group(2)))
    if re.fullmatch(r"\d{4}", shown) and 1990 <= value <= 2100:
        if allow_year_only:
            return Period(int(value), 0)
        raise CellProblem(f"「{label}」只写了年份「{shown}」，请写到月份，例如 {shown}年10月")
    if 1 <= value <= 12 and float(value).is_integer():
        return Period(None, int(value))
    serial = _excel_serial(float(value)) if value > 10000 else None
    if serial:
        return Period(serial.year, serial.month, serial.day)
    raise CellProblem(f"「{label}」应为日期或月份，却是数字「{shown}」")


def _period_of_text(raw: str, label: str, allow_year_only: bool) -> Period:
    """A written day, month or (when allowed) year: 2024年10月8日, 2024-10, 10月, 2024年."""
    s = "".join(unicodedata.normalize("NFKC", raw).split())
    try:
        found = find_date(s)
    except DateFormatError as err:
        raise CellProblem(err.message, err.hint) from None
    if found:
        d = found[0]
        return Period(d.year, d.month, d.day)
    y = _YEAR_ONLY.match(s)
    if y:
        if allow_year_only:
            return Period(int(y.group(1)), 0)
        raise CellProblem(f"「{label}」只写了年份「{raw}」，请写到月份，例如 {y.group(1)}年10月")
    m = _MONTH_ONLY_TEXT.match(s) or _MONTH.search(s)
    if m:
        month = int(m.group("m"))
        year = int(m.group("y")) if m.group("y") else None
        if not 1 <= month <= 12:
            raise CellProblem(f"「{label}」里的月份「{raw}」不存在", hint="月份应在 1 到 12 之间。")
        if year is not None and not 1900 <= year <= 2200:
            raise CellProblem(f"「{label}」里的年份「{raw}」不对")
        return Period(year, month)
    raise CellProblem(
        f"无法识别「{label}」里的时间「{raw}」", hint="请写成 2024年10月8日、2024-10-08、2024年10月 或 10月。"
    )


def time_of_day(value, label: str) -> tuple[dt.time | None, dt.time | None]:
    """A time or a time range (14:30, 下午2:30-4:00, an Excel time)."""
    check_usable(value)
    if is_blank(value):
        return None, None
    if isinstance(value, dt.datetime):
        return value.time(), None
    if isinstance(value, dt.time):
        return value, None
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time without its format
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60), None
    raw = text(value)
    try:
        _, start, end = parse_datetime("2000年1月1日 " + unicodedata.normalize("NFKC", raw))
    except DateFormatError:
        start = end = None
    if start is None:
        raise CellProblem(f"无法识别「{label}」里的时间「{raw}」", hint="请写成 14:30 或 14:30-16:00。")
    return start, end


def iso_period(value, label: str) -> str:
    """A roster date as text: 1985-03-12, or 1985-03 for a month; "" when blank."""
    p = period(value, label)
    if p is None:
        return ""
    if p.year is None:
        raise CellProblem(f"「{label}」没有写年份「{text(value)}」", hint="请写成 1985年3月 或 1985-03-12。")
    return f"{p.year:04d}-{p.month:02d}" + (f"-{p.day:02d}" if p.day else "")
