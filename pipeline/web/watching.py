"""The watcher of one workspace in a thread of the web server.

The run itself (``backend.watch``: the filing session and Watcher of ``zhibu watch``) must live in one
thread from start to end: the workspace lock belongs to the thread that took it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

LOCKED = "locked"  # what ``run`` returns when another zhibu holds the workspace


class WatchSession:
    """``start`` runs ``run(started)`` in a thread and waits until the watcher watches (True) or
    the run ended at once: another zhibu holds the lock, or the workspace cannot be used
    (False; ``error`` says why in Chinese). ``stop`` finishes the file at hand, then ends."""

    def __init__(self, name: str, run: Callable[[Callable[[object], None]], str]):
        self.name = name
        self._run_watch = run
        self.watcher = None
        self.thread: threading.Thread | None = None
        self.result: str | None = None
        self._ready = threading.Event()

    def start(self) -> bool:
        self._ready.clear()
        self.result = None
        self.thread = threading.Thread(target=self._run, name=f"watch {self.name}", daemon=True)
        self.thread.start()
        self._ready.wait()
        return self.result is None

    def _started(self, watcher) -> None:
        self.watcher = watcher
        self._ready.set()

    def _run(self) -> None:
        try:
            self.result = self._run_watch(self._started)
        finally:
            self._ready.set()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.request_stop("web")
        if self.thread is not None:
            self.thread.join()
        self.watcher = None

    @property
    def locked(self) -> bool:
        return self.result == LOCKED

    @property
    def error(self) -> str:
        return "" if self.result in (None, LOCKED) else self.result

    @property
    def running(self) -> bool:
        return bool(self.thread and self.thread.is_alive() and self.result is None)
