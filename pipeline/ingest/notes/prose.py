"""Facts stated in running text ("会议由支部书记郑雨航主持，应到党员18名，实到15人，钱晓岚因病请假").

Every function takes simplified text (see ``pipeline.chinese.to_simplified``) and returns what
it finds, or nothing: a phrase that does not match stays unread rather than guessed.
"""

from __future__ import annotations

import re

from pipeline.chinese import cn_to_int
from pipeline.records.meeting import Absence

_HAN = "\u4e00-\u9fff"
NAME = f"[{_HAN}]{{2,3}}"
# Titles and roles written before a name: 支部书记, 组织委员, 组长, 青年教师党员 …
ROLE = f"(?:[{_HAN}A-Za-z]{{0,8}}?(?:书记|委员|组长|主任|院长|校长|部长|党员|教师|老师|辅导员|代表))?"
_START = r"(?:^|(?<=[，。；;、\s由]))"
_NUM = "[0-9一二三四五六七八九十两]{1,3}"
_NOT_NAMES = {
    "会议",
    "活动",
    "本次",
    "支部",
    "党课",
    "大家",
    "全体",
    "集体",
    "同志",
    "党员",
    "委员",
    "大会",
    "小组",
    "学习",
}


def _name(value: str | None) -> str:
    value = (value or "").removesuffix("同志")
    return "" if not value or value in _NOT_NAMES else value


def chair(text: str) -> str:
    m = re.search(f"{_START}{ROLE}({NAME})(?:同志)?主持", text) or re.search(
        f"主持人(?:为|是)?[：:]?({NAME})(?:同志)?(?=[，。；;、\\s]|$)", text
    )
    return _name(m.group(1)) if m else ""


def recorder(text: str) -> str:
    m = re.search(
        f"{_START}{ROLE}({NAME})(?:同志)?(?:担任|负责|作)?记录(?=[，。；;、\\s]|$)", text
    ) or re.search(f"记录人(?:为|是|由)?[：:]?({NAME})(?:同志)?(?=[，。；;、\\s]|$)", text)
    return _name(m.group(1)) if m else ""


def lecturer(text: str) -> str:
    m = re.search(
        f'{_START}{ROLE}({NAME})(?:同志)?(?:以[“「"][^”」"]{{1,40}}[”」"]为(?:主)?题)?'
        f"(?:讲授|主讲|宣讲|讲了|作了?|上了?)[^，。]{{0,12}}?党课",
        text,
    )
    return _name(m.group(1)) if m else ""


_PLACE_WORD = re.compile(r"[室厅馆楼场园堂门基站所屋]|中心|线上|会议|\d")
# "在学院统一部署下", "在2024年第一季度": not places.
_NOT_PLACE = re.compile(r"年|月|之际|期间|前夕|部署|领导|带领|指导|基础|背景|号召|要求|推动")


def place(text: str) -> str:
    m = re.search(r"地点(?:为|是|在)[：:]?([^，。；;\s]{2,24})", text)
    if m and _PLACE_WORD.search(m.group(1)):
        return m.group(1)
    for m in re.finditer(
        r"(?:在|于|赴|到)([^，。；;、\s在于]{2,24}?)(?:召开|举行|开展|进行|组织|集中|举办|参加|开会|上党课|讲授)",
        text,
    ):
        found = m.group(1)
        if (
            _PLACE_WORD.search(found)
            and not _NOT_PLACE.search(found)
            and not found.startswith(("外", "会后"))
        ):
            return found
    return ""


def _int(text: str) -> int | None:
    return cn_to_int(text)


def counts(text: str) -> dict:
    """expected, present, none_absent and the voting figures stated in ``text``."""
    found: dict = {}
    m = re.search(f"应到(?:会)?(?:党员|委员|人数)?[：:]?({_NUM})(?:名|人|位)", text)
    if m:
        found["expected"] = _int(m.group(1))
    m = re.search(
        f"(?:实到|实际到会|实际参会|实际出席|出席会议的有|参加会议的有|到会)(?:会)?(?:党员|委员|人数)?[：:]?({_NUM})(?:名|人|位)",
        text,
    )
    if m:
        found["present"] = _int(m.group(1))
    m = re.search(
        f"(全体|全部)?(?:党员|支部委员|委员)?({_NUM})(?:名|人|位)(?:党员|支部委员|委员|同志)?(全部|全体|均)?(?:参会|参加|出席|到会|到场)",
        text,
    )
    if m and "present" not in found:
        n = _int(m.group(2))
        found["present"] = n
        if m.group(1) or m.group(3):
            found.setdefault("expected", n)
            found["none_absent"] = True
    m = re.search(f"共有(?:党员)?({_NUM})(?:名|人)", text)
    if m:
        found.setdefault("expected", _int(m.group(1)))
    m = re.search(f"正式党员({_NUM})(?:名|人)", text)
    if m:
        found["voting_expected"] = _int(m.group(1))
    m = re.search(f"到会(?:的)?有表决权的(?:正式)?党员({_NUM})(?:名|人)", text)
    if m:
        found["voting_present"] = _int(m.group(1))
        found.setdefault("present", found["voting_present"])
    return {k: v for k, v in found.items() if v is not None}


