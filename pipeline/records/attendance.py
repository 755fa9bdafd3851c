"""Attendance of a meeting from its sign-in sheet and the party roster (pure).

* A **sign-in sheet** is the record of who came: it replaces the note's lists, and 应到/实到
  follow from it (a note that said otherwise gets a warning).
* The **roster** says who *should* come (应到): 支部党员大会 — the 正式党员 (预备党员 have no
  vote); 支委会 — the committee (党内职务, else zhibu.toml); 党小组会 — the members of the
  党小组 the note names; 党课, 主题党日, 组织生活会, 民主评议党员 — every member. From it the
  absentees (缺席) are derived when a note lists only who came, the attendees when it lists
  only who was absent, and every name is checked: an unknown name is a warning, never a
  rejection. Members who came but are not expected (预备党员 at a 党员大会, a member at a
  支委会) are listed as 列席 and not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.chinese import cn_to_int, int_to_cn
from pipeline.records.meeting import Absence, Meeting
from pipeline.records.register_rows import Member, NamedRole, SignInSheet, group_named_in
from pipeline.records.register_rows import committee as committee_of

ALL_MEMBERS = ("党课", "主题党日", "组织生活会", "民主评议党员")
# A header line of a note naming the group ("党小组：第一党小组").
GROUP_LABELS = ("党小组", "所在党小组", "小组", "党小组名称")
_NAMED_GROUP = re.compile(r"第([一二三四五六七八九十\d]{1,3})(?:党)?小组")


def _named_group(text: str) -> str:
    """ "第1党小组", "第一小组" -> "第一党小组"; "" when ``text`` names no numbered group."""
    found = _NAMED_GROUP.search(text or "")
    if not found:
        return ""
    n = int(found.group(1)) if found.group(1).isdigit() else cn_to_int(found.group(1))
    return f"第{int_to_cn(n)}党小组" if n else ""


def party_group(m: Meeting, members: list[Member]) -> str:
    """The 党小组 a 党小组会 belongs to: the one its note names (a 党小组 line, the topic) or its
    file name names, in the roster's spelling; else the group of its host (主持人) in the roster;
    "" when nothing tells."""
    if m.type.name != "党小组会":
        return ""
    groups = list(dict.fromkeys(x.party_group.strip() for x in members if x.party_group.strip()))
    stated = [value.strip() for label, value in m.extra if label.strip() in GROUP_LABELS and value.strip()]
    for text in (*stated, m.topic, m.source_name):
        found = group_named_in(text, groups) if groups else _named_group(text)
        if found:
            return found
    if stated:
        return stated[0]
    host = next((x for x in members if x.name == m.chair and x.party_group.strip()), None)
    return host.party_group.strip() if host else ""


def _join(names: Iterable[str]) -> str:
    return "、".join(names)


def expected_members(
    m: Meeting, members: list[Member], config_committee: Iterable[NamedRole] = ()
) -> tuple[list[str], str, str] | None:
    """(names expected, what they are, what the others are) or None when the roster cannot tell."""
    kind = m.type.name
    if m.type.is_talk:
        return None
    if kind == "支委会":
        names = [n for n, _ in committee_of(members, config_committee)]
        return (names, "支部委员", "非支部委员") if names else None
    if not members:
        return None
    if kind == "支部党员大会":
        return [x.name for x in members if not x.is_probationary], "正式党员", "预备党员"
    if kind == "党小组会":
        groups: list[str] = []
        for x in members:
            if x.party_group and x.party_group not in groups:
                groups.append(x.party_group)
        group = group_named_in(f"{m.topic} {m.source_name}", groups)
        if not group:
            return None
        return [x.name for x in members if x.party_group == group], f"{group}党员", f"非{group}党员"
    if kind in ALL_MEMBERS:
        return [x.name for x in members], "党员", ""
    return None


def apply_signin(m: Meeting, sheet: SignInSheet) -> None:
    listed = list(m.attendees)
    stated = m.present
    reasons = {a.name: a.reason for a in m.absentees}
    observers = " ".join(m.observers)
    m.attendees = [n for n in sheet.present if n not in observers]
    m.absentees = [Absence(e.name, e.note or reasons.get(e.name, "")) for e in sheet.absent]
    if stated is not None and stated != len(m.attendees):
        m.warnings.append(f"笔记中写的实到人数是{stated}人，签到表上签到{len(m.attendees)}人，已按签到表")
    unsigned = [n for n in listed if n not in m.attendees and n not in observers]
    if unsigned:
        m.warnings.append(f"笔记的参会人员中{_join(unsigned)}在签到表上没有签到，已按签到表")
    m.expected = None
    m.present = None
    # A sign-in sheet lists everyone expected: who came and who did not are both complete.
    m.attendees_complete = m.absentees_complete = True


def apply(
    m: Meeting,
    *,
    signin: SignInSheet | None = None,
    members: list[Member] | None = None,
    config_committee: Iterable[NamedRole] = (),
) -> None:
    """Complete ``m``'s attendance in place; explanations go to ``m.warnings``."""
    members = members or []
    if signin is not None:
        apply_signin(m, signin)
    roster = {x.name for x in members}
    if roster:
        _check_names(m, roster)
    found = expected_members(m, members, config_committee)
    if found is None:
        return
    names, what, others = found
    if not m.attendees and not m.absentees and m.present is None and m.expected is None:
        return  # the note says nothing about attendance: nothing to complete
    expected = set(names)
    if not roster:
        # Only zhibu.toml's committee is known: trust it when the note agrees with it.
        outside = [n for n in dict.fromkeys(m.attendees + [a.name for a in m.absentees]) if n not in expected]
        if outside:
            m.warnings.append(f"{_join(outside)}不在 zhibu.toml 的支部委员名单中，应到人数按笔记中的名单计算")
            return
    if roster and others:
        _set_aside_unexpected(m, roster, expected, others, signin)
    _complete_lists(m, names, what, signin)
    if m.expected is None:
        m.expected = len(names)
    elif m.expected != len(names):
        m.warnings.append(f"应到人数写的是{m.expected}人，按党员名册应为{len(names)}人（{what}），请核对")


