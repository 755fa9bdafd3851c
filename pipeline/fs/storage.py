"""Faults of the disk itself: full, read-only, no permission to write the workspace.

Such a fault is not the input's fault. Sending the input to 失败/ as an "internal error" would
be wrong (and usually fails too, on the same disk): the run stops with a Chinese message and
every input not yet filed stays in the inbox, untouched, to be processed once the disk is fixed.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

from pipeline.errors import Location, StorageError
from pipeline.inbox import printable

# Always the disk's fault, whatever file it was about.
DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
# The disk's fault when zhibu was writing its own places (outbox/, 失败/, .zhibu/, templates/);
# reading an input without permission is the input's problem (it goes to 失败/ with a reason).
WRITE_ERRNOS = {errno.EACCES, errno.EPERM}
# ENOSPC with this much space left is no lack of space: the file system is out of inodes.
PLENTY_FREE = 64 * 1024 * 1024
SQLITE_WORDS = ("disk is full", "readonly database", "disk I/O error", "unable to open database")


def storage_problem(
    exc: BaseException, root: Path | None = None, inputs: Path | None = None
) -> StorageError | None:
    """A StorageError when ``exc`` (or its cause) is a fault of the disk under workspace ``root``
    (without ``root``: only a full or read-only disk)."""
    if isinstance(exc, StorageError):
        return exc
    seen = 0
    link: BaseException | None = exc
    while link is not None and seen < 5:
        if isinstance(link, OSError) and _is_disk_fault(link, root, inputs):
            return _message(link, root)
        if isinstance(link, sqlite3.OperationalError) and any(w in str(link) for w in SQLITE_WORDS):
            return _message(link, root)
        link, seen = link.__cause__ or link.__context__, seen + 1
    return None


def _is_disk_fault(exc: OSError, root: Path | None, inputs: Path | None) -> bool:
    if exc.errno in DISK_ERRNOS:
        return True
    if exc.errno not in WRITE_ERRNOS or root is None:
        return False
    names = [n for n in (exc.filename, exc.filename2) if n]
    if not names:
        return False
    target = Path(str(names[-1]))
    inside_inbox = inputs is not None and _under(target, inputs) and "失败" not in target.parts
    return _under(target, root) and not inside_inbox


def _under(path: Path, root: Path) -> bool:
    try:
        path.absolute().relative_to(root)
        return True
    except ValueError:
        return False


def _message(exc: BaseException, root: Path | None) -> StorageError:
    code = getattr(exc, "errno", None)
    if code != getattr(errno, "EDQUOT", None) and _out_of_files(exc, root):
        what, hint = (
            "磁盘上的文件数量已达上限（还有空间，但不能再新建文件），无法写入归档",
            "这个磁盘（或 U 盘）能存放的文件个数已经用完：请删除不需要的文件（特别是大量的小文件），"
            "或把工作区移到别的磁盘后，重新运行 zhibu run（或 zhibu watch）。",
        )
    elif (
        code == errno.ENOSPC
        or code == getattr(errno, "EDQUOT", None)
        or "full" in str(exc)
        or _nearly_full(root)
    ):
        what, hint = (
            "磁盘空间已满，无法写入归档",
            "请删除不需要的文件、腾出磁盘空间后，重新运行 zhibu run（或 zhibu watch）。",
        )
    elif code == errno.EROFS or "readonly" in str(exc):
        what, hint = (
            "工作区所在的磁盘是只读的，无法写入归档",
            "请确认 U 盘/网络盘没有写保护、可以写入后，重新运行。",
        )
    else:
        what, hint = (
            "没有权限写入工作区的文件夹（outbox、inbox/失败 或 .zhibu）",
            "请检查这些文件夹的权限（属性 → 安全），确认可以写入后重新运行。",
        )
    where = getattr(exc, "filename", None)
    file = _relative(Path(str(where)), root) if where else None
    return StorageError(
        f"{what}。本次处理已停止，尚未处理的文件都原样留在收件箱",
        hint=hint,
        location=Location(file=file),
    )


def _relative(path: Path, root: Path | None) -> str:
    if root is None:
        return printable(str(path))
    try:
        return printable(path.absolute().relative_to(root).as_posix())
    except ValueError:
        return printable(str(path))


def _out_of_files(exc: BaseException, root: Path | None) -> bool:
    """No file can be created for want of inodes, not of space: the file system of the file
    being written (or of the workspace) has none left, or said ENOSPC with ample blocks free."""
    where = getattr(exc, "filename", None)
    enospc = getattr(exc, "errno", None) == errno.ENOSPC
    for folder, blocks_tell in ((Path(str(where)) if where else None, enospc), (root, False)):
        stats = _statvfs(folder)
        if stats is None:
            continue
        if stats.f_files > 0 and stats.f_favail == 0:
            return True
        if blocks_tell and stats.f_bavail * stats.f_frsize >= PLENTY_FREE:
            return True
    return False


def _statvfs(path: Path | None) -> os.statvfs_result | None:
    """The file system of ``path`` (its nearest existing folder); None where there is no statvfs."""
    if path is None or not hasattr(os, "statvfs"):
        return None
    for folder in (path, *path.parents):
        try:
            return os.statvfs(folder)
        except OSError:
            continue
    return None


def _nearly_full(root: Path | None) -> bool:
    """SQLite says only "disk I/O error" when it cannot grow its files: look at the disk itself."""
    try:
        return shutil.disk_usage(root or Path.cwd()).free < 256 * 1024
    except OSError:
        return False
