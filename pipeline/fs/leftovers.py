"""Temporary places zhibu makes, and the start-up sweep that removes what a crash left behind.

Every temporary folder and every half-written file carries the id of the process that made
it (``zhibu-office-<pid>-<random>``, ``.<name>.<pid>-<random>.zhibu-partial``). A crash
(kill -9, power loss, a closed console window) leaves them behind; the sweep at the next
start removes every one whose process is gone and leaves the ones of a live process alone
(``zhibu print`` running beside ``zhibu watch``). Places:

* the system temp folder: ``zhibu-office-*`` (LibreOffice profiles and copies of documents),
  ``zhibu-volume-*`` (a volume being built) and ``zhibu-legacy-*`` (a .doc/.xls being read);
* the workspace's ``.zhibu/`` folder: ``volume-*``, ``pdf-*``, ``legacy-*`` and
  ``rerender-*`` (the last made only under the workspace lock, so a sweep that holds the lock
  removes them whatever their name);
* the archive trees: ``*.zhibu-partial`` files of :func:`pipeline.fs.files.publish`.

Names without a process id (made by older versions) are removed once they are old enough that
no run can still be using them.

A folder may name a process to end with it (``KILL_FILE``: a LibreOffice left running by a
killed zhibu); on Linux it is ended only if its command line names that folder, so a reused
process id never hits an unrelated program.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline.fs.files import PARTIAL_SUFFIX

log = logging.getLogger("zhibu.fs")

OFFICE_PREFIX = "zhibu-office-"
VOLUME_PREFIX = "zhibu-volume-"
LEGACY_PREFIX = "zhibu-legacy-"
OCR_PREFIX = "zhibu-ocr-"
SYSTEM_PREFIXES = (OFFICE_PREFIX, VOLUME_PREFIX, LEGACY_PREFIX, OCR_PREFIX)
STATE_PREFIXES = ("volume-", "pdf-", "legacy-", "rerender-")
#: Made only by a holder of the workspace lock: orphans when the sweeper holds it.
LOCKED_PREFIXES = ("rerender-",)
KILL_FILE = "owner-process.pid"
ORPHAN_EXIT_SECONDS = 5.0  # how long a killed LibreOffice may take to stop before its folder goes
#: Untagged leftovers of older versions are removed once this old (seconds).
UNTAGGED_AGE = 6 * 3600

_TAG = re.compile(r"(\d+)-[0-9a-z_]{6,}")
_PARTIAL_TAG = re.compile(r"\.(\d+)-[0-9a-f]{8}" + re.escape(PARTIAL_SUFFIX) + "$")


@contextlib.contextmanager
def owned_temp_dir(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A fresh temporary folder named after this process, removed at the end."""
    if parent is not None:
        Path(parent).mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """True when a process with this id runs (this process counts; unknown means alive)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(name: str, prefix: str) -> int | None:
    match = _TAG.match(name[len(prefix) :])
    return int(match.group(1)) if match else None


def _old(path: Path) -> bool:
    try:
        return time.time() - path.lstat().st_mtime > UNTAGGED_AGE
    except OSError:
        return False


def _end_orphan_process(folder: Path) -> None:
    """End the process a dead owner left running in ``folder`` (Linux: only if it names it)."""
    try:
        pid = int((folder / KILL_FILE).read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if str(folder).encode() not in cmdline:
        return
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
        log.warning("已结束上次异常退出的 zhibu 留下的 LibreOffice 进程 %d", pid)
    # It writes its temporary files in this folder: the folder goes once it has stopped.
    deadline = time.monotonic() + ORPHAN_EXIT_SECONDS
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _remove(path: Path) -> bool:
    if path.is_dir() and not path.is_symlink():
        if sys.platform.startswith("linux"):
            _end_orphan_process(path)
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
    return not os.path.lexists(path)


def _orphan(path: Path, prefix: str, holds_lock: bool) -> bool:
    if holds_lock and prefix in LOCKED_PREFIXES:
        return True
    owner = _owner(path.name, prefix)
    return _old(path) if owner is None else not pid_alive(owner)


def _sweep_folder(folder: Path, prefixes: Sequence[str], holds_lock: bool) -> list[Path]:
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        prefix = next((p for p in prefixes if path.name.startswith(p)), None)
        if prefix and _orphan(path, prefix, holds_lock) and _remove(path):
            removed.append(path)
    return removed


def _sweep_partials(tree: Path) -> list[Path]:
    removed: list[Path] = []
    if not tree.is_dir():
        return removed
    for path in tree.rglob(f"*{PARTIAL_SUFFIX}"):
        match = _PARTIAL_TAG.search(path.name)
        orphan = _old(path) if match is None else not pid_alive(int(match.group(1)))
        if orphan and _remove(path):
            removed.append(path)
    return removed


def sweep_leftovers(
    *,
    state: Path | None = None,
    trees: Sequence[Path] = (),
    holds_lock: bool = False,
    system_temp: Path | None = None,
) -> list[Path]:
    """Remove the temporary files and folders of zhibu processes that no longer run.

    ``state`` is the workspace's ``.zhibu`` folder, ``trees`` the folders publish writes into
    (outbox, templates…), ``holds_lock`` whether the caller holds the workspace lock.
    Returns what was removed; never raises for a place it cannot read or remove.
    """
    removed = _sweep_folder(Path(system_temp or tempfile.gettempdir()), SYSTEM_PREFIXES, holds_lock)
    if state is not None:
        removed += _sweep_folder(Path(state), STATE_PREFIXES, holds_lock)
    for tree in trees:
        removed += _sweep_partials(Path(tree))
    if removed:
        log.info("已清理上次中断留下的 %d 个临时文件：%s", len(removed), removed)
    return removed


def sweep_workspace(ws: Any, *, holds_lock: bool) -> list[Path]:
    """The sweep for one workspace (its ``.zhibu`` folder, outbox, inbox and templates; a
    ``pipeline.workspace.Workspace``, which sits above fs)."""
    return sweep_leftovers(state=ws.state, trees=[ws.outbox, ws.inbox, ws.templates], holds_lock=holds_lock)
