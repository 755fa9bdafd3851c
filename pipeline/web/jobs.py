"""Long work started from a page (a term batch, a bound volume, a PDF view): one thread each, its
progress kept for the page that polls it.

A job is identified by a random id (no guessing another's). One job of a kind runs per branch at
a time: a second click while one runs shows the running one instead of starting again.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("zhibu.web")

RUNNING, DONE, FAILED = "running", "done", "failed"
KEEP_SECONDS = 3600  # finished jobs are forgotten after an hour


@dataclass
class Job:
    id: str
    key: tuple  # (branch, kind, what): one running job per key
    title: str
    state: str = RUNNING
    done: int = 0
    total: int = 0
    step: str = ""
    result: object = None
    error: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None

    @property
    def seconds(self) -> int:
        return int((self.ended or time.monotonic()) - self.started)

    @property
    def percent(self) -> int | None:
        return int(100 * self.done / self.total) if self.total else None

    def progress(self, done: int, total: int, step: str = "") -> None:
        self.done, self.total, self.step = done, total, step


class Jobs:
    def __init__(self, explain: Callable[[BaseException], tuple[list[str], list[str]]]):
        """``explain(error)`` turns a failure into (what went wrong, what to do), in Chinese."""
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._explain = explain

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def running(self, key: tuple) -> Job | None:
        with self._lock:
            return next((j for j in self._jobs.values() if j.key == key and j.state == RUNNING), None)

    def start(self, key: tuple, title: str, work: Callable[[Job], object]) -> Job:
        """Run ``work(job)`` in a thread; its return value becomes ``job.result``."""
        with self._lock:
            self._forget_old()
            for job in self._jobs.values():
                if job.key == key and job.state == RUNNING:
                    return job
            job = Job(secrets.token_urlsafe(12), key, title)
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job, work), name=f"job {title}", daemon=True).start()
        return job

    def _run(self, job: Job, work: Callable[[Job], object]) -> None:
        try:
            job.result = work(job)
            job.state = DONE
        except Exception as exc:  # shown on the page in Chinese; the details go to the log
            log.info("job %s failed: %r", job.title, exc)
            job.error, job.advice = self._explain(exc)
            job.state = FAILED
        finally:
            job.ended = time.monotonic()

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id in [i for i, j in self._jobs.items() if j.ended and now - j.ended > KEEP_SECONDS]:
            del self._jobs[job_id]
