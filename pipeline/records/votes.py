"""Votes and 发展党员 decisions in the text of minutes, and the checks an inspector makes of them.

Pure: text in, findings out. A 支部党员大会 that accepts a 预备党员 or confirms a 转正 must record
the vote of the voting (正式) members present (《中国共产党发展党员工作细则》: 赞成、反对、弃权,
each person voted on separately); a resolution passes only when more than half of the voting
members who should attend vote for it (《中国共产党支部工作条例（试行）》第十一条), and nobody
votes who is not there. Every finding starts with ``MARK`` so that the warnings filed with the
minutes can be told apart from the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.chinese import cn_to_int
from pipeline.records.meeting import Meeting

MARK = "表决："
ACCEPT, CONFIRM = "接收预备党员", "预备党员转正"
GENERAL, COMMITTEE = "支部党员大会", "支委会"
DETAILED_RULES = "《中国共产党发展党员工作细则》"
ARTICLE_11 = "《中国共产党支部工作条例（试行）》第十一条"

_N = r"([0-9]+|[零〇一二两三四五六七八九十百]+)"
# 赞成 counts in 票, 人 or 张; 同意 only in 票 ("同意2人为发展对象" is not a vote).
_YES = re.compile(
    rf"赞成票?(?:数|为)?\s*{_N}\s*[票人张]|同意票?(?:数|为)?\s*{_N}\s*票|{_N}\s*[票人张]\s*赞成|{_N}\s*票\s*同意"
)
_NO = re.compile(rf"反对票?(?:数|为)?\s*{_N}\s*[票人张]|{_N}\s*[票人张]\s*反对|(?:无|没有)(?:人)?反对")
_ABSTAIN = re.compile(rf"弃权票?(?:数|为)?\s*{_N}\s*[票人张]|{_N}\s*[票人张]\s*弃权|(?:无|没有)(?:人)?弃权")
_UNANIMOUS = re.compile(r"全票(?:通过|赞成|同意)")
# 接收唐亮、许诺为中共预备党员 / 接收简雨澄同志为预备党员
_ACCEPT = re.compile(
    r"接收(?P<names>[^，。；;,:：（()）]{2,40}?)(?:同志)?(?:为|成为)(?:中共|中国共产党)?预备党员"
)
# 何望舒同志按期转正 / 同意叶知秋转为中共正式党员 / 讨论预备党员转正
_CONFIRM = re.compile(
    r"(?P<names>[^，。；;,:：（()）]{0,40}?)(?:同志)?(?:的)?(?:按期|如期|延期|提前)?"
    r"(?:转正(?!申请)|转为(?:中共|中国共产党)?正式党员)"
)
_LEAD = re.compile(r"^(?:\d+[.、．]\s*|[（(]?[一二三四五六七八九十]+[)）、]\s*)")
_VERBS = ("讨论通过", "讨论", "同意", "关于", "通过", "批准", "审议", "研究", "表决", "决定", "接收")
# A decision the meeting takes (not a rule it studies): "讨论接收预备党员", "表决预备党员转正".
_DECIDING = ("讨论", "表决", "审议", "同意", "通过", "研究")
_GENERIC_ACCEPT = re.compile(r"(?:讨论|表决|审议|研究)(?:接收|吸收)(?:新党员|预备党员)")
_NOT_NAMES = ("党员", "同志", "积极分子", "发展对象", "对象", "申请", "人员", "大家", "会议")


@dataclass(frozen=True)
class Vote:
    clause: str  # what was voted on, as the minutes say it (shortened)
    yes: int | None  # None: 全票 without a count
    no: int | None = None
    abstain: int | None = None
    unanimous: bool = False

    @property
    def complete(self) -> bool:
        return self.yes is not None and self.no is not None and self.abstain is not None

    @property
    def total(self) -> int | None:
        if self.yes is None:
            return None
        return self.yes + (self.no or 0) + (self.abstain or 0)

    def tally(self) -> str:
        parts = [f"赞成{self.yes}票"]
        parts += [
            f"{label}{n}票" for label, n in (("反对", self.no), ("弃权", self.abstain)) if n is not None
        ]
        return "、".join(parts)


@dataclass(frozen=True)
class Decision:
    kind: str  # ACCEPT or CONFIRM
    names: tuple[str, ...]  # the people decided on, as far as the text names them
    clause: str

    def describe(self) -> str:
        who = "、".join(self.names)
        if self.kind == ACCEPT:
            return f"接收{who}为预备党员" if who else "接收预备党员"
        return f"{who}转正" if who else "预备党员转正"


def _count(match: re.Match | None) -> int | None:
    if match is None:
        return None
    digits = next((g for g in match.groups() if g), None)
    return 0 if digits is None else cn_to_int(digits)


def _clause(text: str) -> str:
    text = _LEAD.sub("", text.strip())
    text = re.split(
        r"[（(]\s*(?:赞成|同意|全票)|[，,；;]\s*(?:赞成|同意)\s*[0-9零一二两三四五六七八九十]", text
    )[0]
    text = text.rstrip("，,。；;：:（( ")
    return text if len(text) <= 30 else text[:29] + "…"


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def lines_of(text: str) -> list[str]:
    """The lines of a text (全角 digits as digits; the punctuation kept as written), blank lines dropped."""
    return [line.strip() for line in text.translate(_FULL_WIDTH_DIGITS).splitlines() if line.strip()]


def votes_in(text: str) -> list[Vote]:
    """Every vote the text records: 赞成N票 (with 反对/弃权 after it, until the next vote) or 全票."""
    out: list[Vote] = []
    for line in lines_of(text):
        starts = [m.start() for m in _YES.finditer(line)]
        for i, start in enumerate(starts):
            part = line[start : starts[i + 1] if i + 1 < len(starts) else len(line)]
            head = line[:start] if i == 0 else line[starts[i - 1] : start]
            out.append(
                Vote(
                    _clause(head) or _clause(line),
                    _count(_YES.search(part)),
                    _count(_NO.search(part)),
                    _count(_ABSTAIN.search(part)),
                )
            )
        if not starts and _UNANIMOUS.search(line):
            out.append(Vote(_clause(line), None, 0, 0, unanimous=True))
    return out


def _names(chunk: str) -> tuple[str, ...]:
    chunk = chunk.strip()
    for verb in sorted(_VERBS, key=len, reverse=True):
        if verb in chunk:
            chunk = chunk.rsplit(verb, 1)[-1]
    out = []
    for part in re.split(r"[、和及与,，\s]+", chunk):
        part = part.removesuffix("同志").strip()
        if 2 <= len(part) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in part):
            if not any(word in part for word in _NOT_NAMES):
                out.append(part)
    return tuple(dict.fromkeys(out))


def decisions_in(text: str) -> list[Decision]:
    """The acceptances and 转正 the text discusses, with the people it names (merged per kind)."""
    found: dict[str, tuple[list[str], str]] = {}
    for line in lines_of(text):
        for kind, pattern in ((ACCEPT, _ACCEPT), (CONFIRM, _CONFIRM)):
            for m in pattern.finditer(line):
                people = _names(m.group("names"))
                if not people and not any(word in m.group(0) for word in _DECIDING):
                    continue  # 学习转正的程序: a rule studied, not a decision
                names, _ = found.setdefault(kind, ([], _clause(line)))
                names += [n for n in people if n not in names]
        if ACCEPT not in found and _GENERIC_ACCEPT.search(line.replace(" ", "")):
            found[ACCEPT] = ([], _clause(line))
    return [Decision(kind, tuple(names), clause) for kind, (names, clause) in found.items()]


def vote_problems(
    meeting_type: str, text: str, voting_expected: int | None, voting_present: int | None
) -> list[str]:
    """What an inspector would question in the votes of one meeting's minutes (each with MARK)."""
    if meeting_type not in (GENERAL, COMMITTEE):
        return []
    votes = votes_in(text)
    out: list[str] = []
    if meeting_type == GENERAL:
        out += _decision_votes(decisions_in(text), votes)
    who = "到会有表决权的正式党员" if meeting_type == GENERAL else "到会的支部委员"
    for v in votes:
        total = v.total
        if voting_present is not None and total is not None and total > voting_present:
            out.append(f"{MARK}“{v.clause}”{v.tally()}，共{total}票，多于{who}{voting_present}人")
        elif voting_present is not None and v.complete and total is not None and total < voting_present:
            out.append(f"{MARK}“{v.clause}”{v.tally()}，共{total}票，与{who}{voting_present}人不符，请核对")
        if meeting_type == GENERAL and voting_expected and v.yes is not None and v.yes * 2 <= voting_expected:
            out.append(
                f"{MARK}“{v.clause}”赞成{v.yes}票，未超过应到会有表决权的正式党员{voting_expected}人的半数，"
                f"按{ARTICLE_11}不能通过"
            )
    return out


def _decision_votes(decisions: list[Decision], votes: list[Vote]) -> list[str]:
    if not decisions:
        return []
    what = "；".join(dec.describe() for dec in decisions)
    if not votes:
        return [
            f"{MARK}会议讨论{what}，记录中没有表决票数（赞成、反对、弃权），"
            f"接收预备党员和预备党员转正须经支部党员大会表决（{DETAILED_RULES}）"
        ]
    people = [n for dec in decisions for n in dec.names]
    if len(people) > 1 and len(votes) < len(people):
        return [
            f"{MARK}{what}，{len(people)}人只记录了{len(votes)}次表决；讨论两人以上入党或转正时应逐个表决，"
            f"分别记录票数（{DETAILED_RULES}）"
        ]
    return []


def voting_figures(meeting: Meeting) -> tuple[int | None, int | None]:
    """(应到, 实到) of the voting members of a ``records.meeting.Meeting``: the 正式党员 figures
    the note states, else the attendance as completed from the roster (正式党员 only)."""
    expected = meeting.voting_expected if meeting.voting_expected is not None else meeting.expected_count()
    present = meeting.voting_present if meeting.voting_present is not None else meeting.present_count()
    return expected, present
