"""Parse a note (header of ``字段：值`` lines, a news report, or both) into a Meeting record.

Forgiving where a secretary would be (label spellings, prose, Chinese numerals, traditional
characters, a year given by the folder), strict where a mistake would end up in an official
record: every printed value is a span of the note or a normalisation of one; no guessed year, no
invented count, no clause taken for a name or a place; every value read from running text passes
``vet`` (a check of its kind) and two readings of a field that disagree print neither; when a fact
is mentioned but cannot be read with certainty the field stays blank and the run says so
("主持人：未能确定，请核对"); only a branch's own meeting is filed (``scope``); and a refusal says
what was found and why it could not be used. The phrasings read are catalogued,
with an invented example of each, in docs/notes-patterns.md.
"""

from __future__ import annotations

import re

from pipeline.chinese import to_simplified
from pipeline.errors import Location, NoteFormatError, UnknownMeetingTypeError, ZhibuError
from pipeline.ingest.dates import normalize
from pipeline.ingest.names import is_group, normalize_name, split_absences, split_names
from pipeline.ingest.notes import kinds, phrases, prose, scope
from pipeline.ingest.notes.counts import counts, field_count
from pipeline.ingest.notes.labels import FIELD_LABELS
from pipeline.ingest.notes.scan import Scanned, reading, scan
from pipeline.ingest.notes.vet import vet
from pipeline.ingest.notes.when import meeting_time
from pipeline.records.checks import missing_fields
from pipeline.records.meeting import Meeting, Section
from pipeline.records.types import MEETING_TYPES, MeetingType, resolve_meeting_type

_TYPE_NAMES = tuple(n for t in MEETING_TYPES for n in (t.name, *t.aliases))
_PLACEHOLDER = re.compile(r"^[\s\u3000×xX＿_—\-/年月日时分：:.。、,，（）()]*$")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」")
_PEOPLE = ("chair", "recorder", "lecturer", "talker", "talk_partner")
# A notice announces a meeting to come: "定于…召开", "现将有关事项通知如下".
_NOTICE = re.compile(
    r"(?:拟|现)?定于[^。]{0,40}(?:召开|举行)|拟于[^。]{0,40}(?:召开|举行)|通知如下|请准时参加|请各位党员准时"
)
# A headline that announces or asks leave for a meeting: "关于召开党员大会……的通知", "……的请示".
_ANNOUNCING_TITLE = re.compile(r"关于(?:召开|举行|开展)[^。]{0,40}的(?:通知|请示)$")
_REPORTED = re.compile(r"召开了|举行了|开展了|会议由|主持了|[^定]于\d{4}年[^。]{0,20}召开")


def _fail(message: str, hint: str, file_name: str, line: int | None = None) -> NoteFormatError:
    return NoteFormatError(message, hint=hint, location=Location(file=file_name, line=line))


def _type_names() -> str:
    return "、".join(t.name for t in MEETING_TYPES)


# A template to copy: the branch and the date left as placeholders ("XXXX党支部", "20xx.x.x").
_TEMPLATE = re.compile(r"[Xx×*＊]{2,}\s*(?:党支部|支部|党委|党总支)|20[Xx×]{2}|[Xx×]{4}\s*年")


def _check_blank(s: Scanned, file_name: str) -> None:
    """A record form nobody filled in (××, 年 月 日), or a template that dates no meeting, is refused
    as such."""
    values = [v for v, _ in s.fields.values()] + [v for _, v in s.extra]
    # A form's example ("主持：×××", "支部共有党员××人") is as empty as a blank one.
    empty = s.labels_seen >= 3 and all(_PLACEHOLDER.match(v) or "××" in v for v in values)
    if empty and not any(lines for _, lines in s.sections) and not s.prose:
        raise _fail(
            f"这是一张没有填写的空白记录表：「{'」「'.join(FIELD_LABELS[k] for k in list(s.fields)[:4])}」等栏目都是空的",
            "请填写会议时间、地点、主持人等内容后再放入收件箱；空白表格请不要放进收件箱。",
            file_name,
        )
    lines = [s.title, *s.prose[:4], *s.bylines, *s.heading_dates]
    template = next((m.group(0) for line in lines if (m := _TEMPLATE.search(line))), "")
    if template and _date_problem(s, file_name) is not None:
        raise _fail(
            f"这是一份没有填写的空白模板（「{template}」），不是会议记录",
            "会议开过以后，请把会议记录（时间、地点、主持人、内容等）放入收件箱；空白模板请不要放进收件箱。",
            file_name,
        )


