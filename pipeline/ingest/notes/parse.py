"""Parse a note (header of ``字段：值`` lines, a news report, or both) into a Meeting record.

Forgiving where a secretary would be (label spellings, prose, Chinese numerals, traditional
characters, a year given by the folder), strict where a mistake would end up in an official
record: no guessed year, no invented count, and a refusal that says what was found and why it
could not be used.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.chinese import to_simplified
from pipeline.errors import DateFormatError, Location, NoteFormatError, UnknownMeetingTypeError, ZhibuError
from pipeline.ingest.dates import find_date, find_month_day, normalize, parse_times
from pipeline.ingest.names import split_absences, split_names
from pipeline.ingest.notes import prose
from pipeline.ingest.notes.labels import FIELD_LABELS
from pipeline.ingest.notes.scan import Scanned, scan
from pipeline.ingest.notes.year import year_from_path
from pipeline.records.checks import missing_fields
from pipeline.records.meeting import Meeting, Section
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type

_TYPE_NAMES = tuple(n for t in MEETING_TYPES for n in (t.name, *t.aliases))
_PLACEHOLDER = re.compile(r"^[\s\u3000×xX＿_—\-/年月日时分：:.。、,，（）()]*$")
_NOT_NUMBER = re.compile(r"(\d+)")


def _fail(message: str, hint: str, file_name: str, line: int | None = None) -> NoteFormatError:
    return NoteFormatError(message, hint=hint, location=Location(file=file_name, line=line))


def _type_names() -> str:
    return "、".join(t.name for t in MEETING_TYPES)


def _check_blank(s: Scanned, file_name: str) -> None:
    """A record form nobody filled in (××, 年 月 日) is refused as such."""
    values = [v for v, _ in s.fields.values()] + [v for _, v in s.extra]
    if s.labels_seen < 3 or any(not _PLACEHOLDER.match(v) for v in values):
        return
    if any(lines for _, lines in s.sections) or s.prose:
        return
    raise _fail(
        f"这是一张没有填写的空白记录表：「{'」「'.join(FIELD_LABELS[k] for k in list(s.fields)[:4])}」等栏目都是空的",
        "请填写会议时间、地点、主持人等内容后再放入收件箱；空白表格请不要放进收件箱。",
        file_name,
    )


def _meeting_type(s: Scanned, file_name: str):
    if "type" in s.fields and s.fields["type"][0]:
        value, line = s.fields["type"]
        found = resolve_meeting_type(to_simplified(value), exact=True) or resolve_meeting_type(
            to_simplified(value)
        )
        if not found:
            raise UnknownMeetingTypeError(
                f"会议类型「{value}」无法识别",
                hint=f"请写成以下之一：{_type_names()}。",
                location=Location(file=file_name, line=line),
            )
        return found
    if s.type_label:
        return resolve_meeting_type(s.type_label[0], exact=True)
    stem = file_name.rsplit("/", 1)[-1]
    for text in (s.title, s.fields.get("topic", ("", 0))[0], stem, *s.prose[:2]):
        found = resolve_meeting_type(to_simplified(text))
        if found:
            return found
    return None


def _refuse_untyped(s: Scanned, file_name: str) -> NoteFormatError:
    said = [FIELD_LABELS[k] for k in ("time", "place", "chair", "recorder") if s.fields.get(k, ("", 0))[0]]
    if not said and not s.agenda and not any(prose.chair(to_simplified(p)) for p in s.prose[:3]):
        first = s.title or (s.prose[0][:20] if s.prose else "")
        return _fail(
            f"这份文件看起来不是会议或活动记录（开头是「{first}」）：没有会议类型，也没有会议时间、地点、主持人等内容",
            "收件箱里只放会议笔记和登记表；如果这是会议记录，请在开头加一行，例如「会议类型：支委会」。",
            file_name,
        )
    return _fail(
        f"无法确定会议类型：笔记写了{'、'.join(said) or '会议内容'}，但没有「会议类型」一行，标题和文件名中也没有会议类型",
        f"请在笔记开头加一行，例如「会议类型：支委会」。可用的类型：{_type_names()}。",
        file_name,
    )


def _lines_for_dates(s: Scanned) -> list[str]:
    return [s.title, *s.prose[:6]] + [lines[0] for _, lines in s.sections[:1] if lines]


def _year_for(month: int, day: int, s: Scanned, file_name: str) -> tuple[int, str] | None:
    found = year_from_path(file_name, month)
    if found:
        return found
    for line in s.bylines:
        published = find_date(line)
        if published:
            p = published[0]
            year = p.year if (month, day) <= (p.month, p.day) else p.year - 1
            return year, f"发布日期「{line.strip()}」"
    return None


def _dated(month: int, day: int, written: str, s: Scanned, file_name: str, line: int | None) -> dt.date:
    found = _year_for(month, day, s, file_name)
    if not found:
        raise _fail(
            f"写了{month}月{day}日，但没有写年份（「{written.strip()[:30]}」），文件名和文件夹名中也没有年份",
            f"请把日期写完整，例如「{2024}年{month}月{day}日」；或把笔记放进以年份命名的文件夹"
            "（如 inbox/2024秋/）后重新放入。",
            file_name,
            line,
        )
    year, source = found
    try:
        day_value = dt.date(year, month, day)
    except ValueError:
        raise DateFormatError(f"日期「{year}年{month}月{day}日」不存在", hint="请核对月、日。") from None
    s.year_note = f"笔记只写了{month}月{day}日，年份{year}取自{source}，请核对"
    return day_value


def _when(s: Scanned, file_name: str) -> tuple[dt.date, dt.time | None, dt.time | None]:
    if "time" in s.fields and s.fields["time"][0] and not _PLACEHOLDER.match(s.fields["time"][0]):
        value, line = s.fields["time"]
        try:
            found = find_date(value)
        except DateFormatError as err:
            raise err.at(file=file_name, line=line) from None
        if found:
            return (found[0], *parse_times(normalize(value)[found[2] :]))
        partial = find_month_day(value)
        if partial:
            return (
                _dated(partial[0], partial[1], value, s, file_name, line),
                *parse_times(normalize(value)[partial[3] :]),
            )
        month_only = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)", normalize(value))
        said = (
            f"只写到{month_only.group(1)}年{month_only.group(2)}月，没有写是哪一天"
            if month_only
            else "其中没有年月日"
        )
        raise DateFormatError(
            f"无法识别日期「{value.strip()}」：{said}",
            hint="请写成 2024年5月10日、2024-05-10、2024.5.10 或 2024/5/10。",
        ).at(file=file_name, line=line)
    texts = [t for t in _lines_for_dates(s) if t]
    for text in texts:
        found = find_date(text)
        if found:
            return (found[0], *parse_times(re.split(r"[，。；]", normalize(text)[found[2] :])[0]))
    for text in texts:
        partial = find_month_day(text)
        if partial:
            rest = re.split(r"[，。；]", normalize(text)[partial[3] :])[0]
            return (_dated(partial[0], partial[1], text, s, file_name, None), *parse_times(rest))
    found = find_date(file_name.rsplit("/", 1)[-1])
    if found:
        return found[0], None, None
    mtype = _type_hint(s, file_name)
    raise _fail(
        f"缺少会议时间：{mtype}笔记里没有「时间」一行，正文开头和文件名中也没有带年份的日期",
        "请在笔记开头加一行，例如「时间：2024年10月8日 14:30」。",
        file_name,
    )


def _type_hint(s: Scanned, file_name: str) -> str:
    found = _meeting_type(s, file_name)
    where = "标题" if s.title and found and resolve_meeting_type(to_simplified(s.title)) else "笔记"
    return f"{where}写的是{found.name}，但" if found else ""


def parse_note(text: str, file_name: str) -> Meeting:
    """Parse the text of a note. ``file_name`` (relative to the inbox, with its folders) gives
    messages their file and may give the year."""
    try:
        return _parse(text, file_name)
    except ZhibuError as err:
        raise err.at(file=file_name) from None


def _parse(text: str, file_name: str) -> Meeting:
    s = scan(text, file_name)
    _check_blank(s, file_name)
    mtype = _meeting_type(s, file_name)
    if mtype is None:
        raise _refuse_untyped(s, file_name)
    title = to_simplified(s.title)
    # "关于召开支部党员大会的通知" announces a meeting; "召开党员大会传达学习上级通知" reports one.
    notice = title.endswith("通知") and "的通知" in title and not re.search("传达|学习|贯彻", title)
    if notice and not any(k in s.fields for k in ("chair", "recorder")):
        raise _fail(
            f"这是一份会议通知（标题「{s.title}」），不是会议记录",
            "会议开过以后，请把会议记录（时间、地点、主持人、内容等）放入收件箱。",
            file_name,
        )
    day, start, end = _when(s, file_name)
    m = _build(s, mtype, day, start, end, file_name)
    if s.year_note:
        m.warnings.append(s.year_note)
    missing = missing_fields(m)
    if missing:
        m.warnings.append(f"笔记中没有写{'、'.join(missing)}，会议记录中留空，请手工填写")
    return m


def _build(s: Scanned, mtype, day, start, end, file_name: str) -> Meeting:
    def value(key: str) -> str:
        v = s.fields.get(key, ("", 0))[0].strip()
        return "" if _PLACEHOLDER.match(v) else v

    absent_text = value("absentees")
    meeting = Meeting(
        type=mtype,
        date=day,
        time=start,
        end_time=end,
        topic=value("topic") if len(value("topic")) <= 60 else "",
        place=value("place"),
        chair=value("chair"),
        recorder=value("recorder"),
        attendees=split_names(value("attendees")),
        absentees=split_absences(absent_text),
        observers=split_names(value("observers")),
        agenda=list(s.agenda),
        sections=_sections(s),
        talker=value("talker"),
        talk_partner=value("talk_partner"),
        lecturer=value("lecturer"),
        listeners=value("listeners"),
        extra=list(s.extra),
        source_name=file_name,
    )
    meeting.none_absent = bool(absent_text) and not meeting.absentees
    if s.type_label and not meeting.topic:
        meeting.topic = s.type_label[1]
    for key in ("expected", "present"):
        # A count left blank on a printed form ("应到人数：＿＿人") is unknown, not an error.
        if re.sub(r"[\s_＿—-]|人|名", "", value(key)):
            n = _NOT_NUMBER.search(normalize(value(key)))
            if n:
                setattr(meeting, key, int(n.group(1)))
            else:
                raise _fail(
                    f"「{FIELD_LABELS[key]}」应为人数，却写成了「{value(key)}」",
                    "请写成数字，例如 应到人数：12；不知道人数时请删去这一行（会议记录中留空）。",
                    file_name,
                    s.fields[key][1],
                )
    _from_prose(meeting, s)
    if mtype.is_talk:
        meeting.talker = meeting.talker or meeting.chair
        if not meeting.talk_partner:
            raise _fail("谈心谈话记录缺少「谈话对象」", "请加一行，例如「谈话对象：张三」。", file_name)
    return meeting


def _from_prose(m: Meeting, s: Scanned) -> None:
    """Fill what the header did not state from the headline and the running text."""
    lines = [to_simplified(t) for t in (s.title, *s.prose[:8]) if t]
    original = [t for t in (s.title, *s.prose[:8]) if t]
    text = "。".join(lines)

    def as_written(found: str) -> str:
        # Values keep the characters as written (traditional stays traditional).
        for simple, orig in zip(lines, original, strict=True):
            i = simple.find(found)
            if i >= 0 and len(simple) == len(orig):
                return orig[i : i + len(found)]
        return found

    body = "。".join(to_simplified(t) for t in s.prose[:8])
    for attr, finder, where in (
        ("chair", prose.chair, text),
        ("recorder", prose.recorder, body),  # a title "…会议记录" names no recorder
        ("place", prose.place, text),
    ):
        if not getattr(m, attr):
            setattr(m, attr, as_written(finder(where)))
    if m.type.name == "党课" and not m.lecturer:
        m.lecturer = as_written(prose.lecturer(text))
        if m.lecturer and m.chair == m.lecturer:
            m.chair = ""
    if m.type.is_talk and not m.talk_partner:
        talker, partner = prose.talk_pair(text)
        m.talker, m.talk_partner = m.talker or as_written(talker), as_written(partner)
    whole = to_simplified("。".join([*original, *(p for _, ps in s.sections for p in ps)]))
    counts = prose.counts(text)
    voting = prose.counts(whole)
    if m.expected is None and m.present is None and not m.attendees:
        m.expected, m.present = counts.get("expected"), counts.get("present")
        m.none_absent = m.none_absent or counts.get("none_absent", False)
    m.voting_expected, m.voting_present = voting.get("voting_expected"), voting.get("voting_present")
    if not m.absentees:
        m.absentees = prose.absentees(text)
    if not m.topic:
        theme = prose.quoted_theme(text) or prose.headline_topic(to_simplified(s.title), _TYPE_NAMES)
        m.topic = as_written(theme) or _one_line_content(s)


def _one_line_content(s: Scanned) -> str:
    """「会议内容：讨论通过党费使用计划。」— a content of one short line is the topic too."""
    for name, lines in s.sections:
        if name in ("会议内容", "主要内容", "内容", "学习内容", "活动内容") and len(lines) == 1:
            line = lines[0].strip().rstrip("。.")
            # A sentence ("书记通报…，委员讨论…") reports what happened; a topic names it.
            plain = not re.search(r"[：:；;，,]|^\s*[\d(（①一二三四五六七八九十]", line)
            return line if len(line) <= 30 and plain else ""
    return ""


def _sections(s: Scanned) -> list[Section]:
    raw = ([("会议内容", list(s.prose))] if s.prose else []) + s.sections
    merged: list[tuple[str, list[str]]] = []
    for name, lines in raw:
        if merged and merged[-1][0] == name:
            merged[-1][1].extend(lines)
        else:
            merged.append((name, list(lines)))
    return [Section(name, tuple(lines)) for name, lines in merged if lines]
