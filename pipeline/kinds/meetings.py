"""会议登记表: one row a meeting, read exactly as if the row had been a typed note, and filed as
minutes like a note (``zhibu render`` gives a row the variables of the minutes templates)."""

from __future__ import annotations

import re

from pipeline.ingest.names import split_absences, split_names
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, words
from pipeline.ingest.sheets.header import normalize_label
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind, RenderEnv
from pipeline.kinds.form import DAY, Col, Form, FormEnv
from pipeline.records.meeting import Meeting, Section
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type
from pipeline.render.minutes import build_context

NAME = "会议登记表"

COLUMNS = KindSpec(
    NAME,
    (
        S(
            "date",
            "日期",
            *words("会议日期 会议时间 时间 活动时间 活动日期 召开时间 召开日期 开会时间 开会日期 日期时间"),
        ),
        S("time", "起止时间", *words("时间段 具体时间 开始时间 会议时段 时段"), weight=1),
        S("type", "会议类型", *words("类型 会议类别 活动类型 类别 会议形式 活动形式 形式")),
        S(
            "topic",
            "主题",
            *words("会议主题 会议名称 活动主题 活动名称 名称 题目 党课题目 党课主题 学习主题"),
        ),
        S("place", "地点", *words("会议地点 活动地点 开会地点")),
        S("chair", "主持人", *words("主持 主讲人 主讲 授课人")),
        S("recorder", "记录人", *words("记录 记录员")),
        S("expected", "应到", *words("应到人数 应出席 应出席人数 应参会人数 应到会人数")),
        S("present", "实到", *words("实到人数 出席人数 参会人数 实际参会人数 到会人数 实出席人数")),
        S("attendees", "参会人员", *words("出席人员 到会人员 参加人员 参会人员名单 出席名单")),
        S(
            "absentees",
            "缺席人员及原因",
            *words(
                "缺席人员 缺席 请假人员 缺席情况 请假情况 缺席人员（原因） 缺席及原因 未到人员及原因 缺席人员及事由"
            ),
        ),
        S("observers", "列席人员", *words("列席")),
        S("agenda", "议题", *words("会议议题 议程 会议议程 主要议题")),
        S(
            "summary",
            "内容摘要",
            *words("会议内容 主要内容 内容 摘要 会议纪要 学习内容 活动内容 会议摘要 内容简介"),
            weight=1,
        ),
        S("speeches", "发言记录", *words("发言情况 讨论情况 交流发言"), weight=1),
        S("resolution", "决议", *words("会议决议 决议事项 决定事项 表决情况 决议情况 会议决定")),
        S("talker", "谈话人"),
        S("talk_partner", "谈话对象", *words("被谈话人")),
        S("note", "备注", *words("说明"), weight=1),
    ),
    required=(("date",), ("type", "topic")),
    minimum=4,
    title_words=(
        "会议登记",
        "会议台账",
        "会议记录登记",
        "三会一课登记",
        "三会一课台账",
        "会议统计",
        "活动登记",
    ),
)


def _time_beside_date(keys: list[str | None], labels: list[str]) -> list[str | None]:
    """日期 | 时间: 时间 alone names a meeting register's date column, but beside a 日期 column it
    holds the time of day (14:30, 下午2:30-4:00) and must not be ignored as a second date."""
    if "time" in keys or keys.count("date") < 2:
        return keys
    dated = {i for i, k in enumerate(keys) if k == "date" and "日期" in normalize_label(labels[i])}
    if not dated:
        return keys
    return ["time" if k == "date" and i not in dated else k for i, k in enumerate(keys)]


_ITEM_START = re.compile(r"(?:^|\s|[；;])(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_NUMBERING = re.compile(
    r"^(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、|[①②③④⑤⑥⑦⑧⑨⑩])\s*"
)

TEXT_FIELDS = tuple(
    words("place chair recorder attendees absentees observers agenda summary speeches resolution note")
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


def _when(ctx: SheetContext, rr: RowReader) -> tuple:
    """(date, start, end) of the row: 日期 (with a time of day, or in a 时间 column of its own)."""
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
    return (found[0] if found else None), start, end


def read_row(ctx: SheetContext, rr: RowReader) -> Meeting | None:
    day, start, end = _when(ctx, rr)
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
    texts = {key: rr.text(key) for key in TEXT_FIELDS}
    if not rr.ok or day is None or mtype is None:
        return None
    chair = cells.name(texts["chair"])
    meeting = Meeting(
        type=mtype,
        date=day,
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


def variables(m: Meeting, env: RenderEnv) -> tuple[str, dict, str]:
    """A row renders with exactly the variables of the minutes templates."""
    context = build_context(m, env.branch, env.term_label_of(m.date), env.quorum)
    return f"{m.date.isoformat()} {m.type.name} {m.title}", context, m.source_name


def _columns(env: FormEnv) -> list[Col]:
    return [
        Col("序号", 6),
        Col("日期", 16, DAY),
        Col("会议类型", 14, choices=tuple(t.name for t in MEETING_TYPES)),
        Col("主题", 30),
        Col("地点", 16),
        Col("主持人", 10),
        Col("记录人", 10),
        Col("应到人数", 9, "0"),
        Col("实到人数", 9, "0"),
        Col("缺席人员及原因", 22),
        Col("议题", 30),
        Col("内容摘要", 40),
        Col("决议", 30),
        Col("备注", 16),
    ]


KIND = RegisterKind(
    name=NAME,
    folder_words=("会议", "三会一课", "台账", "活动登记"),
    precedence=6,
    layouts=(
        Layout(
            COLUMNS,
            ("date",),
            read_row,
            "日期、会议类型、主题、地点、主持人、记录人、应到、实到",
            fix_keys=_time_beside_date,
        ),
    ),
    form=Form(
        "会议登记表.xlsx",
        _columns,
        "每行一次会议；日期写 2024年10月8日 或 2024-10-08；会议类型从下拉列表选择",
    ),
    variables=variables,
    meetings=True,
)
