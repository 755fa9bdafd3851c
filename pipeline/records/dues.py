"""党费: the rules of 中组发〔2008〕3号 as data, and the typed records of the two registers.

Pure: no file I/O. Money is ``decimal.Decimal`` throughout, rounded to 分 by the configured mode
(default 四舍五入). Every default is a setting of zhibu.toml ``[dues]`` (``config.schema.DuesSettings``):

* working members (在职): the whole monthly base (计算基数, the regular salary after tax and
  the personal contributions) falls in one band, each upper bound inclusive, and the whole
  base pays that band's rate (3000.00 → 0.5% = 15.00, 3000.01 → 1% = 30.00);
* retired members (离退休): the same on the 基本离退休费, with their own bands;
* students and members without a fixed income (学生, 其他): a fixed monthly amount;
* a reduction or waiver decided by the branch (备注 少交/减交/免交 with its reason) replaces the
  rules' amount with the branch's;
* a monthly cap (1000 元 by default; 0: none); a one-off voluntary 大额党费 is kept apart;
* the amount is fixed once a year: the 核算表 of year Y holds from ``fixing_month`` of Y.

Months are plain integers (``ym(2024, 3)``), so that ranges and runs are arithmetic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from pipeline.chinese import cn_amount

CENT = Decimal("0.01")
ROUNDING_MODES = {"四舍五入": ROUND_HALF_UP, "舍去": ROUND_DOWN, "进位": ROUND_CEILING}

WORKING, RETIRED, STUDENT, OTHER = "在职", "离退休", "学生", "其他"
CATEGORIES = (WORKING, RETIRED, STUDENT, OTHER)
_CATEGORY_WORDS = (
    (RETIRED, ("离休", "退休", "离退")),
    (STUDENT, ("学生", "研究生", "本科", "博士生", "硕士生", "在读", "在校")),
    (OTHER, ("其他", "其它", "待业", "失业", "下岗", "低保", "无固定收入", "无收入", "灵活就业")),
    (WORKING, ("在职", "在岗", "在编", "教职工", "教师", "职工", "工作人员", "合同", "聘用")),
)

# Salary components a 核算表 may have, by canonical column name: what counts towards the base
# and what is deducted are settings (``income_parts``, ``deductions``); the others (奖励性绩效,
# 改革性补贴, 加班费) are read and never counted (中组发〔2008〕3号: not in the base).
PARTS = (
    "岗位工资",
    "薪级工资",
    "基础性绩效工资",
    "津贴补贴",
    "奖励性绩效工资",
    "改革性补贴",
    "加班费",
    "个人所得税",
    "养老保险",
    "医疗保险",
    "失业保险",
    "住房公积金",
    "职业年金",
)
INCOME_PARTS = ("岗位工资", "薪级工资", "基础性绩效工资", "津贴补贴")
DEDUCTIONS = ("个人所得税", "养老保险", "医疗保险", "失业保险", "住房公积金", "职业年金")

# 备注 words that record why months were left unpaid (缓交 with the branch's consent …).
REASON_WORDS = ("缓交", "暂缓", "免交", "同意", "批准", "病", "困难", "出国", "访学", "外派", "挂职", "借调")
# 备注 words: a decision of the branch that replaces the rules' amount.
WAIVED_WORDS = ("免交",)
REDUCED_WORDS = ("少交", "减交", "减免", "酌减", "减半", "减少交纳", "降低")
LARGE_WORDS = ("大额党费", "大额", "自愿多交", "自愿交纳")


# --- months --------------------------------------------------------------------------------


def ym(year: int, month: int) -> int:
    """A month as one integer: ordered, and ``m + 1`` is the next month."""
    return year * 12 + month - 1


def year_of(m: int) -> int:
    return m // 12


def month_of(m: int) -> int:
    return m % 12 + 1


def ym_of(day: dt.date) -> int:
    return ym(day.year, day.month)


def ym_iso(m: int) -> str:
    return f"{year_of(m):04d}-{month_of(m):02d}"


def parse_ym(text: str | None) -> int | None:
    """``2024-03`` (or an ISO date) → the month; None when blank or unreadable."""
    found = re.match(r"^(\d{4})-(\d{2})", text or "")
    return ym(int(found.group(1)), int(found.group(2))) if found else None


def ym_text(m: int) -> str:
    return f"{year_of(m)}年{month_of(m)}月"


def span_text(first: int, last: int) -> str:
    """2024年3月, 2024年3月至5月, 2024年11月至2025年2月."""
    if first == last:
        return ym_text(first)
    if year_of(first) == year_of(last):
        return f"{ym_text(first)}至{month_of(last)}月"
    return f"{ym_text(first)}至{ym_text(last)}"


def runs(months: list[int]) -> list[tuple[int, int]]:
    """Consecutive stretches (first, last) of the sorted ``months``."""
    out: list[tuple[int, int]] = []
    for m in sorted(set(months)):
        if out and out[-1][1] == m - 1:
            out[-1] = (out[-1][0], m)
        else:
            out.append((m, m))
    return out


def months_text(months: list[int]) -> str:
    """2024年4月至6月、9月、2025年1月: runs joined, the year written when it changes."""
    parts, year = [], None
    for first, last in runs(months):
        text = span_text(first, last)
        if year == year_of(first):
            text = text.split("年", 1)[1]
        parts.append(text)
        year = year_of(last)
    return "、".join(parts)


# --- money ---------------------------------------------------------------------------------


def yuan(amount: Decimal | None) -> str:
    """45.00; "" for an unknown amount."""
    return "" if amount is None else f"{amount.quantize(CENT):,.2f}".replace(",", "")


def percent_text(rate: Decimal | None) -> str:
    """1.5% (a rate in percent); "" when none."""
    if rate is None:
        return ""
    return f"{rate.normalize():f}%"


def parse_rate(text: str) -> Decimal | None:
    """A 比例 as typed: 1%, 1.5 %, 0.015 (a fraction), 百分之一; None when not a rate."""
    s = "".join(text.split()).replace("％", "%")
    if s.startswith("百分之"):
        return cn_amount(s[3:])
    found = re.fullmatch(r"(\d+(?:\.\d+)?)(%?)", s)
    if not found:
        return None
    value = Decimal(found.group(1))
    return value if found.group(2) or value >= 1 else value * 100


# --- the rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    upper: Decimal | None  # inclusive; None: no upper bound
    rate: Decimal  # percent

    def describe(self, lower: Decimal | None) -> str:
        """3000元以上至5000元（含）, 3000元及以下, 10000元以上."""
        if lower is None:
            return f"{_whole(self.upper)}元及以下" if self.upper is not None else "不分档次"
        if self.upper is None:
            return f"{_whole(lower)}元以上"
        return f"{_whole(lower)}元以上至{_whole(self.upper)}元（含）"


def _whole(amount: Decimal | None) -> str:
    return f"{amount.normalize():f}" if amount is not None else ""


@dataclass(frozen=True)
class Rules:
    """The dues rules of one workspace (``Rules.from_config(config.dues)``)."""

    working: tuple[Band, ...] = (
        Band(Decimal(3000), Decimal("0.5")),
        Band(Decimal(5000), Decimal(1)),
        Band(Decimal(10000), Decimal("1.5")),
        Band(None, Decimal(2)),
    )
    retired: tuple[Band, ...] = (Band(Decimal(5000), Decimal("0.5")), Band(None, Decimal(1)))
    fixed_amount: Decimal = Decimal("0.20")
    monthly_cap: Decimal = Decimal("1000.00")  # 0: no cap
    large_amount: Decimal = Decimal("1000.00")
    rounding: str = ROUND_HALF_UP
    fixing_month: int = 1
    late_months: int = 6
    warn_unpaid: int = 3
    alert_unpaid: int = 6
    income_parts: tuple[str, ...] = INCOME_PARTS
    deductions: tuple[str, ...] = DEDUCTIONS
    reason_words: tuple[str, ...] = REASON_WORDS

    @classmethod
    def from_config(cls, section: Any) -> Rules:
        """From zhibu.toml's validated [dues] (``DuesSettings``; the config package sits above records)."""

        def bands(limits: Sequence[float], rates: Sequence[float]) -> tuple[Band, ...]:
            uppers = [_money(x) for x in limits] + [None]
            return tuple(Band(u, _money(r)) for u, r in zip(uppers, rates, strict=True))

        return cls(
            working=bands(section.working_limits, section.working_rates),
            retired=bands(section.retired_limits, section.retired_rates),
            fixed_amount=_money(section.fixed_amount).quantize(CENT),
            monthly_cap=_money(section.monthly_cap).quantize(CENT),
            large_amount=_money(section.large_amount).quantize(CENT),
            rounding=ROUNDING_MODES[section.rounding],
            fixing_month=section.fixing_month,
            late_months=section.late_months,
            warn_unpaid=section.warn_unpaid_months,
            alert_unpaid=section.alert_unpaid_months,
            income_parts=tuple(section.income_parts),
            deductions=tuple(section.deductions),
            reason_words=tuple(section.reason_words),
        )

    def round(self, amount: Decimal) -> Decimal:
        return amount.quantize(CENT, rounding=self.rounding)

    def base_year(self, m: int) -> int:
        """The 核算表 year whose amount holds in month ``m``."""
        return year_of(m) if month_of(m) >= self.fixing_month else year_of(m) - 1

    def has_reason(self, note: str) -> bool:
        """Whether a 备注 records why a member may leave months unpaid (缓交 with consent …)."""
        return any(w in note for w in self.reason_words)


