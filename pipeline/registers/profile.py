"""The branch profile (党组织简介): its text computed from the roster, and that text as a Word
document (``profile_docx``, written with ``pipeline.wordkit``).

In the style of the seed construction plan: "X党支部有正式党员28人，党支部书记…、支部委员…。
支部党员中高级职称4人、中级职称13人；博士1人、硕士6人；获得…的党员1人…。" Title levels
follow the usual levels (高级 = 正高 + 副高), understood from the 职称 or its level.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from pipeline import wordkit as wk
from pipeline.records.register_rows import (
    SENIOR_LEVELS,
    Member,
    committee_role,
    title_level,
)
from pipeline.records.register_rows import (
    committee as committee_pairs,
)

ROLE_ORDER = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员", "委员")
_HONOUR_SPLIT = re.compile(r"[、，,；;/／\n]+")
_BRACKETS = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
_PERSON_TITLES = (
    "名师",
    "带头人",
    "标兵",
    "模范",
    "能手",
    "骨干",
    "先锋",
    "典型",
    "专家",
    "大师",
    "工匠",
    "人才",
    "教练",
    "楷模",
    "党员",
    "教师",
    "工作者",
    "个人",
)


def _member(m) -> Member:
    return m if isinstance(m, Member) else Member.from_row(m)


def _committee(members: list[Member], committee) -> list[tuple[str, str]]:
    """(name, role) in the order of rank: the roster's 党内职务, else zhibu.toml's [[committee]]."""
    rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    pairs = committee_pairs(members, committee or ())
    return sorted([p for p in pairs if p[0]], key=lambda p: rank.get(committee_role(p[1]), len(ROLE_ORDER)))


def _committee_clause(pairs: list[tuple[str, str]]) -> str:
    parts, others = [], []
    for name, role in pairs:
        role = committee_role(role)
        if role == "书记":
            parts.append(f"党支部书记{name}")
        elif role == "副书记":
            parts.append(f"副书记{name}")
        else:
            others.append(name)
    if others:
        parts.append(f"支部委员{'、'.join(others)}")
    return "、".join(parts)


def _degree(m: Member) -> str:
    for text in (m.degree, m.education):
        if "博士" in text:
            return "博士"
        if "硕士" in text:
            return "硕士"
        if text and m.degree:
            return ""  # a degree was given and is neither
    return ""


def honours_of(m: Member) -> list[str]:
    out = []
    for part in _HONOUR_SPLIT.split(m.honours or ""):
        name = _BRACKETS.sub("", part).strip(" 　。.")
        name = re.sub(r"^(?:19|20)\d{2}\s*年度?", "", name).strip()
        name = name[2:] if name.startswith(("具有", "获得", "荣获")) else name
        if name and name not in ("无", "暂无", "-", "—") and name not in out:
            out.append(name)
    return out


def _honour_phrase(name: str, n: int) -> tuple[int, str]:
    """(order group, phrase): awards first, then titles, then qualifications (as in the seed)."""
    if any(w in name for w in ("素质", "资格", "资质", "证书")):
        return 2, f"具有{name}的党员{n}人"
    if "奖" in name or "称号" in name:
        return 0, f"获得“{name}”的党员{n}人"
    if name.endswith(_PERSON_TITLES):
        return 1, f"{name}的党员{n}人"
    return 0, f"获得“{name}”的党员{n}人"


def _day(text: str) -> dt.date | None:
    """A roster date (ISO, or YYYY-MM for a month) as a day; None when it states none."""
    text = (text or "").strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text + "-01")
    except ValueError:
        return None


def as_of(members: list[Member], day: dt.date) -> list[Member]:
    """The roster as it stood on ``day``, as far as its own dates tell: a member whose 入党时间 is
    later was not a member yet; one whose 转正时间 is later was still 预备. Undated facts stand."""
    out = []
    for m in members:
        joined, confirmed = _day(m.joined), _day(m.confirmed)
        if joined and joined > day:
            continue
        if not m.is_probationary and confirmed and confirmed > day:
            m = dataclasses.replace(m, member_type="预备")
        out.append(m)
    return out


def branch_profile(members, committee, branch_name: str, day: dt.date | None = None) -> str:
    """The 党组织简介 paragraph; "" without a roster (nothing to state). ``members``: Member
    records or ``members`` rows/dicts; ``day``: the roster judged as it stood then (``as_of``).

    ``committee``: zhibu.toml [[committee]] entries ({name, role}) or (name, role) pairs, used
    when the roster's 党内职务 do not name the committee.
    """
    people = [_member(m) for m in members]
    if day is not None:
        people = as_of(people, day)
    if not people:
        return ""
    pairs = _committee(people, committee)
    clause = _committee_clause(pairs)
    probation = sum(1 for m in people if m.is_probationary)
    formal = len(people) - probation
    text = f"{branch_name}有正式党员{formal}人"
    if probation:
        text += f"（预备党员{probation}人）"
    text += f"，{clause}。" if clause else "。"
    stated = _qualification_counts(people)
    if stated:
        text += "支部党员中" + "；".join(stated)
    counts: dict[str, int] = {}
    for m in people:
        for h in honours_of(m):
            counts[h] = counts.get(h, 0) + 1
    phrases = sorted(
        (_honour_phrase(h, n) + (i,) for i, (h, n) in enumerate(counts.items())), key=lambda p: (p[0], p[2])
    )
    if phrases:
        text += ("；" if stated else "支部党员中") + "，".join(p[1] for p in phrases)
    return text + "。" if stated or phrases else text


def _qualification_counts(people: list[Member]) -> list[str]:
    """高级职称N人、中级职称M人 and 博士N人、硕士M人, each only when the roster states titles
    (degrees) for someone: a roster without those columns states no count, not 0."""
    parts = []
    levels = [title_level(m.title, m.title_level) for m in people]
    if any(m.title or m.title_level for m in people):
        senior = sum(1 for lv in levels if lv in SENIOR_LEVELS)
        parts.append(f"高级职称{senior}人、中级职称{sum(1 for lv in levels if lv == '中级')}人")
    if any(m.education or m.degree for m in people):
        degrees = [_degree(m) for m in people]
        parts.append(f"博士{degrees.count('博士')}人、硕士{degrees.count('硕士')}人")
    return parts


def profile_docx(text: str, branch_name: str, day: dt.date) -> bytes:
    """The profile as a GB/T 9704 Word document: the branch's name and 党组织简介 as its title
    (bold), the paragraph, the 署名 and the date, "— 1 —" page numbers; byte-stable."""
    doc = wk.new_document()
    wk.name_or_rule(doc, branch_name, wk.TITLE)
    wk.title(doc, "党组织简介")
    wk.paragraph(doc, "", wk.FIELD)
    wk.paragraph(doc, text)
    wk.signature_block(doc, branch_name, day)
    return wk.save_dated(doc, f"{branch_name}党组织简介", day)


PROFILE_FILE = "党组织简介.docx"


def profile_path(outbox: Path) -> Path:
    return outbox / PROFILE_FILE
