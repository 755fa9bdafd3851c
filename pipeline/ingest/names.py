"""Name lists: 张三、李四，王五; 赵六 — and absences with reasons in brackets."""

from __future__ import annotations

import re
import unicodedata

from pipeline.records.meeting import Absence

_SEPARATORS = re.compile(r"[、，,；;\s/／|]+")
# A reason in brackets, full- or half-width: 张三（病假）, 李四(出差), 王五【公出】
_WITH_REASON = re.compile(r"([^（(【\[]+?)\s*[（(【\[]\s*([^）)】\]]*)\s*[）)】\]]")
_NONE_WORDS = {"无", "没有", "暂无", "全到", "全部到会", "无缺席", "/", "-", "—", "无人缺席"}
# "共12人", "（12人）" — counts typed after a list are not names.
_COUNT = re.compile(r"[（(]?\s*共?\s*\d+\s*人\s*[）)]?")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    return text.strip("。.")


# Words that describe the person named next ("入党积极分子、吴婷" is one person): they stay with the name.
ROLE_WORDS = (
    "入党积极分子",
    "积极分子",
    "发展对象",
    "预备党员",
    "正式党员",
    "入党申请人",
    "培养联系人",
    "入党介绍人",
    "群众",
    "党员",
)


def split_names(text: str) -> list[str]:
    """Split a list of names; drops counts, the word 无 and duplicates, keeps order.

    A role word standing alone (入党积极分子、吴婷; 发展对象 晏小琪) is joined to the name after it.
    """
    text = _COUNT.sub(" ", _clean(text))
    names: list[str] = []
    role = ""
    for part in _SEPARATORS.split(text):
        part = part.strip("：:。.、")
        if not part or part in _NONE_WORDS:
            continue
        if part in ROLE_WORDS:
            role += part
            continue
        part = role + part
        role = ""
        if part not in names:
            names.append(part)
    if role and role not in names:
        names.append(role)
    return names


def split_absences(text: str) -> list[Absence]:
    """'张三（病假）、李四(出差)、王五' -> absences; a name without a reason keeps an empty one."""
    text = _COUNT.sub(" ", _clean(text))
    if text in _NONE_WORDS:
        return []
    result: list[Absence] = []
    pos = 0
    for m in _WITH_REASON.finditer(text):
        # Names before this bracket that have no reason of their own.
        leading = split_names(text[pos : m.start()] + " " + m.group(1))
        for name in leading[:-1]:
            result.append(Absence(name))
        if leading:
            result.append(Absence(leading[-1], m.group(2).strip()))
        pos = m.end()
    result.extend(Absence(name) for name in split_names(text[pos:]))
    seen: set[str] = set()
    unique = []
    for a in result:
        if a.name not in seen:
            seen.add(a.name)
            unique.append(a)
    return unique
