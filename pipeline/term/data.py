"""A consistent read of everything the term outputs need, from the index.

One read transaction gives one snapshot, so a ``zhibu run`` filing meanwhile cannot make the
ledger and the compilation disagree. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.chinese import cn_to_int
from pipeline.records.archived import MeetingRow
from pipeline.records.development import Person
from pipeline.store import Store

# Committee posts as a roster's 党内职务 column writes them.
COMMITTEE_POSTS = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "委员", "支委")
_TALK_TITLE = re.compile(r"^(?P<a>[^与和]{1,12})[与和](?P<b>[^与和]{1,12}?)(?:同志)?(?:的)?谈(?:心谈)?话")


@dataclass
class Snapshot:
    root: Path
    meetings: list[MeetingRow] = field(default_factory=list)  # all active minutes
    achievements: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)  # the active roster
    plan_items: list[dict] = field(default_factory=list)
    plan_texts: list[dict] = field(default_factory=list)
    development: list[Person] = field(default_factory=list)  # 发展党员登记表, current state

    def meetings_between(self, start: dt.date, end: dt.date, activity: str | None = None) -> list[MeetingRow]:
        return [
            m for m in self.meetings if start <= m.date <= end and (activity is None or m.counts_as(activity))
        ]

    @property
    def groups(self) -> list[str]:
        """The roster's 党小组, in their natural order (第一党小组, 第二党小组 …)."""
        seen: list[str] = []
        for m in self.members:
            g = (m.get("party_group") or "").strip()
            if g and g not in seen:
                seen.append(g)
        return sorted(seen, key=_group_order)

    def member_names(self) -> list[str]:
        return [m["name"].strip() for m in self.members if (m.get("name") or "").strip()]


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
        snap.achievements = store.achievements()
        snap.members = store.active_roster_rows()
        snap.plan_items = store.plan_items()
        snap.plan_texts = store.plan_texts()
        snap.development = store.development_people()
    for m in snap.meetings:
        if m.type == "谈心谈话":
            talker, m.partner = talk_people(ws.root, m)
            m.chair = m.chair or talker
    return snap


def talk_people(root: Path, m: MeetingRow) -> tuple[str, str]:
    """(谈话人, 谈话对象) of a talk record: from the archived document, else from its title.

    The index keeps neither (outputs.chair is the 主持人, empty for a talk), so they are read
    back from the document's 谈话人/谈话对象 lines that the talk template prints.
    """
    fields: dict[str, str] = {}
    path = root / m.path
    if path.suffix.lower() == ".docx" and path.is_file():
        try:
            from docx import Document

            for p in Document(str(path)).paragraphs[:30]:
                text = p.text.replace("\u3000", "").replace(" ", "").replace(":", "：")
                label, sep, value = text.partition("：")
                if sep and label in ("谈话人", "谈话对象") and label not in fields:
                    fields[label] = value.strip()
        except Exception:  # noqa: BLE001 - a damaged document only loses the names
            pass
    found = _TALK_TITLE.match(m.title.replace(" ", ""))
    talker = fields.get("谈话人") or m.chair or (found.group("a") if found else "")
    partner = fields.get("谈话对象") or (found.group("b") if found else "")
    return talker, partner


def committee_names(config_committee, members: list[dict]) -> dict[str, str]:
    """Name -> role of the branch committee: zhibu.toml [[committee]], then the roster's 党内职务."""
    out: dict[str, str] = {}
    for c in config_committee:
        out[c.name.strip()] = (c.role or "委员").strip()
    for m in members:
        post = (m.get("party_post") or "").replace("党支部", "").replace("支部", "").strip()
        if post in COMMITTEE_POSTS and m.get("name") and m["name"].strip() not in out:
            out[m["name"].strip()] = post
    return out


def holders(committee: dict[str, str], role: str) -> set[str]:
    role = role.replace("党支部", "").replace("支部", "").strip()
    return {
        name for name, r in committee.items() if r.replace("党支部", "").replace("支部", "").strip() == role
    }
