"""Validation of a meeting record: counts that must agree and quorum (《中国共产党支部工作条例（试行）》).

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
        elif meeting.absentees and absent != len(meeting.absentees) and not meeting.voting_only:
            warnings.append(
                f"应到{meeting.expected}人、实到{meeting.present}人，但缺席名单有{len(meeting.absentees)}人，请核对"
            )
    rule = rules.get(meeting.type.name)
    if rule:
        warnings.extend(_quorum(meeting, rule))
    for name in set(meeting.attendees) & {a.name for a in meeting.absentees}:
        warnings.append(f"「{name}」同时出现在参会人员和缺席人员中")
    unknown = [
        label
        for label, n in (("应到人数", meeting.expected_count()), ("实到人数", meeting.present_count()))
        if n is None and not meeting.type.is_talk
    ]
    if unknown:
        warnings.append(
            f"{'、'.join(unknown)}不详（笔记、签到表和名册都没有给出），会议记录中留空，请手工填写"
        )
    if meeting.type.is_talk:
        written = {s.title for s in meeting.sections}
        lacking = [t for t in TALK_SECTIONS if t not in written]
        if lacking:
            warnings.append(f"笔记中没有写{'、'.join(lacking)}，谈话记录中这一节留空，请手工填写")
    return warnings


# The sections a 谈心谈话 record always shows (left blank when the note has none).
TALK_SECTIONS = ("谈话内容", "谈话效果")


def _quorum(meeting: Meeting, rule: QuorumRule) -> list[str]:
    """A 支部党员大会 counts the voting (正式) members when the note gives those figures."""
    expected: int | None
    present: int | None
    if meeting.voting_expected is not None and meeting.voting_present is not None:
        expected, present, who = meeting.voting_expected, meeting.voting_present, "有表决权的正式党员"
    else:
        expected, present, who = meeting.expected_count(), meeting.present_count(), ""
    if expected is None or present is None or not expected or rule.satisfied(present, expected):
        return []
    return [
        f"{meeting.type.name}应到{who}{expected}人、实到{present}人，未达到{rule.describe()}的法定人数"
        f"（{rule.source}），会议决定可能无效"
    ]


def missing_fields(meeting: Meeting) -> list[str]:
    """What the note did not state (counts aside: those are checked after the roster is applied)."""
    wanted: list[tuple[str, object]]
    if meeting.type.is_talk:
        wanted = [("地点", meeting.place), ("谈话人", meeting.talker or meeting.chair)]
    else:
        wanted = [
            ("开始时间", meeting.time),
            ("地点", meeting.place),
            ("主讲人" if meeting.type.name == "党课" else "主持人", meeting.lecturer or meeting.chair),
            ("记录人", meeting.recorder),
        ]
    return [label for label, value in wanted if not value]
