"""The last check on every value read from running text, before it reaches the minutes.

A header line ("主持人：……") is what the secretary wrote for that field and is kept as written. A value
found in prose is a reading, and a reading is printed only when it is a value of its kind:

- a person (主持人, 记录人, 主讲人, 谈话人, 谈话对象, 列席人员, 出席人员, 缺席人员) is a plausible
  name: two to four Han characters, a known surname, never a surname with a title ("王书记"), never
  starting or ending with a function word or a unit word (由, 在, 对, 为, 向, 和, 与, 及, 等, 的, 了, 村,
  组; 和 may end a given name); a 谈话对象 "某某等8名同志" is checked on its name;
- a 主讲人 is read for a 党课 only (a guest speaker of a 主题党日 is not the lecturer of a 党课);
- a place is a place phrase (``phrases.is_place``): it ends as places end, holds no date, no clause
  word and no punctuation, and starts with no function word;
- a count is an exact number of this meeting's members (``counts``), 实到 never more than 应到.

A reading that fails is dropped, and the run names the field ("主持人：未能确定，请核对"): a blank
the secretary fills in is better than a wrong fact in an official record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.chinese import to_simplified
from pipeline.ingest.names import plausible_name
from pipeline.ingest.notes.phrases import is_place
from pipeline.ingest.notes.scan import reading
from pipeline.records.meeting import Meeting

PERSONS = {"chair": "主持人", "recorder": "记录人", "lecturer": "主讲人", "talker": "谈话人"}
LISTS = {"observers": "列席人员", "attendees": "出席人员"}


def person(name: str) -> bool:
    """A value of a person field read from prose (as written: traditional characters are checked in
    their simplified form)."""
    return plausible_name(to_simplified(name))


def partner(value: str) -> bool:
    """A 谈话对象 read from prose: a name, or a name followed by 等 and a number ("某某等8名同志")."""
    return person(re.split(r"等[0-9一二三四五六七八九十两]", value)[0])


def _unsure(m: Meeting, label: str) -> None:
    warning = f"{label}：未能确定，请核对"
    if warning not in m.warnings:
        m.warnings.append(warning)


def vet(m: Meeting, read: Iterable[str]) -> None:
    """Drop every value of ``read`` (the fields filled from prose) that is no value of its kind."""
    read = set(read)
    for attr, label in PERSONS.items():
        if attr in read and getattr(m, attr) and not person(getattr(m, attr)):
            setattr(m, attr, "")
            _unsure(m, label)
    if "lecturer" in read and m.lecturer and m.type.name != "党课":
        m.lecturer = ""
    if "talk_partner" in read and m.talk_partner and not partner(m.talk_partner):
        m.talk_partner = ""
        _unsure(m, "谈话对象")
    for attr, label in LISTS.items():
        if attr in read and not all(person(n) for n in getattr(m, attr)):
            setattr(m, attr, [])
            _unsure(m, label)
    if "absentees" in read and not all(person(a.name) for a in m.absentees):
        m.absentees = []
        _unsure(m, "缺席人员")
    if "place" in read and m.place and not is_place(reading(m.place)):
        m.place = ""
        _unsure(m, "地点")
    if (
        {"expected", "present"} & read
        and m.expected is not None
        and m.present is not None
        and m.present > m.expected
    ):
        m.expected = m.present = None
        _unsure(m, "应到人数、实到人数")
