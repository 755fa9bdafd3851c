"""When is a dropped file complete? The settle tracker.

A file is handed to ``file_input`` only when all of these hold:

* its size, mtime and inode have not changed for ``settle`` seconds (measured from the last
  change *we observed*, by stat or by a file-system event: an event for the file counts as a
  change even when stat cannot tell, e.g. on a file system with a 2-second mtime);
* with inotify (Linux), no writer is known to have it open: a ``modified`` event without the
  ``closed`` (IN_CLOSE_WRITE) that follows it means a program is still writing, however long
  it pauses. A lost close event (inotify queue overflow) is covered by ``writer_grace``;
* an empty file waits for its close event (inotify) or ``empty_grace``: a copy often creates
  the file first and writes it later;
* it can be opened for reading, and on Windows for *exclusive* access: Explorer, a USB copy or
  Word keeps a file locked while it is being written, and size/mtime alone may be stable
  during such a copy (the size is set up front).

The tracker is plain data and a clock: the watcher feeds it stat results through
``observe`` (events and scans), asks ``poll`` to check whatever is due, and takes complete
files one at a time with ``next_ready``, which re-checks the file just before handing it out.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import stat
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("zhibu.watch")

OK, BUSY, MISSING = "ok", "busy", "missing"


@dataclass(frozen=True)
class Signature:
    kind: str  # file | link | dir | other
    size: int
    mtime_ns: int
    ino: int


def signature(path: Path) -> Signature | None:
    """What a file looks like now (without following links); None if it is gone."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    mode = st.st_mode
    kind = (
        "file"
        if stat.S_ISREG(mode)
        else "link"
        if stat.S_ISLNK(mode)
        else "dir"
        if stat.S_ISDIR(mode)
        else "other"
    )
    return Signature(kind, st.st_size, st.st_mtime_ns, st.st_ino)


def probe_open(path: Path) -> str:
    """Can the file be read now? ``busy`` while another program holds it (Windows locks)."""
    if sys.platform == "win32":  # the form type checkers read as "Windows only"
        return _probe_windows(path)
    try:
        with open(path, "rb"):
            pass
    except FileNotFoundError:
        return MISSING
    except OSError:
        return OK  # a permission problem is not a copy in progress: its filing reports it
    return OK


_ERROR_FILE_NOT_FOUND, _ERROR_PATH_NOT_FOUND = 2, 3


def _probe_windows(path: Path) -> str:  # pragma: no cover - Windows only
    """Open for reading with no sharing at all: fails while any other handle is open."""
    if sys.platform != "win32":
        raise OSError("Windows only")
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    create = kernel32.CreateFileW
    create.argtypes = [
        wintypes.LPCWSTR,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.LPVOID,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.HANDLE,
    ]
    create.restype = wintypes.HANDLE
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    generic_read, share_none, open_existing, attribute_normal = 0x80000000, 0, 3, 0x80
    handle = create(str(path), generic_read, share_none, None, open_existing, attribute_normal, None)
    if handle is None or handle == wintypes.HANDLE(-1).value:
        error = ctypes.get_last_error()
        if error in (_ERROR_FILE_NOT_FOUND, _ERROR_PATH_NOT_FOUND):
            return MISSING
        return BUSY  # 32 sharing violation, 33 lock violation, 5 access denied / delete pending
    kernel32.CloseHandle(handle)
    return OK


@dataclass
class Candidate:
    path: Path
    seq: int
    sig: Signature
    changed_at: float
    due: float = 0.0
    ready: bool = False
    writing: bool = False  # inotify: modified, and no close-after-write since
    closed: bool = False  # inotify: a close-after-write was seen
    busy_since: float | None = None
    busy_reported: bool = False


