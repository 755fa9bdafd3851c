"""One person of the 发展党员登记表 and the periods of the rules (zhibu.toml [development])."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from dateutil.relativedelta import relativedelta

from pipeline.chinese import cn_date
from pipeline.records.development.register import DATE_LISTS


@dataclass(frozen=True)
class Rules:
    """The periods of 《中国共产党发展党员工作细则》; every one is a zhibu.toml [development] setting."""

    talk_months: int = 1
    assessment_months: int = 6
    activist_months: int = 12
    publicity_days: int = 5  # working days
    approval_months: int = 3
    probation_months: int = 12
    regular_grace_days: int = 30
    min_age: int = 18
    training_hours: int = 24
    remind_days: int = 30

    @classmethod
    def from_config(cls, settings: Any) -> Rules:
        """From zhibu.toml's [development] (``DevelopmentSettings``, duck-typed: the config package sits
        above records): the periods it declares."""
        return cls(**{k: getattr(settings, k) for k in cls.__dataclass_fields__ if hasattr(settings, k)})


@dataclass
class Person:
    name: str
    gender: str = ""
    birth: str = ""  # ISO date or YYYY-MM
    unit: str = ""
    education: str = ""  # 学历
    dates: dict[str, dt.date] = field(default_factory=dict)  # DATE_FIELDS keys
    assessments: list[dt.date] = field(default_factory=list)  # 半年考察 of an 积极分子
    probation_checks: list[dt.date] = field(default_factory=list)  # 预备期考察 of a 预备党员
    publicity_start: dt.date | None = None
    publicity_end: dt.date | None = None
    contacts: str = ""  # 培养联系人
    introducers: str = ""  # 入党介绍人
    party_group: str = ""  # the 党小组 a 预备党员 joined
    training_hours: float | None = None
    extension_months: int | None = None  # 延长预备期
    note: str = ""
    sheet: str | None = None
    row: int | None = None

    def get(self, key: str) -> dt.date | None:
        """The date of a step (the latest of a list of dates); None when not dated."""
        if key == "publicity_start":
            return self.publicity_start
        if key == "publicity_end":
            return self.publicity_end
        if key in DATE_LISTS:
            days = getattr(self, key)
            return max(days) if days else None
        return self.dates.get(key)

    def as_json(self) -> dict:
        data = asdict(self)
        data["dates"] = {k: v.isoformat() for k, v in self.dates.items()}
        for k in DATE_LISTS:
            data[k] = [d.isoformat() for d in getattr(self, k)]
        for k in ("publicity_start", "publicity_end"):
            data[k] = data[k].isoformat() if data[k] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> Person:
        data = dict(data)
        data["dates"] = {k: dt.date.fromisoformat(v) for k, v in data.get("dates", {}).items()}
        for k in DATE_LISTS:
            data[k] = [dt.date.fromisoformat(v) for v in data.get(k, [])]
        for k in ("publicity_start", "publicity_end"):
            data[k] = dt.date.fromisoformat(data[k]) if data.get(k) else None
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    def as_of(self, day: dt.date) -> Person | None:
        """The person as the register stood on ``day``: a step dated later was not done yet;
        None when nothing is dated by then (not yet in the pipeline)."""
        started = self.publicity_start is not None and self.publicity_start <= day
        seen = replace(
            self,
            dates={k: v for k, v in self.dates.items() if v <= day},
            assessments=[x for x in self.assessments if x <= day],
            probation_checks=[x for x in self.probation_checks if x <= day],
            publicity_start=self.publicity_start if started else None,
            publicity_end=self.publicity_end if started else None,
        )
        return seen if seen.dates or seen.publicity_start else None

    def same_facts(self, other: Person) -> bool:
        a, b = self.as_json(), other.as_json()
        for d in (a, b):
            d.pop("sheet", None)
            d.pop("row", None)
        return a == b


def add_months(day: dt.date, months: int) -> dt.date:
    return day + relativedelta(months=months)


def birth_date(text: str) -> dt.date | None:
    """出生年月 as stored (1990-05-12 or 1990-05); a month alone counts from its last day."""
    try:
        if len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1) + relativedelta(months=1, days=-1)
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def birth_month(text: str) -> str:
    """出生年月 as a document prints it: 1996年8月 (GB/T 9704 style); "" when not stated."""
    try:
        return f"{int(text[:4])}年{int(text[5:7])}月" if len(text) >= 7 else ""
    except ValueError:
        return ""


def d(day: dt.date | None) -> str:
    return cn_date(day) if day else ""
