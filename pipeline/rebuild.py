"""Rebuild the index from the archive on disk (``zhibu doctor``).

The archived originals (``原始材料/``) are the evidence. Each is filed again, oldest first, by
the ordinary Processor, with three differences: nothing is written or moved on disk (the
documents exist already); each planned document is matched to the existing file of that name
(``name.docx``, else ``name (2).docx`` …, the first one not claimed yet), and a replaced
version to the oldest unclaimed file in ``历史版本/`` that ends with its name; and a file that
can no longer be read is reported, never moved. Rejected inputs in ``inbox/失败/`` get their
failure rows back from their reason files.

What cannot be recovered this way, said in the report: documents of the term batch (台账,
汇编 …: made again by ``zhibu batch``), and for registers archived with their personal data
blanked, the fingerprint of the original file (the same file dropped again is filed again
rather than recognized as a duplicate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from filelock import Timeout

from pipeline.archive.commit import FilingPlan
from pipeline.archive.failures import REASON_SUFFIX
from pipeline.consume import Outcome, Processor
from pipeline.errors import WorkspaceLockedError, ZhibuError
from pipeline.fs.files import TMP_SUFFIX, sha256_file
from pipeline.kinds import read_input
from pipeline.registers import filing as register_filing
from pipeline.workspace import Workspace

log = logging.getLogger("zhibu")


@dataclass
class RebuildReport:
    backup: Path | None = None  # the old index, kept
    sources: int = 0
    documents: int = 0
    history: int = 0
    failures: int = 0
    unreadable: list[str] = field(default_factory=list)  # archived originals that could not be read
    missing: list[str] = field(default_factory=list)  # planned documents with no file on disk


def literal_parts(pattern: str) -> set[str]:
    """Folder names of a path pattern that have no placeholder (原始材料, 历史版本)."""
    return {p for p in pattern.replace("\\", "/").split("/") if p and "{" not in p}


def archived_originals(ws: Workspace) -> list[Path]:
    """Files under outbox/ in an originals folder, in filing order (their archive time)."""
    names = literal_parts(ws.config.archive.originals_dir)
    files = [
        p
        for p in ws.outbox.rglob("*")
        if p.is_file()
        and not p.name.endswith(TMP_SUFFIX)
        and names & set(p.relative_to(ws.outbox).parts[:-1])
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, str(p)))


class Replay(Processor):
    """A Processor that files archived originals into a fresh index, touching no file."""

    def __init__(self, ws: Workspace, report: RebuildReport, scratch: Path):
        super().__init__(ws)
        self.report = report
        self.scratch = scratch  # correction workbooks written while replaying go here, then away
        self.claimed: set[Path] = set()
        self.current: Path | None = None

    def replay(self, path: Path) -> None:
        rel = path.relative_to(self.ws.root).as_posix()
        self.current = path
        try:
            # the name it came with: 支委会 (2).txt was archived beside an earlier 支委会.txt
            name = re.sub(r" \(\d+\)$", "", path.stem) + path.suffix
            result = read_input(path, display_name=name)
            outcome = self._file(path, name, sha256_file(path), result)
        except (ZhibuError, OSError, ValueError) as exc:
            self.report.unreadable.append(f"{rel}（{exc}）")
            return
        if outcome.status == "failed":
            self.report.unreadable.append(f"{rel}（{outcome.error}）")

    # --- the differences from an ordinary filing ---------------------------------------------

    def _original_dest(self, path: Path, result) -> Path:
        return path  # already archived where it is

    def filing_context(self) -> register_filing.FilingContext:
        return register_filing.FilingContext(self.index, self.ws.root, self.scratch, self.ws.config)

    def _fail(self, path: Path, name: str, sha: str | None, message: str) -> Outcome:
        return Outcome(name, "failed", error=message)  # an archived original is never moved

    def commit(self, plan: FilingPlan) -> None:
        report = self.report
        with self.index.transaction():
            source_id = self.index.insert_source(
                plan.sha256, plan.original_name, plan.rel(plan.original_dest), plan.kind
            )
            report.sources += 1
            for out in plan.outputs:
                retired = []
                for old_id, old_path, _history in out.replaces:
                    history = self._history_file(old_path)
                    if history is not None:
                        self.index.retire_output(old_id, plan.rel(history))
                        self.claimed.discard(old_path)
                        report.history += 1
                        retired.append(old_id)
                path = self._document_file(out.path)
                if path is None:
                    report.missing.append(plan.rel(out.path))
                    continue
                new_id = self.index.insert_output(dict(out.row, path=plan.rel(path), source_id=source_id))
                report.documents += 1
                for old_id in retired:
                    self.index.link_replaced(old_id, new_id)
            for writer in plan.index_writers:
                writer(self.index, source_id)

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


def failures_from_reasons(ws: Workspace, store) -> int:
    """A failure row for each file in inbox/失败/ that has its reason file."""
    count = 0
    for reason in sorted(ws.failed.glob(f"*{REASON_SUFFIX}")):
        target = reason.with_name(reason.name[: -len(REASON_SUFFIX)])
        if not (target.exists() or target.is_symlink()):
            continue
        text = reason.read_text(encoding="utf-8-sig", errors="replace")
        name = re.search(r"^文件：(.*)$", text, re.M)
        why = text.split("原因：\n", 1)[-1].split("\n\n改正后", 1)[0].strip()
        sha = hashlib.sha256(target.read_bytes()).hexdigest() if target.is_file() else None
        with store.transaction():
            store.insert_failure(sha, name.group(1) if name else target.name, str(target), why)
        count += 1
    return count


def set_aside(index_path: Path) -> Path | None:
    """Move the index (and its -wal/-shm files) aside as ``index.damaged-<time>.sqlite3``."""
    if not index_path.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = index_path.with_name(f"index.damaged-{stamp}.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(index_path) + suffix)
        if part.exists():
            shutil.move(str(part), str(backup) + suffix)
    return backup


def rebuild_index(ws: Workspace) -> RebuildReport:
    """Set the old index aside and file every archived original again into a new one, holding
    the workspace lock throughout (no run or watch meanwhile)."""
    report = RebuildReport()
    scratch = ws.state / f"rebuild-{dt.datetime.now():%Y%m%d%H%M%S}"
    replay = Replay(ws, report, scratch)
    try:
        replay._lock.acquire(timeout=0)
    except Timeout:
        raise WorkspaceLockedError(
            "另一个 zhibu 程序（watch 或 run）正在处理这个工作区，现在不能重建索引",
            hint="请先关闭 zhibu watch 窗口或等 zhibu run 结束，再运行 zhibu doctor。",
        ) from None
    try:
        report.backup = set_aside(ws.index_path)
        scratch.mkdir(parents=True, exist_ok=True)
        with replay:
            for path in archived_originals(ws):
                replay.replay(path)
            report.failures = failures_from_reasons(ws, replay.index)
    finally:
        replay._lock.release()
        shutil.rmtree(scratch, ignore_errors=True)
    log.info("index rebuilt: %s", report)
    return report
