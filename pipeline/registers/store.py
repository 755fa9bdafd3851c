"""Reading the register tables of the index (migration 2): the active roster and sign-ins."""

from __future__ import annotations

import datetime as dt
import sqlite3

from pipeline.records.registers import Member, SignIn, SignInSheet, committee_role, is_committee_post


def active_version(db: sqlite3.Connection) -> int | None:
    return db.execute("SELECT max(id) FROM roster_versions WHERE active = 1").fetchone()[0]


def active_roster(db: sqlite3.Connection) -> list[Member]:
    """The members of the active roster, in register order; [] when none was imported."""
    version = active_version(db)
    if version is None:
        return []
    rows = db.execute("SELECT * FROM members WHERE version_id = ? ORDER BY id", (version,)).fetchall()
    return [Member.from_row(r) for r in rows]


def signin_for(db: sqlite3.Connection, meeting_type: str, day: dt.date) -> SignInSheet | None:
    """The latest sign-in sheet stored for a meeting, or None."""
    rows = db.execute(
        "SELECT * FROM signins WHERE meeting_type = ? AND date = ? ORDER BY source_id DESC, id",
        (meeting_type, day.isoformat()),
    ).fetchall()
    if not rows:
        return None
    latest = rows[0]["source_id"]
    sheet = SignInSheet(meeting_type, day)
    for r in rows:
        if r["source_id"] == latest:
            sheet.entries.append(SignIn(meeting_type, day, r["name"], bool(r["present"]), r["note"] or ""))
    return sheet


def committee(members: list[Member], config_committee=()) -> list[tuple[str, str]]:
    """(name, role) of the branch committee: the roster's 党内职务, else zhibu.toml [[committee]]."""
    from_roster = [(m.name, committee_role(m.party_post)) for m in members if is_committee_post(m.party_post)]
    if from_roster:
        return from_roster
    return [(c["name"].strip(), (c.get("role") or "委员").strip()) for c in config_committee]