class SettleTracker:
    """Files seen in the inbox, until each one is complete (or gone)."""

    def __init__(
        self,
        settle: float,
        *,
        clock: Callable[[], float],
        track_writers: bool = False,
        probe: Callable[[Path], str] = probe_open,
        writer_grace: float | None = None,
        empty_grace: float | None = None,
        busy_report_after: float = 30.0,
        busy_give_up: float = 600.0,
        retry_after: float = 60.0,
    ):
        self.settle = settle
        self.clock = clock
        self.track_writers = track_writers
        self.probe = probe
        self.writer_grace = writer_grace if writer_grace is not None else max(60.0, 10 * settle)
        self.empty_grace = empty_grace if empty_grace is not None else max(10.0, 3 * settle)
        self.busy_report_after = busy_report_after
        self.busy_give_up = busy_give_up
        self.retry_after = retry_after
        self.candidates: dict[Path, Candidate] = {}
        # Files already handled but that are still there unchanged (they could not be moved):
        # left alone until they change or ``retry_after`` passes, never in a hot loop.
        self.held: dict[Path, tuple[Signature, float]] = {}
        self.busy_reports: list[Path] = []  # locked for a long time: the watcher tells the user
        self._ready: deque[Path] = deque()
        self._heap: list[tuple[float, int, Path]] = []
        self._seq = itertools.count()

    def set_track_writers(self, on: bool) -> None:
        """Close events come (inotify) or not (after a fall-back to polling: stop waiting for them)."""
        self.track_writers = on
        if not on:
            for cand in self.candidates.values():
                cand.writing = False

    # --- input -----------------------------------------------------------------------------

    def observe(self, path: Path, event: str | None = None, *, quiet_for: float = 0.0) -> None:
        """A scan found ``path`` (event None) or an event named it (created, modified, moved,
        closed, deleted). Stats it and updates what we know. ``quiet_for``: how long a file seen
        for the first time is known not to have changed (by its mtime; ``zhibu run``)."""
        now = self.clock()
        sig = signature(path)
        if sig is None or sig.kind == "dir":
            self.forget(path)
            return
        held = self.held.get(path)
        if held is not None:
            if held[0] == sig and now < held[1]:
                return
            del self.held[path]
        cand = self.candidates.get(path)
        if cand is None:
            cand = Candidate(
                path, next(self._seq), sig, changed_at=now - min(max(quiet_for, 0.0), self.settle)
            )
            self.candidates[path] = cand
            if self.track_writers and (event == "modified" or (event == "created" and sig.size == 0)):
                cand.writing = True
            self._schedule(cand, cand.changed_at + self.settle)
            return
        if event == "closed":
            cand.writing, cand.closed = False, True
        elif event == "modified" and self.track_writers:
            cand.writing = True
        if sig != cand.sig or event in ("created", "modified", "moved", "deleted"):
            cand.sig, cand.changed_at, cand.ready = sig, now, False
            self._schedule(cand, now + self.settle)
        elif event == "closed" and not cand.ready:
            self._schedule(cand, max(now, cand.changed_at + self.settle))

    def forget(self, path: Path) -> None:
        """Gone (deleted, moved away) before it was complete: forgotten quietly."""
        if self.candidates.pop(path, None) is not None:
            log.debug("「%s」在处理前已被移走或删除，不再等待", path)
        self.held.pop(path, None)

    def prune_held(self) -> None:
        for path in [p for p in self.held if signature(p) is None]:
            del self.held[path]

    # --- checking --------------------------------------------------------------------------

    def _schedule(self, cand: Candidate, due: float) -> None:
        cand.due = due
        heapq.heappush(self._heap, (due, cand.seq, cand.path))

    def due_in(self) -> float | None:
        """Seconds until the next check is due (0 if something is ready), None if nothing waits."""
        if self._ready:
            return 0.0
        while self._heap:
            due, seq, path = self._heap[0]
            cand = self.candidates.get(path)
            if cand is None or cand.seq != seq or cand.due != due or cand.ready:
                heapq.heappop(self._heap)  # stale entry
                continue
            return max(0.0, due - self.clock())
        return None

    def poll(self) -> None:
        """Check every candidate that is due; complete ones join the ready queue."""
        now = self.clock()
        while self._heap and self._heap[0][0] <= now:
            due, seq, path = heapq.heappop(self._heap)
            cand = self.candidates.get(path)
            if cand is None or cand.seq != seq or cand.due != due or cand.ready:
                continue
            self._check(cand, now)

    def _check(self, cand: Candidate, now: float) -> None:
        sig = signature(cand.path)
        if sig is None or sig.kind == "dir":
            self.forget(cand.path)
            return
        if sig != cand.sig:
            cand.sig, cand.changed_at = sig, now
            self._schedule(cand, now + self.settle)
            return
        quiet = now - cand.changed_at
        if quiet < self.settle:
            self._schedule(cand, cand.changed_at + self.settle)
            return
        if cand.writing:
            if quiet < self.writer_grace:
                self._schedule(cand, cand.changed_at + self.writer_grace)  # or sooner, on its close event
                return
            log.warning("「%s」已 %.0f 秒没有变化但仍被打开写入，现在处理", cand.path, quiet)
        if sig.size == 0 and not cand.closed and quiet < self.empty_grace:
            self._schedule(cand, cand.changed_at + self.empty_grace)
            return
        if sig.kind == "file":
            probe = self.probe(cand.path)
            if probe == MISSING:
                self.forget(cand.path)
                return
            if probe == BUSY:
                cand.busy_since = cand.busy_since if cand.busy_since is not None else now
                busy_for = now - cand.busy_since
                if busy_for >= self.busy_report_after and not cand.busy_reported:
                    cand.busy_reported = True
                    self.busy_reports.append(cand.path)
                if busy_for < self.busy_give_up:
                    self._schedule(cand, now + min(2.0, max(0.2, self.settle)))
                    return
                log.warning("「%s」已被占用 %.0f 秒，仍然交给处理", cand.path, busy_for)
        cand.ready = True
        self._ready.append(cand.path)

    # --- output ----------------------------------------------------------------------------

    def next_ready(self) -> tuple[Path, Signature] | None:
        """The oldest complete file, re-checked just now, or None. It leaves the tracker."""
        while self._ready:
            path = self._ready.popleft()
            cand = self.candidates.get(path)
            if cand is None or not cand.ready:
                continue
            sig = signature(path)
            if sig is None or sig.kind == "dir":
                self.forget(path)
                continue
            if sig != cand.sig:  # changed after it was found complete: settle again
                now = self.clock()
                cand.sig, cand.changed_at, cand.ready = sig, now, False
                self._schedule(cand, now + self.settle)
                continue
            del self.candidates[path]
            return path, sig
        return None

    def done(self, path: Path, before: Signature) -> None:
        """After processing: normally the file is gone. If it is still there, either it was
        saved again meanwhile (settle again) or it could not be moved (hold it for a while)."""
        sig = signature(path)
        if sig is None:
            return
        if sig == before:
            self.held[path] = (sig, self.clock() + self.retry_after)
        else:
            self.observe(path, "modified")

    @property
    def waiting(self) -> int:
        return len(self.candidates)


