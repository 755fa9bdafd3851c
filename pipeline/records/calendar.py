"""Academic years and terms (the school calendar).

A 学年 runs 1 September to 31 August. Which months belong to which 学期 varies between
schools, so it is configuration: by default September–January is 第一学期 and
February–August is 第二学期. Explicit term dates in the config override the month rule.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.errors import ZhibuError

TERM_NAMES = {1: "第一学期", 2: "第二学期"}
_TERM_ID = re.compile(r"^(\d{4})-(\d{4})-([12])$")
_YEAR_ID = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True, order=True)
class Term:
    start_year: int  # 2024 for 2024—2025学年
    number: int  # 1 or 2

    @property
    def id(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}-{self.number}"

    @property
    def year_id(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def year_label(self) -> str:
        return f"{self.start_year}—{self.start_year + 1}学年"

    @property
    def year_folder(self) -> str:
        # Folder names use the ASCII hyphen so they survive every file system and zip tool.
        return f"{self.start_year}-{self.start_year + 1}学年"

    @property
    def name(self) -> str:
        return TERM_NAMES[self.number]

    @property
    def label(self) -> str:
        return f"{self.year_label}{self.name}"

    @classmethod
    def parse(cls, text: str) -> Term:
        m = _TERM_ID.match(text.strip())
        if not m or int(m.group(2)) != int(m.group(1)) + 1:
            raise ZhibuError(
                f"学期「{text}」的写法不对",
                hint="请写成 2024-2025-1（2024—2025学年第一学期）或 2024-2025-2（第二学期）。",
            )
        return cls(int(m.group(1)), int(m.group(3)))


def parse_year(text: str) -> int:
    """'2024-2025' -> 2024."""
    m = _YEAR_ID.match(text.strip())
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise ZhibuError(f"学年「{text}」的写法不对", hint="请写成 2024-2025。")
    return int(m.group(1))


@dataclass(frozen=True)
class TermCalendar:
    """Maps dates to terms. ``first_term_months`` lists the calendar months of 第一学期."""

    first_term_months: tuple[int, ...] = (9, 10, 11, 12, 1)
    # Explicit boundaries, {"2024-2025-1": (start, end)}, win over the month rule.
    explicit: tuple[tuple[str, dt.date, dt.date], ...] = ()

    def term_of(self, day: dt.date) -> Term:
        for term_id, start, end in self.explicit:
            if start <= day <= end:
                return Term.parse(term_id)
        start_year = day.year if day.month >= 9 else day.year - 1
        return Term(start_year, 1 if day.month in self.first_term_months else 2)

    def bounds(self, term: Term) -> tuple[dt.date, dt.date]:
        """First and last day of a term."""
        for term_id, start, end in self.explicit:
            if term_id == term.id:
                return start, end
        months = self.months(term)
        first_y, first_m = months[0]
        last_y, last_m = months[-1]
        last_day = dt.date(last_y + (last_m == 12), last_m % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date(first_y, first_m, 1), last_day

    def months(self, term: Term) -> list[tuple[int, int]]:
        """(year, month) pairs of a term in order, from the month rule."""
        out = []
        for i in range(12):
            month = (9 + i - 1) % 12 + 1
            year = term.start_year + (1 if month < 9 else 0)
            in_first = month in self.first_term_months
            if (term.number == 1) == in_first:
                out.append((year, month))
        return out
