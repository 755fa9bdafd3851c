"""What the index knows of an archived document: typed rows as the store returns them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# "沈轶娜与张伟谈话", "沈轶娜和张伟同志的谈心谈话": the two people a talk record's title names.
_TALK_TITLE = re.compile(r"^(?P<a>[^与和]{1,12})[与和](?P<b>[^与和]{1,12}?)(?:同志)?(?:的)?谈(?:心谈)?话")


def talk_pair(title: str) -> tuple[str, str]:
    """(谈话人, 谈话对象) as a talk record's title names them; ("", "") when it names neither."""
    found = _TALK_TITLE.match(title.replace(" ", ""))
    return (found.group("a"), found.group("b")) if found else ("", "")


@dataclass
class MeetingRow:
    """Active minutes in the archive (one row of ``outputs`` joined with its source)."""

    id: int
    type: str
    date: dt.date
    term: str
    title: str
    topic: str
    chair: str
    place: str
    expected: int | None
    present: int | None
    warnings: list[str]
    path: str  # relative to the workspace root (outbox/…)
    source_name: str
    body_text: str = ""
    partner: str = ""  # 谈心谈话: the other person (谈话对象)
    talker: str = ""  # 谈心谈话: 谈话人
    source_id: int = 0
    source_kind: str = ""
    archived_path: str = ""  # the archived original, relative to the workspace root
    also_types: tuple[str, ...] = ()  # further activities this meeting counts for (组织生活会暨民主评议党员)
    start_time: str = ""  # "14:30"; "" when the record states none
    recorder: str = ""  # 记录人
    lecturer: str = ""  # 党课: 主讲人
    party_group: str = ""  # 党小组会: the 党小组 (stated, or the host's group in the roster)
    absentees: tuple[str, ...] = ()  # 缺席人员, names only

    def counts_as(self, activity: str) -> bool:
        """Whether the meeting counts for ``activity``: its own type or one it was held as too."""
        return self.type == activity or activity in self.also_types

    @property
    def activities(self) -> tuple[str, ...]:
        return (self.type, *self.also_types)

    @property
    def text_for_matching(self) -> str:
        return " ".join((self.title, self.topic, self.source_name))


@dataclass(frozen=True)
class SourceRow:
    """An archived input (note, register, …), identified by its SHA-256."""

    id: int
    sha256: str
    original_name: str
    archived_path: str
    kind: str
    archived_sha256: str = ""  # of the archived copy (blanked registers differ from the input); "" before


@dataclass(frozen=True)
class DocumentRow:
    """An active Word document of a term, in archive order (for PDF and the volume)."""

    id: int
    path: str
    kind: str
    meeting_type: str
    date: str
    title: str
    term: str
