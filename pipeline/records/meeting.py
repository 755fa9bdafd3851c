"""The typed meeting record every input becomes, and the checks on it (domain.md §1–2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.records.registers import SignInSheet
from pipeline.records.types import MeetingType


@dataclass(frozen=True)
class Absence:
    name: str
    reason: str = ""  # 病假, 事假, 出差, 公出 …


@dataclass(frozen=True)
class Section:
    """A body section of the minutes: 会议内容, 发言记录, 决议 …, one paragraph per line."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass
class Meeting:
    type: MeetingType
    date: dt.date
    topic: str = ""
    time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    chair: str = ""
    recorder: str = ""
    attendees: list[str] = field(default_factory=list)
    absentees: list[Absence] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)  # 列席人员
    agenda: list[str] = field(default_factory=list)  # 议题, numbered in the output
    sections: list[Section] = field(default_factory=list)
    expected: int | None = None  # 应到人数 as stated in the note or sheet
    present: int | None = None  # 实到人数 as stated
    # 谈心谈话
    talker: str = ""
    talk_partner: str = ""
    # The sign-in sheet that gives the attendance, when one came with the record or was stored.
    signin: SignInSheet | None = None
    # Where the record came from, for messages and "same meeting" detection.
    source_name: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """What the meeting is called in file names and lists: the topic, or the type."""
        if not self.topic and self.type.is_talk and self.talk_partner:
            return f"{self.talker or self.chair}与{self.talk_partner}谈话".lstrip("与")
        return self.topic or self.type.name

    def expected_count(self) -> int:
        if self.expected is not None:
            return self.expected
        return self.present_count() + len(self.absentees)

    def present_count(self) -> int:
        if self.present is not None:
            return self.present
        return len(self.attendees)
