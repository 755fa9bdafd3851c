"""The streaming, bounded, multi-process engine behind ``fast.render_batch``.

Records are read from the caller's iterable in chunks only as workers free up, so at most
``workers * IN_FLIGHT_PER_WORKER`` chunks exist at any time and memory stays flat however long
the batch. Each worker process compiles the template once (in the pool initializer) and sends
back only the failures of a chunk, never the rendered documents.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from pipeline.errors import ZhibuError
from pipeline.render.fast import (
    BatchResult,
    CompiledTemplate,
    RecordFailure,
    bound_docx_template,
    render_record,
)

CHUNK_SIZE = 16  # records per task: amortises pickling and IPC, still balances two workers well
IN_FLIGHT_PER_WORKER = 2  # one chunk being rendered, one waiting, per worker
MAX_POOL_RESTARTS = 3
CRASH_MESSAGE = "渲染进程意外退出（可能是内存不足），无法确认这条记录是否已生成，请重新生成。"

Record = tuple[int, Any, Path]

_worker_template: CompiledTemplate | None = None


def _init_worker(path: str, autoescape: bool) -> None:
    global _worker_template
    _worker_template = CompiledTemplate(path, autoescape=autoescape)


def _render_chunk(chunk: list[Record]) -> tuple[list[RecordFailure], int, int]:
    assert _worker_template is not None
    failures = [f for i, ctx, dest in chunk if (f := render_record(_worker_template, i, ctx, dest))]
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


def _render_here(compiled: CompiledTemplate, chunk: list[Record], result: BatchResult) -> None:
    for i, ctx, dest in chunk:
        if failure := render_record(compiled, i, ctx, dest):
            result.failures.append(failure)


def run_batch(
    template: Path, jobs: Iterable[tuple[Mapping[str, Any], Any]], *, workers: int, autoescape: bool
) -> BatchResult:
    # Compiling here first makes a broken template fail once, before any worker starts.
    compiled = CompiledTemplate(template, autoescape=autoescape)
    result = BatchResult()
    if workers <= 1:
        for chunk in _chunks(jobs):
            result.total += len(chunk)
            _render_here(compiled, chunk, result)
    else:
        with _Dispatcher(template, autoescape, workers, compiled, result) as dispatcher:
            for chunk in _chunks(jobs):
                result.total += len(chunk)
                # Objects bound to a DocxTemplate (InlineImage, Subdoc) cannot travel to another
                # process; those records are rendered here.
                bound = [bound_docx_template(ctx) is not None for _, ctx, _ in chunk]
                _render_here(compiled, [r for r, b in zip(chunk, bound, strict=True) if b], result)
                if remote := [r for r, b in zip(chunk, bound, strict=True) if not b]:
                    dispatcher.submit(remote)
    result.failures.sort(key=lambda f: f.index)
    return result


class _Dispatcher:
    """A process pool with a bounded number of chunks in flight; restarts a crashed pool."""

    def __init__(
        self, template: Path, autoescape: bool, workers: int, compiled: CompiledTemplate, result: BatchResult
    ) -> None:
        self._args = (str(template), autoescape)
        self._workers = workers
        self._compiled = compiled
        self._result = result
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
                _render_here(self._compiled, chunk, self._result)
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