def _unquoted(text: str) -> str:
    """A quoted theme names no meeting ("开展“谈心谈话 沟通从心”主题党日")."""
    return _QUOTED.sub("", reading(text))


def _meeting_type(s: Scanned, file_name: str) -> MeetingType | None:
    if "type" in s.fields and s.fields["type"][0]:
        value, line = s.fields["type"]
        found = kinds.declared(value)
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
    # The report's first paragraphs: lines that are sentences, not a magazine's issue or a keyword line.
    sentences = [_unquoted(p) for p in s.prose if re.search(r"[，,。]", p)][:3]
    if not kinds.named_in(_unquoted(s.title)) and kinds.names_other_meeting(sentences):
        # "举行政治理论学习会": the report named its meeting, and it is none of the eight.
        return kinds.named_in(_unquoted(stem))
    return (
        kinds.named_in(_unquoted(s.title))
        or kinds.named_in(_unquoted(s.fields.get("topic", ("", 0))[0]))
        or kinds.reported_in(sentences)
        or kinds.named_in(_unquoted(stem))
        or next((found for p in sentences if (found := kinds.named_in(p))), None)
        or kinds.this_meeting([_unquoted(p) for p in s.prose[:8]])
    )


def _date_problem(s: Scanned, file_name: str) -> str | None:
    """None when the note dates a meeting; "写了1月18日，但没有写年份" when it dates one without a year;
    "" when it gives no date at all."""
    try:
        meeting_time(s, file_name, "")
    except NoteFormatError as err:
        return err.message.split("（")[0] if "没有写年份" in err.message else ""
    except ZhibuError:
        return ""
    return None


def _refuse_untyped(s: Scanned, file_name: str) -> NoteFormatError:
    said = [FIELD_LABELS[k] for k in ("time", "place", "chair", "recorder") if s.fields.get(k, ("", 0))[0]]
    # A report of an activity dated without its year needs both facts: say both at once.
    undated = _date_problem(s, file_name)
    if undated is None and "会议时间" not in said:
        said.insert(0, "会议时间")  # "2013年4月19日在420教室召开月度会议": a dated report, of no known type
    if undated:
        return _fail(
            f"无法确定会议类型，而且{undated}：笔记没有「会议类型」一行，标题和文件名中也没有会议类型",
            f"请在笔记开头加一行，例如「会议类型：支委会」，并把日期写完整（如2024年{undated[2:].split('日')[0]}日）。"
            f"可用的类型：{_type_names()}。",
            file_name,
        )
    if not said and not s.agenda and not any(prose.chair(reading(p))[0] for p in s.prose[:3]):
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


def _type_hint(s: Scanned, mtype: MeetingType | None) -> str:
    where = "标题" if s.title and mtype and kinds.named_in(_unquoted(s.title)) == mtype else "笔记"
    return f"{where}写的是{mtype.name}，但" if mtype else ""


