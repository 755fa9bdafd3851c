"""会议登记表: one row a meeting, read exactly as if the row had been a typed note."""

from __future__ import annotations

import re

from pipeline.ingest.names import split_absences, split_names
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.records.meeting import Meeting, Section
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type

_ITEM_START = re.compile(r"(?:^|\s|[；;])(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_NUMBERING = re.compile(
    r"^(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、|[①②③④⑤⑥⑦⑧⑨⑩])\s*"
)

SECTIONS = (("summary", "会议内容"), ("speeches", "发言记录"), ("resolution", "决议"), ("note", "备注"))


def agenda_items(value: str) -> list[str]:
    """'1. 学习文件 2. 讨论计划', one item a line, or items separated by ；."""
    if not value:
        return []
    lines = [line.strip() for line in value.split("\n") if line.strip()]
    if len(lines) == 1:
        parts = [p.strip(" ；;。") for p in _ITEM_START.split(lines[0]) if p.strip(" ；;。")]
        if len(parts) == 1 and re.search(r"[；;]", lines[0]):
            parts = [p.strip() for p in re.split(r"[；;]", lines[0]) if p.strip()]
        return parts
    return [
        _NUMBERING.sub("", line).strip(" ；;") for line in lines if _NUMBERING.sub("", line).strip(" ；;")
    ]


def _paragraphs(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in value.split("\n") if line.strip())


def _meeting_type(rr: RowReader, topic: str):
    """The row's activity: its 会议类型 cell, else what the topic names; a row error when neither."""
    type_text = rr.get("type", cells.one_line) or ""
    mtype = None
    if type_text:
        mtype = resolve_meeting_type(type_text, exact=True) or resolve_meeting_type(type_text)
        if not mtype:
            names = "、".join(t.name for t in MEETING_TYPES)
            rr.fail("type", f"会议类型「{type_text}」无法识别", hint=f"请写成以下之一：{names}。")
    elif topic:
        mtype = resolve_meeting_type(topic)
        if not mtype:
            rr.fail(
                "type" if rr.has("type") else "topic",
                "没有填写会议类型，主题中也看不出是哪类会议",
                hint="请在「会议类型」列填写，例如 支委会、支部党员大会、党小组会、党课、主题党日。",
            )
    else:
        rr.fail(
            "type" if rr.has("type") else "topic",
            "没有填写会议类型",
            hint="请在「会议类型」列填写，例如 支委会、支部党员大会、党小组会、党课、主题党日。",
        )
    return mtype


def read_row(ctx: SheetContext, rr: RowReader) -> Meeting | None:
    found = rr.get("date", cells.day_time, rr.label("date"), default_year=ctx.year_of)
    if found is None and rr.ok:
        rr.fail("date", "没有填写会议日期", hint="请填写日期，例如 2024年10月8日。")
    start = end = None
    if found:
        _, start, end = found
    if rr.has("time"):
        times = rr.get("time", cells.time_of_day, rr.label("time"))
        if times and times[0]:
            start, end = times[0], times[1] or end

    topic = rr.text("topic")
    mtype = _meeting_type(rr, topic)

    expected = rr.get("expected", cells.count, rr.label("expected"))
    present = rr.get("present", cells.count, rr.label("present"))
    if expected is not None and present is not None and present > expected:
        rr.fail("present", f"实到人数（{present}）多于应到人数（{expected}）", hint="请核对应到、实到人数。")
    talker = rr.get("talker", cells.name) or ""
    partner = rr.get("talk_partner", cells.name) or ""
    if mtype and mtype.is_talk and not partner:
        rr.fail(
            "talk_partner" if rr.has("talk_partner") else "type",
            "谈心谈话缺少「谈话对象」",
            hint="请增加「谈话对象」列并填写姓名。",
        )
    texts = {
        key: rr.text(key)
        for key in (
            "place",
            "chair",
            "recorder",
            "attendees",
            "absentees",
            "observers",
            "agenda",
            "summary",
            "speeches",
            "resolution",
            "note",
        )
    }
    if not rr.ok or found is None or mtype is None:
        return None
    chair = cells.name(texts["chair"])
    meeting = Meeting(
        type=mtype,
        date=found[0],
        time=start,
        end_time=end,
        topic=" ".join(topic.split("\n")),
        place=" ".join(texts["place"].split("\n")),
        chair=chair,
        recorder=cells.name(texts["recorder"]),
        attendees=split_names(texts["attendees"]),
        absentees=split_absences(texts["absentees"]),
        observers=split_names(texts["observers"]),
        agenda=agenda_items(texts["agenda"]),
        sections=[Section(title, _paragraphs(texts[key])) for key, title in SECTIONS if texts[key]],
        expected=expected,
        present=present,
        talker=talker or (chair if mtype.is_talk else ""),
        talk_partner=partner,
        source_name=ctx.file,
    )
    return meeting
