"""A consistent read of everything the term outputs need, from the index.

One read transaction gives one snapshot, so a ``zhibu run`` filing meanwhile cannot make the
ledger and the compilation disagree: the minutes, and the data every register kind contributes
(``RegisterKind.data``, typed records). Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pipeline.chinese import cn_to_int
from pipeline.kinds import KINDS
from pipeline.kinds.base import TermData
from pipeline.kinds.roster import DATA as MEMBERS
from pipeline.records.archived import MeetingRow
from pipeline.records.register_rows import Member
from pipeline.store import Store

R = TypeVar("R")

# Committee posts as a roster's 党内职务 column writes them.
COMMITTEE_POSTS = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员", "支委")


@dataclass
class Snapshot:
    root: Path
    meetings: list[MeetingRow] = field(default_factory=list)  # all active minutes
    data: dict[str, list] = field(default_factory=dict)  # each register kind's term data, by name

    def of(self, data: TermData[R]) -> list[R]:
        """A register kind's records (``TermData`` of its module), as the index held them."""
        return self.data.get(data.name, [])

    @property
    def members(self) -> list[Member]:
        """The active roster."""
        return self.of(MEMBERS)

    def meetings_between(self, start: dt.date, end: dt.date, activity: str | None = None) -> list[MeetingRow]:
        return [
            m for m in self.meetings if start <= m.date <= end and (activity is None or m.counts_as(activity))
        ]

    @property
    def groups(self) -> list[str]:
        """The roster's 党小组, in their natural order (第一党小组, 第二党小组 …)."""
        seen: list[str] = []
        for m in self.members:
            g = m.party_group.strip()
            if g and g not in seen:
                seen.append(g)
        return sorted(seen, key=_group_order)

    def member_names(self) -> list[str]:
        return [m.name.strip() for m in self.members if m.name.strip()]


_GROUP_NUMBER = re.compile(r"第?([一二三四五六七八九十]|\d{1,2})(?:党)?小?组")


def _group_order(name: str) -> tuple:
    m = _GROUP_NUMBER.search(name)
    if m:
        n = m.group(1)
        return (0, int(n) if n.isdigit() else cn_to_int(n) or 0, name)
    return (1, 0, name)


def load_snapshot(ws) -> Snapshot:
    """Everything from the workspace's index (creating an empty index when there is none)."""
    snap = Snapshot(ws.root)
    with Store(ws.index_path) as store, store.snapshot():
        snap.meetings = store.minutes()
        for kind in KINDS:
            for data in kind.data:
                snap.data[data.name] = data.load(store)
    for m in snap.meetings:
        if m.type == "谈心谈话":
            m.chair = m.chair or m.talker  # the index keeps the 主持人, empty for a talk
    return snap


def committee_names(config_committee, members: list[Member]) -> dict[str, str]:
    """Name -> role of the branch committee: zhibu.toml [[committee]], then the roster's 党内职务."""
    out: dict[str, str] = {}
    for c in config_committee:
        out[c.name.strip()] = (c.role or "委员").strip()
    for m in members:
        post = (m.party_post or "").replace("党支部", "").replace("支部", "").strip()
        if post in COMMITTEE_POSTS and m.name.strip() and m.name.strip() not in out:
            out[m.name.strip()] = post
    return out


def holders(committee: dict[str, str], role: str) -> set[str]:
    role = role.replace("党支部", "").replace("支部", "").strip()
    return {
        name for name, r in committee.items() if r.replace("党支部", "").replace("支部", "").strip() == role
    }
