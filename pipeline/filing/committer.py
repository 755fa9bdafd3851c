"""The committers: what carrying out a ``FilingPlan`` means.

* ``JournaledCommitter``, the normal filing: the workspace lock is checked again, then the
  redo-journal commit of ``pipeline.archive.commit`` writes the files and the index rows as one.
* ``IndexOnlyCommitter``, for ``zhibu doctor``: the documents are on disk already; each planned
  document is matched to the existing file of its name (``name.docx``, else ``name (2).docx`` …,
  the first one not claimed yet), a replaced version to the oldest unclaimed file in 历史版本 that
  ends with its name (also a document found only there: a correction that moved the date replaced
  it under another name), and only index rows are written. No file is written, moved or rendered.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive.commit import FilingPlan, commit_plan
from pipeline.fs.files import sha256_file
from pipeline.lock import WorkspaceLock
from pipeline.store import Store
from pipeline.workspace import Workspace

log = logging.getLogger("zhibu.filing")


class JournaledCommitter:
    """Files a plan: files and index rows together, or nothing (crash-safe, see archive.commit)."""

    def __init__(self, lock: WorkspaceLock, store: Store):
        self.lock = lock
        self.store = store

    def commit(self, plan: FilingPlan) -> None:
        self.lock.ensure()  # another zhibu never files at the same time, even if the lock was deleted
        log.debug("提交「%s」的归档（写入文档、索引和归档日志）", plan.original_name)
        commit_plan(self.store, plan)


def literal_parts(pattern: str) -> set[str]:
    """Folder names of a path pattern that have no placeholder (原始材料, 历史版本)."""
    return {p for p in pattern.replace("\\", "/").split("/") if p and "{" not in p}


@dataclass
class IndexCounts:
    """What an index-only commit found: rows written, planned documents with no file on disk."""

    sources: int = 0
    documents: int = 0
    history: int = 0
    missing: list[str] = field(default_factory=list)


class IndexOnlyCommitter:
    """Writes a plan's index rows against the documents already on disk (``zhibu doctor``)."""

    def __init__(self, ws: Workspace, store: Store):
        self.ws = ws
        self.store = store
        self.counts = IndexCounts()
        self.claimed: set[Path] = set()

    def commit(self, plan: FilingPlan) -> None:
        store, counts = self.store, self.counts
        with store.transaction():
            archived = plan.original_dest
            source_id = store.insert_source(
                plan.sha256,
                plan.original_name,
                plan.rel(archived),
                plan.kind,
                sha256_file(archived) if archived.is_file() else None,
            )
            counts.sources += 1
            for out in plan.outputs:
                retired = []
                for old_id, old_path, _history in out.replaces:
                    history = self._history_file(old_path)
                    if history is not None:
                        store.retire_output(old_id, plan.rel(history))
                        self.claimed.discard(old_path)
                        counts.history += 1
                        retired.append(old_id)
                path = self._document_file(out.path)
                if path is None:
                    self._only_in_history(plan, out.row, out.path, source_id)
                    continue
                new_id = store.insert_output(dict(out.row, path=plan.rel(path), source_id=source_id))
                counts.documents += 1
                for old_id in retired:
                    store.link_replaced(old_id, new_id)
            for writer in plan.index_writers:
                writer(store, source_id)

    def _only_in_history(self, plan: FilingPlan, row: dict, planned: Path, source_id: int) -> None:
        """A planned document not on disk: a version replaced later by a correction that moved
        the date (its replacement has another name) is recorded as that history file; otherwise
        the document is missing."""
        history = self._history_file(planned)
        if history is None:
            self.counts.missing.append(plan.rel(planned))
            return
        old_id = self.store.insert_output(dict(row, path=plan.rel(history), source_id=source_id))
        self.store.retire_output(old_id, plan.rel(history))
        self.counts.history += 1

    def _document_file(self, planned: Path) -> Path | None:
        """The existing document for a planned path: the name without "(n)" first, then (2), (3) …"""
        stem = re.sub(r" \(\d+\)$", "", planned.stem)
        candidates = [planned.with_name(stem + planned.suffix)]
        candidates += [planned.with_name(f"{stem} ({n}){planned.suffix}") for n in range(2, 100)]
        for candidate in candidates:
            if candidate.is_file() and candidate not in self.claimed:
                self.claimed.add(candidate)
                return candidate
        return None

    def _history_file(self, old: Path) -> Path | None:
        """The oldest unclaimed file in a history folder that ends with the old version's name."""
        names = literal_parts(self.ws.config.archive.history_dir)
        found = sorted(
            p
            for p in self.ws.outbox.rglob(f"* {old.name}")
            if p.is_file() and p not in self.claimed and names & set(p.relative_to(self.ws.outbox).parts)
        )
        if not found:
            return None
        self.claimed.add(found[0])
        return found[0]
