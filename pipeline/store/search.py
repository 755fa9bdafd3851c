"""Full-text search queries over the archived documents.

The search table is an SQLite FTS5 table with the ``trigram`` tokenizer (substring matching,
which suits Chinese: no word segmentation needed). It is a *derived copy* of ``outputs``:
instead of triggers or a hook in the filing code, it is rebuilt whenever a fingerprint of
``outputs`` (row count, highest id, active ids, text lengths) differs from the one stored at the
last build, so it stays correct whoever writes ``outputs``. An SQLite without FTS5 or trigram
support (< 3.34) still works: the search then reads the outputs with LIKE.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

FTS_TABLE = "search_fts"
STATE_KEY = "outputs_fingerprint"


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SearchQueries:
    db: sqlite3.Connection

    def trigram_available(self) -> bool:
        try:
            self.db.execute("CREATE VIRTUAL TABLE temp.zhibu_probe USING fts5(x, tokenize='trigram')")
            self.db.execute("DROP TABLE temp.zhibu_probe")
            return True
        except sqlite3.OperationalError:
            return False

    def _fingerprint(self) -> str:
        row = self.db.execute(
            "SELECT count(*), coalesce(max(id), 0), coalesce(sum(id * active), 0), total(length(body_text)),"
            " total(length(path)), total(length(title)) FROM outputs"
        ).fetchone()
        return "|".join(str(v) for v in row)

    def sync_search(self) -> bool:
        """Bring the FTS table up to date; False when this SQLite cannot do trigram search, or the
        index stayed locked by a long filing (the search then reads the outputs with LIKE)."""
        if not self.trigram_available():
            return False
        try:
            self._rebuild_search_if_changed()
            return True
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            return False

    def _rebuild_search_if_changed(self) -> None:
        with self.transaction():  # type: ignore[attr-defined]
            db = self.db
            exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone()
            stored = db.execute("SELECT value FROM search_state WHERE name = ?", (STATE_KEY,)).fetchone()
            fingerprint = self._fingerprint()
            if exists and stored and stored[0] == fingerprint:
                return
            if not exists:
                db.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, tokenize='trigram')")
            db.execute(f"DELETE FROM {FTS_TABLE}")
            db.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) "
                "SELECT id, coalesce(title, ''), body_text FROM outputs WHERE active = 1"
            )
            db.execute(
                "INSERT OR REPLACE INTO search_state (name, value, updated_at) VALUES (?, ?, ?)",
                (STATE_KEY, fingerprint, dt.datetime.now().isoformat(timespec="seconds")),
            )

    def search_outputs(
        self, words: list[str], *, use_fts: bool, activity: str | None, term: str | None, limit: int
    ) -> list[dict]:
        """Active outputs containing every word, newest first (``outputs`` columns)."""
        where = ["o.active = 1"]
        params: list = []
        if use_fts:
            match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            where.append(f"o.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)")
            params.append(match)
        else:
            for w in words:
                where.append("(coalesce(o.title, '') || ' ' || o.body_text) LIKE ? ESCAPE '\\'")
                params.append(_like(w))
        if activity:
            where.append("o.meeting_type = ?")
            params.append(activity)
        if term:
            where.append("o.term = ?")
            params.append(term)
        rows = self.db.execute(
            f"SELECT o.* FROM outputs o WHERE {' AND '.join(where)} ORDER BY o.date DESC, o.id DESC LIMIT ?",
            (*params, limit),
        )
        return [dict(r) for r in rows]
