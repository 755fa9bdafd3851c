"""Queries on archived inputs, output documents, failures and the filing journal."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable

from pipeline.records.archived import DocumentRow, MeetingRow, SourceRow
from pipeline.store.tables import inserted_id

_MINUTES = (
    "SELECT o.*, s.original_name, s.archived_path AS source_archived, s.kind AS source_kind "
    "FROM outputs o JOIN sources s ON s.id = o.source_id"
)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _meeting_row(r: sqlite3.Row) -> MeetingRow | None:
    try:
        day = dt.date.fromisoformat((r["date"] or "")[:10])
    except ValueError:
        return None
    try:
        warnings = [str(w) for w in json.loads(r["warnings"] or "[]")]
    except ValueError:
        warnings = []
    return MeetingRow(
        id=r["id"],
        type=r["meeting_type"] or "",
        date=day,
        term=r["term"] or "",
        title=r["title"] or "",
        topic=r["topic"] or "",
        chair=(r["chair"] or "").strip(),
        place=r["place"] or "",
        expected=r["expected"],
        present=r["present"],
        warnings=warnings,
        path=r["path"],
        source_name=r["original_name"] or "",
        body_text=r["body_text"] or "",
        source_id=r["source_id"],
        source_kind=r["source_kind"] or "",
        archived_path=r["source_archived"] or "",
        talker=_optional(r, "talker"),
        partner=_optional(r, "partner"),
        start_time=_optional(r, "start_time"),
        recorder=_optional(r, "recorder"),
        lecturer=_optional(r, "lecturer"),
        party_group=_optional(r, "party_group"),
        absentees=tuple(n for n in _optional(r, "absentees").split("、") if n),
        also_types=tuple(t for t in (r["also_types"] or "").split(",") if t)
        if "also_types" in r.keys()
        else (),
    )


def _optional(r: sqlite3.Row, column: str) -> str:
    """A column added by a later migration ("" in an index opened read-only before it)."""
    return (r[column] or "").strip() if column in r.keys() else ""


def _meeting_rows(rows: Iterable[sqlite3.Row]) -> list[MeetingRow]:
    return [m for m in map(_meeting_row, rows) if m is not None and m.type]


def _source(r: sqlite3.Row | None) -> SourceRow | None:
    if r is None:
        return None
    return SourceRow(
        r["id"],
        r["sha256"],
        r["original_name"],
        r["archived_path"] or "",
        r["kind"],
        _optional(r, "archived_sha256"),
    )


class DocumentQueries:
    db: sqlite3.Connection

    # --- sources -----------------------------------------------------------------------------

    def source_by_sha(self, sha: str) -> SourceRow | None:
        return _source(self.db.execute("SELECT * FROM sources WHERE sha256 = ?", (sha,)).fetchone())

    def source(self, source_id: int) -> SourceRow | None:
        return _source(self.db.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone())

    def insert_source(
        self, sha: str, original_name: str, archived_path: str, kind: str, archived_sha: str | None = None
    ) -> int:
        """An archived input; ``archived_sha``: the SHA-256 of its archived copy (when it differs:
        a register with its personal columns blanked)."""
        cur = self.db.execute(
            "INSERT INTO sources (sha256, original_name, archived_path, kind, received_at, archived_sha256)"
            " VALUES (?,?,?,?,?,?)",
            (sha, original_name, archived_path, kind, _now(), archived_sha or sha),
        )
        return inserted_id(cur)

    def forget_source(self, source_id: int) -> None:
        """Every index row of an input whose archived copy is gone from the disk (it is filed
        again): the rows of every table that names the source, then the source itself."""
        tables = [r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            if "source_id" not in columns:
                continue
            if "replaced_by" in columns:
                self.db.execute(
                    f"UPDATE {table} SET replaced_by = NULL WHERE replaced_by IN "
                    f"(SELECT id FROM {table} WHERE source_id = ?)",
                    (source_id,),
                )
            self.db.execute(f"DELETE FROM {table} WHERE source_id = ?", (source_id,))
        self.db.execute("DELETE FROM sources WHERE id = ?", (source_id,))

    # --- minutes -----------------------------------------------------------------------------

    def minutes(self, term: str | None = None) -> list[MeetingRow]:
        """Active minutes (of one term, or all), by date then filing order."""
        where = "o.active = 1 AND o.kind = 'minutes' AND o.date IS NOT NULL"
        args: tuple = ()
        if term is not None:
            where += " AND o.term = ?"
            args = (term,)
        return _meeting_rows(self.db.execute(f"{_MINUTES} WHERE {where} ORDER BY o.date, o.id", args))

    def minutes_on(self, meeting_type: str, day: str) -> list[MeetingRow]:
        """Active minutes of one activity on one day."""
        rows = self.db.execute(
            f"{_MINUTES} WHERE o.active = 1 AND o.kind = 'minutes' AND o.meeting_type = ? AND o.date = ?"
            " ORDER BY o.id",
            (meeting_type, day),
        )
        return _meeting_rows(rows)

    def minutes_without_counts(self) -> list[MeetingRow]:
        """Active minutes filed without known attendance counts (waiting for a roster)."""
        rows = self.db.execute(
            f"{_MINUTES} WHERE o.active = 1 AND o.kind = 'minutes' AND o.expected IS NULL "
            "AND o.meeting_type <> '谈心谈话' ORDER BY o.date, o.id"
        )
        return _meeting_rows(rows)

    def same_meeting(self, meeting_type: str, day: str, topic: str, source_name: str) -> list[MeetingRow]:
        """Active minutes of the same meeting: same type and date, and same topic or file name."""
        rows = self.db.execute(
            f"{_MINUTES} WHERE o.active = 1 AND o.kind = 'minutes' AND o.meeting_type = ? AND o.date = ?"
            " AND (o.topic = ? OR s.original_name = ?)",
            (meeting_type, day, topic, source_name),
        )
        return _meeting_rows(rows)

    def same_name_elsewhen(
        self, meeting_type: str, day: str, topic: str, source_name: str
    ) -> list[MeetingRow]:
        """Active minutes of the same type and topic from a file of the same name, on another date
        (the records a correction that moved the date may replace)."""
        rows = self.db.execute(
            f"{_MINUTES} WHERE o.active = 1 AND o.kind = 'minutes' AND o.meeting_type = ? AND o.date <> ?"
            " AND o.topic = ? AND s.original_name = ? ORDER BY o.date, o.id",
            (meeting_type, day, topic, source_name),
        )
        return _meeting_rows(rows)

    def replaced_version(self, output_id: int) -> MeetingRow | None:
        """The earlier version that output ``output_id`` replaced, if any."""
        rows = _meeting_rows(self.db.execute(f"{_MINUTES} WHERE o.replaced_by = ?", (output_id,)))
        return rows[0] if rows else None

    def term_documents(self, term_id: str, with_pdf: bool = False) -> list[DocumentRow]:
        """The term's current Word documents in archive order (by date, then filing order);
        ``with_pdf``: the records filed as PDF (exported, or scans made searchable) too."""
        rows = self.db.execute(
            "SELECT * FROM outputs WHERE active = 1 AND term = ? AND (path LIKE '%.docx' "
            "OR (? AND kind = 'minutes' AND path LIKE '%.pdf')) ORDER BY date, id",
            (term_id, with_pdf),
        )
        return [
            DocumentRow(
                r["id"],
                r["path"],
                r["kind"],
                r["meeting_type"] or "",
                r["date"] or "",
                r["title"] or "",
                r["term"] or "",
            )
            for r in rows
        ]

    # --- writing outputs (inside a transaction) ------------------------------------------------

    def insert_output(self, row: dict) -> int:
        """One output document; ``row`` maps ``outputs`` columns to values."""
        row = dict(row, created_at=_now())
        cols = ", ".join(row)
        cur = self.db.execute(
            f"INSERT INTO outputs ({cols}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
        )
        return inserted_id(cur)

    def retire_output(self, output_id: int, history_path: str) -> None:
        """An older version leaves the active set and is recorded at its history path."""
        self.db.execute("UPDATE outputs SET active = 0, path = ? WHERE id = ?", (history_path, output_id))

    def link_replaced(self, old_id: int, new_id: int) -> None:
        self.db.execute("UPDATE outputs SET replaced_by = ? WHERE id = ?", (new_id, old_id))

    def update_search_text(self, output_id: int, text: str) -> None:
        self.db.execute("UPDATE outputs SET body_text = ? WHERE id = ?", (text, output_id))

    def update_facts(self, output_id: int, facts: dict) -> None:
        """The facts of minutes planned again (``planning.fact_columns``: start time, 记录人 …)."""
        names = ("start_time", "recorder", "lecturer", "party_group", "absentees")
        values = tuple(facts.get(n) for n in names)
        self.db.execute(
            f"UPDATE outputs SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?", (*values, output_id)
        )

    # --- failures and the journal ----------------------------------------------------------------

    def insert_failure(self, sha: str | None, original_name: str, failed_path: str, reason: str) -> int:
        cur = self.db.execute(
            "INSERT INTO failures (sha256, original_name, failed_path, reason, failed_at) VALUES (?,?,?,?,?)",
            (sha, original_name, failed_path, reason, _now()),
        )
        return inserted_id(cur)

    def delete_failure(self, failure_id: int) -> None:
        self.db.execute("DELETE FROM failures WHERE id = ?", (failure_id,))

    def add_journal(self, payload: dict) -> int:
        cur = self.db.execute(
            "INSERT INTO journal (payload, created_at) VALUES (?, ?)", (json.dumps(payload), _now())
        )
        return inserted_id(cur)

    def has_journal(self) -> bool:
        return self.db.execute("SELECT 1 FROM journal LIMIT 1").fetchone() is not None

    def journal_entries(self) -> list[tuple[int, dict]]:
        rows = self.db.execute("SELECT id, payload FROM journal ORDER BY id").fetchall()
        return [(r["id"], json.loads(r["payload"])) for r in rows]

    def delete_journal(self, entry_id: int) -> None:
        self.db.execute("DELETE FROM journal WHERE id = ?", (entry_id,))
