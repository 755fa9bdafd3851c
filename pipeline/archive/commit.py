"""Crash-safe placement of one input's outputs: a redo journal in the index.

Filing an input touches several files (new documents, the archived original, older versions
moved to history, the inbox copy removed) and the index. A crash (kill -9, power loss) may
stop us between any two of these steps. The protocol makes the whole filing atomic:

1. **Prepare.** Every new file (documents, the copy of the original) is written to a
   temporary file beside its final place and fsynced. Nothing visible has changed yet;
   temporary names end in ``.zhibu-tmp``.
2. **Commit.** One SQLite transaction inserts the source and output rows, marks replaced
   versions inactive, and stores a *journal entry* listing the renames still to do
   (old version → history, temp → final) and the inbox file to remove. This transaction
   is the commit point: before it, the input is untouched in the inbox; after it, the
   filing is decided.
3. **Apply.** The renames are done in order, the inbox file removed, the journal entry
   deleted. Every step is idempotent (a rename whose source is gone and whose target exists
   is already done), so it can be repeated any number of times.

**Recovery** (at every start, under the workspace lock): apply every journal entry left
over, then delete every ``*.zhibu-tmp`` file (each one belongs to a prepare phase that never
committed). Afterwards every input is either still in the inbox (to be processed again) or
filed exactly once with all its outputs, and the index matches the disk.

The guarantee in detail (what makes "exactly once" hold across kill -9 and power loss):

* **Durable before decided.** Temporary files are fsynced, and so are the folders that hold
  them (and the parents of folders prepare created), *before* the commit transaction; the
  index runs with ``synchronous=FULL``. A committed entry therefore never names a temporary
  file that a power loss could make disappear.
* **Durable before forgotten.** ``apply_entry`` fsyncs the folders it renamed into and out of
  before it deletes the journal entry, so an entry is only dropped once its effects survive a
  power loss. (Windows cannot fsync a folder; NTFS journals renames itself.)
* **Idempotent, in order.** A temp → final move is done when its temporary file still exists.
  An archive move (an older version → ``历史版本``, an input → ``失败``) goes to a path that did
  not exist when the plan was made (``unique_path``), so it is done when its target exists:
  after a crash *after* the new version was renamed to the old version's path, the source path
  holds the new version again, and moving it "again" would overwrite the archived old version.
* **The inbox copy is removed last**, and only if it still has the committed SHA-256: a file
  dropped again under the same name after the crash is a new input and stays. An input that
  comes back after it was filed (a sync client restoring it) is recognised by its SHA-256 and
  dropped as a duplicate, so it is never filed twice.
* **The archived original is the committed content.** ``commit_plan`` hashes the bytes it
  copies and refuses (``InputChanged``) when they are not the SHA-256 of the plan, or when the
  file's size/mtime differ from when it was read: a file saved again while it was being
  processed is left in the inbox and processed again once it is stable.
* **Rejections are journaled too** (``pipeline.archive.failures.move_to_failed``): the failure
  row and the move into ``inbox/失败/`` are one entry, so a crash never leaves a failed input
  without its row, or a row without its file.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import FilingPending, InputChanged
from pipeline.fs.files import TMP_SUFFIX, file_signature, fsync_dirs, make_dirs, sha256_file, write_temp
from pipeline.store import Store


@dataclass
class PlannedOutput:
    """One document to file, with its index row (without ids)."""

    path: Path  # absolute final path
    data: bytes | None  # None when planned for the index only (``zhibu doctor``: the file exists)
    row: dict  # columns of the outputs table (path/source_id filled in at commit)
    replaces: list[tuple[int, Path, Path]] = field(default_factory=list)  # (output id, old, history)


@dataclass
class FilingPlan:
    """Everything that filing one input will do."""

    root: Path  # workspace root; index paths are stored relative to it
    inbox_file: Path
    sha256: str
    original_name: str
    kind: str
    original_dest: Path
    outputs: list[PlannedOutput] = field(default_factory=list)
    # Extra index writes of register kinds (achievements, roster …): callables taking
    # (connection, source_id), run inside the commit transaction.
    index_writers: list = field(default_factory=list)
    # file_signature() of the input taken before it was read; checked again before the commit.
    signature: tuple | None = None
    # What to archive instead of the input's own bytes (a register with its 身份证号/联系电话
    # columns blanked). The index keeps the input's SHA-256, so the same file dropped again is
    # still recognized as a duplicate.
    archived_data: bytes | None = None
    # Further inbox files archived in the same commit (the photos of a note): (src, dest, sha256).
    extra_moves: list[tuple[Path, Path, str]] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def commit_plan(index: Store, plan: FilingPlan) -> list[int]:
    """Prepare, commit and apply a plan. Returns the new output ids."""
    temps = _prepare(plan)
    try:
        ids, entry_id, payload = _record(index, plan, temps)
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    try:
        apply_entry(index, entry_id, payload)
    except OSError as exc:
        # Committed, but a rename could not be done now: on Windows, typically the previous
        # version is open in Word. The journal keeps the rest; apply_pending finishes it later.
        raise FilingPending(plan.original_name, exc) from exc
    return ids


def _prepare(plan: FilingPlan) -> list[tuple[Path, Path]]:
    """The input checked unchanged, then every file of the plan written and fsynced beside its place.

    Returns (temporary file, final path) pairs; on any failure the temporary files are removed.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        try:
            original = plan.inbox_file.read_bytes()
        except FileNotFoundError:
            raise InputChanged(plan.original_name) from None
        if hashlib.sha256(original).hexdigest() != plan.sha256 or (
            plan.signature is not None and file_signature(plan.inbox_file) != plan.signature
        ):
            raise InputChanged(plan.original_name)
        created = [
            d
            for target in [plan.original_dest, *(o.path for o in plan.outputs)]
            for d in make_dirs(target.parent)
        ]
        archived = original if plan.archived_data is None else plan.archived_data
        temps.append((write_temp(plan.original_dest, archived), plan.original_dest))
        for out in plan.outputs:
            if out.data is None:  # planned for the index only: the index-only committer files it
                raise ValueError(f"{out.path}: no document data to write")
            temps.append((write_temp(out.path, out.data), out.path))
        fsync_dirs([tmp.parent for tmp, _ in temps] + [d.parent for d in created])
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    return temps


