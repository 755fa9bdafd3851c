"""A scanned record as a meeting: OCR text through the same parser, facts marked for checking.

What is read with confidence goes through the parser of finished records (``pipeline.learn.asis``)
like a .docx. Every field so filled is listed in the run's output as 识别自扫描件，请核对; a field
whose value holds a character the engine was unsure of is left blank and named. A scan of which
nothing is read with confidence (handwriting), or whose text names no date or type, is filed
by its file or folder name (``2019-10-08 支委会.jpg``, ``2019-10-08 支委会/``): type and date, no
content, and the run says so. With neither, it cannot be filed: the reason says how to name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.errors import InputError
from pipeline.ingest.dates import find_date
from pipeline.ingest.images import PHOTO_HINT
from pipeline.ingest.note import parse_note
from pipeline.learn import asis
from pipeline.learn import labels as L
from pipeline.records.meeting import Meeting, Section
from pipeline.records.types import resolve_meeting_type
from pipeline.scan.words import UNSURE, Page, page_text

CHECK_NOTE = "识别自扫描件，请核对"
# Fields of a record, as the run names them; (attribute, name).
_TEXT_FIELDS = (
    ("topic", "会议名称"),
    ("place", "地点"),
    ("chair", "主持人"),
    ("recorder", "记录人"),
    ("lecturer", "主讲人"),
    ("talker", "谈话人"),
    ("talk_partner", "谈话对象"),
    ("listeners", "听课人员"),
)
_LIST_FIELDS = (("attendees", "出席人员"), ("absentees", "缺席人员"), ("observers", "列席人员"))
_COUNT_FIELDS = (("expected", "应到人数"), ("present", "实到人数"))


@dataclass
class ScanText:
    text: str  # what was read with confidence, unsure characters as □
    recognised_pages: int
    pages: int


def scan_text(pages: list[Page], min_conf: int) -> ScanText:
    readable = [p for p in pages if p.recognised(min_conf)]
    return ScanText("\n".join(page_text(p, min_conf) for p in readable), len(readable), len(pages))


def blank_unsure_lines(text: str) -> tuple[str, list[str]]:
    """Header fields (``地点：行□楼``) with an unsure character lose their value before parsing,
    so that no partial value (a date, a count) is read from them; the labels are returned."""
    lines, unsure = [], []
    for line in text.split("\n"):
        label, sep, value = line.partition("：")
        if sep and UNSURE in value and 0 < len(L.squeeze(label)) <= 8 and UNSURE not in label:
            unsure.append(L.squeeze(label))
            line = f"{label}："
        lines.append(line)
    return "\n".join(lines), unsure


def scrub(meeting: Meeting) -> list[str]:
    """Blank every field still holding an unsure character; drop body paragraphs that are mostly
    unsure. Returns the names of the fields blanked."""
    blanked = []
    for attr, name in _TEXT_FIELDS:
        if UNSURE in getattr(meeting, attr):
            setattr(meeting, attr, "")
            blanked.append(name)
    for attr, name in _LIST_FIELDS:
        if any(UNSURE in str(item) for item in getattr(meeting, attr)):
            setattr(meeting, attr, [])
            blanked.append(name)
    if any(UNSURE in item for item in meeting.agenda):
        meeting.agenda = [item for item in meeting.agenda if UNSURE not in item]
        blanked.append("议题")
    meeting.sections = [
        Section(s.title, tuple(p for p in s.paragraphs if p.count(UNSURE) * 2 < len(p)))
        for s in meeting.sections
    ]
    meeting.extra = [(k, v) for k, v in meeting.extra if UNSURE not in k + v]
    return blanked


def filled_fields(meeting: Meeting) -> list[str]:
    """The facts the record now states, as the run lists them for checking."""
    said = [f"会议类型（{meeting.type.name}）", f"日期（{meeting.date.isoformat()}）"]
    for attr, name in _TEXT_FIELDS:
        if getattr(meeting, attr):
            said.append(f"{name}（{getattr(meeting, attr)}）")
    for attr, name in _COUNT_FIELDS:
        if getattr(meeting, attr) is not None:
            said.append(f"{name}（{getattr(meeting, attr)}）")
    for attr, name in _LIST_FIELDS:
        if getattr(meeting, attr):
            said.append(f"{name}（{len(getattr(meeting, attr))}人）")
    return said


def scanned_meeting(reading: ScanText, name: str) -> Meeting:
    """The meeting of a scan: from its text when that gives type and date, else by its name."""
    stem = PurePosixPath(name).stem
    if not reading.recognised_pages:
        return by_name(name, "扫描件的内容没有识别出来（可能是手写或不够清晰）")
    text, unsure = blank_unsure_lines(asis.record_lines(reading.text, _name_hint(name) or stem))
    try:
        meeting = parse_note(text, name)
    except InputError:
        return by_name(name, "扫描件里没有识别出会议日期或会议类型")
    unsure += [f for f in scrub(meeting) if f not in unsure]
    # The parser speaks of a note it renders; a scan is filed as it is.
    meeting.warnings = [
        w.replace("笔记中没有写", "扫描件中没有识别出").replace(
            "，会议记录中留空，请手工填写", "，请对照原件核对"
        )
        for w in meeting.warnings
    ]
    meeting.warnings.insert(0, f"{CHECK_NOTE}：{'、'.join(filled_fields(meeting))}")
    if unsure:
        names = "、".join(f"「{u}」" for u in dict.fromkeys(unsure))
        meeting.warnings.append(f"{names}有识别不清的字，已留空，请对照原件手工填写")
    if reading.recognised_pages < reading.pages:
        meeting.warnings.append(
            f"扫描件共{reading.pages}页，其中{reading.pages - reading.recognised_pages}页没有识别出文字（可能是手写），请核对"
        )
    return meeting


def _name_hint(name: str) -> str:
    """The file and folder names of an input, innermost first, as one line for the type search."""
    parts = PurePosixPath(name).parts
    return " ".join([PurePosixPath(name).stem, *reversed(parts[:-1])])


def by_name(name: str, why: str) -> Meeting:
    """A record of type and date only, both from the file or folder name; InputError when the
    names do not give both."""
    path = PurePosixPath(name)
    names = [path.stem, *reversed(path.parts[:-1])]
    mtype = next((t for t in map(resolve_meeting_type, names) if t), None)
    day = next((found[0] for found in map(_date_in, names) if found), None)
    if mtype is None or day is None:
        raise InputError(
            f"{why}，文件名（或文件夹名）里也看不出会议日期和会议类型，无法归档",
            hint="请把文件改名为「2019-10-08 支委会.jpg」这样的「日期 会议类型」（一份记录有多页时，"
            "把各页放进一个名为「2019-10-08 支委会」的文件夹），再放入收件箱；" + PHOTO_HINT,
        )
    meeting = Meeting(type=mtype, date=day, source_name=name)
    meeting.warnings.append(
        f"{why}，已按文件名归档为{day.isoformat()} {mtype.name}（只有日期和类型，可按这两项查找），"
        "请对照原件核对；需要时把内容整理成笔记另行放入"
    )
    return meeting


def _date_in(text: str):
    try:
        return find_date(re.sub(r"[_]", "-", text))
    except InputError:
        return None
