"""The SQLite index: the single home of every SQL statement of zhibu.

Each source file (by SHA-256) and each output document is a row; filing, the ledger, the term
batch, status and search all go through a ``Store``. Rows come out as typed records
(``pipeline.records``), not as dicts to be rebuilt elsewhere. The journal table makes a filing
crash-safe (``pipeline.archive.commit``). Schema changes are numbered migrations applied when
the index is opened (``pipeline.store.schema``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import IndexTooNewError, Location
from pipeline.store.development import DevelopmentQueries
from pipeline.store.documents import DocumentQueries
from pipeline.store.registers import RegisterQueries
from pipeline.store.schema import MIGRATIONS
from pipeline.store.search import SearchQueries
from pipeline.store.tables import Table, TableQueries


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def check_version(version: int, path: Path) -> None:
    """Refuse an index written by a newer zhibu: its rows mean what this program does not know."""
    if version > len(MIGRATIONS):
        raise IndexTooNewError(
            f"索引文件（.zhibu/index.sqlite3）是较新版本的 zhibu 写的（数据版本 {version}，"
            f"这个 zhibu 只认识到 {len(MIGRATIONS)}），本程序不能使用它，没有做任何改动",
            hint="请把这台电脑上的 zhibu 升级到与另一台电脑相同（或更新）的版本后再运行；"
            "不要用 zhibu doctor 重建，那样会丢掉新版本记录的内容。",
            location=Location(file=str(path)),
        )


class Store(DocumentQueries, RegisterQueries, DevelopmentQueries, SearchQueries, TableQueries):
    """One open index. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = path
        if read_only:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are opened explicitly with BEGIN IMMEDIATE.
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    @classmethod
    def open_read_only(cls, path: Path) -> Store | None:
        """For commands that must write nothing (zhibu check, forms, profile): None when there
        is no index yet or it cannot be read; never creates or migrates the file."""
        if not path.exists():
            return None
        try:
            store = cls(path, read_only=True)
            store.db.execute("SELECT 1 FROM sources LIMIT 1").fetchall()
            return store
        except sqlite3.Error:
            return None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        check_version(version, self.path)
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                if callable(step):
                    step(self.db, self.path)
                else:
                    for statement in step.split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """A write transaction: everything inside commits together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """A read transaction: every query inside sees the same state of the index."""
        self.db.execute("BEGIN")
        try:
            yield self
        finally:
            self.db.execute("COMMIT")


__all__ = ["Store", "Table", "now"]
