"""Typed rows of the registers a secretary keeps, and their normalization.

Pure: no file I/O. The register kinds (``pipeline.kinds``) read these records and file them; the
records that meetings and attendance need live here (members, sign-in sheets), the others in
their kind's module. Normalization follows the domain:
achievement categories and levels have canonical names with common spellings as aliases
(``zhibu.toml`` ``[achievements]`` aliases extend them), and a 职称 is understood from the
title (副教授) or from its level (副高, 高级).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipeline.chinese import cn_to_int
from pipeline.records.achievement_terms import (  # noqa: F401 - also read from here
    CATEGORIES,
    CATEGORY_ALIASES,
    LEVEL_ALIASES,
    LEVELS,
    normalize_category,
    normalize_level,
)
from pipeline.records.text_key import text_key
from pipeline.records.titles import (  # noqa: F401 - also read from here
    SENIOR_LEVELS,
    TITLE_LEVELS,
    title_level,
)

# --- member types and committee posts --------------------------------------------------------

_MEMBER_TYPES = {
    "正式": "正式",
    "正式党员": "正式",
    "预备": "预备",
    "预备党员": "预备",
    "中共党员": "正式",
    "党员": "正式",
    "中共预备党员": "预备",
}
COMMITTEE_WORDS = ("书记", "委员", "支委")


def normalize_member_type(text: str) -> str | None:
    """正式 / 预备 / None when it cannot be understood ("" means not stated)."""
    key = text_key(text)
    if not key:
        return ""
    return _MEMBER_TYPES.get(key)


def is_committee_post(post: str) -> bool:
    """党内职务 that makes a member part of the branch committee (not 党小组长)."""
    key = text_key(post)
    return bool(key) and "小组" not in key and any(w in key for w in COMMITTEE_WORDS)


def committee_role(post: str) -> str:
    """书记 / 副书记 / 组织委员 … from a 党内职务 such as 党支部书记, 支部委员."""
    key = text_key(post).replace("党支部", "").replace("支部", "")
    for role in ("副书记", "书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员"):
        if role in key:
            return role
    return "委员"


# --- party groups ------------------------------------------------------------------------------

_GROUP = re.compile(r"第?([一二三四五六七八九十\d]{1,3})(?:党)?小?组")


def _cn_number(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_to_int(text)


def group_key(text: str) -> str:
    """A comparable key for a 党小组 name: 第一党小组 = 一组 = 1组 → "#1"; others as typed."""
    key = text_key(text)
    m = _GROUP.search(key)
    if m:
        n = _cn_number(m.group(1))
        if n:
            return f"#{n}"
    return key.replace("党小组", "").replace("小组", "")


def group_named_in(text: str, groups: list[str]) -> str | None:
    """The roster's group that ``text`` (a topic, a file name) names, if any."""
    key = text_key(text)
    m = _GROUP.search(key)
    wanted = None
    if m:
        n = _cn_number(m.group(1))
        wanted = f"#{n}" if n else None
    for g in groups:
        gk = group_key(g)
        if wanted and gk == wanted:
            return g
        if not gk.startswith("#") and len(gk) >= 2 and gk in key and ("小组" in key or "组" in key):
            return g
    return None


# --- the records -------------------------------------------------------------------------------


@dataclass
class Where:
    """The place of a record in its register, for messages."""

    sheet: str | None = None
    row: int | None = None


@dataclass
class Member:
    name: str
    gender: str = ""
    birth: str = ""  # ISO date or YYYY-MM
    ethnicity: str = ""
    native_place: str = ""
    education: str = ""
    degree: str = ""
    title: str = ""
    title_level: str = ""  # 正高 / 副高 / 高级 / 中级 / 初级 / ""
    position: str = ""
    department: str = ""
    joined: str = ""
    confirmed: str = ""
    member_type: str = "正式"  # 正式 / 预备
    party_group: str = ""
    party_post: str = ""
    honours: str = ""
    transferred_out: str = ""  # 转出时间: ISO date or YYYY-MM, "" while a member of the branch
    where: Where = field(default_factory=Where)

    COLUMNS = (
        "name",
        "gender",
        "birth",
        "ethnicity",
        "native_place",
        "education",
        "degree",
        "title",
        "title_level",
        "position",
        "department",
        "joined",
        "confirmed",
        "member_type",
        "party_group",
        "party_post",
        "honours",
        "transferred_out",
    )

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | sqlite3.Row) -> Member:
        """From a ``members`` index row or a plain dict."""
        data = dict(row)
        values: dict[str, Any] = {k: (data.get(k) or "") for k in cls.COLUMNS}
        return cls(**values)

    @property
    def is_probationary(self) -> bool:
        return self.member_type == "预备"


@dataclass
class SignIn:
    """One line of a sign-in sheet."""

    meeting_type: str
    date: dt.date
    name: str
    present: bool
    note: str = ""
    topic: str = ""
    where: Where = field(default_factory=Where)
    block: int = 0  # which block of a sheet printed with 姓名|签到 repeated side by side


@dataclass
class SignInSheet:
    """The attendance of one meeting, as a sign-in sheet gives it."""

    meeting_type: str
    date: dt.date
    topic: str = ""
    entries: list[SignIn] = field(default_factory=list)
    source: str = ""

    @property
    def present(self) -> list[str]:
        return [e.name for e in self.entries if e.present]

    @property
    def absent(self) -> list[SignIn]:
        return [e for e in self.entries if not e.present]


class NamedRole(Protocol):
    """A zhibu.toml [[committee]] entry as the records read it: a name and a role."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...


def committee(members: list[Member], config_committee: Iterable[NamedRole] = ()) -> list[tuple[str, str]]:
    """(name, role) of the branch committee: the roster's 党内职务, else zhibu.toml [[committee]]."""
    from_roster = [(m.name, committee_role(m.party_post)) for m in members if is_committee_post(m.party_post)]
    if from_roster:
        return from_roster
    return [(c.name.strip(), (c.role or "委员").strip()) for c in config_committee]
