"""The header labels of a note, as people type them: 时间/会议时间/开会时间, 主 持 人, 時間 …

A label is compared after removing spaces (full- and half-width) and converting traditional
characters, so ``主 持 人：``, ``主　持　人：`` and ``主持人:`` are one field. A line may hold several
fields (``主持人：方志诚　　记录人：韦一凡``).
"""

from __future__ import annotations

import re

from pipeline.chinese import to_simplified

# canonical field -> what people write (first one is the label used in messages)
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "type": ("会议类型", "活动类型", "类型", "类别", "会议类别"),
    "topic": (
        "会议主题",
        "会议名称",
        "活动主题",
        "活动名称",
        "学习主题",
        "主题",
        "名称",
        "题目",
        "党课题目",
        "党课主题",
        "党课名称",
        "授课题目",
        "授课主题",
        "专题",
    ),
    "time": (
        "会议时间",
        "时间",
        "开会时间",
        "活动时间",
        "学习时间",
        "谈话时间",
        "授课时间",
        "党课时间",
        "日期",
        "会议日期",
        "活动日期",
    ),
    "place": ("会议地点", "地点", "开会地点", "活动地点", "学习地点", "谈话地点", "授课地点", "党课地点"),
    "chair": ("主持人", "主持", "会议主持", "主持者", "会议主持人", "活动主持人"),
    "lecturer": ("主讲人", "授课人", "主讲", "授课", "讲课人", "主讲老师", "宣讲人", "党课主讲人"),
    "listeners": ("听课人员", "听课对象", "听课人"),
    "recorder": ("记录人", "记录", "记录员", "记录者", "会议记录人"),
    "attendees": (
        "出席人员",
        "参会人员",
        "出席",
        "参加人员",
        "到会人员",
        "与会人员",
        "实到人员",
        "参会",
        "参加对象",
        "参加人",
        "参会党员",
        "参加",
        "与会",
        "到会",
        "出席会议人员",
        "参会人",
        "到会人员名单",
        "出席人员名单",
    ),
    "absentees": ("缺席人员", "缺席", "请假人员", "请假", "缺席人员及原因", "缺席及原因"),
    "observers": ("列席人员", "列席", "列席人"),
    "expected": ("应到人数", "应到", "党员总数", "应出席人数", "应参会人数", "应到会人数"),
    "present": ("实到人数", "实到", "实际到会", "实际到会人数", "出席人数", "到会人数", "参会人数"),
    "agenda": ("会议议题", "议题", "议程", "会议议程"),
    "talker": ("谈话人",),
    "talk_partner": ("谈话对象", "被谈话人"),
}
FIELD_BY_ALIAS = {alias: key for key, aliases in FIELD_ALIASES.items() for alias in aliases}
FIELD_LABELS = {key: aliases[0] for key, aliases in FIELD_ALIASES.items()}

SECTION_NAMES = (
    "会议内容",
    "会议记录",
    "会议情况",
    "主要内容",
    "内容",
    "学习内容",
    "学习情况",
    "活动内容",
    "活动过程",
    "活动情况",
    "党课内容",
    "讲课内容",
    "授课内容",
    "发言记录",
    "发言情况",
    "讨论情况",
    "讨论内容",
    "交流发言",
    "决议",
    "会议决议",
    "决议事项",
    "决定事项",
    "表决情况",
    "表决结果",
    "主持人总结",
    "会议总结",
    "总结",
    "谈话内容",
    "谈话效果",
    "谈话情况",
    "备注",
    "心得体会",
    "评议情况",
    "批评与自我批评",
    "整改措施",
    "民主测评",
    "个人自评",
    "党员互评",
    "测评结果",
    "评议结果",
    "会议决定",
    "决定",
    "会议纪要",
    "会议过程",
    "活动小结",
    "会议小结",
    "小结",
    "对照检查",
    "发言摘要",
    "讨论发言",
    "党员发言",
    "选举结果",
    "投票结果",
    "点评",
    "书记点评",
    "上级点评",
    "领导讲话",
    "整改清单",
    "活动总结",
    "学习心得",
    "会议精神",
    "传达内容",
)
SECTION_SET = set(SECTION_NAMES)

_SPACE = "[ \\t\u3000\u00a0]"
_LABEL = re.compile(
    f"^(?P<label>[\u4e00-\u9fff](?:{_SPACE}*[\u4e00-\u9fff]){{0,7}}){_SPACE}*[：:]{_SPACE}*(?P<value>.*)$"
)
_ALL_LABELS = sorted(set(FIELD_BY_ALIAS) | SECTION_SET, key=len, reverse=True)
# A second known label later on the same line: "主持人：方志诚　　记录人：韦一凡".
_INNER_LABEL = re.compile(
    "(?:^|(?<=[\\s\u3000，,；;]))(?P<label>"
    + "|".join(f"{_SPACE}*".join(re.escape(ch) for ch in a) for a in _ALL_LABELS)
    + f"){_SPACE}*[：:]"
)


def compact(label: str) -> str:
    """The label as compared: no spaces, simplified characters."""
    return to_simplified(re.sub(f"{_SPACE}+", "", label))


def label_line(line: str) -> tuple[str, str] | None:
    """``标签：值`` -> (compact label, value as written), or None when the line is not one."""
    m = _LABEL.match(line.strip())
    if not m:
        return None
    return compact(m.group("label")), m.group("value").strip(" \t\u3000")


def split_fields(line: str) -> list[tuple[str, str]]:
    """All ``标签：值`` pairs of a line; several when known labels follow each other on it."""
    first = label_line(line)
    if not first:
        return []
    simple = to_simplified(line)
    if len(simple) != len(line):
        return [first]
    starts = [m for m in _INNER_LABEL.finditer(simple) if m.start() > 0]
    if not starts:
        return [first]
    pairs = []
    bounds = [0] + [m.start() for m in starts] + [len(line)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        found = label_line(line[a:b].strip())
        if found:
            pairs.append(found)
    return pairs or [first]


def field_of(label: str) -> str | None:
    return FIELD_BY_ALIAS.get(label)
