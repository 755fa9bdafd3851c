"""Queries on the register tables: achievements, the roster, the work plan, sign-in sheets."""

from __future__ import annotations

import datetime as dt
import sqlite3

from pipeline.records.registers import Member, SignIn, SignInSheet

ACHIEVEMENT_COLUMNS = (
    "name",
    "category",
    "level",
    "authors",
    "date",
    "term",
    "issuer",
    "evidence",
    "note",
    "sheet",
    "row",
)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class RegisterQueries:
    db: sqlite3.Connection

    # --- achievements --------------------------------------------------------------------------

    def achievements(self) -> list[dict]:
        """Every registered achievement, in registration order (``achievements`` columns)."""
        return [dict(r) for r in self.db.execute("SELECT * FROM achievements ORDER BY id")]

    def insert_achievements(self, source_id: int, rows: list[dict]) -> None:
        cols = ("source_id", *ACHIEVEMENT_COLUMNS)
        self.db.executemany(
            f"INSERT INTO achievements ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [(source_id, *(r[c] for c in ACHIEVEMENT_COLUMNS)) for r in rows],
        )

    def update_achievement(self, achievement_id: int, source_id: int, row: dict) -> None:
        """A later register corrects level, issuer, evidence or note of a known achievement."""
        self.db.execute(
            "UPDATE achievements SET level = ?, issuer = ?, evidence = ?, note = ?, source_id = ?, "
            "sheet = ?, row = ? WHERE id = ?",
            (
                row["level"],
                row["issuer"],
                row["evidence"],
                row["note"],
                source_id,
                row["sheet"],
                row["row"],
                achievement_id,
            ),
        )

    # --- the roster ----------------------------------------------------------------------------

    def roster_version(self) -> int | None:
        """The id of the active roster version; None when no roster was imported."""
        return self.db.execute("SELECT max(id) FROM roster_versions WHERE active = 1").fetchone()[0]

    def active_roster_rows(self) -> list[dict]:
        version = self.roster_version()
        if version is None:
            return []
        rows = self.db.execute("SELECT * FROM members WHERE version_id = ? ORDER BY id", (version,))
        return [dict(r) for r in rows]

    def active_roster(self) -> list[Member]:
        """The members of the active roster, in register order; [] when none was imported."""
        return [Member.from_row(r) for r in self.active_roster_rows()]

    def replace_roster(self, source_id: int, members: list[Member]) -> None:
        """A new roster version becomes the active one; older versions stay as history."""
        self.db.execute("UPDATE roster_versions SET active = 0 WHERE active = 1")
        version = self.db.execute(
            "INSERT INTO roster_versions (source_id, imported_at, active) VALUES (?, ?, 1)",
            (source_id, _now()),
        ).lastrowid
        fields = Member.COLUMNS
        self.db.executemany(
            f"INSERT INTO members (version_id, {', '.join(fields)}) VALUES (?{', ?' * len(fields)})",
            [(version, *(getattr(m, f) for f in fields)) for m in members],
        )

    # --- the work plan ---------------------------------------------------------------------------

    def plan_items(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM plan_items ORDER BY month, date, id")]

    def plan_texts(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM plan_texts ORDER BY id")]

    def count_plan_items(self, terms: list[str]) -> int:
        marks = ",".join("?" * len(terms))
        return self.db.execute(f"SELECT count(*) FROM plan_items WHERE term IN ({marks})", terms).fetchone()[
            0
        ]

    def store_plan(
        self, source_id: int, terms: list[str], items: list[tuple], texts: list[tuple], replace: bool
    ) -> None:
        """Plan items (term, month, date, content, category, activity, owner, note) and texts
        (term, section, body); with ``replace`` they replace what the terms had."""
        marks = ",".join("?" * len(terms))
        if replace and items:
            self.db.execute(f"DELETE FROM plan_items WHERE term IN ({marks})", terms)
        if replace and texts:
            self.db.execute(f"DELETE FROM plan_texts WHERE term IN ({marks})", terms)
        self.db.executemany(
            "INSERT INTO plan_items (source_id, term, month, date, content, category, activity, owner, "
            "note) VALUES (?,?,?,?,?,?,?,?,?)",
            [(source_id, *r) for r in items],
        )
        self.db.executemany(
            "INSERT INTO plan_texts (source_id, term, section, body) VALUES (?,?,?,?)",
            [(source_id, *r) for r in texts],
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

    def signin_version(self) -> int:
        """Changes whenever a sign-in sheet is stored (for caches of the planning state)."""
        return self.db.execute("SELECT coalesce(max(id), 0) + count(*) FROM signins").fetchone()[0]
