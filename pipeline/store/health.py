"""Read-only looks at an index file that may be damaged: for the start-up check and zhibu doctor.

These open the file directly (never migrating or creating it) and let ``sqlite3.Error`` through:
the caller tells a damaged index from a full disk.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IndexLook:
    intact: bool  # SQLite's own quick_check passed
    tables: frozenset[str]
    journal: tuple[str, ...]  # the raw payloads of the journal rows
    version: int = 0  # PRAGMA user_version: the migrations applied


def look_at_index(index_path: Path) -> IndexLook:
    con = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    try:
        check = con.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            return IndexLook(False, frozenset(), ())
        tables = frozenset(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        journal = (
            tuple(r[0] for r in con.execute("SELECT payload FROM journal")) if "journal" in tables else ()
        )
        version = con.execute("PRAGMA user_version").fetchone()[0]
        return IndexLook(True, tables, journal, version)
    finally:
        con.close()


def indexed_paths(index_path: Path) -> tuple[list[str], set[str]]:
    """(active documents, archived originals) as the index records them, relative to the root."""
    con = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    try:
        outputs = [r[0] for r in con.execute("SELECT path FROM outputs WHERE active = 1")]
        archived = {
            r[0] for r in con.execute("SELECT archived_path FROM sources WHERE archived_path IS NOT NULL")
        }
    finally:
        con.close()
    return outputs, archived
