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
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive.files import TMP_SUFFIX, write_temp
from pipeline.archive.index import Index, now


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class PlannedOutput:
    """One document to file, with its index row (without ids)."""

    path: Path          # absolute final path
    data: bytes
    row: dict           # columns of the outputs table (path/source_id filled in at commit)
    replaces: list[tuple[int, Path, Path]] = field(default_factory=list)  # (output id, old, history)


@dataclass
class FilingPlan:
    """Everything that filing one input will do."""

    root: Path                      # workspace root; index paths are stored relative to it
    inbox_file: Path
    sha256: str
    original_name: str
    kind: str
    original_dest: Path
    outputs: list[PlannedOutput] = field(default_factory=list)
    # Extra index writes of register kinds (achievements, roster …): callables taking
    # (connection, source_id), run inside the commit transaction.
    index_writers: list = field(default_factory=list)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def commit_plan(index: Index, plan: FilingPlan) -> list[int]:
    """Prepare, commit and apply a plan. Returns the new output ids."""
    temps: list[tuple[Path, Path]] = []
    try:
        temps.append((write_temp(plan.original_dest, plan.inbox_file.read_bytes()), plan.original_dest))
        for out in plan.outputs:
            temps.append((write_temp(out.path, out.data), out.path))
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise

    moves: list[tuple[str, str]] = []
    ids: list[int] = []
    try:
        with index.transaction() as db:
            cur = db.execute(
                "INSERT INTO sources (sha256, original_name, archived_path, kind, received_at) VALUES (?,?,?,?,?)",
                (plan.sha256, plan.original_name, plan.rel(plan.original_dest), plan.kind, now()),
            )
            source_id = cur.lastrowid
            for out in plan.outputs:
                for old_id, old_path, history in out.replaces:
                    db.execute("UPDATE outputs SET active = 0, path = ? WHERE id = ?", (plan.rel(history), old_id))
                    moves.append((str(old_path), str(history)))
                row = dict(out.row, path=plan.rel(out.path), source_id=source_id, created_at=now())
                cols = ", ".join(row)
                cur = db.execute(f"INSERT INTO outputs ({cols}) VALUES ({', '.join('?' * len(row))})",
                                 tuple(row.values()))
                ids.append(cur.lastrowid)
                for old_id, _, _ in out.replaces:
                    db.execute("UPDATE outputs SET replaced_by = ? WHERE id = ?", (cur.lastrowid, old_id))
            for writer in plan.index_writers:
                writer(db, source_id)
            moves.extend((str(tmp), str(final)) for tmp, final in temps)
            payload = {"moves": moves, "inbox_file": str(plan.inbox_file), "sha256": plan.sha256}
            db.execute("INSERT INTO journal (payload, created_at) VALUES (?, ?)", (json.dumps(payload), now()))
            entry_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
    except BaseException:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise
    apply_entry(index, entry_id, payload)
    return ids


def apply_entry(index: Index, entry_id: int, payload: dict) -> None:
    """Carry out a committed journal entry; safe to repeat after a crash at any point."""
    for src, dst in payload["moves"]:
        src_p, dst_p = Path(src), Path(dst)
        if src_p.exists():
            dst_p.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src_p, dst_p)
    inbox_file = Path(payload["inbox_file"])
    # Remove the inbox copy only if it is still the same content: a new file dropped under
    # the same name after the crash must not be lost.
    if inbox_file.exists() and sha256_file(inbox_file) == payload["sha256"]:
        inbox_file.unlink()
    index.delete_journal(entry_id)


def recover(index: Index, roots: list[Path]) -> int:
    """Finish interrupted filings and remove orphaned temporary files. Returns entries redone."""
    entries = index.journal_entries()
    for entry_id, payload in entries:
        apply_entry(index, entry_id, payload)
    for root in roots:
        if root.exists():
            for tmp in root.rglob(f"*{TMP_SUFFIX}"):
                tmp.unlink(missing_ok=True)
    return len(entries)
