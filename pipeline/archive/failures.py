"""Rejected inputs: moved to inbox/失败/ with a reason file beside them, never deleted."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from pipeline.archive.commit import apply_entry
from pipeline.errors import ArchiveError, InputChanged
from pipeline.fs.files import atomic_write_text, unique_path
from pipeline.store import Store

REASON_SUFFIX = ".原因.txt"


def reason_text(file_name: str, message: str) -> str:
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        f"文件：{file_name}\n"
        f"时间：{stamp}\n"
        f"结果：未能处理，原文件已移到本文件夹，没有丢失。\n\n"
        f"原因：\n{message}\n\n"
        f"改正后，把文件重新放回 inbox 文件夹即可（本说明文件可以删除）。\n"
    )


_REASON_LINES = ("文件：", "时间：", "结果：")


def is_reason_file(path: Path) -> bool:
    """One of zhibu's own reason files: named ``*.原因.txt`` and starting as ``reason_text`` writes
    them (文件：/时间：/结果： and an 原因： line). A note that is only named so is not one."""
    if not path.name.endswith(REASON_SUFFIX):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024).decode("utf-8-sig", "replace")
    except OSError:
        return False
    lines = head.splitlines()
    return (
        len(lines) >= 5
        and all(line.startswith(start) for line, start in zip(lines, _REASON_LINES, strict=False))
        and "原因：" in lines
    )


def reason_name(file_name: str, limit: int = 250) -> str:
    """``<原文件名>.原因.txt``, shortened when the file name is already near the file-system limit."""
    name = file_name
    while len((name + REASON_SUFFIX).encode("utf-8")) > limit:
        name = name[:-2] + "…"
    return name + REASON_SUFFIX


def move_to_failed(
    index: Store, failed_dir: Path, inbox_file: Path, display_name: str, message: str, sha: str | None
) -> Path:
    """Write the reason first, then journal the failure row and the move, then move the input.

    A crash before the commit leaves the input in the inbox (processed again; its reason file
    is rewritten in place). After the commit, recovery finishes the move
    (``pipeline.archive.commit.apply_entry``), so the row and the file never disagree.
    """
    identity = _identity(inbox_file)
    text = reason_text(display_name, message)
    failed_dir.mkdir(parents=True, exist_ok=True)
    # The name as it is printed (a GBK name decoded), so that the row and the message name it truly.
    target = unique_path(failed_dir / safe_entry_name(Path(display_name).name or inbox_file.name))
    reason = target.with_name(reason_name(target.name))
    atomic_write_text(reason, text)
    with index.transaction():
        failure_id = index.insert_failure(sha, display_name, str(target), message)
        payload = {
            "moves": [[str(inbox_file), str(target), sha]],
            "inbox_file": None,
            "sha256": sha,
            "failure_id": failure_id,
        }
        entry_id = index.add_journal(payload)
    try:
        apply_entry(index, entry_id, payload)
    except OSError:
        # The move itself failed (no right to move it, a locked file): nothing was moved, so
        # undo the entry and the row; the input stays where it is and the error is reported.
        if os.path.lexists(inbox_file) and not os.path.lexists(target):
            index.delete_journal(entry_id)
            index.delete_failure(failure_id)
            reason.unlink(missing_ok=True)
        raise
    if not os.path.lexists(target):  # saved again while it was being processed: a new input now
        reason.unlink(missing_ok=True)
        index.delete_failure(failure_id)
        raise InputChanged(display_name)
    if identity is not None and _identity(inbox_file) == identity:
        # The move did not happen (the name in 失败/ was taken in the meantime): say so, keep
        # the input where it is, and keep no row for a move that was not made.
        reason.unlink(missing_ok=True)
        index.delete_failure(failure_id)
        raise ArchiveError(
            f"无法把文件「{display_name}」移到 inbox/{failed_dir.name}/（同名文件已存在），文件仍在收件箱",
            hint="请清理 inbox/失败/ 中的同名文件后重新运行。",
        )
    return target


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.lstat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def safe_entry_name(name: str) -> str:
    """A name that can be a file in 失败/: ``.`` and ``..`` cannot, an empty one neither."""
    return name if name.strip(".") or len(name) > 2 else f"{name}（未命名）"
