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

from pipeline.archive import development_store

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
    # 2: register kinds (issue 3). Sensitive roster columns (身份证号, 联系电话) are never stored.
    """
    CREATE TABLE achievements (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        name TEXT NOT NULL,          -- 成果名称
        category TEXT NOT NULL,      -- normalized 类别: 论文, 课题/项目, 教材/著作, 获奖/荣誉 …
        level TEXT NOT NULL DEFAULT '',   -- normalized 级别: 国家级, 省部级, 校级 …
        authors TEXT NOT NULL DEFAULT '', -- 完成人及排名, as typed
        date TEXT,                   -- ISO date (first of month when only a month is known)
        term TEXT,                   -- term id of the date
        issuer TEXT NOT NULL DEFAULT '',  -- 刊物或颁发单位
        evidence TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        sheet TEXT, row INTEGER
    );
    CREATE INDEX achievements_term ON achievements(term, category);
    CREATE TABLE roster_versions (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        imported_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE members (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES roster_versions(id),
        name TEXT NOT NULL, gender TEXT, birth TEXT, ethnicity TEXT, native_place TEXT,
        education TEXT, degree TEXT, title TEXT, title_level TEXT, position TEXT, department TEXT,
        joined TEXT, confirmed TEXT,
        member_type TEXT NOT NULL DEFAULT '正式',   -- 正式 / 预备
        party_group TEXT, party_post TEXT, honours TEXT
    );
    CREATE TABLE plan_items (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        term TEXT,
        month TEXT,                  -- YYYY-MM
        date TEXT,                   -- ISO date when a day was given
        content TEXT NOT NULL,       -- 工作内容
        category TEXT NOT NULL DEFAULT '',
        activity TEXT,               -- canonical meeting type the item schedules, if any
        owner TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE plan_texts (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        term TEXT NOT NULL,
        section TEXT NOT NULL,       -- 指导思想, 工作目标, 主要任务, 保障措施
        body TEXT NOT NULL
    );
    CREATE TABLE signins (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        meeting_type TEXT NOT NULL,
        date TEXT NOT NULL,
        name TEXT NOT NULL,
        present INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX signins_meeting ON signins(meeting_type, date);
    """,
    # 3: search (issue 5). The FTS5 table (trigram) is a derived copy of outputs, created and
    # rebuilt by pipeline.term.search when this fingerprint of outputs changes; an SQLite
    # without trigram support still opens the index (search then falls back to LIKE).
    """
    CREATE TABLE search_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
]
MIGRATIONS.append(development_store.MIGRATION)  # 4: 发展党员登记表


ACTIVE_ROSTER_SQL = "SELECT * FROM members WHERE version_id = (SELECT max(id) FROM roster_versions WHERE active = 1) ORDER BY id"


def read_only_query(path: Path, sql: str, args: tuple = ()) -> list[sqlite3.Row] | None:
    """Rows of one query, for commands that must write nothing (zhibu check, forms, profile).

    None when there is no index yet or it cannot be read; never creates or migrates the file.
    """
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    db.row_factory = sqlite3.Row
    try:
        return db.execute(sql, args).fetchall()
    except sqlite3.Error:
        return None
    finally:
        db.close()


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

    def term_documents(self, term_id: str) -> list[sqlite3.Row]:
        """The term's current Word documents in archive order (by date, then filing order)."""
        return self.db.execute(
            "SELECT * FROM outputs WHERE active = 1 AND term = ? AND path LIKE '%.docx' ORDER BY date, id",
            (term_id,),
        ).fetchall()

    def journal_entries(self) -> list[tuple[int, dict]]:
        rows = self.db.execute("SELECT id, payload FROM journal ORDER BY id").fetchall()
        return [(r["id"], json.loads(r["payload"])) for r in rows]

    def delete_journal(self, entry_id: int) -> None:
        self.db.execute("DELETE FROM journal WHERE id = ?", (entry_id,))