def _record(
    index: Store, plan: FilingPlan, temps: list[tuple[Path, Path]]
) -> tuple[list[int], int, dict[str, Any]]:
    """One transaction: the source, the outputs (retiring those they replace), the register rows and the
    journal entry of every rename. Returns the new output ids, the journal entry id and its payload."""
    moves: list[tuple[str, ...]] = []
    ids: list[int] = []
    with index.transaction():
        # The archived copy's own hash (a register's copy has its personal columns blanked; the input
        # itself was checked to hash to plan.sha256).
        archived_sha = (
            plan.sha256 if plan.archived_data is None else hashlib.sha256(plan.archived_data).hexdigest()
        )
        source_id = index.insert_source(
            plan.sha256, plan.original_name, plan.rel(plan.original_dest), plan.kind, archived_sha
        )
        for out in plan.outputs:
            for old_id, old_path, history in out.replaces:
                index.retire_output(old_id, plan.rel(history))
                moves.append((str(old_path), str(history)))
            new_id = index.insert_output(dict(out.row, path=plan.rel(out.path), source_id=source_id))
            ids.append(new_id)
            for old_id, _, _ in out.replaces:
                index.link_replaced(old_id, new_id)
        for writer in plan.index_writers:
            writer(index, source_id)
        moves.extend((str(tmp), str(final)) for tmp, final in temps)
        moves.extend((str(src), str(dst), sha) for src, dst, sha in plan.extra_moves)
        payload: dict[str, Any] = {"moves": moves, "inbox_file": str(plan.inbox_file), "sha256": plan.sha256}
        entry_id = index.add_journal(payload)
    return ids, entry_id, payload


def apply_pending(index: Store) -> list[str]:
    """Finish committed filings whose renames failed earlier; returns the files still locked."""
    locked = []
    for entry_id, payload in index.journal_entries():
        try:
            apply_entry(index, entry_id, payload)
        except OSError as exc:
            locked.append(str(exc.filename or payload.get("inbox_file")))
    return locked


