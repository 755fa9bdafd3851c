"""The checks an input passes before it is read: is it a file at all, is it new.

``arrive`` takes the input's fingerprint (SHA-256, and size/time, checked again at the commit:
``InputChanged``); ``settled_meanwhile`` and ``drop_duplicate`` end the inputs that need no
filing of their own. Nothing here reads an input's content beyond hashing it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pipeline.errors import InputError
from pipeline.filing.arrival import Arrival, kind_hint
from pipeline.filing.outcome import Outcome, Status
from pipeline.filing.session import Session
from pipeline.fs.files import file_signature, sha256_file
from pipeline.inbox import is_regular, not_a_file
from pipeline.learn import photos
from pipeline.records.archived import SourceRow

log = logging.getLogger("zhibu.filing")


def settled_meanwhile(session: Session, path: Path, name: str) -> Outcome | None:
    """The outcome of an input that needs no filing of its own, else None: its own filing, left
    waiting for a locked file, has just been finished; or it is a photo that goes with its note."""
    if session.finish_pending() and not os.path.lexists(path):
        return Outcome(name, Status.DUPLICATE, warnings=["此前已登记的归档刚刚完成，收件箱里的这份已移除"])
    if waits := photos.waiting_reason(path, session.ws.inbox, name):  # a photo or a later scanned page
        return Outcome(name, Status.RETRY, error=waits)
    return None


def arrive(path: Path, name: str, inbox: Path) -> Arrival:
    """The input's fingerprint; ``InputError`` for a shortcut, a pipe, a device or a folder that
    cannot be read."""
    if path.is_symlink():
        raise InputError(
            "这是一个快捷方式（符号链接），不是文件本身",
            hint="请把文件本身复制到收件箱，而不是放快捷方式。",
        )
    if not is_regular(path):
        raise not_a_file(path)
    signature = file_signature(path)  # checked again before the commit (InputChanged)
    return Arrival(path, name, sha256_file(path), signature, kind_hint(path, inbox))


def archived_intact(root: Path, earlier: SourceRow | None) -> bool:
    """The earlier filing of the same content still has its archived copy on disk, unchanged (the
    input's own bytes, or the copy with personal columns blanked). Only then is a duplicate removed."""
    if earlier is None or not earlier.archived_path:
        return False
    copy = root / earlier.archived_path
    if copy.is_symlink() or not copy.is_file():
        return False
    try:
        return sha256_file(copy) in {earlier.sha256, earlier.archived_sha256}
    except OSError:
        return False


def stale_copy_warning(earlier: SourceRow) -> str:
    return (
        f"此前归档过内容相同的文件，但归档副本「{earlier.archived_path}」已不在（或已被改动），"
        "这次重新归档，收件箱里的这份没有删除"
    )


def drop_duplicate(arrival: Arrival) -> Outcome:
    """The same content was filed before: the copy in the inbox is removed, nothing is filed."""
    arrival.path.unlink()
    log.info("「%s」与已归档的文件内容完全相同，已移除这份副本", arrival.name)
    return Outcome(arrival.name, Status.DUPLICATE, warnings=["内容与已归档的文件完全相同，已忽略这份副本"])
