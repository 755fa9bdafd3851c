"""A correction that moves a meeting's date (pure).

A note dropped again under the same file name, of the same type and topic, whose text apart from
its dates and times is the same as the filed record's (a similarity of at least
``SAME_TEXT_RATIO``, both of the whole text and of its content) is a corrected version of that
record, wherever the date moved: into another week, term or year. A yearly meeting that keeps
its file name and topic (the 组织生活会 of each December) has its own content, and stays a
meeting of its own.

The texts compared are the searchable text of the minutes (``planning.searchable_text``): its
first ``header_lines`` lines are the fields (title, time, place, people), the rest its content.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from pipeline.chinese import cn_date

SAME_TEXT_RATIO = 0.9

_DIGIT = r"[0-9０-９〇○零一二三四五六七八九十]"
_DATE_TIME = re.compile(
    "|".join(
        (
            rf"{_DIGIT}{{2,4}}\s*年(?:\s*{_DIGIT}{{1,3}}\s*月)?(?:\s*{_DIGIT}{{1,3}}\s*[日号])?",
            rf"{_DIGIT}{{1,3}}\s*月\s*{_DIGIT}{{1,3}}\s*[日号]",
            r"\d{4}\s*[-./／]\s*\d{1,2}\s*[-./／]\s*\d{1,2}",
            r"\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?",
            rf"(?:上午|下午|中午|晚上|早上)?\s*{_DIGIT}{{1,3}}\s*[时点](?:\s*{_DIGIT}{{1,3}}\s*分|半)?",
            r"(?:星期|礼拜|周)[一二三四五六日天]",
            r"上午|下午|中午|晚上|早上",
            r"[（(]\s*[)）]|[-—~～至到]+\s*$",
        )
    )
)
_SPACE = re.compile(r"[\s\u3000]+")


def undated(text: str) -> list[str]:
    """The lines of ``text`` with every date, time and weekday taken out (spaces too); a line that
    held only those is dropped."""
    out = []
    for line in text.splitlines():
        kept = _SPACE.sub("", _DATE_TIME.sub("", _DATE_TIME.sub("", line)))
        if kept:
            out.append(kept)
    return out


def _similar(a: str, b: str) -> bool:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= SAME_TEXT_RATIO
        and matcher.quick_ratio() >= SAME_TEXT_RATIO
        and matcher.ratio() >= SAME_TEXT_RATIO
    )


def same_apart_from_date(new: str, old: str, header_lines: int) -> bool:
    """Whether two records' texts are the same apart from their dates and times: the whole text
    and its content (after the first ``header_lines`` lines) each at least ``SAME_TEXT_RATIO``
    alike. A record without content is never taken for another's correction."""
    new_content = "".join(undated("\n".join(new.splitlines()[header_lines:])))
    old_content = "".join(undated("\n".join(old.splitlines()[header_lines:])))
    if not new_content or not old_content:
        return False
    return _similar(new_content, old_content) and _similar("".join(undated(new)), "".join(undated(old)))


def moved_message(old_day: dt.date, new_day: dt.date, old_path: str, *, done: bool = True) -> str:
    """What the run says of a correction that moved the date (``done`` False: what filing will do)."""
    verb = "已替换" if done else "归档时将替换"
    return f"日期由{cn_date(old_day)}改为{cn_date(new_day)}，{verb}原来的记录：{old_path}"
