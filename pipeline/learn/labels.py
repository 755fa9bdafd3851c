"""Pure logic of template learning: which printed label means which template variable.

A school's minutes form prints labels (``时  间``, ``缺席人员及原因``, ``主持人（签字）``) next to
or before the values of one meeting. These functions recognise the labels and the values'
extent in a piece of text; ``pipeline.learn.docxmap`` applies the result to a Word document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Roles of a recognised label: its value becomes a variable, the start of the body loop, a
# signature (left blank for the handwritten signature), or a count ("10人" keeps its "人").
VALUE, COUNT, BODY, SIGNATURE = "value", "count", "body", "signature"

# template variable -> labels printed on forms (compared with all spaces removed)
VARIABLE_LABELS: dict[str, tuple[str, ...]] = {
    "会议名称": ("会议名称", "活动名称", "名称"),
    "主题": ("会议主题", "活动主题", "学习主题", "主题", "题目", "党课题目", "党课主题"),
    "会议类型": ("会议类型", "活动类型", "会议类别", "类型", "类别"),
    "支部名称": ("支部名称", "党支部名称", "所在支部", "党支部", "支部"),
    "时间": ("会议时间", "活动时间", "谈话时间", "起止时间", "时间"),
    "日期": ("会议日期", "活动日期", "日期"),
    "地点": ("会议地点", "活动地点", "谈话地点", "地点"),
    "主持人": ("主持人", "主持", "主讲人", "主讲", "授课人"),
    "记录人": ("记录人", "记录员"),
    "应到": ("应到人数", "应到会人数", "应出席人数", "应到"),
    "实到": ("实到人数", "实到会人数", "出席人数", "实到"),
    "缺席人数": ("缺席人数", "请假人数"),
    "出席人员": ("出席人员", "参会人员", "参加人员", "到会人员", "实到人员", "参会党员", "出席", "参加对象"),
    "缺席人员": ("缺席人员", "请假人员", "缺席", "请假"),
    "列席人员": ("列席人员", "列席"),
    "议题": ("会议议题", "议题", "议程", "会议议程"),
    "谈话人": ("谈话人",),
    "谈话对象": ("谈话对象", "被谈话人"),
}
COUNT_VARIABLES = {"应到", "实到", "缺席人数"}
# Labels of the body area: the values below them become the numbered sections of 正文.
BODY_LABELS = (
    "会议内容",
    "会议记录",
    "会议情况",
    "主要内容",
    "内容",
    "学习内容",
    "活动内容",
    "活动过程",
    "活动情况",
    "党课内容",
    "讲课内容",
    "谈话内容",
    "记录内容",
    "会议主要内容",
    "内容摘要",
)
# Further body labels a form may print separately; zhibu writes them as sections of 正文, so
# their old values are cleared rather than kept as fixed text.
EXTRA_BODY_LABELS = (
    "发言记录",
    "发言情况",
    "讨论情况",
    "决议",
    "会议决议",
    "决议事项",
    "决定事项",
    "表决情况",
    "主持人总结",
    "会议总结",
    "谈话效果",
)
SIGNATURE_WORDS = ("签字", "签名", "签章")
# Who else signs a record besides the people of VARIABLE_LABELS.
SIGNERS = ("本人", "负责人", "书记", "支部书记", "党支部书记", "参会人员", "与会人员", "党员", "审核人")
# What forms append to a label: 缺席人员及原因, 缺席人员（事由）.
_LABEL_TAILS = ("及原因", "及事由", "（原因）", "(原因)", "（事由）", "(事由)", "及请假原因")

_SPACES = re.compile(r"[\s\u3000\xa0]+")
_COUNT_VALUE = re.compile(r"^\s*(\d{1,4})\s*(人|名)?\s*$")
_DATE_ONLY = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_AGENDA_MARK = re.compile(r"^[一二三四五六七八九十]+、")
_ATTENDANCE = re.compile(r"应到.{0,12}实到")

_ALIAS = {alias: var for var, aliases in VARIABLE_LABELS.items() for alias in aliases}


@dataclass(frozen=True)
class Label:
    variable: str  # template variable, "正文" for the body, "" for an extra body label
    role: str  # VALUE | COUNT | BODY | SIGNATURE
    text: str  # the label as printed


def squeeze(text: str) -> str:
    """The label without any spaces (``时  间`` → ``时间``) and without its colon."""
    return _SPACES.sub("", text).rstrip("：:").strip()


def match_label(text: str) -> Label | None:
    """The label a cell or line start prints, or None when it is not a known label."""
    key = squeeze(text)
    if not key or len(key) > 14:
        return None
    if any(word in key for word in SIGNATURE_WORDS):
        who = key
        for word in SIGNATURE_WORDS:
            who = who.split(word, 1)[0]
        who = who.strip("（(：: ")
        if who and who not in _ALIAS and who not in SIGNERS:
            return None
        return Label(_ALIAS.get(who, ""), SIGNATURE, text.strip())
    for tail in _LABEL_TAILS:
        if key.endswith(tail) and key[: -len(tail)] in _ALIAS:
            key = key[: -len(tail)]
    if key in _ALIAS:
        var = _ALIAS[key]
        return Label(var, COUNT if var in COUNT_VARIABLES else VALUE, text.strip())
    if key in BODY_LABELS:
        return Label("正文", BODY, text.strip())
    if key in EXTRA_BODY_LABELS:
        return Label("", BODY, text.strip())
    return None


@dataclass(frozen=True)
class Segment:
    """One ``label：value`` pair inside a line of text (offsets into that line)."""

    label: Label
    label_start: int
    value_start: int  # first character of the value (after the colon and spaces)
    value_end: int  # one past its last non-space character (== value_start when empty)


def split_label_line(text: str) -> list[Segment]:
    """The ``label：value`` pairs of a line, e.g. ``主持人：张三　　记录人：李四`` gives two.

    Only colons preceded by a known label count, so ``14:30`` inside a value is no label."""
    found: list[tuple[Label, int, int]] = []  # label, label start, colon end
    previous_end = 0
    for colon in re.finditer(r"[：:]", text):
        start_min = max(previous_end, colon.start() - 14)
        for start in range(start_min, colon.start()):
            if text[start] in " \u3000\t\xa0":
                continue
            label = match_label(text[start : colon.start()])
            if label:
                found.append((label, start, colon.end()))
                previous_end = colon.end()
                break
    segments = []
    for i, (label, start, colon_end) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        value = text[colon_end:end]
        lead = len(value) - len(value.lstrip(" \u3000\t\xa0"))
        stripped = value.strip(" \u3000\t\xa0")
        v_start = colon_end + lead
        segments.append(Segment(label, start, v_start, v_start + len(stripped)))
    return segments


AGENDA_TAG = "{{ 议题|join('；') if 议题 else 主题 }}"


def variable_text(label: Label, value: str) -> str:
    """What replaces a recognised value: ``{{ 地点 }}``; counts keep their unit (``{{ 应到 }}人``);
    the agenda list is joined, or the topic stands in for it when the note gives no separate list
    (a form's 会议议题 is never left empty beside a stated 会议主题); signatures and extra body
    areas become blank."""
    if label.role in (SIGNATURE, BODY):
        return ""
    if label.variable == "议题":
        return AGENDA_TAG
    tag = "{{ " + label.variable + " }}"
    if label.role == COUNT:
        m = _COUNT_VALUE.match(value)
        unit = m.group(2) if m else ("人" if value.strip().endswith("人") else "")
        return tag + (unit or "")
    return tag


def is_date_line(text: str) -> bool:
    """A line holding only a date (the date under the signatures)."""
    return bool(_DATE_ONLY.match(text))


def is_attendance_sentence(text: str) -> bool:
    """The chair's statement of 应到/实到 at the start of the body (becomes {{ 到会情况 }})."""
    return bool(_ATTENDANCE.search(text))


def starts_body(text: str) -> bool:
    """A paragraph below the fields that is already body text: the chair's attendance
    statement, a numbered section heading (一、会议内容) or a bracketed one (【会议内容】)."""
    bare = squeeze(re.sub(r"^[一二三四五六七八九十]+、|[【】\[\]]", "", text.strip()))
    return (
        is_attendance_sentence(text)
        or is_section_heading(text)
        or bare in BODY_LABELS
        or bare in EXTRA_BODY_LABELS
    )


def is_section_heading(text: str) -> bool:
    """一、… headings of a filled body: their formatting is reused for the section titles."""
    return bool(_AGENDA_MARK.match(text.strip())) and len(text.strip()) <= 30
