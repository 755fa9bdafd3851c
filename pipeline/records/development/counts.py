"""The 发展党员 counts of a period (the 成果汇编): who was made an 积极分子 or a 发展对象, and who
the 支部党员大会 accepted or confirmed, with how many of them the 上级党委 has approved.

A 支部大会 decision is not yet a new member: the 上级党委 approves it (《中国共产党发展党员工作
细则》), so both numbers are given. A 转正 discussed before the 预备期 ended is early (a
violation) and is not counted as done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.records.development.assess import assess
from pipeline.records.development.person import Person, Rules

COUNTED = ("activist", "candidate", "accepted", "approved", "regular_meeting", "regular_approved")


@dataclass(frozen=True)
class PeriodCounts:
    activists: int = 0  # 确定入党积极分子
    candidates: int = 0  # 确定发展对象
    accepted: int = 0  # 支部大会接收预备党员
    accepted_approved: int = 0  # of them, approved by the 上级党委 by the date the counts are made
    regular: int = 0  # 支部大会讨论转正 (at or after the end of the 预备期)
    regular_approved: int = 0  # of them, approved by the 上级党委
    regular_early: int = 0  # 转正 meetings before the 预备期 ended: not counted
    # The steps the register records for anyone (its columns in use): a count of a step it
    # never records is not stated (a register of 申请 and 谈话 dates says nothing of 积极分子).
    stated: frozenset[str] = field(default_factory=lambda: frozenset(COUNTED))

    def as_dict(self) -> dict[str, int]:
        return {
            "积极分子": self.activists,
            "发展对象": self.candidates,
            "接收预备党员": self.accepted,
            "接收已批准": self.accepted_approved,
            "转正": self.regular,
            "转正已批准": self.regular_approved,
            "提前转正未计入": self.regular_early,
        }

    def sentence(self) -> str:
        """确定入党积极分子1人、发展对象1人；接收预备党员：支部大会通过2人，其中上级党委已批准1人；…
        Only the parts the register states; "" when it states none."""
        made = [
            f"{label}{n}人"
            for key, label, n in (
                ("activist", "入党积极分子", self.activists),
                ("candidate", "发展对象", self.candidates),
            )
            if key in self.stated
        ]
        parts = ["确定" + "、".join(made)] if made else []
        if "accepted" in self.stated:
            parts.append("接收预备党员：" + self._decided(self.accepted, self.accepted_approved, "approved"))
        if "regular_meeting" in self.stated:
            text = "预备党员转正：" + self._decided(self.regular, self.regular_approved, "regular_approved")
            if self.regular_early:
                text += f"（另有{self.regular_early}人的转正大会早于预备期满，未计入）"
            parts.append(text)
        return "；".join(parts)

    def _decided(self, passed: int, approved: int, approval: str) -> str:
        """支部大会通过N人，其中上级党委已批准M人 (the approvals only when the register records them)."""
        text = f"支部大会通过{passed}人"
        if passed and approval in self.stated:
            text += f"，其中上级党委已批准{approved}人"
        elif passed:
            text += "（登记表未登记上级党委审批日期）"
        return text


def period_counts(
    people: list[Person], start: dt.date, end: dt.date, rules: Rules, as_of: dt.date
) -> PeriodCounts:
    """The counts of the steps dated within [start, end]; approvals dated up to ``as_of``."""

    def within(day: dt.date | None) -> bool:
        return day is not None and start <= day <= end

    def approved(day: dt.date | None) -> bool:
        return day is not None and day <= as_of

    stated = frozenset(key for key in COUNTED if any(p.get(key) for p in people))
    accepted = [p for p in people if within(p.get("accepted"))]
    regular = [p for p in people if within(p.get("regular_meeting"))]
    early = [p for p in regular if assess(p, rules).early_regular]
    on_time = [p for p in regular if p not in early]
    return PeriodCounts(
        activists=sum(within(p.get("activist")) for p in people),
        candidates=sum(within(p.get("candidate")) for p in people),
        accepted=len(accepted),
        accepted_approved=sum(approved(p.get("approved")) for p in accepted),
        regular=len(on_time),
        regular_approved=sum(approved(p.get("regular_approved")) for p in on_time),
        regular_early=len(early),
        stated=stated,
    )
