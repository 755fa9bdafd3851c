"""Validation of a meeting record: counts that must agree and quorum (domain.md §1).

Pure functions returning Chinese warnings; a warning never stops a meeting from being filed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.records.meeting import Meeting


@dataclass(frozen=True)
class QuorumRule:
    """``strict``: more than the fraction must attend; otherwise at least the fraction."""

    fraction: float
    strict: bool
    source: str

    def satisfied(self, present: int, expected: int) -> bool:
        if expected <= 0:
            return True
        needed = self.fraction * expected
        return present > needed if self.strict else present >= needed

    def describe(self) -> str:
        share = "半数" if self.fraction == 0.5 else f"{self.fraction:.0%}"
        return f"{'超过' if self.strict else '不少于'}{share}"


DEFAULT_QUORUM: dict[str, QuorumRule] = {
    "支部党员大会": QuorumRule(0.5, True, "《中国共产党支部工作条例（试行）》第十一条"),
    "支委会": QuorumRule(0.5, False, "《中国共产党支部工作条例（试行）》第十二条"),
}


def check_meeting(meeting: Meeting, quorum: dict[str, QuorumRule] | None = None) -> list[str]:
    """Warnings about a meeting: counts that disagree with the lists, a missed quorum."""
    rules = DEFAULT_QUORUM if quorum is None else quorum
    warnings: list[str] = []
    listed_present = len(meeting.attendees)
    if meeting.present is not None and listed_present and meeting.present != listed_present:
        warnings.append(f"实到人数写的是{meeting.present}人，但参会人员名单有{listed_present}人，请核对")
    if meeting.expected is not None and meeting.present is not None:
        absent = meeting.expected - meeting.present
        if absent < 0:
            warnings.append(f"实到人数（{meeting.present}）多于应到人数（{meeting.expected}），请核对")
        elif meeting.absentees and absent != len(meeting.absentees):
            warnings.append(
                f"应到{meeting.expected}人、实到{meeting.present}人，但缺席名单有{len(meeting.absentees)}人，请核对"
            )
    rule = rules.get(meeting.type.name)
    if rule:
        expected, present = meeting.expected_count(), meeting.present_count()
        if expected and not rule.satisfied(present, expected):
            warnings.append(
                f"{meeting.type.name}应到{expected}人、实到{present}人，未达到{rule.describe()}的法定人数"
                f"（{rule.source}），会议决定可能无效"
            )
    for name in set(meeting.attendees) & {a.name for a in meeting.absentees}:
        warnings.append(f"「{name}」同时出现在参会人员和缺席人员中")
    return warnings
