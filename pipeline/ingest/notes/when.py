"""When the meeting was held: its date and clock times, and where a missing year comes from.

The date is the one the report gives for the meeting: in the 时间 field, or in the first sentence
that opens a meeting (召开/举行/开展/来到/宣讲 … or names one); its clock in the clause after the date,
in the next clause when the date stands alone ("2024年7月1日，上午8时，……"), or opening the next
sentence when the date's says no time ("……观看影片。18:30，党员们……"). A date inside a quoted
speech (“…”) or a title (《…》), a date further down the body, and a web page's publication stamp or byline
("发布时间：2023-11-02 15:26") are never the meeting's date or time. A date written without its
year ("3月26日") takes the year from, in order: the file or folder name, the meeting's own name
("召开2023年下半年支部党员大会", "某支部2024年第一次全体党员大会",
"召开2023年第一届支部党员大会", a series' "2024年……主题系列党日活动";
a 年度 names the year reviewed, not the year held), a month's activity of the same kind named with its year
that includes the month ("2023年1、2月份党支部主题党日活动" for 2月23日), the report's publication date. Never
from today.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.chinese import to_simplified
from pipeline.errors import DateFormatError, Location, NoteFormatError
from pipeline.ingest.dates import find_date, find_month_day, iter_dates, normalize, parse_times
from pipeline.ingest.notes import kinds
from pipeline.ingest.notes.scan import Scanned
from pipeline.ingest.notes.year import year_from_path
from pipeline.records.types import MeetingType

_PLACEHOLDER = re.compile(r"^[\s\u3000×xX＿_—\-/年月日时分：:.。、,，（）()]*$")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」|\"[^\"]*\"")
_OPENS = re.compile(
    r"召开|举行|开展|举办|组织|进行|开了|讲授|上了|参加|参观|前往|赴|走进|来到|宣讲|观看|集中|学习|开会|活动|在.{1,20}?(?:举行|召开)"
)
# What follows a meeting's date: a time of day, a weekday, a place or the verb.
_FOLLOWS = re.compile(
    r"^\s*(?:[（(]?(?:星期|周|礼拜)|上午|下午|中午|晚|早|傍晚|凌晨|午后|\d{1,2}\s*[:：时点]|[,，]|在|于|至|[—–~～-]\s*\d"
    r"|召开|举行|开展)"
)
_NAME_YEAR = re.compile(
    r"(?:召开|举行|开展|组织|举办|支部|党小组)了?\s*(20\d{2})\s*年(?!度)(?:上半年|下半年|春季|秋季|第[一二三四]季度|[^，。；]{0,3}?第[一二三四五六七八九十\d]+[次届])"
    # "本次活动是办公室党支部2021年“……”主题系列党日活动首站": a series' own name.
    r"|(?<!\d)(20\d{2})\s*年(?!度)[^，。；,;]{0,30}?系列[^，。；,;]{0,6}?活动"
)

# "《关于开展2023年1、2月份党支部主题党日活动的通知》": a month's (or two months') activity named with its
# year; it dates a meeting of that month only.
_MONTHS_YEAR = re.compile(
    r"(?<!\d)(20\d{2})\s*年\s*((?:\d{1,2}\s*[、,，]\s*)*\d{1,2})\s*月份?"
    r"[^，。；,;]{0,8}?(?:主题党日|党日活动|组织生活会|党员大会|支部大会|支委会|党小组会)"
)

# Words that place a meeting in the recent past without a day.
_UNDATED = re.compile(r"近日|日前|近期|前不久|不久前|最近|前些天|前几天")


def _fail(message: str, hint: str, file_name: str, line: int | None = None) -> NoteFormatError:
    return NoteFormatError(message, hint=hint, location=Location(file=file_name, line=line))


def meeting_time(
    s: Scanned, file_name: str, type_hint: str, mtype: MeetingType | None = None
) -> tuple[dt.date, dt.time | None, dt.time | None]:
    """(date, start, end) of the meeting; raises a precise refusal when the note gives none, or
    when two sentences that report the meeting (``mtype``) date it to different days."""
    value, line = s.fields.get("time", ("", 0))
    if value and not _PLACEHOLDER.match(value):
        found = _from_field(value, line, s, file_name)
        _check_agree(s, found[0], mtype, file_name)
        return found
    found = _from_sentences(s, file_name)
    if found:
        _check_agree(s, found[0], mtype, file_name)
        return found
    # "近日，……开展了主题党日活动" under a date line: the report does not date its meeting, and
    # the line is when the page was published.
    undated = any(_UNDATED.search(to_simplified(p)) for p in s.prose[:3])
    for heading in [] if undated else s.heading_dates:
        day = find_date(heading)
        if day:
            return (day[0], *parse_times(normalize(heading)[day[2] :]))
    day = find_date(file_name.rsplit("/", 1)[-1])
    if day:
        return day[0], None, None
    recent = next((m.group(0) for p in s.prose[:3] if (m := _UNDATED.search(to_simplified(p)))), "")
    said = f"（正文只说「{recent}」，没有写是哪一天）" if recent else ""
    raise _fail(
        f"缺少会议时间：{type_hint}笔记里没有「时间」一行，正文开头和文件名中也没有带年份的日期{said}",
        "请在笔记开头加一行，例如「时间：2024年10月8日 14:30」。",
        file_name,
    )


def _from_field(value: str, line: int, s: Scanned, file_name: str):
    try:
        found = find_date(value)
    except DateFormatError as err:
        raise err.at(file=file_name, line=line) from None
    if found:
        return (found[0], *parse_times(normalize(value)[found[2] :]))
    partial = find_month_day(value)
    if partial:
        day = _dated(partial[0], partial[1], value, s, file_name, line)
        return (day, *parse_times(normalize(value)[partial[3] :]))
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


def _sentences(s: Scanned) -> list[str]:
    lines = [s.title, *s.prose[:8]] + [lines[0] for _, lines in s.sections[:1] if lines]
    return [p for line in lines if line for p in re.split(r"(?<=[。；!！?？])", line) if p.strip()]


def _from_sentences(s: Scanned, file_name: str):
    """The date in the first sentence that reports the meeting, with its clock times; else the
    first date of the heading lines ("第三党小组会 / 2024年11月21日 14:00 教学楼A座305")."""
    sentences = _sentences(s)
    # "2023年11月10日16:00，为进一步加强……。某支部举行了支部党员大会。": a full date opening a
    # sentence of purpose only dates the sentence that follows, when that one reports the meeting.
    leading: tuple | None = None
    for i, sentence in enumerate(sentences):
        text = _QUOTED.sub(lambda m: " " * len(m.group(0)), to_simplified(normalize(sentence)))
        dates = iter_dates(text)
        if leading and not dates and _OPENS.search(text) and kinds.named_in(text):
            value, clock = leading
            return (value, *parse_times(clock))
        leading = None
        heading = i < 2 and not re.search(r"[，。,]", text.strip()[:-1])
        if dates and dates[0][0] == "full" and dates[0][2] <= 1 and not _OPENS.search(text):
            leading = dates[0][1], re.split(r"[，,。；;]", text[dates[0][3] :])[0]
        if not dates or not (_OPENS.search(text) or kinds.named_in(text) or heading):
            continue
        chosen = _meeting_date(text, dates, heading)
        if chosen is None:
            continue
        kind, value, _, end = chosen
        times = _clock(text[end:], sentences[i + 1 : i + 2])
        if kind == "full":
            return (value, *times)
        day = _dated(value[0], value[1], sentence, s, file_name, None)
        return (day, *times)
    return None


# A clock time opening a clause: "上午8时", "18:30", "晚7点".
_CLOCK_FIRST = re.compile(
    r"^\s*(?:上午|下午|中午|晚上|晚间|早上|傍晚|晚|早)?\s*\d{1,2}\s*(?:[:：]\s*\d{2}|[时点])"
)


def _clock(after: str, following: list[str]):
    """Start and end times said for the meeting: in the clause after its date; in the next clause when
    the date stands alone before a comma ("2020年7月1日，上午8时，在……召开"); or at the head of the next
    sentence when the date's sentence says none ("10月27日，……观看影片。18:30，党员们到……")."""
    clauses = re.split(r"[，,。；;]", after)
    if not clauses[0].strip() and len(clauses) > 1 and _CLOCK_FIRST.match(clauses[1]):
        return parse_times(clauses[1])
    times = parse_times(clauses[0])
    # "10月27日下午，……。18:30，……": a time of day said without its clock leaves a later clock to a later part.
    said_part = re.match(r"\s*(?:上午|下午|中午|晚|早|傍晚|凌晨)", clauses[0])
    if times[0] is None and not said_part and not _CLOCK_ANYWHERE.search(after) and following:
        head = re.split(r"[，,。；;]", normalize(following[0]))
        if (
            len(head) > 1
            and _CLOCK_FIRST.match(head[0])
            and re.fullmatch(r"[\s\d:：点时分半上下午晚早间傍中—–~～至到-]+", head[0])
        ):
            return parse_times(head[0])
    return times


