"""Attendance counts stated in running text or in a list's brackets.

"应到党员18名，实到15人", "应到党员 40 名", "应到会党员人数为21名", "应参会党员23名，实参会党员21名",
"支部29名党员，出席会议23人", "12名支部党员参加会议", "参会党员15人",
"共有14名党员参加了本次活动" (14 came: no 应到), "支部17名党员全部参会" (17 of 17), "支部共有党员12人，
其中正式党员11人……到会有表决权的正式党员10人". An approximate number (近60人, 约30人, 50余人,
20多名, 30人左右) is no count: the field stays blank.
"""

from __future__ import annotations

import re

from pipeline.chinese import cn_to_int

_NUM = r"(?<![近约余多])\s*(?P<n>[0-9一二三四五六七八九十两百]{1,4})\s*(?![余多])(?:名|人|位)(?!左右|以上)"
_WHO = r"(?:党员|委员|支委|支部委员|正式党员|人数|同志|成员)?"
# 应到 and its synonyms: 应参会, 应参加, 应出席 ("应参会党员23名"); "应到会有成员22人".
_SHOULD = r"应(?:到|参会|参加|出席)(?:会)?(?:有)?"
_EXPECTED = (
    re.compile(f"{_SHOULD}{_WHO}(?:人数)?(?:为|是|有)?[：:]?{_NUM}"),
    re.compile(f"(?:支部|党支部|本支部)(?:现)?有?(?:党员)?{_NUM}(?:党员)?[，,、]"),
    re.compile(
        f"(?:支部|党支部|本支部)?共有(?:党员)?{_NUM}(?!党员)(?![^，。；]{{0,8}}(?:参加|出席|参会|到会))"
    ),
)
# "有44名党员参加捐款" counts who gave, not who came.
_NOT_THE_MEETING = r"(?!了?(?:捐|献|志愿|培训|考试|比赛|竞赛|义诊|劳动|服务))"
_PRESENT = (
    re.compile(
        f"(?:实到|实际到会|实际参会|实际出席|实参会|实出席)(?:会)?{_WHO}(?:人数)?(?:为|是|有)?[：:]?{_NUM}"
    ),
    re.compile(f"(?:出席会议的有|参加会议的有|到会的有|出席会议|参加会议的|出席|到会)(?:党员)?{_NUM}"),
    re.compile(
        f"(?:共有|共|计)?{_NUM}(?:支部党员|党员|委员|支部成员|同志)?(?:按时)?(?:参加|出席|参会|到会)(?!人员)"
        + _NOT_THE_MEETING
    ),
    re.compile(f"(?:党员|支部党员)共{_NUM}(?:参加|出席|参会|到会)"),
    re.compile(f"(?:参会|与会)(?:党员|人员|人数)(?:共计|共|为|有)?[：:]?{_NUM}"),
)
_ABSENT = re.compile(
    f"缺席{_NUM}|(?<![0-9一二三四五六七八九十两])(?P<n2>[一二三两四五六七八九0-9]{{1,2}})(?:名|人|位)(?:党员|同志)?(?:因[^，。；]{{1,4}})?(?:缺席|请假)"
)
_ALL = re.compile(
    f"(?P<all1>全体|全部)?(?:党员|支部委员|委员)?{_NUM}(?:党员|支部委员|委员|同志)?(?P<all2>全部|全体|均)?(?:参会|参加|出席|到会|到场)"
)


# The size of the branch is 应到 only where the report counts who came: "支部29名党员，出席会议23人",
# "支部共有党员12人……到会有表决权的正式党员10人"; never "本支部58名党员，有56名党员参加捐款".
_ATTENDANCE = re.compile(r"出席|到会|参会|实到|缺席|请假|参加(?:了)?(?:本次|此次)?(?:会议|大会|活动)")


def _counted_attendance(text: str, m: re.Match) -> bool:
    window = re.split(r"(?<=[。；])", text[m.start() :], maxsplit=2)
    return bool(_ATTENDANCE.search("".join(window[:2])))


def _int(m: re.Match | None) -> int | None:
    return cn_to_int(m.group("n")) if m else None


# People who are not members of the branch counted with them: "支部党员同志、积极分子共37人参加会议".
_NOT_MEMBERS = re.compile(r"积极分子|发展对象|入党申请人|群众|非党|师生|家属|教职工|职工代表")


def _of_members_only(text: str, m: re.Match) -> bool:
    clause_start = max((c.end() for c in re.finditer(r"[，。；,;]", text[: m.start()])), default=0)
    return not _NOT_MEMBERS.search(text[clause_start : m.end()])


def _expected(text: str) -> int | None:
    """应到: stated as such, or the size of the branch where the report counts who came."""
    stated = _int(_EXPECTED[0].search(text))
    if stated:
        return stated
    for pattern in _EXPECTED[1:]:
        m = pattern.search(text)
        if m and _int(m) and _counted_attendance(text, m):
            return _int(m)
    return None


def _voting_or_present(text: str, found: dict) -> int | None:
    """实到; "实到正式党员22人" is the voting members present, kept as such."""
    for pattern in _PRESENT:
        m = pattern.search(text)
        if m and _int(m) and _of_members_only(text, m):
            if "正式" in m.group(0):
                found["voting_present"] = _int(m)
                return None
            return _int(m)
    return None


def counts(text: str) -> dict:
    """expected, present, none_absent and the voting figures stated in ``text``."""
    found: dict = {}
    everyone = _ALL.search(text)
    if everyone and (everyone.group("all1") or everyone.group("all2")) and _of_members_only(text, everyone):
        found["present"] = found["expected"] = _int(everyone)
        found["none_absent"] = True
    expected, present = _expected(text), _voting_or_present(text, found)
    if expected:
        found["expected"] = expected
    if present and "present" not in found:
        found["present"] = present
        absent = _ABSENT.search(text)
        if absent and not expected:
            # "共十三人参加，一人因病缺席": 应到 is the two added.
            found["expected"] = present + (cn_to_int(absent.group("n") or absent.group("n2")) or 0)
    m = re.search(f"正式党员{_NUM}", text)
    if m:
        found["voting_expected"] = _int(m)
    m = re.search(f"到会(?:的)?有表决权的(?:正式)?党员{_NUM}", text)
    if m:
        found["voting_present"] = _int(m)
    if "voting_present" in found and found.get("expected") in (None, found.get("voting_expected")):
        # Only the voting members were counted ("应到39名正式党员，实到34名"): those are the counts.
        # "应到党员36人，应到正式党员32人，实到正式党员22人" states no 实到 for all 36.
        found.setdefault("present", found["voting_present"])
    return {k: v for k, v in found.items() if v is not None}
