"""Rejected inputs: moved to inbox/失败/ with a reason file beside them, never deleted."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from pipeline.archive.files import atomic_write_text, unique_path
from pipeline.archive.index import Index, now

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


def move_to_failed(index: Index, failed_dir: Path, inbox_file: Path, display_name: str, message: str,
                   sha: str | None) -> Path:
    """Write the reason first, then move the input: a crash in between leaves the input in the inbox."""
    failed_dir.mkdir(parents=True, exist_ok=True)
    target = unique_path(failed_dir / inbox_file.name)
    reason = target.with_name(target.name + REASON_SUFFIX)
    atomic_write_text(reason, reason_text(display_name, message))
    os.replace(inbox_file, target)
    with index.transaction() as db:
        db.execute(
            "INSERT INTO failures (sha256, original_name, failed_path, reason, failed_at) VALUES (?,?,?,?,?)",
            (sha, display_name, str(target), message, now()),
        )
    return target
