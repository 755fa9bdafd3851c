"""Edits of zhibu.toml made from the 设置 page, with every comment and untouched line kept.

tomlkit keeps the file as the secretary (or ``zhibu init``) wrote it: only the values edited
change. The result is validated by the caller with zhibu's own config check before it is
written. A value the form cannot turn into TOML (a date that is not a date) raises
``ValueError`` with a Chinese message naming the field.
"""

from __future__ import annotations

import datetime as dt

import tomlkit
from tomlkit.items import AoT, Table

ROLES = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员")


def _date(text: str, what: str, row: int) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"学期第{row}行的{what}「{text}」不是日期，请写成 2024-09-02") from None


def _table(doc, name: str) -> Table:
    if name not in doc:
        doc[name] = tomlkit.table()
    return doc[name]


def _committee(rows: list[tuple[str, str]]) -> AoT:
    aot = tomlkit.aot()
    for i, (name, role) in enumerate(rows, start=1):
        if not name.strip():
            continue
        if role.strip() and role.strip() not in ROLES:
            raise ValueError(f"支委第{i}行的职务「{role}」不对，请选择：{'、'.join(ROLES)}")
        entry = tomlkit.table()
        entry["name"] = name.strip()
        entry["role"] = role.strip() or "委员"
        aot.append(entry)
    return aot


def _terms(rows: list[tuple[str, str, str, str]], kept: dict[str, dict] | None = None) -> AoT:
    """The [[calendar.terms]] of the settings page; what the page does not show (as_of) stays as it
    was in each term's entry (``kept``, by id)."""
    aot = tomlkit.aot()
    for i, (term_id, start, end, plan) in enumerate(rows, start=1):
        if not any(v.strip() for v in (term_id, start, end, plan)):
            continue
        entry = tomlkit.table()
        entry["id"] = term_id.strip()
        for key, value, what in (("start", start, "开始日期"), ("end", end, "结束日期")):
            day = _date(value, what, i)
            if day is None:
                raise ValueError(f"学期第{i}行没有写{what}，请写成 2024-09-02")
            entry[key] = day
        plan_day = _date(plan, "计划落款日期", i)
        if plan_day is not None:
            entry["plan_date"] = plan_day
        for key, value in (kept or {}).get(term_id.strip(), {}).items():
            if key not in ("id", "start", "end", "plan_date"):
                entry[key] = value
        aot.append(entry)
    return aot


def apply_settings(text: str, wanted) -> str:
    """``text`` with [branch], [[committee]] and [[calendar.terms]] set from ``wanted``
    (a ``pipeline.web.model.Settings``)."""
    doc = tomlkit.parse(text)
    branch = _table(doc, "branch")
    branch["name"], branch["school"], branch["department"] = (
        wanted.name.strip(),
        wanted.school.strip(),
        wanted.department.strip(),
    )
    _replace(doc, "committee", _committee(wanted.committee))
    calendar = _table(doc, "calendar")
    kept = {str(t.get("id", "")): dict(t) for t in calendar.get("terms", [])}
    _replace(calendar, "terms", _terms(wanted.terms, kept))
    return tomlkit.dumps(doc)


def _replace(container, key: str, aot: AoT) -> None:
    """An array of tables set in its place (added at the end when new, removed when empty)."""
    if key in container and len(aot):
        container[key] = aot
    elif key in container:
        del container[key]
    elif len(aot):
        container.append(key, aot)


def with_password(text: str, password_hash: str) -> str:
    """``text`` with [web] password_hash set (the section added, explained, when missing)."""
    doc = tomlkit.parse(text)
    if "web" not in doc:
        web = tomlkit.table()
        web.add(tomlkit.comment("网页工作台（zhibu serve）。password_hash 是登录口令的加密值，"))
        web.add(tomlkit.comment("请用 zhibu serve --set-password 设置，不要手工修改。"))
        doc["web"] = web
    doc["web"]["password_hash"] = password_hash
    return tomlkit.dumps(doc)