def _check_notice(s: Scanned, file_name: str) -> None:
    """ "关于召开支部党员大会的通知" announces a meeting; "召开党员大会传达学习上级通知" reports one."""
    title = to_simplified(s.title)
    opening = to_simplified("".join(s.prose[:3]))
    # A 请示 names its subject over several short lines: "七号村党支部 / 关于召开党员大会选举…… / ……的请示".
    lines = [s.title, *(p for p in s.prose[:3] if len(p) <= 40)]
    headings = [re.sub(r"\s+", "", to_simplified("".join(lines[: i + 1]))) for i in range(len(lines))]
    notice = title.endswith("通知") and "的通知" in title and not re.search("传达|学习|贯彻", title)
    # "基层党支部换届选举请示": a headline that is a 请示 asks leave for a meeting.
    announcing = "" if not re.search(r"请示$", title) or re.search("批复|学习", title) else title
    notice = notice or bool(_NOTICE.search(opening) and not _REPORTED.search(opening))
    announcing = announcing or next(
        (h for h in headings if _ANNOUNCING_TITLE.search(h) and "《" not in h), ""
    )
    notice = notice or bool(announcing and not _REPORTED.search(opening))
    if notice and not any(k in s.fields for k in ("chair", "recorder")):
        what = "召开会议的请示" if announcing.endswith("请示") else "会议通知"
        shown = announcing or (f"标题「{s.title}」" if s.title else f"「{opening[:24]}」")
        raise _fail(
            f"这是一份{what}（{shown if not announcing else '「' + announcing + '」'}），不是会议记录",
            "会议开过以后，请把会议记录（时间、地点、主持人、内容等）放入收件箱。",
            file_name,
        )


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
    _check_notice(s, file_name)
    scope.check_several(s, file_name)
    scope.check_series(s, file_name, lambda t: kinds.named_in(_unquoted(t)))
    scope.check_congress(s, file_name, mtype.name)
    scope.check_organiser(s, file_name)
    day, start, end = meeting_time(s, file_name, _type_hint(s, mtype), mtype)
    m = _build(s, mtype, day, file_name)
    m.time, m.end_time = start, end
    if s.year_note:
        m.warnings.append(s.year_note)
    unsure = [w.split("：")[0] for w in m.warnings if w.endswith("未能确定，请核对")]
    missing = [f for f in missing_fields(m) if f not in unsure]
    if missing:
        m.warnings.append(f"笔记中没有写{'、'.join(missing)}，会议记录中留空，请手工填写")
    return m


def _value(s: Scanned, key: str) -> str:
    v = s.fields.get(key, ("", 0))[0].strip()
    return "" if _PLACEHOLDER.match(v) else v


def _build(s: Scanned, mtype: MeetingType, day, file_name: str) -> Meeting:
    absent_text = _value(s, "absentees")
    attendees = _value(s, "attendees")
    listed = split_names(re.sub(r"[（(][^）)]*[）)]", "", attendees)) if not is_group(attendees) else []
    meeting = Meeting(
        type=mtype,
        date=day,
        also_types=kinds.also_types(mtype, [s.fields.get("type", ("", 0))[0], s.title, *s.prose[:2]]),
        topic=_value(s, "topic") if len(_value(s, "topic")) <= 60 else "",
        place=_value(s, "place"),
        attendees=listed,
        attendee_group=re.split(r"[（(]", normalize_name(attendees))[0].strip()
        if is_group(attendees)
        else "",
        absentees=split_absences(absent_text),
        observers=split_names(_value(s, "observers")),
        agenda=list(s.agenda),
        sections=_sections(s),
        listeners=_value(s, "listeners"),
        extra=list(s.extra),
        source_name=file_name,
        **{key: normalize_name(_value(s, key)) for key in _PEOPLE},
    )
    meeting.none_absent = bool(absent_text) and not meeting.absentees
    if s.type_label and not meeting.topic:
        meeting.topic = s.type_label[1]
    _header_counts(meeting, s, file_name, attendees)
    _from_prose(meeting, s)
    if mtype.is_talk:
        meeting.talker = meeting.talker or meeting.chair
        if not meeting.talk_partner:
            opening = "。".join(reading(t) for t in (s.title, *s.prose[:8]))
            if not prose.talk_described(opening):
                raise _fail("谈心谈话记录缺少「谈话对象」", "请加一行，例如「谈话对象：张三」。", file_name)
            # The report says whom the talk was with, but names no one: blank, and the run says so.
            meeting.warnings.append("谈话对象：未能确定，请核对")
    return meeting


def _header_counts(meeting: Meeting, s: Scanned, file_name: str, attendees: str) -> None:
    for key in ("expected", "present"):
        # A count left blank on a printed form ("应到人数：＿＿人") is unknown, not an error.
        if re.sub(r"[\s_＿—-]|人|名", "", _value(s, key)):
            n, sure = field_count(to_simplified(normalize(_value(s, key))), key)
            if n is None and sure:
                raise _fail(
                    f"「{FIELD_LABELS[key]}」应为人数，却写成了「{_value(s, key)}」",
                    "请写成数字，例如 应到人数：12；不知道人数时请删去这一行（会议记录中留空）。",
                    file_name,
                    s.fields[key][1],
                )
            if n is None:
                # "30余人", "正式党员10人，预备党员2人": no exact count of this line; blank, and say so.
                meeting.warnings.append(f"{FIELD_LABELS[key]}：未能确定，请核对")
            setattr(meeting, key, n)
    # "参加人员：支部全体党员（应到14人，实到13人）": the counts in the brackets are stated.
    stated = counts(to_simplified(normalize(attendees)))
    for key in ("expected", "present"):
        if getattr(meeting, key) is None and stated.get(key):
            setattr(meeting, key, stated[key])


