"""Full-text search over the archived documents (the text of every active output).

The index is an SQLite FTS5 table with the ``trigram`` tokenizer (substring matching, which
suits Chinese: no word segmentation needed). It is a *derived copy* of ``outputs``: instead of
triggers or a hook in the filing code, it is rebuilt whenever a fingerprint of ``outputs``
(row count, highest id, active ids, text lengths) differs from the one stored at the last build.
This is the robust option: it stays correct whoever writes ``outputs`` (filing, corrections,
a future import) and needs nothing from an SQLite without FTS5 or trigram (SQLite < 3.34):
there, and for search words shorter than 3 characters (a trigram needs 3), the search falls
back to LIKE over the same rows.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass

from pipeline.archive.index import Index, now

FTS_TABLE = "search_fts"
STATE_KEY = "outputs_fingerprint"
SNIPPET_CHARS = 30
MARK_OPEN, MARK_CLOSE = "【", "】"


@dataclass
class Hit:
    id: int
    date: str
    type: str
    title: str
    path: str
    term: str
    snippet: str

    def as_dict(self) -> dict:
        return asdict(self)


def trigram_available(db: sqlite3.Connection) -> bool:
    try:
        db.execute("CREATE VIRTUAL TABLE temp.zhibu_probe USING fts5(x, tokenize='trigram')")
        db.execute("DROP TABLE temp.zhibu_probe")
        return True
    except sqlite3.OperationalError:
        return False


def _fingerprint(db: sqlite3.Connection) -> str:
    row = db.execute(
        "SELECT count(*), coalesce(max(id), 0), coalesce(sum(id * active), 0), total(length(body_text)),"
        " total(length(path)), total(length(title)) FROM outputs"
    ).fetchone()
    return "|".join(str(v) for v in row)


def sync(index: Index) -> bool:
    """Bring the FTS table up to date; False when this SQLite cannot do trigram search, or the
    index stayed locked by a long filing (the search then reads the outputs with LIKE)."""
    db = index.db
    if not trigram_available(db):
        return False
    try:
        return _rebuild_if_changed(index)
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        return False


def _rebuild_if_changed(index: Index) -> bool:
    db = index.db
    with index.transaction():
        exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone()
        stored = db.execute("SELECT value FROM search_state WHERE name = ?", (STATE_KEY,)).fetchone()
        fingerprint = _fingerprint(db)
        if exists and stored and stored[0] == fingerprint:
            return True
        if not exists:
            db.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, tokenize='trigram')")
        db.execute(f"DELETE FROM {FTS_TABLE}")
        db.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) "
            "SELECT id, coalesce(title, ''), body_text FROM outputs WHERE active = 1"
        )
        db.execute(
            "INSERT OR REPLACE INTO search_state (name, value, updated_at) VALUES (?, ?, ?)",
            (STATE_KEY, fingerprint, now()),
        )
    return True


def split_query(query: str) -> list[str]:
    return [w for w in re.split(r"\s+", query.strip()) if w]


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search(
    index: Index, query: str, *, activity: str | None = None, term: str | None = None, limit: int = 50
) -> tuple[list[Hit], str]:
    """Documents containing every word of ``query``, newest first. Returns (hits, method)."""
    words = split_query(query)
    if not words:
        return [], "none"
    use_fts = all(len(w) >= 3 for w in words) and sync(index)
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
    rows = index.db.execute(
        f"SELECT o.* FROM outputs o WHERE {' AND '.join(where)} ORDER BY o.date DESC, o.id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    hits = [
        Hit(
            r["id"],
            r["date"] or "",
            r["meeting_type"] or r["kind"],
            r["title"] or "",
            r["path"],
            r["term"] or "",
            snippet(f"{r['title'] or ''}\n{r['body_text']}", words),
        )
        for r in rows
    ]
    return hits, "fts5-trigram" if use_fts else "like"


def snippet(text: str, words: list[str], width: int = SNIPPET_CHARS) -> str:
    """The text around the first match, every word marked 【like this】."""
    flat = re.sub(r"\s+", " ", text)
    lower = flat.lower()
    positions = [(lower.find(w.lower()), w) for w in words if lower.find(w.lower()) >= 0]
    if not positions:
        return flat[: 2 * width]
    pos, word = min(positions)
    start = max(0, pos - width)
    end = min(len(flat), pos + len(word) + width)
    piece = flat[start:end]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    piece = pattern.sub(lambda m: f"{MARK_OPEN}{m.group(0)}{MARK_CLOSE}", piece)
    return ("…" if start > 0 else "") + piece + ("…" if end < len(flat) else "")