def complete_files(
    paths: list[Path],
    settle: float,
    *,
    wait: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> tuple[list[Path], list[Path]]:
    """``zhibu run``: which of ``paths`` are complete, by the watcher's rule (size, mtime and inode
    unchanged for ``settle`` seconds, and the file can be opened: exclusively, on Windows). A file
    whose mtime is ``settle`` seconds old is complete at once; one still changing is waited for at
    most ``wait`` seconds. Returns (complete in the order given, still being written)."""
    inf = float("inf")  # a file held open by another program is never taken: it is still being written
    tracker = SettleTracker(settle, clock=clock, empty_grace=settle, busy_report_after=inf, busy_give_up=inf)
    wall = time.time()
    for path in paths:
        sig = signature(path)
        age = wall - sig.mtime_ns / 1e9 if sig is not None else 0.0
        tracker.observe(path, quiet_for=age if age > 0 else 0.0)
    deadline, done = clock() + wait, set()
    while True:
        tracker.poll()
        while (taken := tracker.next_ready()) is not None:
            done.add(taken[0])
        due = tracker.due_in()
        if due is None or clock() >= deadline:
            break
        sleep(min(max(due, 0.01), max(deadline - clock(), 0.0), 0.25))
    writing = [p for p in paths if p in tracker.candidates]
    return [
        p for p in paths if p in done or (p not in tracker.candidates and signature(p) is not None)
    ], writing
