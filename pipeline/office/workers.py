"""N LibreOffice workers converting chunks of files, each file checked, retried and published.

* **Many files per start.** Starting LibreOffice costs about a second; one start converts a
  whole chunk (``--convert-to pdf --outdir OUT a.docx b.docx ...``).
* **Workers in parallel**, each with its own profile and temporary folder (two LibreOffice
  processes cannot share a profile); they take chunks from one queue. With few files each
  worker gets one chunk, so a small job costs one start per worker.
* **Every file copied to a short ASCII name** in a per-chunk folder (``0001.docx``...), with
  everything that reaches outside the document removed (``isolate``): same-named inputs cannot
  overwrite each other's output, odd characters cannot trip LibreOffice, no ``.~lock`` file is
  left beside the secretary's original, and no URL or outside file is fetched.
* **Exit codes are not trusted.** LibreOffice exits 0 when it skipped a file, so each expected
  output is checked (a PDF pypdf can read, a zip package that opens).
* **A retry alone.** A file that failed is retried on its own, so one bad file costs one extra
  start and never blocks the files after it. After a crash, the first file without output is
  the suspect (LibreOffice works in argument order); the files after it go on without losing a
  try. A file LibreOffice hung on is not retried: the batch goes on without it.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ConverterError, Location
from pipeline.fs.files import publish
from pipeline.fs.leftovers import OFFICE_PREFIX, owned_temp_dir
from pipeline.office.inputs import SHEET_FILTERS, valid_output
from pipeline.office.isolate import REFUSED_HINT, isolated_copy
from pipeline.office.soffice import Run, fontconfig_file, new_profile, run_soffice

log = logging.getLogger("zhibu.office")

RETRY_HINT = (
    "请用 Word 或 WPS 打开该文件检查；能打开时，另存为新的 .docx 再试，或在 Word/WPS 中选择“文件→导出为PDF”。"
)


@dataclass
class ConversionResult:
    """What one conversion call produced: outputs by input, and a Chinese error per failed input."""

    pdfs: dict[Path, Path] = field(default_factory=dict)
    failures: dict[Path, ConverterError] = field(default_factory=dict)
    #: How many times LibreOffice was started (the benchmark and the logs report it).
    starts: int = 0
    #: Inputs LibreOffice hung on (killed by the watchdog, not retried).
    stalled: list[Path] = field(default_factory=list)


@dataclass
class Job:
    source: Path  # as given by the caller
    index: int  # position among the distinct inputs; names the temp copy
    infilter: str | None
    dest: Path
    attempts: int = 0


@dataclass
class Plan:
    """What every worker needs to know."""

    soffice: Path
    convert_to: str
    suffix: str
    stall: float
    retries: int
    chunk_size: int
    total: int
    progress: Callable[[int, int], None] | None
    durable: bool = True  # fsync each output (False for intermediate files)


def _error(job: Job, message: str, hint: str | None = RETRY_HINT) -> ConverterError:
    return ConverterError(message, hint=hint, location=Location(file=job.source.name))


class Pool:
    def __init__(self, plan: Plan, jobs: list[Job], result: ConversionResult) -> None:
        self.plan = plan
        self.result = result
        # One --infilter per start: jobs with the same filter go together (stable order).
        self.fresh: deque[Job] = deque(sorted(jobs, key=lambda j: (j.infilter or "", j.index)))
        self.jobs = jobs
        self.lock = threading.Lock()
        self.crash: str = ""
        self.cancel = threading.Event()  # set on Ctrl-C: every LibreOffice is killed, workers stop

    def run(self, workers: int) -> None:
        if workers <= 1:
            self._guarded_worker()
        else:
            threads = [threading.Thread(target=self._guarded_worker, daemon=True) for _ in range(workers)]
            for t in threads:
                t.start()
            try:
                for t in threads:
                    t.join()
            except BaseException:
                self.cancel.set()
                for t in threads:
                    t.join(timeout=10)
                raise
        # A worker that died (disk full, temp folder unwritable) leaves its files unaccounted for.
        for job in self.jobs:
            if job.source not in self.result.pdfs and job.source not in self.result.failures:
                message = f"转换时出错（{self.crash or '未知原因'}），未能转换"
                hint = "请检查磁盘空间和临时文件夹的写入权限后重试。"
                self.result.failures[job.source] = _error(job, message, hint)

    def _guarded_worker(self) -> None:
        try:
            self._worker()
        except Exception as exc:  # noqa: BLE001 - reported per file by run()
            log.exception("LibreOffice 转换进程出错")
            self.crash = f"{type(exc).__name__}: {exc}"

    # --- shared state (under the lock) ----------------------------------------------------

    def _take(self) -> list[Job]:
        with self.lock:
            if not self.fresh:
                return []
            chunk = [self.fresh.popleft()]
            while (
                self.fresh
                and len(chunk) < self.plan.chunk_size
                and self.fresh[0].infilter == chunk[0].infilter
            ):
                chunk.append(self.fresh.popleft())
            return chunk

    def _give_back(self, jobs: list[Job]) -> None:
        with self.lock:
            self.fresh.extendleft(reversed(jobs))

    def _done(self, job: Job, output: Path | None = None, error: ConverterError | None = None) -> None:
        with self.lock:
            if output is not None:
                self.result.pdfs[job.source] = output
            elif error is not None:
                self.result.failures[job.source] = error
            if self.plan.progress:
                self.plan.progress(len(self.result.failures) + len(self.result.pdfs), self.plan.total)

    # --- one worker ---------------------------------------------------------------------------

    def _worker(self) -> None:
        with owned_temp_dir(OFFICE_PREFIX) as root:
            fontconfig = fontconfig_file(root)
            generation, batch_no = 0, 0
            profile = new_profile(root, generation)
            alone: deque[Job] = deque()  # retries run one file per start
            while not self.cancel.is_set():
                chunk = [alone.popleft()] if alone else self._take()
                if not chunk:
                    return
                batch_no += 1
                batch = root / f"batch{batch_no:04d}"
                try:
                    broken = self._convert(batch, profile, fontconfig, chunk, alone)
                finally:
                    shutil.rmtree(batch, ignore_errors=True)
                if broken:
                    # A killed LibreOffice can leave its profile locked or half-written.
                    shutil.rmtree(profile, ignore_errors=True)
                    generation += 1
                    profile = new_profile(root, generation)

    def _copy_inputs(self, batch: Path, chunk: list[Job]) -> list[tuple[Job, Path]]:
        (batch / "in").mkdir(parents=True)
        (batch / "out").mkdir()
        ready = []
        for job in chunk:
            tmp_in = batch / "in" / f"{job.index + 1:04d}{job.source.suffix.lower() or '.bin'}"
            try:
                refusal = isolated_copy(job.source, tmp_in, job.infilter)
            except OSError as exc:
                refusal = f"文件无法读取（{exc.strerror or exc}）"
            if refusal:
                self._done(job, error=_error(job, f"{refusal}，无法转换", REFUSED_HINT))
            else:
                ready.append((job, tmp_in))
        return ready

    def _convert(self, batch: Path, profile: Path, fontconfig, chunk: list[Job], alone: deque) -> bool:
        """Convert one chunk; True when LibreOffice had to be killed or crashed."""
        ready = self._copy_inputs(batch, chunk)
        if not ready:
            return False
        plan = self.plan
        infilter = ready[0][0].infilter  # one per chunk (``_take``)
        convert_to = plan.convert_to
        if plan.suffix == ".pdf" and infilter in SHEET_FILTERS:
            convert_to = "pdf:calc_pdf_Export"  # Writer's PDF filter cannot export a spreadsheet
        run = run_soffice(
            plan.soffice,
            profile,
            [p for _, p in ready],
            batch / "out",
            infilter=infilter,
            convert_to=convert_to,
            stall=plan.stall,
            fontconfig=fontconfig,
            cancel=self.cancel,
        )
        with self.lock:
            self.result.starts += 1
        missing: list[tuple[Job, bool]] = []
        for job, tmp_in in ready:
            produced = batch / "out" / (tmp_in.stem + plan.suffix)
            if not valid_output(produced):
                missing.append((job, produced.exists()))
                continue
            try:
                self._done(job, output=publish(job.dest, source=produced, durable=plan.durable))
            except OSError as exc:
                message = f"无法写入转换结果「{job.dest.name}」（{exc.strerror or exc}）"
                hint = "请检查输出文件夹的写入权限和磁盘空间；如果该文件正在被打开，请先关闭。"
                self._done(job, error=_error(job, message, hint))
        if not missing:
            return not run.clean
        if run.clean:
            for job, invalid in missing:
                self._charge(job, _failure_text(run, invalid), alone)
            return False
        # Stuck or crashed: LibreOffice works in argument order, so the first file without
        # output is the suspect; the files after it were never tried.
        (suspect, invalid), *untried = missing
        if run.stalled:
            with self.lock:
                self.result.stalled.append(suspect.source)
            self._done(suspect, error=_error(suspect, _failure_text(run, invalid, plan.stall)))
        else:
            self._charge(suspect, _failure_text(run, invalid), alone)
        self._give_back([job for job, _ in untried])
        return True

    def _charge(self, job: Job, reason: str, alone: deque) -> None:
        job.attempts += 1
        if job.attempts <= self.plan.retries:
            alone.append(job)
        else:
            self._done(job, error=_error(job, f"{reason}，无法转换为 {self.plan.suffix[1:].upper()}"))


def _failure_text(run: Run, produced_invalid: bool, stall: float = 0) -> str:
    if run.stalled:
        return f"LibreOffice 超过 {stall:g} 秒没有进展（转换卡住），已强制结束，跳过了这个文件"
    if produced_invalid:
        return "LibreOffice 生成的文件无效（空文件或没有页面）"
    if run.returncode not in (0, None):
        return f"LibreOffice 意外退出（退出代码 {run.returncode}）"
    return "LibreOffice 无法打开这个文件（可能已损坏、设置了打开密码或格式不受支持）"
