"""The watcher's loop: events and scans in, one complete file at a time out to ``file_input``.

Threads: watchdog's threads only queue hints (``observer.HintHandler``). Everything else —
stat, settle, processing, printing — happens on the thread that calls ``Watcher.run``, one
file at a time. There is no second consumer, so nothing is processed twice at once; a file
that was filed is gone from the inbox, so a late or repeated event for it finds nothing.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import StorageError
from pipeline.filing.outcome import Outcome
from pipeline.filing.run import file_input
from pipeline.filing.session import Session
from pipeline.fs.settle import SettleTracker
from pipeline.inbox import printable, scan_inbox, wanted
from pipeline.watch.observer import Hint, HintHandler, ObserverSupervisor
from pipeline.watch.report import error_line, notice_line, outcome_line

log = logging.getLogger("zhibu.watch")

MAX_WAIT = 0.5  # longest sleep: keeps Ctrl-C responsive where waits are not interruptible
HEALTH_EVERY = 2.0  # how often the observer's threads are checked


@dataclass
class WatchStats:
    counts: Counter = field(default_factory=Counter)  # outcome status -> files
    errors: int = 0  # unexpected exceptions (file kept, retried)
    restarts: int = 0

    @property
    def handled(self) -> int:
        return sum(self.counts.values())


class Watcher:
    """Watches the inbox of the session's workspace until ``request_stop``."""

    def __init__(
        self,
        session: Session,
        *,
        settle: float,
        polling: bool,
        rescan: float,
        echo: Callable[[str], None] = print,
        clock: Callable[[], float] = time.monotonic,
        health_every: float = HEALTH_EVERY,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_started: Callable[[Watcher], None] | None = None,
    ):
        self.session = session
        self.ws = session.ws
        self.inbox = self.ws.inbox
        self.settle = settle
        self.rescan_every = rescan
        self.echo = echo
        self.clock = clock
        self.health_every = health_every
        self.on_outcome = on_outcome
        self.on_started = on_started
        self.stats = WatchStats()
        self._hints: queue.SimpleQueue[Hint] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.stop_reason: str | None = None
        self.tracker = SettleTracker(settle, clock=clock)
        self.supervisor = ObserverSupervisor(
            self.inbox,
            HintHandler(self._hints, self._wake),
            polling=polling,
            poll_interval=min(0.5, max(0.1, settle / 2)),
            incident=self._incident,
            make_folder=self.ws.ensure_folders,
        )
        self.started = threading.Event()  # set once the observer runs and the first scan is done
        self._loop_error_reported = False
        self.storage_error: StorageError | None = None  # a StorageError that stopped the watcher
        self._unreadable_seen: set[Path] = set()  # unreadable folders already handled once

    # --- control ---------------------------------------------------------------------------

    def request_stop(self, reason: str = "stop") -> None:
        """Finish the current file, then stop. Safe from a signal handler or another thread."""
        if self.stop_reason is None:
            self.stop_reason = reason
        self._stop.set()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # --- the loop --------------------------------------------------------------------------

    def run(self) -> WatchStats:
        # Watch first, then scan: a file dropped between the two is seen by one or the other.
        self.supervisor.start()
        self.tracker.set_track_writers(self.supervisor.tracks_writers)
        log.info(
            "开始监视 %s（发现方式 %s，文件静止 %.2f 秒后处理，每 %.0f 秒完整检查一次）",
            self.inbox,
            self.supervisor.mode,
            self.settle,
            self.rescan_every,
        )
        try:
            self._scan(self.inbox, sort=True)
            self.started.set()
            if self.on_started:
                self.on_started(self)
            now = self.clock()
            next_rescan, next_health = now + self.rescan_every, now + self.health_every
            while not self._stop.is_set():
                try:
                    next_rescan, next_health = self._step(next_rescan, next_health)
                except Exception:  # never let a bug in the loop stop the watcher
                    log.exception("监视循环中发生内部错误")
                    if not self._loop_error_reported:
                        self._loop_error_reported = True
                        self._say(
                            notice_line("监视过程中发生内部错误，已记录到 .zhibu/zhibu.log，监视继续进行。")
                        )
                    self._wake.wait(1.0)
                    self._wake.clear()
        finally:
            self.started.set()
            self.supervisor.stop()
        log.info("停止监视（%s）：%s", self.stop_reason, dict(self.stats.counts))
        return self.stats

    def _step(self, next_rescan: float, next_health: float) -> tuple[float, float]:
        """One turn of the loop: take in events, scan or check when due, process one file or wait."""
        self._drain_hints()
        now = self.clock()
        if now >= next_health:
            next_health = now + self.health_every
            if self.supervisor.check(now):
                self.stats.restarts += 1
                self.tracker.set_track_writers(self.supervisor.tracks_writers)
                next_rescan = now  # events may have been missed while it was down
        if now >= next_rescan:
            # without a working observer, scanning is all we have: scan often
            watching = self.supervisor.observer is not None
            next_rescan = now + (self.rescan_every if watching else min(self.rescan_every, 2.0))
            self._scan(self.inbox)
            self.tracker.prune_held()
            self.session.finish_pending()  # a file Word held open may be free by now
        self.tracker.poll()
        self._report_busy()
        item = self.tracker.next_ready()
        if item is not None:
            self._process(*item)
            return next_rescan, next_health
        due = self.tracker.due_in()
        timeout = min(MAX_WAIT, next_rescan - now, next_health - now, due if due is not None else MAX_WAIT)
        self._wake.wait(max(0.0, timeout))
        self._wake.clear()
        return next_rescan, next_health

    def _say(self, line: str) -> None:
        """Print, never fail: a closed console must not stop the filing."""
        try:
            self.echo(line)
        except Exception:
            log.info("（屏幕输出失败）%s", line)

    # --- intake ----------------------------------------------------------------------------

    def _wanted(self, path: Path) -> bool:
        """Inside the inbox, not in 失败/, no lock/temp/hidden file or folder on the way."""
        return wanted(self.inbox, path)

    def _drain_hints(self) -> None:
        while True:
            try:
                hint = self._hints.get_nowait()
            except queue.Empty:
                return
            try:
                self._apply_hint(hint)
            except Exception:  # pragma: no cover - a bad hint must not stop the watcher
                log.exception("无法处理文件事件 %r", hint)

    def _apply_hint(self, hint: Hint) -> None:
        src = Path(hint.path)
        if hint.event == "moved":
            self._gone(src, hint.is_directory)
            if hint.dest:
                self._arrived(Path(hint.dest), "moved", hint.is_directory)
            return
        if hint.event == "deleted":
            if src == self.inbox:
                self.supervisor.make_folder()
            self._gone(src, hint.is_directory)
            return
        self._arrived(src, hint.event, hint.is_directory)

    def _gone(self, path: Path, is_directory: bool) -> None:
        if not self._wanted(path):
            return
        if is_directory:
            for known in [p for p in self.tracker.candidates if path in p.parents]:
                self.tracker.forget(known)
        else:
            self.tracker.observe(path, "deleted")  # stats it: recreated meanwhile → a change

    def _arrived(self, path: Path, event: str, is_directory: bool) -> None:
        if not self._wanted(path):
            return
        if is_directory or (path.is_dir() and not path.is_symlink()):
            if event in ("created", "moved"):
                self._scan(path)  # a folder dropped in: its files may get no events of their own
            return
        self.tracker.observe(path, event)

    def _scan(self, folder: Path, sort: bool = False) -> None:
        """Every input below ``folder`` (``pipeline.inbox.scan_inbox``) to the settle tracker.

        A subfolder that cannot be read is filed once (that sets it aside in
        失败/ with a reason); if even that fails it is reported once, not at every rescan."""
        scan = scan_inbox(self.inbox, folder, sort=sort)
        for path in scan.files:
            self.tracker.observe(path, None)
        for path in scan.unreadable:
            if path not in self._unreadable_seen:
                self._unreadable_seen.add(path)
                self._process(path, None)

    # --- processing ------------------------------------------------------------------------

    def _process(self, path: Path, before) -> None:
        name = printable(path.relative_to(self.inbox).as_posix())
        if before is not None and path in self.session.waiting_inputs():
            self.tracker.done(path, before)  # filed already; its last step waits for a locked file
            return
        try:
            outcome = file_input(self.session, path)
        except Exception as exc:  # file_input turns per-file errors into outcomes; a last resort
            if problem := self.session.storage_problem(exc):
                # A full or read-only disk: stop, leaving this input and the rest in the inbox.
                log.warning("磁盘出现问题，停止监视：%s", exc)
                self.storage_error = problem
                self._say(notice_line(problem.render()))
                self.request_stop("storage")
                return
            log.exception("处理「%s」时发生内部错误", name)
            self.stats.errors += 1
            self._say(error_line(name, exc))
        else:
            self.stats.counts[outcome.status] += 1
            self._say(outcome_line(outcome))
            if self.on_outcome:
                self.on_outcome(outcome)
        if before is not None:
            self.tracker.done(path, before)

    def _report_busy(self) -> None:
        while self.tracker.busy_reports:
            path = self.tracker.busy_reports.pop(0)
            name = printable(path.relative_to(self.inbox).as_posix())
            self._say(
                notice_line(
                    f"文件「{name}」正被其他程序占用（可能还在复制，或在 Word/WPS 中打开），"
                    "关闭或复制完成后会自动处理。"
                )
            )

    def _incident(self, code: str, detail: str) -> None:
        if code == "fallback":
            text = f"系统文件通知无法启动（{detail}），已改用定时轮询收件箱，处理会稍慢一些。"
        elif code == "restarted":
            text = "文件监视线程意外停止，已自动重新启动；期间放入的文件会通过重新扫描找到。"
        else:
            text = f"文件监视线程无法重新启动（{detail}），将每隔几秒重试；在此期间靠定期扫描发现新文件。"
        log.warning("文件监视线程出现问题（%s）：%s", code, detail)
        self._say(notice_line(text))
