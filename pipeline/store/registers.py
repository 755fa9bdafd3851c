"""Queries on the register tables that keep versions: the roster (a new roster replaces the
active one, the older stay as history) and sign-in sheets (the latest sheet of a meeting wins).
The other register tables are read and written through ``pipeline.store.tables``."""

from __future__ import annotations

import datetime as dt
import sqlite3

from pipeline.records.register_rows import Member, SignIn, SignInSheet
from pipeline.store.tables import inserted_id


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class RegisterQueries:
    db: sqlite3.Connection

    # --- the roster ----------------------------------------------------------------------------

    def roster_version(self) -> int | None:
        """The id of the active roster version; None when no roster was imported."""
        version = self.db.execute("SELECT max(id) FROM roster_versions WHERE active = 1").fetchone()[0]
        return None if version is None else int(version)

    def active_roster(self) -> list[Member]:
        """The members of the active roster, in register order; [] when none was imported."""
        version = self.roster_version()
        if version is None:
            return []
        rows = self.db.execute("SELECT * FROM members WHERE version_id = ? ORDER BY id", (version,))
        return [Member.from_row(r) for r in rows]

    def replace_roster(self, source_id: int, members: list[Member]) -> None:
        """A new roster version becomes the active one; older versions stay as history."""
        self.db.execute("UPDATE roster_versions SET active = 0 WHERE active = 1")
        version = inserted_id(
            self.db.execute(
                "INSERT INTO roster_versions (source_id, imported_at, active) VALUES (?, ?, 1)",
                (source_id, _now()),
            )
        )
        fields = Member.COLUMNS
        self.db.executemany(
            f"INSERT INTO members (version_id, {', '.join(fields)}) VALUES (?{', ?' * len(fields)})",
            [(version, *(getattr(m, f) for f in fields)) for m in members],
        )

    # --- sign-in sheets --------------------------------------------------------------------------

    def replace_signins(self, source_id: int, sheet: SignInSheet) -> None:
        """The sheet's entries replace any earlier sheet of the same meeting."""
        day = sheet.date.isoformat()
        self.db.execute("DELETE FROM signins WHERE meeting_type = ? AND date = ?", (sheet.meeting_type, day))
        self.db.executemany(
            "INSERT INTO signins (source_id, meeting_type, date, name, present, note) VALUES (?,?,?,?,?,?)",
            [(source_id, sheet.meeting_type, day, e.name, int(e.present), e.note) for e in sheet.entries],
        )

    def signin_sheets(self) -> dict[tuple[str, str], SignInSheet]:
        """The latest stored sign-in sheet of every meeting, keyed by (activity, ISO date)."""
        sheets: dict[tuple[str, str], SignInSheet] = {}
        latest: dict[tuple[str, str], int] = {}
        rows = self.db.execute("SELECT * FROM signins ORDER BY source_id DESC, id").fetchall()
        for r in rows:
            key = (r["meeting_type"], r["date"])
            if latest.setdefault(key, r["source_id"]) != r["source_id"]:
                continue
            day = dt.date.fromisoformat(r["date"])
            sheet = sheets.setdefault(key, SignInSheet(r["meeting_type"], day))
            sheet.entries.append(
                SignIn(r["meeting_type"], day, r["name"], bool(r["present"]), r["note"] or "")
            )
        return sheets

    def signin_for(self, meeting_type: str, day: dt.date) -> SignInSheet | None:
        """The latest sign-in sheet stored for a meeting, or None."""
        rows = self.db.execute(
            "SELECT * FROM signins WHERE meeting_type = ? AND date = ? ORDER BY source_id DESC, id",
            (meeting_type, day.isoformat()),
        ).fetchall()
        if not rows:
            return None
        latest = rows[0]["source_id"]
        sheet = SignInSheet(meeting_type, day)
        for r in rows:
            if r["source_id"] == latest:
                sheet.entries.append(
                    SignIn(meeting_type, day, r["name"], bool(r["present"]), r["note"] or "")
                )
        return sheet

    def signin_sources(self) -> dict[tuple[str, dt.date], int]:
        """(meeting type, date) -> the source its stored sign-in sheet came from (the latest)."""
        rows = self.db.execute(
            "SELECT meeting_type, date, max(source_id) AS source_id FROM signins GROUP BY meeting_type, date"
        ).fetchall()
        return {(r["meeting_type"], dt.date.fromisoformat(r["date"][:10])): r["source_id"] for r in rows}

    def roster_source(self) -> int | None:
        """The source the active roster came from; None without a roster."""
        row = self.db.execute(
            "SELECT source_id FROM roster_versions WHERE active = 1 ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return row["source_id"] if row else None

    def development_sources(self) -> list[int]:
        """The sources of the 发展党员登记表 rows in force, oldest first."""
        try:
            rows = self.db.execute(
                "SELECT DISTINCT source_id FROM development WHERE active = 1 ORDER BY source_id"
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r["source_id"] for r in rows]

    def signin_version(self) -> int:
        """Changes whenever a sign-in sheet is stored (for caches of the planning state)."""
        return int(self.db.execute("SELECT coalesce(max(id), 0) + count(*) FROM signins").fetchone()[0])
