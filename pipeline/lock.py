"""The workspace lock: one processor (run, watch, doctor) per workspace at a time.

An OS file lock on ``.zhibu/lock``. On Windows the file cannot be deleted while it is held. On
Linux and macOS it can: a second zhibu would then create a new file, lock it and work beside the
first. So the holder checks, before every filing, that the file on disk is still the one it
locked (same device and inode). If it was deleted or replaced, the holder takes the lock again
on the new file when no one else holds it, or else stops (``LockLostError``), leaving the input
at hand untouched in the inbox: two processors never file at the same time.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.errors import LockLostError

log = logging.getLogger("zhibu.lock")


class WorkspaceLock:
    def __init__(self, path: Path):
        self.path = path
        self._lock = FileLock(str(path))

    def acquire(self, timeout: float = 0) -> None:
        self._lock.acquire(timeout=timeout)

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def still_ours(self) -> bool:
        """The lock is held, on the file that is at ``path`` now."""
        fd = getattr(getattr(self._lock, "_context", None), "lock_file_fd", None)
        if fd is None:
            return False
        try:
            held, there = os.fstat(fd), os.stat(self.path)
        except OSError:
            return False
        return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)

    def ensure(self) -> None:
        """Before a filing: still ours, or taken again; else ``LockLostError``."""
        if self.still_ours():
            return
        log.warning("工作区的锁文件 %s 被删除或替换了", self.path)
        fresh = FileLock(str(self.path))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh.acquire(timeout=0)
        except (Timeout, OSError):
            raise LockLostError(
                "工作区的锁文件（.zhibu/lock）被删除了，而且另一个 zhibu 程序已经在处理这个工作区；"
                "为避免两个程序同时归档，本程序已停止，尚未处理的文件都原样留在收件箱",
                hint="同一个工作区只运行一个 zhibu watch 或 zhibu run；请不要删除 .zhibu 文件夹里的文件。",
            ) from None
        old, self._lock = self._lock, fresh
        try:
            old.release(force=True)
        except OSError:
            pass
