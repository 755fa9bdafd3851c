"""What in the inbox is an input: one listing and one filter for ``zhibu run`` and ``zhibu watch``.

An input is any entry of the inbox or of its subfolders (not ``失败/``) that is not a folder:
regular files, links, pipes, devices — whatever the operating system can hold. Only the lock
and temporary files of office programs, sync clients and zhibu itself, and system files
(desktop.ini, .DS_Store …) are skipped. Everything else ends archived or in ``失败/`` with a
reason, so nothing stays in the inbox unnoticed: a name that is not valid text (GBK bytes
from a zip unpacked on Linux), ``..txt`` or ``...`` included.

A subfolder that cannot be read (no permission) cannot be listed; ``scan_inbox`` returns it
separately so that the caller can set it aside or report it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError

IGNORED_NAMES = {"desktop.ini", "thumbs.db", ".ds_store", ".gitkeep", ".localized", ".directory"}
IGNORED_PREFIXES = ("~$", ".~", "~WRL", "._", ".#", ".goutputstream-", ".fuse_hidden", ".nfs", ".Trash")
IGNORED_SUFFIXES = (".tmp", ".zhibu-tmp", ".crdownload", ".part", ".partial", ".download", "#", ".swp")
# A name that starts with a dot is a hidden (system or program) file, except when all it
# has after its dots is a document extension or nothing: "..txt", ".docx", "..." are odd
# names a secretary can make on Windows, and must not be ignored forever.
DOCUMENT_EXTENSIONS = {
    "txt", "md", "markdown", "docx", "doc", "docm", "dotx", "xlsx", "xls", "xlsm", "csv", "et", "wps",
    "pdf", "rtf", "odt", "ods", "zip", "rar", "7z", "jpg", "jpeg", "png",
}  # fmt: skip

# The subfolder of inbox/ where rejected inputs go, each with its reason file.
FAILED_DIR_NAME = "失败"


def is_ignored(path: Path | str) -> bool:
    """Office lock files, temporary and system files: never inputs, never reported."""
    name = Path(path).name
    lower = name.lower()
    if lower in IGNORED_NAMES or name.startswith(IGNORED_PREFIXES) or lower.endswith(IGNORED_SUFFIXES):
        return True
    if name.startswith("."):
        rest = name.lstrip(".").lower()
        if not rest or rest in DOCUMENT_EXTENSIONS:
            return False  # "...", "..txt": an odd name, not a hidden file
        return True  # .DS_Store, rsync's .name.XXXXXX, a hidden folder …
    return False


def wanted(inbox: Path, path: Path) -> bool:
    """Inside the inbox, not in 失败/, no lock/temp/hidden file or folder on the way."""
    try:
        rel = path.relative_to(inbox)
    except ValueError:
        return False
    parts = rel.parts
    if not parts or parts[0] == FAILED_DIR_NAME:
        return False
    return not any(is_ignored(p) for p in parts)


@dataclass
class InboxScan:
    files: list[Path] = field(default_factory=list)  # inputs, oldest first
    unreadable: list[Path] = field(default_factory=list)  # subfolders that could not be listed


def scan_inbox(inbox: Path, folder: Path | None = None, *, sort: bool = True) -> InboxScan:
    """Every input below ``folder`` (default: the whole inbox), not following folder links.

    Links to folders are inputs (filing rejects them as shortcuts); pipes, sockets and
    devices are inputs too (rejected as not being files), so they do not stay forever.
    """
    scan = InboxScan()
    top = folder or inbox

    def onerror(exc: OSError) -> None:
        if exc.filename and Path(exc.filename) != inbox and wanted(inbox, Path(exc.filename)):
            scan.unreadable.append(Path(exc.filename))

    for dirpath, dirnames, filenames in os.walk(top, onerror=onerror):
        here = Path(dirpath)
        links = [d for d in dirnames if (here / d).is_symlink()]
        dirnames[:] = [d for d in dirnames if d not in links and wanted(inbox, here / d)]
        for name in [*filenames, *links]:
            path = here / name
            if wanted(inbox, path):
                scan.files.append(path)
    if sort:
        scan.files.sort(key=lambda p: (mtime(p), str(p)))
    return scan


def list_inputs(inbox: Path) -> list[Path]:
    """Inputs waiting in the inbox and its typed subfolders, oldest first."""
    return scan_inbox(inbox).files


def mtime(path: Path) -> float:
    try:
        return path.lstat().st_mtime
    except OSError:
        return 0.0


def is_regular(path: Path) -> bool:
    """A regular file (not a pipe, socket or device: reading those can block forever)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def printable(name: str) -> str:
    """A file name as text that can always be printed, logged and stored.

    Python keeps bytes that are not UTF-8 as lone surrogates (``\\udcxx``); printing or storing
    those fails. Names written by Chinese Windows zip tools are GBK: decode them as such; any
    other undecodable byte becomes ``?``.
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    raw = os.fsencode(name)
    for encoding in ("gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace").replace("\ufffd", "?")


def not_a_file(path: Path) -> InputError:
    """Why an inbox entry that is not a regular file cannot be processed."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        mode = 0
    if stat.S_ISDIR(mode):
        return InputError(
            "这个文件夹无法打开（没有读取权限），里面的文件都没有处理",
            hint="请在文件夹的“属性 → 安全”里给自己读取权限，或把里面的文件复制出来，再放回收件箱。",
        )
    return InputError(
        "这不是普通文件（是管道、设备或套接字之类的特殊文件），无法读取",
        hint="请把真正的文件（.txt/.docx/.xlsx/.csv）放进收件箱。",
    )
