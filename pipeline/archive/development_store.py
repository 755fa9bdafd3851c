"""The 发展党员 register in the index: one row a person and register version.

A newer register replaces a person's row (the old one stays, inactive, pointing to its
replacement), person by person; people the newer register does not list stay as they were.
The person's facts are stored as JSON of ``records.development.Person``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from pipeline.records.development import Person

# Appended to pipeline.archive.index.MIGRATIONS. No semicolons inside comments: the migration
# runner splits on them.
MIGRATION = """
CREATE TABLE development (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    name TEXT NOT NULL,
    stage TEXT NOT NULL,          -- 申请人, 积极分子, 发展对象, 预备党员, 正式党员, 延长预备期
    data TEXT NOT NULL,           -- the person as JSON (dates ISO)
    imported_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    replaced_by INTEGER REFERENCES development(id)
);
CREATE INDEX development_active ON development(active, name);
"""

ACTIVE_SQL = "SELECT * FROM development WHERE active = 1 ORDER BY id"


def _person(row) -> Person:
    return Person.from_json(json.loads(row["data"]))


def active_people(db: sqlite3.Connection) -> list[Person]:
    """Everyone in the register now, in the order they were first filed."""
    try:
        rows = db.execute(ACTIVE_SQL).fetchall()
    except sqlite3.OperationalError:  # an index from before the migration, opened read-only
        return []
    return [_person(r) for r in rows]


def history(db: sqlite3.Connection, name: str) -> list[Person]:
    """Every version of one person, oldest first."""
    rows = db.execute("SELECT * FROM development WHERE name = ? ORDER BY id", (name,)).fetchall()
    return [_person(r) for r in rows]


def replace_people(
    db: sqlite3.Connection, source_id: int, people: list[tuple[Person, str]], now: dt.datetime | None = None
) -> None:
    """File (person, stage) pairs: each replaces the active row of the same name."""
    stamp = (now or dt.datetime.now()).isoformat(timespec="seconds")
    for person, stage in people:
        old = db.execute(
            "SELECT id FROM development WHERE active = 1 AND name = ?", (person.name,)
        ).fetchall()
        new_id = db.execute(
            "INSERT INTO development (source_id, name, stage, data, imported_at) VALUES (?,?,?,?,?)",
            (source_id, person.name, stage, json.dumps(person.as_json(), ensure_ascii=False), stamp),
        ).lastrowid
        for r in old:
            db.execute("UPDATE development SET active = 0, replaced_by = ? WHERE id = ?", (new_id, r["id"]))
