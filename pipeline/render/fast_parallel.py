"""The streaming, bounded, multi-process engine behind ``fast.render_batch``.

Records are read from the caller's iterable in chunks only as workers free up, so at most
``workers * IN_FLIGHT_PER_WORKER`` chunks exist at any time and memory stays flat however long
the batch. Each worker process builds its renderer once (in the pool initializer, e.g. compiles
the template) and sends back only the failures of a chunk, never the rendered documents.

The engine knows nothing about templates: ``fast`` passes it a picklable factory for the
renderer and the function that renders one record, so this module never imports ``fast``.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ZhibuError

CHUNK_SIZE = 16  # records per task: amortises pickling and IPC, still balances two workers well
IN_FLIGHT_PER_WORKER = 2  # one chunk being rendered, one waiting, per worker
MAX_POOL_RESTARTS = 3
CRASH_MESSAGE = "渲染进程意外退出（可能是内存不足），无法确认这条记录是否已生成，请重新生成。"

Record = tuple[int, Any, Path]


@dataclass(frozen=True)
class RecordFailure:
    """One record that could not be rendered; ``message`` is the Chinese error text."""

    index: int
    dest: Path
    message: str


@dataclass
class BatchResult:
    """How a batch went: records read, the ones that failed (by index), workers' peak memory."""

    total: int = 0
    failures: list[RecordFailure] = field(default_factory=list)
    # Peak resident memory (bytes) each worker process reported, by pid; empty for one job.
    worker_peak_rss: dict[int, int] = field(default_factory=dict)

    @property
    def succeeded(self) -> int:
        return self.total - len(self.failures)

    @property
    def ok(self) -> bool:
        return not self.failures


# Renders one record with a renderer; any error comes back as a RecordFailure, never raised.
RenderOne = Callable[[Any, int, Any, Path], "RecordFailure | None"]

_worker: tuple[Any, RenderOne] | None = None


def _init_worker(make_renderer: Callable[[], Any], render_one: RenderOne) -> None:
    global _worker
    _worker = (make_renderer(), render_one)


def _render_chunk(chunk: list[Record]) -> tuple[list[RecordFailure], int, int]:
    assert _worker is not None
    renderer, render_one = _worker
    failures = [f for i, ctx, dest in chunk if (f := render_one(renderer, i, ctx, dest))]
    return failures, os.getpid(), peak_rss()


def peak_rss() -> int:
    """This process's peak resident memory in bytes (0 where the OS does not tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


def _mp_context() -> multiprocessing.context.BaseContext:
    # fork starts workers fastest but is only safe while this process has no other threads
    # (zhibu watch runs watchdog threads); forkserver forks from a clean single-threaded server.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")
    return multiprocessing.get_context("spawn")


def _chunks(jobs: Iterable[tuple[Mapping[str, Any], Any]]) -> Iterator[list[Record]]:
    records = ((i, ctx, Path(dest)) for i, (ctx, dest) in enumerate(jobs))
    while chunk := list(itertools.islice(records, CHUNK_SIZE)):
        yield chunk


class _Local:
    """The renderer of this process, for one job or for records that must stay here."""

    def __init__(self, renderer: Any, render_one: RenderOne, result: BatchResult) -> None:
        self.renderer, self.render_one, self.result = renderer, render_one, result

    def render(self, chunk: list[Record]) -> None:
        for i, ctx, dest in chunk:
            if failure := self.render_one(self.renderer, i, ctx, dest):
                self.result.failures.append(failure)


def run_batch(
    renderer: Any,
    make_renderer: Callable[[], Any],
    render_one: RenderOne,
    jobs: Iterable[tuple[Mapping[str, Any], Any]],
    *,
    workers: int,
    stays_here: Callable[[Any], bool] = lambda ctx: False,
) -> BatchResult:
    """Render every job; ``renderer`` (already built, so a broken template has failed once before
    any worker starts) serves this process, ``make_renderer`` (picklable) builds one per worker.
    Records whose context ``stays_here`` (objects that cannot travel to another process) are
    rendered in this process."""
    result = BatchResult()
    local = _Local(renderer, render_one, result)
    if workers <= 1:
        for chunk in _chunks(jobs):
            result.total += len(chunk)
            local.render(chunk)
    else:
        with _Dispatcher((make_renderer, render_one), workers, local) as dispatcher:
            for chunk in _chunks(jobs):
                result.total += len(chunk)
                here = [stays_here(ctx) for _, ctx, _ in chunk]
                local.render([r for r, h in zip(chunk, here, strict=True) if h])
                if remote := [r for r, h in zip(chunk, here, strict=True) if not h]:
                    dispatcher.submit(remote)
    result.failures.sort(key=lambda f: f.index)
    return result


class _Dispatcher:
    """A process pool with a bounded number of chunks in flight; restarts a crashed pool."""

    def __init__(self, initargs: tuple, workers: int, local: _Local) -> None:
        self._args = initargs
        self._workers = workers
        self._local = local
        self._result = local.result
        self._pending: dict[Future, tuple[list[Record], ProcessPoolExecutor]] = {}
        self._restarts = 0
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self._workers, mp_context=_mp_context(), initializer=_init_worker, initargs=self._args
        )

    def __enter__(self) -> _Dispatcher:
        return self

    def __exit__(self, exc_type, *_) -> None:
        try:
            if exc_type is None:
                while self._pending:
                    self._collect()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, chunk: list[Record]) -> None:
        while len(self._pending) >= self._workers * IN_FLIGHT_PER_WORKER:
            self._collect()
        try:
            future = self._pool.submit(_render_chunk, chunk)
        except BrokenProcessPool:  # a worker died after the last collect; nothing was sent
            self._restart()
            future = self._pool.submit(_render_chunk, chunk)
        self._pending[future] = (chunk, self._pool)

    def _collect(self) -> None:
        done, _ = wait(self._pending, return_when=FIRST_COMPLETED)
        for future in done:
            chunk, pool = self._pending.pop(future)
            try:
                failures, pid, rss = future.result()
            except BrokenProcessPool:
                # Which record killed the worker is unknowable; every chunk in flight is lost.
                self._result.failures.extend(RecordFailure(i, dest, CRASH_MESSAGE) for i, _, dest in chunk)
                if pool is self._pool:  # the first lost chunk of this crash replaces the pool
                    self._restart()
            except Exception:
                # Not a record error (those come back as failures): the chunk could not be sent
                # or returned, e.g. an unpicklable context. Render it here instead.
                self._local.render(chunk)
            else:
                self._result.failures.extend(failures)
                workers_rss = self._result.worker_peak_rss
                workers_rss[pid] = max(rss, workers_rss.get(pid, 0))

    def _restart(self) -> None:
        self._restarts += 1
        if self._restarts > MAX_POOL_RESTARTS:
            raise ZhibuError(
                "渲染进程多次意外退出，批量生成已停止。", hint="请检查内存是否充足，或减少并行进程数后重试。"
            )
        # A broken pool has already failed all its futures; they are collected as they come.
        self._pool.shutdown(wait=False)
        self._pool = self._new_pool()
