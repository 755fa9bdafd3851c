"""The SQLite index: the single source of truth for what has been archived.

Each source file (by SHA-256) and each output document is a row; the ledger, the term batch,
status and search all read from here. The journal table makes a commit crash-safe (see
``pipeline.archive.commit``). Schema changes are numbered migrations applied at open.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MIGRATIONS: list[str] = [
    # 1: sources, outputs, failures, journal
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        original_name TEXT NOT NULL,
        archived_path TEXT,
        kind TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE TABLE outputs (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        path TEXT NOT NULL,
        kind TEXT NOT NULL,
        meeting_type TEXT,
        date TEXT,
        term TEXT,
        title TEXT,
        topic TEXT,
        chair TEXT,
        place TEXT,
        expected INTEGER,
        present INTEGER,
        warnings TEXT NOT NULL DEFAULT '[]',
        body_text TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        replaced_by INTEGER REFERENCES outputs(id)
    );
    CREATE UNIQUE INDEX outputs_active_path ON outputs(path) WHERE active = 1;
    CREATE INDEX outputs_term ON outputs(term, kind, active);
    CREATE INDEX outputs_meeting ON outputs(meeting_type, date, active);
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        sha256 TEXT,
        original_name TEXT NOT NULL,
        failed_path TEXT NOT NULL,
        reason TEXT NOT NULL,
        failed_at TEXT NOT NULL
    );
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
]


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class Index:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # isolation_level=None: we open transactions explicitly with BEGIN IMMEDIATE.
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- queries ---------------------------------------------------------------------------

    def source_by_sha(self, sha: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM sources WHERE sha256 = ?", (sha,)).fetchone()

    def active_outputs(self, **where: object) -> list[sqlite3.Row]:
        clauses = ["active = 1"] + [f"{k} = ?" for k in where]
        sql = f"SELECT * FROM outputs WHERE {' AND '.join(clauses)} ORDER BY date, id"
        return self.db.execute(sql, tuple(where.values())).fetchall()

    def same_meeting(self, meeting_type: str, date: str, topic: str, source_name: str) -> list[sqlite3.Row]:
        """Active minutes of the same meeting: same type and date, and same topic or file name."""
        return self.db.execute(
            """
            SELECT o.*, s.original_name FROM outputs o JOIN sources s ON s.id = o.source_id
            WHERE o.active = 1 AND o.kind = 'minutes' AND o.meeting_type = ? AND o.date = ?
              AND (o.topic = ? OR s.original_name = ?)
            """,
            (meeting_type, date, topic, source_name),
        ).fetchall()

    def journal_entries(self) -> list[tuple[int, dict]]:
        rows = self.db.execute("SELECT id, payload FROM journal ORDER BY id").fetchall()
        return [(r["id"], json.loads(r["payload"])) for r in rows]

    def delete_journal(self, entry_id: int) -> None:
        self.db.execute("DELETE FROM journal WHERE id = ?", (entry_id,))