_CLOCK_ANYWHERE = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*[时点]")


_DAY_RANGE = re.compile(r"\d{1,2}\s*[日号]?\s*[—–~～至到-]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号]")


def _check_agree(s: Scanned, day: dt.date, mtype: MeetingType | None, file_name: str) -> None:
    """The headline and the body, or two sentences, that report the meeting by its name and date
    it to different days: neither is printed, and the note is refused with both dates."""
    sentences = _sentences(s)
    # "5月16—17日" lasts two days: a later sentence of the second day is no disagreement.
    if mtype is None or any(_DAY_RANGE.search(normalize(p)) for p in sentences):
        return
    for sentence in sentences:
        text = _QUOTED.sub(lambda m: " " * len(m.group(0)), to_simplified(normalize(sentence)))
        dates = iter_dates(text)
        if not dates or kinds.named_in(text) != mtype or not _OPENS.search(text):
            continue
        chosen = _meeting_date(text, dates, False)
        if chosen is None:
            continue
        month_day = chosen[1] if chosen[0] == "partial" else (chosen[1].month, chosen[1].day)
        if month_day != (day.month, day.day):
            written = text[chosen[2] : chosen[3]].strip()
            raise _fail(
                f"会议日期不能确定：笔记里报道这次{mtype.name}的两处写的日期不一样"
                f"（{day.month}月{day.day}日、「{written}」）",
                "请核对会议是哪一天开的，在笔记开头加一行，例如「时间：2024年10月8日 14:30」。",
                file_name,
            )


