"""File-system events from watchdog, reduced to hints, with a supervisor that keeps them coming.

What watchdog (7.x) actually reports, and what we make of it:

* inotify reports a file moved in from outside the watched tree as *created* (no *moved*
  event: the move's source is unknown), and a move within the tree as *moved* (src → dest).
  A folder moved in gives a *created* event for the folder and watchdog synthesises *created*
  events for what it finds inside; on Windows the children of a moved-in folder may get no
  events at all. So every folder event makes the watcher scan that folder itself.
* inotify's IN_CLOSE_WRITE arrives as *closed* (``FileClosedEvent``): the writer is done.
  Other back ends never send it, so the tracker uses it only with the inotify observer.
* Events are hints, never the truth: the tracker stats the path. Anything lost (inotify
  queue overflow, a network share that sends nothing) is found by the periodic rescan.
* If an emitter thread dies (the watched folder deleted or renamed, a network share gone,
  an error inside watchdog), ``observer.is_alive()`` may still be True: the supervisor checks
  the emitters too, and starts a fresh observer (falling back to polling if the native one
  cannot start).

The handler runs on watchdog's dispatcher thread; it only queues hints (an exception there
would kill that thread), and the watcher's own thread does all the work.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

log = logging.getLogger("zhibu.watch")

# Our own reads of the files produce these; they say nothing about a file being complete.
QUIET_EVENTS = {"opened", "closed_no_write", "attrib"}


@dataclass(frozen=True)
class Hint:
    event: str  # created | modified | moved | deleted | closed
    path: str
    dest: str | None = None
    is_directory: bool = False


class HintHandler(FileSystemEventHandler):
    """Turns watchdog events into hints on a queue and wakes the watcher."""

    def __init__(self, hints: queue.SimpleQueue, wake: threading.Event):
        super().__init__()
        self.hints = hints
        self.wake = wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            if event.event_type in QUIET_EVENTS:
                return
            if event.is_directory and event.event_type == "modified":
                return  # "something changed in this folder": the file's own event follows
            dest = getattr(event, "dest_path", "") or None
            self.hints.put(
                Hint(
                    event.event_type,
                    os.fsdecode(event.src_path),
                    os.fsdecode(dest) if dest else None,
                    event.is_directory,
                )
            )
            self.wake.set()
        except Exception:  # pragma: no cover - must never kill watchdog's dispatcher thread
            log.exception("无法记下文件事件 %r", event)


def native_observer_class():
    from watchdog.observers import Observer

    return Observer


def polling_observer_class():
    from watchdog.observers.polling import PollingObserver

    return PollingObserver


def is_inotify(observer) -> bool:
    try:
        from watchdog.observers.inotify import InotifyObserver
    except Exception:  # pragma: no cover - not Linux
        return False
    return isinstance(observer, InotifyObserver)


class ObserverSupervisor:
    """Owns the watchdog observer of the inbox; restarts it when a thread of it has died."""

    def __init__(
        self,
        folder: Path,
        handler: FileSystemEventHandler,
        *,
        polling: bool,
        poll_interval: float = 1.0,
        incident: Callable[[str, str], None] | None = None,
        make_folder: Callable[[], None] | None = None,
    ):
        self.folder = folder
        self.handler = handler
        self.polling = polling
        self.poll_interval = poll_interval
        self.incident = incident or (lambda code, detail: None)
        self.make_folder = make_folder or (lambda: folder.mkdir(parents=True, exist_ok=True))
        self.observer = None
        self.restarts = 0
        self.fell_back = False
        self._failures = 0  # restart attempts failed in a row
        self._retry_at = 0.0

    @property
    def mode(self) -> str:
        if self.observer is None:
            return "none"
        return "polling" if self.polling or self.fell_back else type(self.observer).__name__

    @property
    def tracks_writers(self) -> bool:
        """Close-after-write events are reported (inotify): the tracker may wait for them."""
        return self.observer is not None and is_inotify(self.observer)

    def _build(self, polling: bool):
        if polling:
            observer = polling_observer_class()(timeout=self.poll_interval)
        else:
            observer = native_observer_class()()
        observer.schedule(self.handler, str(self.folder), recursive=True)
        observer.start()
        return observer

    def start(self) -> None:
        """Start watching. Raises if even the polling observer cannot start."""
        self.make_folder()
        if self.polling or self.fell_back:
            self.observer = self._build(True)
            return
        try:
            self.observer = self._build(False)
        except Exception as exc:
            # e.g. the inotify watch limit (ENOSPC) on a big tree, or no native back end
            log.warning("系统文件通知无法启动（%s），改用定时轮询", exc)
            self.fell_back = True
            self.incident("fallback", f"{type(exc).__name__}: {exc}")
            self.observer = self._build(True)

    def healthy(self) -> bool:
        obs = self.observer
        if obs is None or not obs.is_alive():
            return False
        emitters = list(getattr(obs, "emitters", ()))
        return bool(emitters) and all(e.is_alive() for e in emitters)

    def check(self, now: float) -> bool:
        """Restart a dead observer. True if it was restarted (the caller should rescan)."""
        if self.healthy() or now < self._retry_at:
            return False
        self.restarts += 1
        log.warning("文件监视线程（%s）意外停止，重新启动（第 %d 次）", self.mode, self.restarts)
        self._stop_quietly()
        try:
            self.start()
        except Exception as exc:
            log.warning("文件监视线程无法重新启动：%s", exc, exc_info=True)
            self.observer = None
            self._failures += 1
            self._retry_at = now + min(60.0, 2.0 * 2**self._failures)
            if self._failures == 1:
                self.incident("restart_failed", f"{type(exc).__name__}: {exc}")
            return False
        self._failures, self._retry_at = 0, 0.0
        self.incident("restarted", self.mode)
        return True

    def _stop_quietly(self) -> None:
        obs, self.observer = self.observer, None
        if obs is None:
            return
        try:
            obs.stop()
            obs.join(timeout=5)
        except Exception:  # a broken observer may fail to stop; it is abandoned (daemon threads)
            log.debug("停止已失效的文件监视线程时出错", exc_info=True)

    def stop(self) -> None:
        self._stop_quietly()
