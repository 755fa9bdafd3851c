"""Full-text search over the archived documents: words in, hits with marked snippets out.

The queries (an FTS5 trigram table kept in step with the outputs, LIKE where trigram search is
not available or a word is shorter than 3 characters) live in ``pipeline.store.search``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from pipeline.store import Store

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


def split_query(query: str) -> list[str]:
    return [w for w in re.split(r"\s+", query.strip()) if w]


def search(
    store: Store, query: str, *, activity: str | None = None, term: str | None = None, limit: int = 50
) -> tuple[list[Hit], str]:
    """Documents containing every word of ``query``, newest first. Returns (hits, method)."""
    words = split_query(query)
    if not words:
        return [], "none"
    use_fts = all(len(w) >= 3 for w in words) and store.sync_search()
    rows = store.search_outputs(words, use_fts=use_fts, activity=activity, term=term, limit=limit)
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
