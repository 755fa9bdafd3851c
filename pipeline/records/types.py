"""The recurring activities of a branch (《中国共产党支部工作条例（试行）》) and how notes and sheets name them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeetingType:
    name: str  # canonical name, used in folder names and the index
    aliases: tuple[str, ...]  # what secretaries actually type
    template: str  # default template file in templates/
    is_talk: bool = False  # 谈心谈话 has its own fields


MEETING_TYPES: tuple[MeetingType, ...] = (
    MeetingType("支部党员大会", ("党员大会", "支部大会", "全体党员大会", "支部党员会"), "会议记录.docx"),
    MeetingType(
        "支委会", ("支部委员会会议", "支部委员会", "支委会议", "支委扩大会", "支委扩大会议"), "会议记录.docx"
    ),
    MeetingType("党小组会", ("党小组学习", "党小组会议", "小组会"), "会议记录.docx"),
    MeetingType("党课", ("书记讲党课", "专题党课", "讲党课"), "会议记录.docx"),
    MeetingType("主题党日", ("主题党日活动", "党日活动"), "会议记录.docx"),
    MeetingType("组织生活会", ("专题组织生活会",), "会议记录.docx"),
    MeetingType("民主评议党员", ("民主评议",), "会议记录.docx"),
    MeetingType("谈心谈话", ("谈心谈话记录", "谈心", "谈话"), "谈心谈话记录.docx", is_talk=True),
)

_BY_NAME = {t.name: t for t in MEETING_TYPES}

# Longest names first, so "支部委员会会议" wins over "支部委员会" and "党小组会" over "小组会".
_MATCH_ORDER: list[tuple[str, MeetingType]] = sorted(
    ((n, t) for t in MEETING_TYPES for n in (t.name, *t.aliases)),
    key=lambda pair: -len(pair[0]),
)


def get_meeting_type(name: str) -> MeetingType:
    return _BY_NAME[name]


def resolve_meeting_type(text: str, *, exact: bool = False) -> MeetingType | None:
    """Find the activity a piece of text names.

    With ``exact`` the text must be a canonical name or an alias (a header field, a sheet
    cell); without it the text only has to contain one (a file name such as
    ``2024-10-08支委会记录.txt``).
    """
    cleaned = "".join(text.split())
    if not cleaned:
        return None
    for name, mtype in _MATCH_ORDER:
        if (cleaned == name) if exact else (name in cleaned):
            return mtype
    if exact:
        # "支委会会议记录", "党课（第二讲）": a known name at the start still counts.
        for name, mtype in _MATCH_ORDER:
            if cleaned.startswith(name):
                return mtype
    return None
