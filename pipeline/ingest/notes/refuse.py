"""What is refused before a meeting is read from a note, and how the refusal is worded.

A blank record form or a template to copy (the branch and the date left as "XXXX", "20xx"), a notice
or a 请示 announcing a meeting to come, and a report that names none of the eight activities: each is
moved to inbox/失败/ with what was found and how to fix it, never filed with a guess.
"""

from __future__ import annotations

import re

from pipeline.chinese import to_simplified
from pipeline.errors import Location, NoteFormatError, ZhibuError
from pipeline.ingest.notes import prose
from pipeline.ingest.notes.labels import FIELD_LABELS
from pipeline.ingest.notes.scan import Scanned, reading
from pipeline.ingest.notes.when import meeting_time
from pipeline.records.types import MEETING_TYPES

PLACEHOLDER = re.compile(r"^[\s\u3000×xX＿_—\-/年月日时分：:.。、,，（）()]*$")
# A notice announces a meeting to come: "定于…召开", "现将有关事项通知如下".
_NOTICE = re.compile(
    r"(?:拟|现)?定于[^。]{0,40}(?:召开|举行)|拟于[^。]{0,40}(?:召开|举行)|通知如下|请准时参加|请各位党员准时"
)
# A headline that announces or asks leave for a meeting: "关于召开党员大会……的通知", "……的请示".
_ANNOUNCING_TITLE = re.compile(r"关于(?:召开|举行|开展)[^。]{0,40}的(?:通知|请示)$")
_REPORTED = re.compile(r"召开了|举行了|开展了|会议由|主持了|[^定]于\d{4}年[^。]{0,20}召开")


def fail(message: str, hint: str, file_name: str, line: int | None = None) -> NoteFormatError:
    return NoteFormatError(message, hint=hint, location=Location(file=file_name, line=line))


def type_names() -> str:
    return "、".join(t.name for t in MEETING_TYPES)


# A template to copy: the branch and the date left as placeholders ("XXXX党支部", "20xx.x.x").
_TEMPLATE = re.compile(r"[Xx×*＊]{2,}\s*(?:党支部|支部|党委|党总支)|20[Xx×]{2}|[Xx×]{4}\s*年")


def check_blank(s: Scanned, file_name: str) -> None:
    """A record form nobody filled in (××, 年 月 日), or a template that dates no meeting, is refused
    as such."""
    values = [v for v, _ in s.fields.values()] + [v for _, v in s.extra]
    # A form's example ("主持：×××", "支部共有党员××人") is as empty as a blank one.
    empty = s.labels_seen >= 3 and all(PLACEHOLDER.match(v) or "××" in v for v in values)
    if empty and not any(lines for _, lines in s.sections) and not s.prose:
        raise fail(
            f"这是一张没有填写的空白记录表：「{'」「'.join(FIELD_LABELS[k] for k in list(s.fields)[:4])}」等栏目都是空的",
            "请填写会议时间、地点、主持人等内容后再放入收件箱；空白表格请不要放进收件箱。",
            file_name,
        )
    lines = [s.title, *s.prose[:4], *s.bylines, *s.heading_dates]
    template = next((m.group(0) for line in lines if (m := _TEMPLATE.search(line))), "")
    if template and date_problem(s, file_name) is not None:
        raise fail(
            f"这是一份没有填写的空白模板（「{template}」），不是会议记录",
            "会议开过以后，请把会议记录（时间、地点、主持人、内容等）放入收件箱；空白模板请不要放进收件箱。",
            file_name,
        )


def date_problem(s: Scanned, file_name: str) -> str | None:
    """None when the note dates a meeting; "写了1月18日，但没有写年份" when it dates one without a year;
    "" when it gives no date at all."""
    try:
        meeting_time(s, file_name, "")
    except NoteFormatError as err:
        return err.message.split("（")[0] if "没有写年份" in err.message else ""
    except ZhibuError:
        return ""
    return None


def refuse_untyped(s: Scanned, file_name: str) -> NoteFormatError:
    said = [FIELD_LABELS[k] for k in ("time", "place", "chair", "recorder") if s.fields.get(k, ("", 0))[0]]
    # A report of an activity dated without its year needs both facts: say both at once.
    undated = date_problem(s, file_name)
    if undated is None and "会议时间" not in said:
        said.insert(0, "会议时间")  # "2013年4月19日在420教室召开月度会议": a dated report, of no known type
    if undated:
        return fail(
            f"无法确定会议类型，而且{undated}：笔记没有「会议类型」一行，标题和文件名中也没有会议类型",
            f"请在笔记开头加一行，例如「会议类型：支委会」，并把日期写完整（如2024年{undated[2:].split('日')[0]}日）。"
            f"可用的类型：{type_names()}。",
            file_name,
        )
    if not said and not s.agenda and not any(prose.chair(reading(p))[0] for p in s.prose[:3]):
        first = s.title or (s.prose[0][:20] if s.prose else "")
        return fail(
            f"这份文件看起来不是会议或活动记录（开头是「{first}」）：没有会议类型，也没有会议时间、地点、主持人等内容",
            "收件箱里只放会议笔记和登记表；如果这是会议记录，请在开头加一行，例如「会议类型：支委会」。",
            file_name,
        )
    return fail(
        f"无法确定会议类型：笔记写了{'、'.join(said) or '会议内容'}，但没有「会议类型」一行，标题和文件名中也没有会议类型",
        f"请在笔记开头加一行，例如「会议类型：支委会」。可用的类型：{type_names()}。",
        file_name,
    )


def check_notice(s: Scanned, file_name: str) -> None:
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
        raise fail(
            f"这是一份{what}（{shown if not announcing else '「' + announcing + '」'}），不是会议记录",
            "会议开过以后，请把会议记录（时间、地点、主持人、内容等）放入收件箱。",
            file_name,
        )
