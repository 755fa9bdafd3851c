"""First pass over a note: header fields, unknown header lines, title, prose, body sections, and the
bylines and page stamps that give a year only (a date on the headline's own line, a 日期 line with a
clock, when the report dates its meeting itself). ``reading`` is the text as the readers see it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.chinese import to_simplified
from pipeline.errors import Location, NoteFormatError
from pipeline.ingest.dates import normalize
from pipeline.ingest.notes.labels import (
    FIELD_LABELS,
    SECTION_SET,
    compact,
    field_of,
    label_line,
    split_fields,
)
from pipeline.records.types import resolve_meeting_type

_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MD_NOISE = re.compile(r"^\s*(?:#{1,6}\s*|[-*+>]\s+)?")
_BRACKET_HEADING = re.compile(r"^[【\[]\s*(?P<name>[^】\]]{1,10})\s*[】\]]\s*[：:]?\s*(?P<rest>.*)$")
_NUMBERED_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\s*(?P<name>[^：:]{1,10}?)\s*[：:]?\s*(?P<rest>.*)$"
)
_AGENDA_ITEM = re.compile(
    r"^(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、|[①②③④⑤⑥⑦⑧⑨⑩])\s*(?P<item>.+)$"
)
_INLINE_ITEMS = re.compile(r"(?:^|\s|[；;])(?:\d{1,2}\s*[.、．)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
# A news byline: its date is when the report was published, never the meeting date.
_BYLINE = re.compile(
    r"^(?:发布时间|发布日期|发表日期|发表时间|发稿时间|发布者|发布人|发布于|发布|创建时间|更新时间|录入时间|来源|信息来源"
    r"|作者|编辑|审核|审稿|初审|复审|终审|供稿|撰稿|摄影|通讯员|责任编辑|浏览|点击|阅读)\s*[：:]?"
)
# A page's counters and credits on the same line as a date: "时间：2022-02-27 点击量：…".
_PAGE_FURNITURE = re.compile(
    r"(?:浏览|点击|阅读)(?:次数|量)?\s*[：:]|来源\s*[：:]|作者\s*[：:]|编辑\s*[：:]|发布(?:时间|日期|人|者)"
)
# A line that is nothing but a date (and maybe a clock time): a stamp, a signature date or a heading
# ("2023-11-02 15:26", "2024年4月18日", "2022年9月5号", a page stamp written day first "06.07.2018 18:46").
_DATE_ONLY = re.compile(
    r"^[\s(（]*(?:\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*[日号]?|[〇零一二三四五六七八九]{4}年[^\s]{1,6}[日号]"
    r"|\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*(?:星期|周)[一二三四五六日天])?(?P<clock>\s*\d{1,2}:\d{2}(?::\d{2})?)?[\s)）]*$"
)

# The second line of a headline: "——记某某小学主题党日活动", "—— 机关支部召开党员大会" (short, no full stop).
_SUBTITLE = re.compile(r"^[—–-]{1,2}\s*[^。]{2,38}$")


@dataclass
class Scanned:
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    extra: list[tuple[str, str]] = field(default_factory=list)
    agenda: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    title: str = ""
    prose: list[str] = field(default_factory=list)  # running text before any section heading
    bylines: list[str] = field(default_factory=list)
    # Lines that are only a date before the running text (under a form's title): the meeting's date
    # when nothing else gives one, else a year source like a byline.
    heading_dates: list[str] = field(default_factory=list)
    type_label: tuple[str, str, int] | None = None  # "党课：题目" -> (党课, 题目, line)
    labels_seen: int = 0
    year_note: str = ""  # where the year of a date written without one came from


# Published pages often carry half-width punctuation among Chinese text (",", ";", "(", ":"): it is read
# as the full-width marks a secretary types, one character for one, so that a value found in the read
# text maps back to the same span of the text as written. A colon between digits is a clock (14:30).
_WIDE = str.maketrans({",": "，", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"})
_COLON = re.compile(r"(?<!\d):|:(?!\d)")


def reading(text: str) -> str:
    """``text`` as the readers see it: simplified characters, full-width punctuation (same length)."""
    return _COLON.sub("：", to_simplified(text).translate(_WIDE))


def clean_line(raw: str) -> str:
    line = _MD_NOISE.sub("", raw, count=1)
    # Markdown bold (**会议类型**) is layout, not content; anything else stays as typed.
    return _MD_BOLD.sub(r"\1", line).strip(" \t\u3000\ufeff")


def as_section(line: str) -> tuple[str, str] | None:
    """If ``line`` opens a body section, its name and any text after the colon."""
    for pattern in (_BRACKET_HEADING, _NUMBERED_HEADING):
        m = pattern.match(line)
        if m and compact(m.group("name")) in SECTION_SET:
            return compact(m.group("name")), m.group("rest").strip()
    first = label_line(line)
    if first and first[0] in SECTION_SET:
        # The whole rest of the line is the section's text ("会议内容：传达精神 决议：同意" stays together).
        return first
    stripped = compact(line.rstrip("：:"))
    if stripped in SECTION_SET:
        return stripped, ""
    return None


def scan(text: str, file_name: str) -> Scanned:
    s = Scanned()
    in_agenda = False
    for number, line in _lines(text):
        if _is_byline(line, s):
            s.bylines.append(line)
            continue
        if stamp := _DATE_ONLY.match(normalize(line)):
            _date_line(s, line, stamp)
            continue
        section = as_section(line)
        if section:
            name, rest = section
            s.sections.append((name, [rest] if rest else []))
            in_agenda = False
            continue
        if s.sections:
            s.sections[-1][1].append(line)
            continue
        pairs = split_fields(line)
        if pairs and _header_line(s, pairs, number, file_name):
            in_agenda = any(field_of(label) == "agenda" for label, _ in pairs)
            continue
        item = _AGENDA_ITEM.match(line)
        if in_agenda and item:
            s.agenda.append(item.group("item").strip())
            continue
        in_agenda = False
        if not s.title and not s.fields and not s.prose and len(line) <= 40 and not line.endswith("。"):
            s.title = line
        elif s.title and not s.fields and not s.prose and _SUBTITLE.match(line):
            # A headline's second line "——记某某小学主题党日活动" is part of the headline.
            s.title = f"{s.title}{line}"
        else:
            s.prose.append(line)
    _demote_page_stamp(s)
    return s


# A web page's "时间：2023-12-27 17:50" under the headline: when it is the only header line and the
# report dates its meeting in its own words, it is when the page was published, not a 时间 field.
_STAMP = re.compile(
    r"^\s*\d{4}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*日?\s+\d{1,2}:\d{2}(?::\d{2})?\s*$"
)
_DATED_PROSE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")
# A page's date after the headline, on the same line: "……召开专题组织生活会 2024-01-20".
_TITLE_STAMP = re.compile(
    r"\s+(?P<stamp>\d{4}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*$"
)


def _demote_page_stamp(s: Scanned) -> None:
    """A page's stamp (a 时间 line that is the only header line, or a date after the headline) when the
    report dates its meeting in its own words: when the page was published, a byline."""
    dated = any(_DATED_PROSE.search(normalize(p)) for p in s.prose[:2])
    value, _ = s.fields.get("time", ("", 0))
    if set(s.fields) == {"time"} and _STAMP.match(value) and dated:
        s.bylines.append(f"时间：{value}")
        del s.fields["time"]
        s.labels_seen -= 1
    stamp = _TITLE_STAMP.search(s.title)
    if stamp and dated and len(s.title) > stamp.end() - stamp.start() + 4:
        s.bylines.append(stamp.group("stamp"))
        s.title = s.title[: stamp.start()].strip()


# The last item of a byline: a counter ("阅读量:17次", "浏览次数：") or a stamp ("2025-03-05 09:12").
_BYLINE_END = re.compile(
    r"(?:浏览|点击|阅读|访问)(?:次数|量)?\s*[：:]\s*\d*\s*次?"
    r"|\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)


def _lines(text: str):
    """(line number, line) of the text, non-empty; a byline run onto the report's first sentence
    ("发布日期:2025-03-05 阅读量:17次为深入学习……，2月27日，……开展主题党日活动") is two lines."""
    for number, raw in enumerate(text.split("\n"), start=1):
        line = clean_line(raw)
        if not line:
            continue
        ends = list(_BYLINE_END.finditer(line)) if _is_byline(line, None) else []
        rest = line[ends[-1].end() :].strip() if ends else ""
        if len(rest) >= 20 and re.search(r"[，,。]", rest) and not _is_byline(rest, None):
            yield number, line[: ends[-1].end()].strip()
            yield number, rest
        else:
            yield number, line


# A web page's stamp opening a line, followed by the page's section or unit rather than a sentence:
# "2025-03-05 09:39:12妇科、妇科三党支部", "2023/11/02 15:26 学院新闻". A clock with seconds is a
# stamp wherever it stands: nobody dates a meeting to the second.
_STAMP_OPENING = re.compile(
    r"^\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?(?P<rest>.*)$"
)
_SECONDS = re.compile(r"(?<!\d)\d{1,2}:\d{2}:\d{2}(?!\d)")


def _is_byline(line: str, s: Scanned | None) -> bool:
    # "[日期:2022-03-19]", "【来源：学院新闻】": a page's line in brackets is a byline.
    simple = to_simplified(line)
    if re.fullmatch(r"[\[【][^\]】]*\d{4}[^\]】]*[\]】]", simple.strip()):
        return True
    simple = simple.strip("[]【】")
    if _BYLINE.match(simple) and (re.match(r"^\S{2,6}\s*[：:]", simple) or re.search(r"\d", simple)):
        return True
    stamp = _STAMP_OPENING.match(normalize(simple))
    if stamp and len(stamp.group("rest")) <= 30 and not re.search(r"[，,。；]", stamp.group("rest")):
        return True
    if _SECONDS.search(simple) and len(simple) <= 60 and not re.search(r"[，,。；]", simple):
        return True
    return bool(_PAGE_FURNITURE.search(simple) and re.search(r"\d{4}", simple))


def _date_line(s: Scanned, line: str, m: re.Match[str]) -> None:
    """A stamp with a clock ("2021-05-08 15:26") or a date after the text (a signature) is a byline;
    ``m`` is the date's match in the normalized line."""
    web_stamp = m.group("clock") and "年" not in m.group(0)
    if web_stamp or s.prose or s.sections or s.fields:
        s.bylines.append(line)
    else:
        s.heading_dates.append(line)


