"""The typed meeting record every input becomes, and the checks on it (《中国共产党支部工作条例（试行）》)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.records.register_rows import SignInSheet
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
    # Further activities the same meeting counts for: a 组织生活会 held as the 民主评议党员 too
    # (《中国共产党支部工作条例（试行）》第十八条) is filed once and counted for both.
    also_types: tuple[str, ...] = ()
    topic: str = ""
    time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    chair: str = ""
    recorder: str = ""
    attendees: list[str] = field(default_factory=list)
    # The attendees are all who came (a 参会人员 line, a sign-in sheet, a list the report counts), not
    # the people of note a report names: only then is their number 实到.
    attendees_complete: bool = True
    # 出席人员 written as a group ("支部全体党员"): shown as written when no names are listed, never counted.
    attendee_group: str = ""
    absentees: list[Absence] = field(default_factory=list)
    # The absentees are all who missed the meeting (a 缺席人员 line, a register's column), not the ones
    # a report happens to name in passing ("钱某因病请假"): only then do they add up to 应到.
    absentees_complete: bool = True
    observers: list[str] = field(default_factory=list)  # 列席人员
    agenda: list[str] = field(default_factory=list)  # 议题, numbered in the output
    sections: list[Section] = field(default_factory=list)
    expected: int | None = None  # 应到人数 as stated in the note or sheet
    present: int | None = None  # 实到人数 as stated
    # The note says nobody was absent (缺席人员：无, 全部参会): with a count or a list it fixes 应到.
    none_absent: bool = False
    # Voting figures of a 支部党员大会 ("正式党员11人……到会有表决权的正式党员10人"), for the quorum.
    voting_expected: int | None = None
    voting_present: int | None = None
    # 党课: the lecturer (主讲人/授课人) is not the chair; who listened, as written.
    lecturer: str = ""
    listeners: str = ""
    # Header lines of the note the pipeline has no field for (天气：晴), kept in order: (标签, 内容).
    extra: list[tuple[str, str]] = field(default_factory=list)
    # 党小组会: the 党小组 it belongs to (set when planning: stated, or the host's group in the roster).
    party_group: str = ""
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
        return self.topic or "暨".join((self.type.name, *self.also_types))

    def expected_count(self) -> int | None:
        """应到: as stated, or 实到 plus the absentees when the note lists all of them (or says nobody
        was absent).

        None when the note does not tell: a list of those present alone does not say who was missing,
        and absentees a report names in passing may not be all of them (the sum is not stated).
        """
        if self.expected is not None:
            return self.expected
        present = self.present_count()
        listed = self.absentees and self.absentees_complete
        if present is not None and (listed or self.none_absent):
            return present + len(self.absentees)
        return None

    def present_count(self) -> int | None:
        """实到: as stated, or the number of people listed as present when the list is all of them;
        None when unknown."""
        if self.present is not None:
            return self.present
        return len(self.attendees) if self.attendees and self.attendees_complete else None

    @property
    def voting_only(self) -> bool:
        """Only the voting (正式) members present are counted: the note gives both voting figures and
        实到 is theirs or not stated, so the other members' attendance is not stated (实到 then stays
        blank, and the chair's statement gives the voting figures as written)."""
        return (
            self.voting_expected is not None
            and self.voting_present is not None
            and self.present in (None, self.voting_present)
        )

    def counts_known(self) -> bool:
        return self.expected_count() is not None and self.present_count() is not None
