"""Is the index (.zhibu/index.sqlite3) usable? Checked before any command opens it.

The archive on disk (outbox/: the archived originals and the documents) is the evidence; the
index is derived from it and can be rebuilt (``zhibu doctor``). What must never happen is that
a missing index is silently replaced by an empty one (everything looks unarchived, duplicates
are filed again as "(2)"), or that a damaged one ends every command in a traceback. So:

* the index is **missing** while outbox/ holds archived files;
* the index is **damaged**: not a database, truncated, failing SQLite's own check;
* a **journal row** (a filing's list of renames still to do) cannot be read.

Each is reported as an ``IndexDamagedError`` telling the secretary, in Chinese, to run
``zhibu doctor``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from pipeline.errors import IndexDamagedError
from pipeline.fs.storage import storage_problem
from pipeline.inbox import is_ignored
from pipeline.store import check_version
from pipeline.store.health import indexed_paths, look_at_index

DOCTOR_HINT = "请运行 zhibu doctor：它会根据 outbox 里已归档的原件和文档重建索引（原索引会保留一份备份）。"


def has_archived_files(outbox: Path) -> bool:
    """A document or original in outbox/ (not .gitkeep, desktop.ini or a temporary file)."""
    for _dirpath, _dirs, files in os.walk(outbox):
        if any(not f.startswith(".") and not is_ignored(f) for f in files):
            return True
    return False


def index_problem(index_path: Path, outbox: Path) -> str | None:
    """What is wrong with the index, in Chinese; None when it is usable (or rightly absent)."""
    if not index_path.exists():
        if has_archived_files(outbox):
            return "索引文件（.zhibu/index.sqlite3）不见了，但 outbox 里已有归档的文件"
        return None
    try:
        look = look_at_index(index_path)
    except sqlite3.Error as exc:
        _disk_fault(exc, outbox)
        return "索引文件（.zhibu/index.sqlite3）已损坏（可能被截断）"
    if not look.intact:
        return "索引文件（.zhibu/index.sqlite3）已损坏"
    check_version(look.version, index_path)  # a newer zhibu's index: refused, never rebuilt
    if look.tables and not {"sources", "outputs", "journal"} <= look.tables:
        return "索引文件（.zhibu/index.sqlite3）不完整（缺少数据表）"
    if not all(journal_row_ok(payload) for payload in look.journal):
        return "索引里有一条无法读取的归档记录（journal）"
    return None


def _disk_fault(exc: sqlite3.Error, outbox: Path) -> None:
    """A full or read-only disk is not a damaged index: raise it as what it is."""
    problem = storage_problem(exc, outbox.parent)
    if problem is not None:
        raise problem from exc


def journal_row_ok(payload: str | bytes | None) -> bool:
    """A journal payload as ``pipeline.archive.commit`` writes it."""
    if payload is None:
        return False
    try:
        data = json.loads(payload)
    except (TypeError, ValueError):
        return False
    if not isinstance(data, dict) or not isinstance(data.get("moves"), list):
        return False
    for move in data["moves"]:
        if not isinstance(move, list) or len(move) not in (2, 3):
            return False
        if not all(isinstance(x, str) for x in move[:2]):
            return False
    inbox = data.get("inbox_file")
    return inbox is None or isinstance(inbox, str)


def check_index(index_path: Path, outbox: Path) -> None:
    """Raise ``IndexDamagedError`` (Chinese, with what to do) when the index is not usable."""
    problem = index_problem(index_path, outbox)
    if problem:
        raise IndexDamagedError(problem, hint=DOCTOR_HINT)


def disagreements(index_path: Path, root: Path, originals: list[Path]) -> list[str]:
    """Where a usable index and the disk disagree, in Chinese (at most a few of each kind)."""
    outputs, archived = indexed_paths(index_path)
    found = []
    gone = [p for p in outputs if not (root / p).is_file()]
    if gone:
        found.append(f"索引里有 {len(gone)} 份文档在磁盘上找不到，例如「{gone[0]}」")
    lost = [p for p in archived if not (root / p).is_file()]
    if lost:
        found.append(f"索引里有 {len(lost)} 份原件在磁盘上找不到，例如「{sorted(lost)[0]}」")
    unknown = [
        p.relative_to(root).as_posix() for p in originals if p.relative_to(root).as_posix() not in archived
    ]
    if unknown:
        found.append(f"原始材料里有 {len(unknown)} 份文件索引里没有，例如「{unknown[0]}」")
    return found