def _header_line(s: Scanned, pairs: list[tuple[str, str]], number: int, file_name: str) -> bool:
    """Store the ``标签：值`` pairs of a header line; False when the line is running text after all."""
    known = [(label, value) for label, value in pairs if field_of(label)]
    if not known:
        label, value = pairs[0]
        mtype = resolve_meeting_type(label, exact=True)
        if mtype and len(label) <= 6 and not s.type_label:
            s.type_label = (label, value, number)
            return True
        named = " ".join(s.fields.get(k, ("", 0))[0] for k in ("chair", "recorder", "attendees", "lecturer"))
        if len(label) <= 6 and len(value) <= 40 and not s.prose and label not in named:
            # An unknown header line (天气：晴) is kept for the minutes, and the header goes on.
            s.extra.append((label, value))
            return True
        return False
    for label, value in pairs:
        key = field_of(label)
        if not key:
            s.extra.append((label, value))
            continue
        s.labels_seen += 1
        store_field(s, key, value, number, file_name)
        if key == "agenda" and value:
            s.agenda.extend(split_inline_items(value))
    return True


def store_field(s: Scanned, key: str, value: str, line: int, file_name: str) -> None:
    previous = s.fields.get(key)
    if previous and previous[0] and value and normalize(previous[0]) != normalize(value):
        raise NoteFormatError(
            f"「{FIELD_LABELS[key]}」写了两次且内容不同（第{previous[1]}行「{previous[0]}」，第{line}行「{value}」）",
            hint="请只保留正确的一行。",
            location=Location(file=file_name),
        )
    if not previous or not previous[0]:
        s.fields[key] = (value, line)


def split_inline_items(value: str) -> list[str]:
    parts = [p.strip(" ；;。") for p in _INLINE_ITEMS.split(value) if p.strip(" ；;。")]
    if len(parts) == 1 and re.search(r"[；;]", value):
        parts = [p.strip() for p in re.split(r"[；;]", value) if p.strip()]
    return parts