# The fields running text may fill; each value read there passes ``vet`` before it is printed.
_READ_FROM_PROSE = (
    "chair",
    "recorder",
    "lecturer",
    "talker",
    "talk_partner",
    "observers",
    "attendees",
    "absentees",
    "place",
    "expected",
    "present",
)


def _from_prose(m: Meeting, s: Scanned) -> None:
    """Fill what the header did not state from the headline and the running text."""
    lines = [reading(t) for t in (s.title, *s.prose[:8]) if t]
    original = [t for t in (s.title, *s.prose[:8]) if t]
    text = "。".join(lines)

    def as_written(found: str) -> str:
        # Values keep the characters as written (traditional stays traditional).
        for simple, orig in zip(lines, original, strict=True):
            i = simple.find(found)
            if i >= 0 and len(simple) == len(orig):
                return orig[i : i + len(found)]
        return found

    body = "。".join(reading(t) for t in s.prose[:8])
    empty = [attr for attr in _READ_FROM_PROSE if getattr(m, attr) in ("", [], None)]
    _people(m, text, body, as_written)
    if not m.place:
        found, disagree = phrases.place(text, outing=m.type.name == "主题党日")
        m.place = as_written(found)
        if disagree:
            m.warnings.append("地点：未能确定，请核对")
    _prose_counts(m, s, text, original)
    if not m.attendees and not m.attendee_group:
        listed, counted = prose.attendees(body)
        m.attendees, m.attendees_complete = [as_written(n) for n in listed], counted
    if not m.absentees:
        m.absentees = prose.absentees(text)
        m.absentees_complete = prose.all_absent_named(text, len(m.absentees))
    if not m.topic:
        own = tuple(sorted((m.type.name, *m.type.aliases), key=len, reverse=True))
        theme = phrases.quoted_theme(text, own) or phrases.headline_topic(reading(s.title), _TYPE_NAMES)
        m.topic = as_written(theme) or _one_line_content(s)
    vet(m, empty)


def _people(m: Meeting, text: str, body: str, as_written) -> None:
    finders = [("chair", "主持人", prose.chair, text), ("recorder", "记录人", prose.recorder, body)]
    if m.type.name == "党课":
        finders.append(("lecturer", "主讲人", prose.lecturer, text))
    for attr, label, finder, where in finders:
        if getattr(m, attr):
            continue
        found, mentioned = finder(where)
        setattr(m, attr, as_written(found))
        if mentioned and not found:
            m.warnings.append(f"{label}：未能确定，请核对")
    if not m.observers:
        m.observers, mentioned = prose.observers(body)
        m.observers = [as_written(n) for n in m.observers]
        if mentioned and not m.observers:
            m.warnings.append("列席人员：未能确定，请核对")
    if m.type.name == "党课" and m.lecturer and m.chair == m.lecturer and "主持" not in text:
        m.chair = ""
    if m.type.is_talk and not m.talk_partner:
        talker, partner = prose.talk_pair(text)
        m.talker, m.talk_partner = m.talker or as_written(talker), as_written(partner)


def _prose_counts(m: Meeting, s: Scanned, text: str, original: list[str]) -> None:
    whole = to_simplified(normalize("。".join([*original, *(p for _, ps in s.sections for p in ps)])))
    found = counts(normalize(text))
    voting = counts(whole)
    if m.expected is None and m.present is None:
        # A count the report states wins over the length of a list of who came.
        m.expected, m.present = found.get("expected"), found.get("present")
        m.none_absent = m.none_absent or found.get("none_absent", False)
        for key, label in (("expected", "应到人数"), ("present", "实到人数")):
            if found.get(f"unsure_{key}"):
                m.warnings.append(f"{label}：未能确定，请核对")
    m.voting_expected, m.voting_present = voting.get("voting_expected"), voting.get("voting_present")


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
