"""Parse a typed meeting note into a Meeting record.

A note is a header of ``字段：值`` lines (full- or half-width colon) followed by body sections
(会议内容, 发言记录, 决议 …). Real notes are untidy, so the parser is forgiving where a
secretary would be (Markdown bullets, bold markers, a title line, numbered agenda lines) and
strict where a mistake would end up in an official record (two different dates, a date
that does not exist, no date at all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.errors import DateFormatError, Location, NoteFormatError, UnknownMeetingTypeError
from pipeline.ingest.dates import find_date, normalize, parse_datetime
from pipeline.ingest.names import split_absences, split_names
from pipeline.records.meeting import Meeting, Section
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type

# canonical field -> what people write
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("会议类型", "活动类型", "类型", "类别", "会议类别"),
    "topic": ("会议名称", "会议主题", "活动主题", "活动名称", "主题", "名称", "题目", "党课题目", "党课主题"),
    "time": ("会议时间", "活动时间", "谈话时间", "时间", "日期", "会议日期"),
    "place": ("会议地点", "活动地点", "谈话地点", "地点"),
    "chair": ("主持人", "主持", "主讲人", "主讲"),
    "recorder": ("记录人", "记录", "记录员"),
    "attendees": ("参会人员", "出席人员", "参加人员", "到会人员", "实到人员", "出席", "参会", "参加对象"),
    "absentees": ("缺席人员", "请假人员", "缺席", "请假"),
    "observers": ("列席人员", "列席"),
    "expected": ("应到人数", "应到", "应出席人数"),
    "present": ("实到人数", "实到", "出席人数"),
    "agenda": ("会议议题", "议题", "议程", "会议议程"),
    "talker": ("谈话人",),
    "talk_partner": ("谈话对象", "被谈话人"),
}
_FIELD_BY_ALIAS = {alias: key for key, aliases in FIELD_ALIASES.items() for alias in aliases}
FIELD_LABELS = {key: aliases[0] for key, aliases in FIELD_ALIASES.items()}

SECTION_NAMES = (
    "会议内容",
    "会议记录",
    "主要内容",
    "内容",
    "学习内容",
    "活动内容",
    "活动过程",
    "活动情况",
    "党课内容",
    "讲课内容",
    "发言记录",
    "发言情况",
    "讨论情况",
    "交流发言",
    "决议",
    "会议决议",
    "决议事项",
    "决定事项",
    "表决情况",
    "表决结果",
    "主持人总结",
    "会议总结",
    "总结",
    "谈话内容",
    "谈话效果",
    "谈话情况",
    "备注",
    "心得体会",
    "评议情况",
    "批评与自我批评",
    "整改措施",
    "民主测评",
    "个人自评",
    "党员互评",
    "测评结果",
)
_SECTION_SET = set(SECTION_NAMES)

_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MD_NOISE = re.compile(r"^\s*(?:#{1,6}\s*|[-*+>]\s+)?")
_FIELD_LINE = re.compile(r"^(?P<key>[^：:\s]{1,8}?)\s*[：:]\s*(?P<value>.*)$")
_BRACKET_HEADING = re.compile(r"^[【\[]\s*(?P<name>[^】\]]{1,10})\s*[】\]]\s*[：:]?\s*(?P<rest>.*)$")
_NUMBERED_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s*(?P<name>[^：:]{1,10}?)\s*[：:]?\s*(?P<rest>.*)$"
)
_AGENDA_ITEM = re.compile(
    r"^(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、|[①②③④⑤⑥⑦⑧⑨⑩])\s*(?P<item>.+)$"
)
_INLINE_ITEMS = re.compile(r"(?:^|\s)(?:\d{1,2}\s*[.、．)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_COUNT = re.compile(r"(\d+)")


def _clean_line(raw: str) -> str:
    line = _MD_NOISE.sub("", raw, count=1)
    # Markdown bold (**会议类型**) is layout, not content; anything else stays as typed.
    return _MD_BOLD.sub(r"\1", line).strip()


def _as_section(line: str) -> tuple[str, str] | None:
    """If ``line`` opens a body section, its name and any text after the colon."""
    for pattern in (_BRACKET_HEADING, _NUMBERED_HEADING):
        m = pattern.match(line)
        if m and m.group("name").strip() in _SECTION_SET:
            return m.group("name").strip(), m.group("rest").strip()
    m = _FIELD_LINE.match(line)
    if m and m.group("key") in _SECTION_SET:
        return m.group("key"), m.group("value").strip()
    stripped = line.rstrip("：:")
    if stripped in _SECTION_SET:
        return stripped, ""
    return None


@dataclass
class _Parsed:
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    agenda: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    title_line: str = ""


def _scan(text: str, file_name: str) -> _Parsed:
    parsed = _Parsed()
    in_agenda = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _clean_line(raw)
        if not line:
            continue
        section = _as_section(line)
        if section:
            name, rest = section
            parsed.sections.append((name, [rest] if rest else []))
            in_agenda = False
            continue
        if parsed.sections:
            parsed.sections[-1][1].append(line)
            continue
        m = _FIELD_LINE.match(line)
        key = _FIELD_BY_ALIAS.get(m.group("key")) if m else None
        if key:
            value = m.group("value").strip()
            _store_field(parsed, key, value, number, file_name)
            in_agenda = key == "agenda"
            if in_agenda and value:
                parsed.agenda.extend(_split_inline_items(value))
            continue
        item = _AGENDA_ITEM.match(line)
        if in_agenda and item:
            parsed.agenda.append(item.group("item").strip())
            continue
        if not parsed.fields and not parsed.title_line:
            parsed.title_line = line
            continue
        # Text before any section heading: the minutes' main content.
        parsed.sections.append(("会议内容", [line]))
        in_agenda = False
    return parsed


def _store_field(parsed: _Parsed, key: str, value: str, line: int, file_name: str) -> None:
    previous = parsed.fields.get(key)
    if previous and previous[0] and value and normalize(previous[0]) != normalize(value):
        raise NoteFormatError(
            f"「{FIELD_LABELS[key]}」写了两次且内容不同（第{previous[1]}行「{previous[0]}」，第{line}行「{value}」）",
            hint="请只保留正确的一行。",
            location=Location(file=file_name),
        )
    if not previous or not previous[0]:
        parsed.fields[key] = (value, line)


def _split_inline_items(value: str) -> list[str]:
    parts = [p.strip(" ；;。") for p in _INLINE_ITEMS.split(value) if p.strip(" ；;。")]
    if len(parts) == 1 and re.search(r"[；;]", value):
        parts = [p.strip() for p in re.split(r"[；;]", value) if p.strip()]
    return parts


def _count(value: str, label: str, line: int, file_name: str) -> int:
    m = _COUNT.search(normalize(value))
    if not m:
        raise NoteFormatError(
            f"「{label}」应为人数，却写成了「{value}」",
            hint="请写成数字，例如 应到人数：12。",
            location=Location(file=file_name, line=line),
        )
    return int(m.group(1))


def _meeting_type(parsed: _Parsed, file_name: str):
    if "type" in parsed.fields:
        value, line = parsed.fields["type"]
        found = resolve_meeting_type(value, exact=True) or resolve_meeting_type(value)
        if not found:
            names = "、".join(t.name for t in MEETING_TYPES)
            raise UnknownMeetingTypeError(
                f"会议类型「{value}」无法识别",
                hint=f"请写成以下之一：{names}。",
                location=Location(file=file_name, line=line),
            )
        return found
    for text in (parsed.title_line, parsed.fields.get("topic", ("", 0))[0], file_name):
        found = resolve_meeting_type(text)
        if found:
            return found
    names = "、".join(t.name for t in MEETING_TYPES)
    raise NoteFormatError(
        "无法确定会议类型：笔记里没有「会议类型」一行，标题和文件名中也没有会议类型",
        hint=f"请在笔记开头加一行，例如「会议类型：支委会」。可用的类型：{names}。",
        location=Location(file=file_name),
    )


def parse_note(text: str, file_name: str) -> Meeting:
    """Parse the text of a note. ``file_name`` is used for messages and as a fallback."""
    parsed = _scan(text, file_name)
    mtype = _meeting_type(parsed, file_name)
    fields = parsed.fields

    if "time" in fields and fields["time"][0]:
        value, line = fields["time"]
        try:
            day, start, end = parse_datetime(value)
        except DateFormatError as err:
            raise err.at(file=file_name, line=line) from None
    else:
        found = find_date(file_name) or (find_date(parsed.title_line) if parsed.title_line else None)
        if not found:
            raise NoteFormatError(
                "缺少会议时间：笔记里没有「时间」一行，文件名中也没有日期",
                hint="请在笔记开头加一行，例如「时间：2024年10月8日 14:30」。",
                location=Location(file=file_name),
            )
        day, start, end = found[0], None, None

    def value(key: str) -> str:
        return fields.get(key, ("", 0))[0].strip()

    meeting = Meeting(
        type=mtype,
        date=day,
        time=start,
        end_time=end,
        topic=value("topic"),
        place=value("place"),
        chair=value("chair"),
        recorder=value("recorder"),
        attendees=split_names(value("attendees")),
        absentees=split_absences(value("absentees")),
        observers=split_names(value("observers")),
        agenda=parsed.agenda,
        sections=_merge_sections(parsed.sections),
        talker=value("talker"),
        talk_partner=value("talk_partner"),
        source_name=file_name,
    )
    for key in ("expected", "present"):
        if value(key):
            setattr(meeting, key, _count(value(key), FIELD_LABELS[key], fields[key][1], file_name))
    if mtype.is_talk:
        meeting.talker = meeting.talker or meeting.chair
        if not meeting.talk_partner:
            raise NoteFormatError(
                "谈心谈话记录缺少「谈话对象」",
                hint="请加一行，例如「谈话对象：张三」。",
                location=Location(file=file_name),
            )
    if not meeting.topic and parsed.title_line and not resolve_meeting_type(parsed.title_line, exact=True):
        meeting.warnings.append(f"笔记没有「会议名称/主题」一行，已用标题行「{parsed.title_line}」代替")
        meeting.topic = parsed.title_line
    return meeting


def _merge_sections(raw: list[tuple[str, list[str]]]) -> list[Section]:
    """Join consecutive pieces of the same section; drop empty ones."""
    merged: list[tuple[str, list[str]]] = []
    for name, lines in raw:
        if merged and merged[-1][0] == name:
            merged[-1][1].extend(lines)
        else:
            merged.append((name, list(lines)))
    return [Section(name, tuple(lines)) for name, lines in merged if lines]
