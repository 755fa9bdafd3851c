"""One activity, one record: two records of the same activity on the same day (pure).

Two minutes may be records of one activity when they are of the same type on the same day, of
the same 党小组 (a 党小组会) or the same pair (a 谈心谈话), and their start times do not tell them
apart: both stating different start times is what confirms two genuine activities. Such a pair
whose facts conflict (a place, the chair, the 记录人, the attendance … stated differently) is a
*clash* until the secretary resolves it: a correction replaces one of them (the same topic or
file name, or a file named “更正”), or the records are given their start times. Until then the
counts take the activity once and every list says that the two records disagree.

The facts compared are those the index keeps; one left blank by either record is no conflict.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.records.archived import MeetingRow

# The word in a file name that makes a record replace the day's records of its activity.
CORRECTION_WORD = "更正"
_SPACE = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class Clash:
    """Two records of one activity; ``facts``: what they disagree on, in Chinese."""

    first: MeetingRow
    second: MeetingRow
    facts: tuple[str, ...]

    def describe(self) -> str:
        """ "两份记录的地点（报告厅／图书馆报告厅）、记录人（夏渊／缪巧军）不一致"."""
        return "两份记录的" + "、".join(self.facts) + "不一致"


def _norm(text: str) -> str:
    return _SPACE.sub("", text or "")


def _who(m: MeetingRow) -> frozenset[str]:
    """The two people of a talk, whoever is named first."""
    return frozenset(n for n in (_norm(m.talker or m.chair), _norm(m.partner)) if n)


def same_activity(a: MeetingRow, b: MeetingRow) -> bool:
    """Whether ``a`` and ``b`` may be records of one activity (see the module's rule)."""
    if (a.id and a.id == b.id) or a.type != b.type or a.date != b.date:
        return False
    if a.start_time and b.start_time and a.start_time != b.start_time:
        return False  # two activities of the day, told apart by their times
    if a.type == "党小组会" and _norm(a.party_group) != _norm(b.party_group):
        return False
    if a.type == "谈心谈话" and _who(a) != _who(b):
        return False
    return True


def _differs(label: str, x: object, y: object, shown: Callable[[Any], str] = str) -> list[str]:
    if x in (None, "", ()) or y in (None, "", ()) or x == y:
        return []
    return [f"{label}（{shown(x)}／{shown(y)}）"]


def conflicting_facts(a: MeetingRow, b: MeetingRow) -> tuple[str, ...]:
    """The facts both records state and state differently."""
    names = "、".join
    out = (
        _differs("开始时间", a.start_time, b.start_time)
        + _differs("地点", _norm(a.place), _norm(b.place))
        + _differs("主持人", _norm(a.chair), _norm(b.chair))
        + _differs("主讲人", _norm(a.lecturer), _norm(b.lecturer))
        + _differs("记录人", _norm(a.recorder), _norm(b.recorder))
        + _differs("应到人数", a.expected, b.expected)
        + _differs("实到人数", a.present, b.present)
        + _differs("缺席人员", tuple(sorted(a.absentees)), tuple(sorted(b.absentees)), names)
    )
    return tuple(out)


def clash(a: MeetingRow, b: MeetingRow) -> Clash | None:
    """A clash when ``a`` and ``b`` may be one activity and state some fact differently."""
    if not same_activity(a, b):
        return None
    facts = conflicting_facts(a, b)
    return Clash(a, b, facts) if facts else None


def clashes(meetings: Iterable[MeetingRow]) -> list[Clash]:
    """Every pair of records of one activity among ``meetings`` (in date order)."""
    by_day: dict[tuple, list[MeetingRow]] = {}
    for m in meetings:
        by_day.setdefault((m.type, m.date), []).append(m)
    found = []
    for day in sorted(by_day, key=lambda k: (k[1], k[0])):
        for a, b in itertools.combinations(by_day[day], 2):
            c = clash(a, b)
            if c is not None:
                found.append(c)
    return found


def one_per_activity(meetings: Sequence[MeetingRow]) -> list[MeetingRow]:
    """``meetings`` with each record of an unresolved clash but the first filed left out: what
    the counts take."""
    dropped = {max(c.first.id, c.second.id) for c in clashes(meetings)}
    return [m for m in meetings if m.id not in dropped]


def clash_message(c: Clash, first_label: str, second_label: str) -> str:
    """What to tell the secretary about a clash; the labels name the two records (their files)."""
    return (
        f"{c.first.date.isoformat()} {c.first.type}有两份记录：{first_label}和{second_label}，"
        f"{c.describe()}。如果是同一次活动，请把正确的内容写成一份笔记，文件名中加“{CORRECTION_WORD}”"
        f"（如「{c.first.date.isoformat()} {c.first.type} {CORRECTION_WORD}.txt」）放入收件箱，"
        "它会替换这一天的这两份记录；如果是两次活动，请在两份记录中写明各自的开始时间。在此之前台账和合规检查只按一次计算。"
    )


def record_of(columns: dict, path: str, source_name: str) -> MeetingRow:
    """A planned document's index row (``outputs`` columns, not filed yet) as a MeetingRow."""

    def text(key: str) -> str:
        return str(columns.get(key) or "").strip()

    return MeetingRow(
        id=0,
        type=text("meeting_type"),
        date=dt.date.fromisoformat(text("date")),
        term=text("term"),
        title=text("title"),
        topic=text("topic"),
        chair=text("chair"),
        place=text("place"),
        expected=columns.get("expected"),
        present=columns.get("present"),
        warnings=[],
        path=path,
        source_name=source_name,
        partner=text("partner"),
        talker=text("talker"),
        start_time=text("start_time"),
        recorder=text("recorder"),
        lecturer=text("lecturer"),
        party_group=text("party_group"),
        absentees=tuple(n for n in text("absentees").split("、") if n),
    )


def is_correction(source_name: str) -> bool:
    """Whether a file is meant to replace the day's records of its activity (its name says 更正)."""
    return CORRECTION_WORD in (source_name or "")
