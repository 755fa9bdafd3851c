"""Parse a note (header of ``字段：值`` lines, a news report, or both) into a Meeting record.

Forgiving where a secretary would be (label spellings, prose, Chinese numerals, traditional
characters, a year given by the folder), strict where a mistake would end up in an official
record: every printed value is a span of the note or a normalisation of one; no guessed year, no
invented count, no clause taken for a name or a place; every value read from running text passes
``vet`` (a check of its kind) and two readings of a field that disagree print neither; when a fact
is mentioned but cannot be read with certainty the field stays blank and the run says so
("主持人：未能确定，请核对"); only a branch's own meeting is filed (``scope``); blank forms, templates, notices and 请示 are
refused before anything is read (``refuse``); and a refusal says what was found and why it could not be
used. The phrasings read are catalogued,
with an invented example of each, in docs/notes-patterns.md.
"""

from __future__ import annotations

import re

from pipeline.chinese import to_simplified
from pipeline.errors import Location, UnknownMeetingTypeError, ZhibuError
from pipeline.ingest.dates import normalize
from pipeline.ingest.names import is_group, normalize_name, split_absences, split_names
from pipeline.ingest.notes import garbled, kinds, phrases, prose, refuse, scope
from pipeline.ingest.notes.counts import counts, field_count, group_came, group_taught
from pipeline.ingest.notes.labels import FIELD_LABELS
from pipeline.ingest.notes.scan import Scanned, reading, scan
from pipeline.ingest.notes.vet import vet
from pipeline.ingest.notes.when import meeting_time
from pipeline.records.checks import missing_fields
from pipeline.records.meeting import Meeting, Section
from pipeline.records.types import MEETING_TYPES, MeetingType, resolve_meeting_type

_TYPE_NAMES = tuple(n for t in MEETING_TYPES for n in (t.name, *t.aliases))
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」")


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
                hint=f"请写成以下之一：{refuse.type_names()}。",
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


def _type_hint(s: Scanned, mtype: MeetingType | None) -> str:
    where = "标题" if s.title and mtype and kinds.named_in(_unquoted(s.title)) == mtype else "笔记"
    return f"{where}写的是{mtype.name}，但" if mtype else ""


def parse_note(text: str, file_name: str) -> Meeting:
    """Parse the text of a note. ``file_name`` (relative to the inbox, with its folders) gives
    messages their file and may give the year."""
    try:
        return _parse(text, file_name)
    except ZhibuError as err:
        raise err.at(file=file_name) from None


def _parse(text: str, file_name: str) -> Meeting:
    text, repaired = garbled.repair(garbled.strip_pinyin(text))
    s = scan(text, file_name)
    refuse.check_blank(s, file_name)
    mtype = _meeting_type(s, file_name)
    scope.check_joint(s, file_name, mtype.name if mtype else None)
    if mtype is None:
        raise refuse.refuse_untyped(s, file_name)
    refuse.check_notice(s, file_name)
    scope.check_several(s, file_name)
    scope.check_series(s, file_name)
    scope.check_congress(s, file_name, mtype.name)
    scope.check_unit_congress(s, file_name, mtype.name)
    scope.check_organiser(s, file_name)
    day, start, end = meeting_time(s, file_name, _type_hint(s, mtype), mtype)
    m = _build(s, mtype, day, file_name)
    m.time, m.end_time = start, end
    m.warnings.extend(note for note in (repaired, s.year_note) if note)
    unsure = [w.split("：")[0] for w in m.warnings if w.endswith("未能确定，请核对")]
    missing = [f for f in missing_fields(m) if f not in unsure]
    if missing:
        m.warnings.append(f"笔记中没有写{'、'.join(missing)}，会议记录中留空，请手工填写")
    return m


def _value(s: Scanned, key: str) -> str:
    v = s.fields.get(key, ("", 0))[0].strip()
    return "" if refuse.PLACEHOLDER.match(v) else v


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
        chair=normalize_name(_value(s, "chair")),
        recorder=normalize_name(_value(s, "recorder")),
        lecturer=normalize_name(_value(s, "lecturer")),
        talker=normalize_name(_value(s, "talker")),
        talk_partner=normalize_name(_value(s, "talk_partner")),
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
                raise refuse.fail(
                    "谈心谈话记录缺少「谈话对象」", "请加一行，例如「谈话对象：张三」。", file_name
                )
            # The report says whom the talk was with, but names no one: blank, and the run says so.
            meeting.warnings.append("谈话对象：未能确定，请核对")
    return meeting


def _header_counts(meeting: Meeting, s: Scanned, file_name: str, attendees: str) -> None:
    for key in ("expected", "present"):
        # A count left blank on a printed form ("应到人数：＿＿人") is unknown, not an error.
        if re.sub(r"[\s_＿—-]|人|名", "", _value(s, key)):
            n, sure = field_count(to_simplified(normalize(_value(s, key))), key)
            if n is None and sure:
                raise refuse.fail(
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
        if not m.attendees:
            opening = "。".join(reading(t) for t in s.prose[:2])
            m.attendee_group = as_written(group_came(opening))
            if m.type.name == "党课" and not m.listeners:
                # a 党课's audience is who came, or the group it was given to
                m.listeners = m.attendee_group or as_written(group_taught(opening))
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