# Reasons for an absence as people write them, in order: the first that matches wins.
_REASONS: tuple[tuple[str, str], ...] = (
    (r"因病(?:请假|缺席|未参加|未到会)?|请病假|病假|生病", "病假"),
    (r"因公出差|因出差(?:请假)?|出差", "出差"),
    (r"因事(?:请假)?|请事假|事假", "事假"),
    (r"因公外出|公出", "公出"),
    (r"休假", "休假"),
    (r"产假", "产假"),
    (r"(在外[^，。；、]{1,4}?)(?:缺席|请假|未参加|未到会)", ""),
    (r"(外出[^，。；、]{1,4}?)(?:缺席|请假|未参加|未到会)", ""),
    (r"因([^，。；、]{1,6}?)(?:请假|缺席|未参加|未到会)", ""),
)


def absentees(text: str) -> list[Absence]:
    """Absences stated clause by clause: 钱晓岚因病请假，孔令博因公出差，柏春燕事假."""
    found: list[Absence] = []
    m = re.search(f"缺席{_NUM}人[（(]({NAME})[，,、]([^）)、]{{1,8}})[）)]", text)
    if m:
        found.append(Absence(m.group(1), m.group(2)))
    m = re.search(f"缺席{_NUM}人[（(]([^）)]+)[）)]", text)
    if m:
        # 缺席3人（尹若溪出差、聂文博病假）: each item a name and its reason.
        for item in re.split(r"[、，,；;]", m.group(1)):
            found.extend(absentees(item.strip()) if not item.strip().startswith("缺席") else [])
    for clause in re.split(r"[，。；;\n]", text):
        clause = clause.strip()
        for pattern, reason in _REASONS:
            m = re.match(f"{ROLE}({NAME})(?:同志)?(?:{pattern})", clause)
            if m and _name(m.group(1)):
                why = reason or m.group(m.lastindex)
                found.append(Absence(_name(m.group(1)), why))
                break
    unique: dict[str, Absence] = {}
    for a in found:
        unique.setdefault(a.name, a)
    return list(unique.values())


def talk_pair(text: str) -> tuple[str, str]:
    m = re.search(
        f"{_START}{ROLE}({NAME})(?:同志)?与{ROLE}({NAME})(?:同志)?(?:在[^，。]{{0,24}})?(?:进行|开展)了?(?:一次)?(?:谈心谈话|谈心|谈话)",
        text,
    )
    return (_name(m.group(1)), _name(m.group(2))) if m else ("", "")


_QUOTE = r"[“「\"]([^”」\"]{2,40})[”」\"]"


def quoted_theme(text: str) -> str:
    for pattern in (
        f"以{_QUOTE}为(?:主)?题",
        f"主题(?:为|是)[：:]?{_QUOTE}",
        f"{_QUOTE}(?:主题党日|专题党课|主题教育|专题学习|主题活动|专题组织生活会)",
    ):
        m = re.search(pattern, text)
        if m:
            return m.group(1)
    return ""


_VERB = re.compile(r"(?:召开|举行|开展|组织开展|举办|讲授)")


def headline_topic(title: str, type_names: tuple[str, ...]) -> str:
    """The topic in a news headline: the words after the branch and its verb (召开/举行/开展 …)."""
    m = _VERB.search(title)
    if not m or re.search(r"[，。；]", title):
        return ""
    rest = title[m.end() :].strip(" ，。")
    for name in sorted(type_names, key=len, reverse=True):
        if rest == name or rest == name + "活动":
            return ""
        if rest.startswith(name) and len(rest) - len(name) >= 4:
            rest = rest[len(name) :]
            break
    return rest.strip(" ，。")