def _money(value: float | str | Decimal) -> Decimal:
    return Decimal(str(value))


def normalize_category(text: str) -> str | None:
    """在职 / 离退休 / 学生 / 其他 from 在职教师, 退休, 研究生 …; "" when blank, None when unknown."""
    key = "".join(text.split())
    if not key:
        return ""
    for category, found in _CATEGORY_WORDS:
        if any(w in key for w in found):
            return category
    return None


def base_from_parts(parts: dict[str, Decimal], rules: Rules) -> Decimal | None:
    """计算基数 from salary components: the income parts less the deductions; None without any
    income part."""
    income = [parts[p] for p in rules.income_parts if p in parts]
    if not income:
        return None
    return sum(income, Decimal(0)) - sum((parts[p] for p in rules.deductions if p in parts), Decimal(0))


@dataclass(frozen=True)
class Due:
    """The monthly amount due by the rules, and how it was found (shown in the 核算表)."""

    amount: Decimal | None  # None: cannot be computed (no base)
    basis: str  # 按比例 / 定额 / 支部决定 / 支部填报 / 不详
    rate: Decimal | None = None  # percent, for 按比例
    band: str = ""  # 3000元以上至5000元（含）
    capped: bool = False

    @property
    def rule_text(self) -> str:
        """在职党员，计算基数3000元以上至5000元（含），交纳比例1%."""
        if self.basis == "按比例":
            text = f"计算基数{self.band}，交纳比例{percent_text(self.rate)}"
            return text + ("，按每月上限计" if self.capped else "")
        return {"定额": "每月定额交纳", "支部决定": "按支部决定", "支部填报": "按支部填报的数额"}.get(
            self.basis, "无法计算"
        )