def apply_entry(index: Store, entry_id: int, payload: dict) -> None:
    """Carry out a committed journal entry; safe to repeat after a crash at any point.

    ``moves`` are ``[src, dst]`` or ``[src, dst, sha256]``: the latter moves ``src`` only while it
    still has that content (an input moved to ``失败``: a different file dropped under the same
    name after a crash is a new input; the failure row of the old one, ``failure_id``, is then
    dropped with it, since its file was replaced by the secretary and is not ours to move).
    """
    touched: list[Path] = []  # folders whose entries changed
    for src, dst, *guard in payload["moves"]:
        src_p, dst_p = Path(src), Path(dst)
        if not os.path.lexists(src_p):
            continue  # done before the crash
        if not src_p.name.endswith(TMP_SUFFIX) and os.path.lexists(dst_p):
            continue  # archive move done; src_p may hold the new version now
        if guard and guard[0] and not src_p.is_symlink() and sha256_file(src_p) != guard[0]:
            if payload.get("failure_id"):
                index.delete_failure(payload["failure_id"])
            continue
        touched += [d.parent for d in make_dirs(dst_p.parent)]
        if src_p.name.endswith(TMP_SUFFIX):
            place_new(src_p, dst_p)
        else:
            os.replace(src_p, dst_p)
        touched += [src_p.parent, dst_p.parent]
    fsync_dirs(touched)
    inbox_file = Path(payload["inbox_file"]) if payload.get("inbox_file") else None
    # Remove the inbox copy only if it is still the same content: a new file dropped under
    # the same name after the crash must not be lost. (Not fsynced: if a power loss undoes
    # the removal, the input comes back and is dropped as a duplicate by its SHA-256.)
    if (
        inbox_file
        and inbox_file.is_file()
        and not inbox_file.is_symlink()
        and sha256_file(inbox_file) == payload["sha256"]
    ):
        inbox_file.unlink()
    index.delete_journal(entry_id)


def place_new(tmp: Path, final: Path) -> None:
    """Rename a prepared file to its final name, never over a file that is there already (one
    put there by another program would be lost): ``FileExistsError`` then, the journal keeps the
    entry and nothing is overwritten. (Checked just before the rename; the workspace lock keeps
    other zhibu processes out of that moment.)"""
    if os.path.lexists(final):
        raise FileExistsError(errno.EEXIST, "已存在同名文件", str(final))
    os.replace(tmp, final)


def recover(index: Store, roots: list[Path]) -> int:
    """Finish interrupted filings and remove orphaned temporary files. Returns entries redone.

    An entry that cannot be finished now (a file open in Word on Windows: PermissionError)
    stays in the journal, with the temporary files it still needs; ``waiting_files`` names
    what it waits for, and it is finished later (``apply_pending``). It never stops the start."""
    entries = index.journal_entries()
    apply_pending(index)
    keep = {Path(src) for _, payload in index.journal_entries() for src, *_ in payload["moves"]}
    for root in roots:
        if root.exists():
            for tmp in root.rglob(f"*{TMP_SUFFIX}"):
                if tmp not in keep:
                    tmp.unlink(missing_ok=True)
    return len(entries) - len(index.journal_entries())


def waiting_inputs(index: Store) -> set[Path]:
    """Inbox files a committed filing still has to archive (its last step waits for a locked
    file): no new inputs. A different file dropped under the same name is not one of them."""
    found = set()
    for _, payload in index.journal_entries():
        inbox_file = Path(payload["inbox_file"]) if payload.get("inbox_file") else None
        if inbox_file is None or inbox_file.is_symlink() or not inbox_file.is_file():
            continue
        try:
            if sha256_file(inbox_file) == payload["sha256"]:
                found.add(inbox_file)
        except OSError:
            continue
    return found


def waiting_files(index: Store, root: Path) -> list[str]:
    """The files committed filings still wait for (to be renamed or moved), relative to ``root``."""
    names = []
    for _, payload in index.journal_entries():
        for src, *_ in payload["moves"]:
            if os.path.lexists(src) and not src.endswith(TMP_SUFFIX):
                try:
                    names.append(Path(src).relative_to(root).as_posix())
                except ValueError:
                    names.append(src)
    return names