def _check_names(m: Meeting, roster: set[str]) -> None:
    """A warning naming every person of the note who is not on the roster (never a rejection)."""
    people = m.attendees + [a.name for a in m.absentees]
    if m.type.is_talk:
        people = [m.talker or m.chair, m.talk_partner]
    unknown = [n for n in dict.fromkeys(people) if n and n not in roster]
    if unknown:
        m.warnings.append(f"{_join(unknown)}不在党员名册中，请核对姓名（非党员参会请写在“列席人员”中）")


def _set_aside_unexpected(
    m: Meeting, roster: set[str], expected: set[str], others: str, signin: SignInSheet | None
) -> None:
    """Members who came but are not expected become 列席; those listed absent are dropped from 缺席."""
    moved = [a for a in m.attendees if a in roster and a not in expected]
    if moved:
        m.attendees = [a for a in m.attendees if a not in moved]
        tag = "（预备党员）" if others == "预备党员" else ""
        m.observers = m.observers + [f"{a}{tag}" for a in moved]
        vote = "没有表决权，" if others == "预备党员" else ""
        m.warnings.append(f"{_join(moved)}是{others}，{vote}已列为列席人员，不计入应到、实到人数")
    dropped = [a.name for a in m.absentees if a.name in roster and a.name not in expected]
    if dropped:
        m.absentees = [a for a in m.absentees if a.name not in dropped]
        if signin is None:
            m.warnings.append(f"{_join(dropped)}是{others}，不是本次会议的应到人员，不计入缺席人员")


def _complete_lists(m: Meeting, names: list[str], what: str, signin: SignInSheet | None) -> None:
    """Attendees from the absentees, or absentees from the attendees, where the expected people make
    the other list certain; otherwise a warning naming who is on neither list."""
    absent = {a.name for a in m.absentees}
    if not m.attendees and m.absentees and m.present is None:
        m.attendees = [n for n in names if n not in absent]
        m.attendees_complete = True
        m.warnings.append(
            f"没有列出参会人员，已按党员名册列为{what}中除缺席人员以外的{len(m.attendees)}人，请核对"
        )
    elif (
        not m.attendees and m.present is not None and m.present == len([n for n in names if n not in absent])
    ):
        # The stated 实到 is exactly the expected people less the named absentees: who came is certain.
        m.attendees = [n for n in names if n not in absent]
        m.attendees_complete = True
    elif m.attendees:
        missing = [n for n in names if n not in m.attendees and n not in absent]
        if missing and (signin is not None or (not m.absentees and m.expected is None)):
            reason = "未签到" if signin is not None else ""
            m.absentees = m.absentees + [Absence(n, reason) for n in missing]
            m.absentees_complete = True  # everyone expected is now accounted for
            if signin is None:
                m.warnings.append(
                    f"没有写缺席人员，已按党员名册列出未到会的{what}：{_join(missing)}（未注明原因）"
                )
        elif missing:
            m.warnings.append(f"党员名册中的{what}{_join(missing)}既不在参会人员中，也不在缺席人员中，请核对")