def band_of(base: Decimal, bands: tuple[Band, ...]) -> tuple[Band, Decimal | None]:
    """The band the whole base falls in (upper bounds inclusive), and the band's lower bound."""
    lower = None
    for band in bands:
        if band.upper is None or base <= band.upper:
            return band, lower
        lower = band.upper
    return bands[-1], lower


def assess(category: str, base: Decimal | None, rules: Rules) -> Due:
    """The monthly amount due by the rules for a member of ``category`` with ``base``."""
    if category in (STUDENT, OTHER):
        return Due(rules.fixed_amount, "定额")
    if base is None:
        return Due(None, "不详")
    band, lower = band_of(base, rules.retired if category == RETIRED else rules.working)
    amount = rules.round(base * band.rate / 100)
    capped = bool(rules.monthly_cap) and amount > rules.monthly_cap
    if capped:
        amount = rules.monthly_cap
    return Due(amount, "按比例", band.rate, band.describe(lower), capped)


def decision_of(note: str) -> str:
    """免交 / 少交 when the 备注 records the branch's decision, else ""."""
    key = "".join(note.split())
    if any(w in key for w in WAIVED_WORDS):
        return "免交"
    if any(w in key for w in REDUCED_WORDS):
        return "少交"
    return ""


def is_large(note: str) -> bool:
    """A voluntary one-off 大额党费, as the 备注 says."""
    return any(w in "".join(note.split()) for w in LARGE_WORDS)


# --- the records of the two registers -----------------------------------------------------


@dataclass
class DuesBase:
    """One member's row of a 党费基数核算表 (one year).

    ``base`` and ``parts`` are income figures: read from the register for the filing step and
    the 核算表, never stored in the index (the table keeps the band and the amount due only).
    """

    name: str
    year: int | None = None
    category: str = ""  # 在职 / 离退休 / 学生 / 其他
    due: Decimal | None = None  # the monthly amount due, set when filed
    basis: str = ""  # Due.basis
    rate: str = ""  # 1% (the rules' rate)
    band: str = ""  # 3000元以上至5000元（含）
    branch_due: Decimal | None = None  # 月交纳额 as the branch computed it
    branch_rate: str = ""  # 比例 as the branch wrote it
    note: str = ""
    base: Decimal | None = None  # never stored
    parts: dict[str, Decimal] = field(default_factory=dict)  # never stored
    stated_base: Decimal | None = None  # 计算基数 as typed (never stored)
    sheet: str | None = None
    row: int | None = None
    id: int | None = None
    source_id: int | None = None

    @property
    def decision(self) -> str:
        return decision_of(self.note)


EXEMPT, REASON, LARGE = "免交", "原因", "大额"


@dataclass
class DuesPayment:
    """A payment (or a recorded 免交 / reason) of a 党费收缴登记表, for the months it covers."""

    name: str
    first: str = ""  # first month covered, 2024-01 ("" for a 大额党费)
    last: str = ""  # last month covered
    amount: Decimal | None = None
    mark: str = ""  # "" (a payment) / 免交 / 原因 (months left unpaid with a reason) / 大额
    paid_on: dt.date | None = None
    collector: str = ""
    note: str = ""
    year: int | None = None  # the register's year
    sheet: str | None = None
    row: int | None = None
    id: int | None = None
    source_id: int | None = None

    @property
    def months(self) -> list[int]:
        first, last = parse_ym(self.first), parse_ym(self.last)
        if first is None or last is None:
            return []
        return list(range(first, last + 1))
