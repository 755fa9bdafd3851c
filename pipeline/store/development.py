"""Queries on the 发展党员 register: one row a person and register version.

A newer register replaces a person's row (the old one stays, inactive, pointing to its
replacement), person by person; people the newer register does not list stay as they were.
The person's facts are stored as JSON of ``records.development.Person``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from pipeline.records.development import Person
from pipeline.store.tables import inserted_id


def _person(row: sqlite3.Row) -> Person:
    return Person.from_json(json.loads(row["data"]))


class DevelopmentQueries:
    db: sqlite3.Connection

    def development_people(self) -> list[Person]:
        """Everyone in the register now, in the order they were first filed."""
        try:
            rows = self.db.execute("SELECT * FROM development WHERE active = 1 ORDER BY id").fetchall()
        except sqlite3.OperationalError:  # an index from before the migration, opened read-only
            return []
        return [_person(r) for r in rows]

    def development_version(self) -> int:
        """Changes whenever the register is filed (for caches of the planning state)."""
        try:
            return int(self.db.execute("SELECT coalesce(max(id), 0) FROM development").fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    def development_files(self) -> dict[str, str]:
        """Each person of the register now and the name of the file their row came from."""
        try:
            rows = self.db.execute(
                "SELECT d.name, s.original_name FROM development d JOIN sources s ON s.id = d.source_id "
                "WHERE d.active = 1"
            ).fetchall()
        except sqlite3.OperationalError:
            return {}
        return {r["name"]: r["original_name"] for r in rows}

    def roster_file(self) -> str:
        """The name of the file the active roster came from; "" without a roster."""
        row = self.db.execute(
            "SELECT s.original_name FROM roster_versions v JOIN sources s ON s.id = v.source_id "
            "WHERE v.active = 1 ORDER BY v.id DESC LIMIT 1"
        ).fetchone()
        return row["original_name"] if row else ""

    def development_history(self, name: str) -> list[Person]:
        """Every version of one person, oldest first."""
        rows = self.db.execute("SELECT * FROM development WHERE name = ? ORDER BY id", (name,)).fetchall()
        return [_person(r) for r in rows]

    def replace_people(
        self, source_id: int, people: list[tuple[Person, str]], now: dt.datetime | None = None
    ) -> None:
        """File (person, stage) pairs: each replaces the active row of the same name."""
        stamp = (now or dt.datetime.now()).isoformat(timespec="seconds")
        for person, stage in people:
            old = self.db.execute(
                "SELECT id FROM development WHERE active = 1 AND name = ?", (person.name,)
            ).fetchall()
            new_id = inserted_id(
                self.db.execute(
                    "INSERT INTO development (source_id, name, stage, data, imported_at) VALUES (?,?,?,?,?)",
                    (source_id, person.name, stage, json.dumps(person.as_json(), ensure_ascii=False), stamp),
                )
            )
            for r in old:
                self.db.execute(
                    "UPDATE development SET active = 0, replaced_by = ? WHERE id = ?", (new_id, r["id"])
                )