def _meeting_date(text: str, dates: list, heading: bool):
    """The date a sentence gives for its meeting: one followed by a time, a place or the verb, or
    one before the verb that opens the meeting; a date after the verb ("召开会议，报告了2018年3月29日
    支部拆分的情况") is part of what was said, not when it was said."""
    for d in dates:
        if _FOLLOWS.match(text[d[3] :]):
            return d
    for d in dates:
        if _OPENS.search(text, d[3]):
            return d
    return dates[0] if heading else None


def _year_for(month: int, day: int, s: Scanned, file_name: str) -> tuple[int, str] | None:
    # "机电系党支部3月6日召开党员大会 / 2024年3月6日下午，……": the same day written in full.
    for sentence in _sentences(s):
        for _kind, value, start, end in iter_dates(normalize(sentence)):
            if isinstance(value, dt.date) and (value.month, value.day) == (month, day):
                return value.year, f"正文「{normalize(sentence)[start:end].strip()}」"
    found = year_from_path(file_name, month)
    if found:
        return found
    for sentence in _sentences(s):
        m = _NAME_YEAR.search(to_simplified(normalize(sentence)))
        if m:
            return int(m.group(1) or m.group(2)), f"会议名称「{m.group(0).strip()}」"
    for sentence in _sentences(s):
        for m in _MONTHS_YEAR.finditer(normalize(sentence)):
            if month in {int(n) for n in re.findall(r"\d+", m.group(2))}:
                return int(m.group(1)), f"活动名称「{m.group(0).strip()}」"
    for line in [*s.bylines, *s.heading_dates]:
        published = find_date(line) or _day_first(line)
        if published:
            p = published[0]
            year = p.year if (month, day) <= (p.month, p.day) else p.year - 1
            return year, f"发布日期「{line.strip()}」"
    return None


_DAY_FIRST = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(20\d{2})(?![\d.])")


def _day_first(line: str) -> tuple[dt.date] | None:
    """A page stamp written day first ("06.07.2018  18:46"): a publication date, for its year."""
    m = _DAY_FIRST.search(line)
    try:
        return (dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))),) if m else None
    except ValueError:
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
    if not source.startswith("正文"):  # the same day written in full elsewhere needs no check
        s.year_note = f"笔记只写了{month}月{day}日，年份{year}取自{source}，请核对"
    return day_value
