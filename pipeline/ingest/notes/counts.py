"""Attendance counts stated in running text or in a list's brackets.

"应到党员18名，实到15人", "应到党员 40 名", "应到会党员人数为21名", "支部29名党员，出席会议23人",
"共有14名党员参加了本次活动" (14 came: no 应到), "支部17名党员全部参会" (17 of 17), "支部共有党员12人，
其中正式党员11人……到会有表决权的正式党员10人". An approximate number (近60人, 约30人, 50余人,
20多名, 30人左右) is no count: the field stays blank.
"""

from __future__ import annotations

import re

from pipeline.chinese import cn_to_int

_NUM = r"(?<![近约余多])\s*(?P<n>[0-9一二三四五六七八九十两百]{1,4})\s*(?![余多])(?:名|人|位)(?!左右|以上)"
_WHO = r"(?:党员|委员|支委|支部委员|正式党员|人数|同志|成员)?"
_EXPECTED = (
    re.compile(f"应到(?:会)?{_WHO}(?:人数)?(?:为|是|有)?[：:]?{_NUM}"),
    re.compile(f"(?:支部|党支部|本支部)(?:现)?有?(?:党员)?{_NUM}(?:党员)?[，,、]"),
    re.compile(
        f"(?:支部|党支部|本支部)?共有(?:党员)?{_NUM}(?!党员)(?![^，。；]{{0,8}}(?:参加|出席|参会|到会))"
    ),
)
_PRESENT = (
    re.compile(f"(?:实到|实际到会|实际参会|实际出席|实到会)(?:会)?{_WHO}(?:人数)?(?:为|是|有)?[：:]?{_NUM}"),
    re.compile(f"(?:出席会议的有|参加会议的有|到会的有|出席会议|参加会议的|出席|到会)(?:党员)?{_NUM}"),
    re.compile(f"(?:共有|共|计)?{_NUM}(?:党员|委员|支部成员|同志)?(?:按时)?(?:参加|出席|参会|到会)(?!人员)"),
    re.compile(f"(?:党员|支部党员)共{_NUM}(?:参加|出席|参会|到会)"),
)
_ABSENT = re.compile(
    f"缺席{_NUM}|(?<![0-9一二三四五六七八九十两])(?P<n2>[一二三两四五六七八九0-9]{{1,2}})(?:名|人|位)(?:党员|同志)?(?:因[^，。；]{{1,4}})?(?:缺席|请假)"
)
_ALL = re.compile(
    f"(?P<all1>全体|全部)?(?:党员|支部委员|委员)?{_NUM}(?:党员|支部委员|委员|同志)?(?P<all2>全部|全体|均)?(?:参会|参加|出席|到会|到场)"
)


def _int(m: re.Match | None) -> int | None:
    return cn_to_int(m.group("n")) if m else None


def _first(patterns, text: str) -> int | None:
    for pattern in patterns:
        n = _int(pattern.search(text))
        if n:
            return n
    return None


def _voting_or_present(text: str, found: dict) -> int | None:
    """实到; "实到正式党员22人" is the voting members present, kept as such."""
    for pattern in _PRESENT:
        m = pattern.search(text)
        if m and _int(m):
            if "正式" in m.group(0):
                found["voting_present"] = _int(m)
                return None
            return _int(m)
    return None


def counts(text: str) -> dict:
    """expected, present, none_absent and the voting figures stated in ``text``."""
    found: dict = {}
    everyone = _ALL.search(text)
    if everyone and (everyone.group("all1") or everyone.group("all2")):
        found["present"] = found["expected"] = _int(everyone)
        found["none_absent"] = True
    expected, present = _first(_EXPECTED, text), _voting_or_present(text, found)
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
    if "voting_present" in found:
        found.setdefault("present", found["voting_present"])
    return {k: v for k, v in found.items() if v is not None}
