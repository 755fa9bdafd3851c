"""Typed rows of a register table: a dataclass's fields stored in the table's same-named columns.

A register kind declares its table once (``Table(name, record, columns)``, beside the migration
that creates it) and the store reads and writes its records with the generic queries below:
no SQL in the kind, no per-kind query code in the store. Dates are stored as ISO text, amounts
of money (``Decimal``) as decimal text (exact), booleans as 0/1; ``id`` and ``source_id`` fields of the record, when it has them, are filled on reading.
A record whose stored form differs from its fields gives its own ``encode``/``decode``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import re
import sqlite3
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

R = TypeVar("R")
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Table(Generic[R]):
    """A register table and the record type of its rows."""

    name: str
    record: type[R]
    columns: tuple[str, ...]  # stored besides id and source_id
    order: tuple[str, ...] = ("id",)  # reading order
    encode: Callable[[R], dict[str, Any]] | None = None  # record -> column values
    decode: Callable[[Mapping[str, Any]], R] | None = None  # a row -> record

    def __post_init__(self) -> None:
        for name in (self.name, *self.columns, *(o.removesuffix(" DESC") for o in self.order)):
            if not _NAME.match(name):
                raise ValueError(f"not a column name: {name!r}")

    def values(self, record: R) -> dict[str, Any]:
        data = self.encode(record) if self.encode else {c: getattr(record, c) for c in self.columns}
        return {c: _to_db(data.get(c)) for c in self.columns}

    def read(self, row: Mapping[str, Any]) -> R:
        if self.decode:
            return self.decode(row)
        hints = _hints(self.record)
        known = {f.name for f in dataclasses.fields(self.record)}  # type: ignore[arg-type]
        data = {k: _from_db(row[k], hints.get(k)) for k in (*self.columns, "id", "source_id") if k in known}
        return self.record(**data)


def _to_db(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    """The field types of a record class, resolved once per class."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (``lastrowid`` is None only before any INSERT)."""
    if cur.lastrowid is None:
        raise sqlite3.OperationalError("an INSERT made no row")
    return cur.lastrowid


def _from_db(value: Any, hint: Any) -> Any:
    kinds = typing.get_args(hint) or (hint,)
    if value is None:
        return "" if str in kinds and type(None) not in kinds else None
    if dt.date in kinds and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    if bool in kinds:
        return bool(value)
    if decimal.Decimal in kinds:
        return decimal.Decimal(str(value))
    return value


def _where(equal: Mapping[str, Any]) -> tuple[str, list]:
    for column in equal:
        if not _NAME.match(column):
            raise ValueError(f"not a column name: {column!r}")
    clause = " AND ".join(f"{c} = ?" for c in equal)
    return (f" WHERE {clause}" if clause else ""), [_to_db(v) for v in equal.values()]


class TableQueries:
    """The generic queries on register tables (every statement built from a ``Table``)."""

    db: sqlite3.Connection

    def records(self, table: Table[R], **equal: Any) -> list[R]:
        """The table's records (those whose columns equal ``equal``), in the table's order."""
        where, args = _where(equal)
        sql = f"SELECT * FROM {table.name}{where} ORDER BY {', '.join(table.order)}"
        return [table.read(r) for r in self.db.execute(sql, args)]

    def insert_records(self, table: Table[R], source_id: int, records: Iterable[R]) -> None:
        cols = ("source_id", *table.columns)
        marks = ", ".join("?" * len(cols))
        self.db.executemany(
            f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({marks})",
            [(source_id, *table.values(r).values()) for r in records],
        )

    def update_record(
        self, table: Table[R], record_id: int, source_id: int, record: R, columns: Sequence[str]
    ) -> None:
        """A later register corrects ``columns`` of a known record (which then comes from ``source_id``)."""
        values = table.values(record)
        for column in columns:
            if column not in values:
                raise ValueError(f"not a column of {table.name}: {column!r}")
        sets = ", ".join(f"{c} = ?" for c in (*columns, "source_id"))
        self.db.execute(
            f"UPDATE {table.name} SET {sets} WHERE id = ?",
            (*(values[c] for c in columns), source_id, record_id),
        )

    def delete_records(self, table: Table[R], column: str, values: Sequence[Any]) -> None:
        """Delete the records whose ``column`` is one of ``values``."""
        where, args = self._within(column, values)
        self.db.execute(f"DELETE FROM {table.name}{where}", args)

    def retire_records(self, table: Table[R], ids: Sequence[int]) -> None:
        """Records replaced by a newer register: kept as history (``active = 0``), no longer read
        by ``records(table, active=1)``. The table must have an ``active`` column."""
        for start in range(0, len(ids), 500):
            where, args = self._within("id", ids[start : start + 500])
            self.db.execute(f"UPDATE {table.name} SET active = 0{where}", args)

    def count_records(self, table: Table[R], column: str, values: Sequence[Any]) -> int:
        where, args = self._within(column, values)
        return int(self.db.execute(f"SELECT count(*) FROM {table.name}{where}", args).fetchone()[0])

    def table_version(self, table: Table[R]) -> int:
        """Changes whenever records are added or removed (for caches of what was read)."""
        return int(self.db.execute(f"SELECT coalesce(max(id), 0) + count(*) FROM {table.name}").fetchone()[0])

    @staticmethod
    def _within(column: str, values: Sequence[Any]) -> tuple[str, list]:
        if not _NAME.match(column):
            raise ValueError(f"not a column name: {column!r}")
        return f" WHERE {column} IN ({','.join('?' * len(values))})", [_to_db(v) for v in values]
