"""职称 and their levels: 正高, 副高, 中级, 初级; 高级 counts 正高 and 副高 together. A roster gives
the title (副教授) or only its level (副高/高级); both are understood."""

from __future__ import annotations

import re

from pipeline.records.text_key import text_key

# --- 职称 levels: 正高, 副高, 中级, 初级 (高级 = 正高 + 副高) -----------------------------------------------------------------

TITLE_LEVELS = ("正高", "副高", "高级", "中级", "初级")  # 高级: senior, 正/副 not stated
SENIOR_LEVELS = ("正高", "副高", "高级")

_TITLES: dict[str, str] = {
    **dict.fromkeys(
        (
            "教授",
            "研究员",
            "正高级讲师",
            "正高级工程师",
            "正高级实验师",
            "正高级经济师",
            "正高级会计师",
            "教授级高级工程师",
            "教授级高工",
            "主任医师",
            "编审",
            "译审",
            "研究馆员",
            "正高级教师",
        ),
        "正高",
    ),
    **dict.fromkeys(
        (
            "副教授",
            "副研究员",
            "高级讲师",
            "高级工程师",
            "高级实验师",
            "高级经济师",
            "高级会计师",
            "高级政工师",
            "副主任医师",
            "副编审",
            "副研究馆员",
            "高级教师",
            "高工",
            "高级统计师",
            "高级审计师",
            "高级技师",
        ),
        "副高",
    ),
    **dict.fromkeys(
        (
            "讲师",
            "工程师",
            "实验师",
            "助理研究员",
            "经济师",
            "会计师",
            "政工师",
            "主治医师",
            "馆员",
            "编辑",
            "统计师",
            "审计师",
            "一级教师",
            "技师",
        ),
        "中级",
    ),
    **dict.fromkeys(
        (
            "助教",
            "助理工程师",
            "助理实验师",
            "助理经济师",
            "助理会计师",
            "技术员",
            "研究实习员",
            "助理馆员",
            "二级教师",
            "三级教师",
            "员级",
            "助理讲师",
        ),
        "初级",
    ),
    **{lv: lv for lv in TITLE_LEVELS},
    "正高级": "正高",
    "副高级": "副高",
    "中级职称": "中级",
    "初级职称": "初级",
    "高级职称": "高级",
}
_MIDDLE_SUFFIXES = (
    "讲师",
    "工程师",
    "实验师",
    "经济师",
    "会计师",
    "馆员",
    "医师",
    "政工师",
    "编辑",
    "统计师",
    "审计师",
)


def title_level(title: str, level_text: str = "") -> str:
    """正高 / 副高 / 高级 / 中级 / 初级, or "" when neither the level nor the title tells.

    The level column (副高, 高级…) wins over the title; the title is understood by name
    (副教授 → 副高, 讲师 → 中级) and by its shape (高级… → 副高, 助理… → 初级).
    """
    for text in (level_text, title):
        key = text_key(text).replace("（", "(")
        key = re.sub(r"\(.*?\)", "", key)
        if not key:
            continue
        if key in _TITLES:
            return _TITLES[key]
        if key.startswith(("正高", "教授级")):
            return "正高"
        if key.startswith("副高") or (
            key.startswith("副") and any(w in key for w in ("教授", "研究员", "主任", "编审", "馆员"))
        ):
            return "副高"
        if key.startswith("高级"):
            return "副高"
        if key.startswith(("助理", "初级")):
            return "初级"
        if key.startswith("中级"):
            return "中级"
        if key.endswith(("教授", "研究员")):
            return "正高"
        if key.endswith(_MIDDLE_SUFFIXES):
            return "中级"
    return ""
