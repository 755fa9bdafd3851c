"""Rebuild the index from the archive on disk (``zhibu doctor``).

The archived originals (``原始材料/``) are the evidence. Each is filed again, oldest first,
through the ordinary filing session and planner, with three differences: the planner renders no
document and nothing is written or moved on disk (the documents exist already); the
index-only committer (``pipeline.filing.committer``) matches each planned document to the
existing file of that name and a replaced version to its file in ``历史版本/``; and a file that
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

from pipeline.archive.failures import REASON_SUFFIX
from pipeline.errors import WorkspaceLockedError, ZhibuError
from pipeline.filing.arrival import Arrival
from pipeline.filing.committer import IndexOnlyCommitter, literal_parts
from pipeline.filing.outcome import Outcome, Status
from pipeline.filing.planner import plan_filing
from pipeline.filing.reading import read_dropped
from pipeline.filing.session import Session
from pipeline.fs.files import TMP_SUFFIX, sha256_file
from pipeline.learn import asis, photos
from pipeline.workspace import Workspace

log = logging.getLogger("zhibu.doctor")


@dataclass
class RebuildReport:
    backup: str | None = None  # the old index, kept (relative to the workspace root)
    sources: int = 0
    documents: int = 0
    history: int = 0
    failures: int = 0
    unreadable: list[str] = field(default_factory=list)  # archived originals that could not be read
    missing: list[str] = field(default_factory=list)  # planned documents with no file on disk


def archived_originals(ws: Workspace) -> list[Path]:
    """Files under outbox/ in an originals folder, in filing order (their archive time). The
    photos and later scanned pages kept beside a note (``<note> 照片/``, ``<note> 其余各页/``) belong to it: they are no originals of their own."""
    names = literal_parts(ws.config.archive.originals_dir)
    files = [
        p
        for p in ws.outbox.rglob("*")
        if p.is_file()
        and not p.name.endswith(TMP_SUFFIX)
        and names & set(p.relative_to(ws.outbox).parts[:-1])
    ]
    beside = {photos.beside_folder(p, label) for p in files for label in photos.BESIDE_LABELS}
    files = [p for p in files if p.parent not in beside]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, str(p)))


def filed_as_is(ws: Workspace, originals: list[Path]) -> set[str]:
    """SHA-256 of the originals that are also an archived document, byte for byte: the finished
    records filed as they are (read again as such, so that ``batch --rerender`` leaves them be)."""
    sizes = {p.stat().st_size for p in originals if p.suffix.lower() == ".docx"}
    names = literal_parts(ws.config.archive.originals_dir)
    documents = [
        p
        for p in ws.outbox.rglob("*.docx")
        if p.stat().st_size in sizes and not names & set(p.relative_to(ws.outbox).parts[:-1])
    ]
    return {sha256_file(p) for p in documents}


def replay(
    session: Session, committer: IndexOnlyCommitter, path: Path, scratch: Path, as_is: set[str]
) -> str | None:
    """File one archived original again into the index: read as ``zhibu run`` read it → plan (no
    document rendered) → index rows against the files on disk. Returns why it could not, else None."""
    name = re.sub(r" \(\d+\)$", "", path.stem) + path.suffix  # the name it came with: 支委会 (2).txt
    try:
        arrival = Arrival(path, name, sha256_file(path), archived=path)
        kind_hint = asis.ASIS_DIR if arrival.sha256 in as_is else None
        result = read_dropped(path, name, kind_hint, session.ws)
        result.ensure_content()
        if result.is_empty:
            return "\n".join(e.render() for e in result.row_errors) or "没有可处理的内容"
        outcome = Outcome(name, Status.PROCESSED)
        plan = plan_filing(session.planning(render=False, failed=scratch), arrival, result, outcome)
        committer.commit(plan)
    except (ZhibuError, OSError, ValueError) as exc:
        return str(exc)
    return None


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

    def set_old_index_aside() -> None:
        backup = set_aside(ws.index_path)
        report.backup = backup.relative_to(ws.root).as_posix() if backup else None
        scratch.mkdir(parents=True, exist_ok=True)

    try:
        busy = WorkspaceLockedError(
            "另一个 zhibu 程序（watch 或 run）正在处理这个工作区，现在不能重建索引",
            hint="请先关闭 zhibu watch 窗口或等 zhibu run 结束，再运行 zhibu doctor。",
        )
        with Session(ws, busy=busy, prepare=set_old_index_aside) as session:
            committer = IndexOnlyCommitter(ws, session.index)
            originals = archived_originals(ws)
            as_is = filed_as_is(ws, originals)
            for path in originals:
                problem = replay(session, committer, path, scratch, as_is)
                if problem:
                    report.unreadable.append(f"{path.relative_to(ws.root).as_posix()}（{problem}）")
            report.failures = failures_from_reasons(ws, session.index)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    counts = committer.counts
    report.sources, report.documents, report.history = counts.sources, counts.documents, counts.history
    report.missing = counts.missing
    log.info(
        "索引已重建：原件 %d 份，文档 %d 份，历史版本 %d 份，失败记录 %d 条",
        report.sources,
        report.documents,
        report.history,
        report.failures,
    )
    return report
