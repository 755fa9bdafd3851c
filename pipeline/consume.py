"""The pipeline for one dropped file: ingest → records → render → archive.

``Processor`` is shared by ``zhibu run`` (everything in the inbox, once) and ``zhibu watch``
(file by file as they arrive). It holds the workspace lock for its whole life, so two
processes never file the same input, and it recovers interrupted filings when it starts.
Every input ends either filed (outputs + original in the archive, rows in the index) or in
``inbox/失败/`` with a reason file; an unexpected error in one file never stops the others.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from filelock import Timeout

from pipeline import scan
from pipeline.archive.commit import (
    FilingPending,
    FilingPlan,
    InputChanged,
    PlannedOutput,
    apply_pending,
    commit_plan,
    recover,
    waiting_files,
)
from pipeline.archive.failures import move_to_failed
from pipeline.errors import (
    ArchiveError,
    InputError,
    Location,
    StorageError,
    WorkspaceLockedError,
    ZhibuError,
)
from pipeline.fs.files import file_signature, inside, render_path, safe_file_name, sha256_file, unique_path
from pipeline.fs.leftovers import sweep_workspace
from pipeline.fs.storage import storage_problem
from pipeline.inbox import is_ignored, is_regular, not_a_file, printable, scan_inbox
from pipeline.ingest import read_input
from pipeline.ingest.result import IngestResult
from pipeline.ingest.sheets import SUFFIXES as SHEET_SUFFIXES
from pipeline.ingest.sheets import RegisterResult
from pipeline.learn import asis, photos
from pipeline.lock import WorkspaceLock
from pipeline.planning import PlanningState, path_values, plan_minutes, roster_cache_enabled
from pipeline.records.meeting import Meeting
from pipeline.records.register_rows import ROSTER, SIGNIN
from pipeline.registers import filing as register_filing
from pipeline.render.minutes import render_docx
from pipeline.store import Store
from pipeline.workspace import Workspace

log = logging.getLogger("zhibu")

__all__ = ["Outcome", "Processor", "is_ignored"]  # is_ignored: the inbox filter (pipeline.inbox)


@dataclass
class Outcome:
    name: str  # the input, relative to inbox/
    status: str  # processed | duplicate | failed | partial | retry
    outputs: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    failed_path: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # register items added, by kind


STATUS_LABELS = {
    "processed": "已处理",
    "duplicate": "重复",
    "failed": "失败",
    "partial": "部分失败",
    "retry": "未处理",
}


class Processor:
    """Files inputs of one workspace. Use as a context manager (takes the lock)."""

    def __init__(self, ws: Workspace, *, lock_timeout: float = 0):
        self.ws = ws
        self._lock = WorkspaceLock(ws.lock_path)
        self._lock_timeout = lock_timeout
        self.index: Store | None = None
        self.recovered = 0
        self.waiting: list[str] = []  # files committed filings still wait for (open in Word …)
        self.stopped: StorageError | None = None  # why process_all stopped early
        self._state: tuple[tuple, PlanningState] | None = None
        self._preread: dict[Path, tuple[tuple, IngestResult]] = {}

    def __enter__(self) -> Processor:
        try:
            self._lock.acquire(timeout=self._lock_timeout)
        except Timeout:
            raise WorkspaceLockedError(
                "另一个 zhibu 程序（watch 或 run）正在处理这个工作区",
                hint="请等它处理完，或关闭正在运行的 zhibu watch 窗口后再试。",
                location=Location(file=str(self.ws.root)),
            ) from None
        try:
            # Reading the planning state validates the whole config before any file is touched.
            self.index = Store(self.ws.index_path)
            self.state()
            self.recovered = recover(self.index, [self.ws.outbox, self.ws.inbox, self.ws.templates])
            if self.recovered:
                log.warning("recovered %d interrupted filings", self.recovered)
            sweep_workspace(self.ws, holds_lock=True)
            self.waiting = waiting_files(self.index, self.ws.root)
        except BaseException as exc:
            self._lock.release()
            if problem := self.storage_problem(exc):
                raise problem from exc
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.index:
            self.index.close()
        self._lock.release()

    # --- finding inputs --------------------------------------------------------------------

    def inbox_files(self) -> list[Path]:
        """Inputs waiting in the inbox and its typed subfolders, oldest first; then the
        subfolders that cannot be read (each is set aside as a whole). A photo dropped with its
        note is filed with the note, not on its own."""
        scan = scan_inbox(self.ws.inbox)
        return [p for p in scan.files if not photos.note_of_photo(p, self.ws.inbox)] + scan.unreadable

    def process_all(self, progress=None) -> list[Outcome]:
        """Every input of the inbox, once. ``progress(total)`` may return a bar (tqdm-like).
        A full or read-only disk stops the run (``self.stopped``): the input at hand and all
        after it stay in the inbox, untouched."""
        self.finish_pending()
        files = self.dependency_order(self.inbox_files())
        bar = progress(len(files)) if progress else None
        outcomes = []
        for path in files:
            try:
                outcomes.append(self.process_safely(path))
            except StorageError as err:
                self.stopped = err
                outcomes.append(Outcome(self.display_name(path), "retry", error=err.render()))
                break
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        return outcomes

    def dependency_order(self, files: list[Path]) -> list[Path]:
        """Rosters first, then sign-in sheets, then everything else (oldest first): the minutes
        of a run are rendered with the registers that came with them. Spreadsheets are read
        here once; ``process`` reuses what was read while the file is unchanged."""
        rank: dict[Path, int] = {}
        for path in files:
            if path.suffix.lower() not in SHEET_SUFFIXES or not is_regular(path):  # a pipe would block
                continue
            try:
                signature = file_signature(path)
                result = self._read(path)
            except (ZhibuError, OSError):
                continue  # reported when the file itself is processed
            self._preread[path] = (signature, result)
            rank[path] = 0 if ROSTER in result.items else 1 if SIGNIN in result.items else 2
        return sorted(files, key=lambda p: rank.get(p, 2))

    def state(self) -> PlanningState:
        """The planning state, read again only when a roster or sign-in sheet was filed."""
        version = (self.index.roster_version(), self.index.signin_version())
        if self._state is None or self._state[0] != version or not roster_cache_enabled():
            self._state = (version, PlanningState.read(self.ws.config, self.index))
        return self._state[1]

    def _read(self, path: Path) -> IngestResult:
        name = self._name(path)
        rel = path.relative_to(self.ws.inbox) if inside(path, self.ws.inbox) else Path(path.name)
        kind_hint = rel.parts[0] if len(rel.parts) > 1 else None
        return read_dropped(path, name, kind_hint, self.ws)

    def _name(self, path: Path) -> str:
        return self.display_name(path)

    def process_safely(self, path: Path) -> Outcome:
        """``process``, plus a last resort: if even moving the input to 失败/ fails (a full disk,
        a file locked by another program), the input stays in the inbox and the others go on."""
        try:
            return self.process(path)
        except Exception as exc:
            if problem := self.storage_problem(exc):
                raise problem from exc
            name = self.display_name(path)
            log.exception("could not process or set aside %s", name)
            return Outcome(
                name,
                "retry",
                error=f"文件「{name}」暂时无法处理，仍留在收件箱（{type(exc).__name__}: {exc}）。"
                "\n处理办法：检查磁盘空间、文件是否被其他程序占用，然后重新运行；详情见 .zhibu/zhibu.log。",
            )

    # --- one file --------------------------------------------------------------------------

    def finish_pending(self) -> bool:
        """Complete filings left waiting for a locked file (cheap when there are none).

        Returns True when there was something to finish."""
        if not self.index.has_journal():
            return False
        for path in apply_pending(self.index):
            log.info("still locked, filing waits: %s", path)
        return True

    def storage_problem(self, exc: BaseException) -> StorageError | None:
        """A full or read-only disk (or no right to write the workspace), as a StorageError."""
        return storage_problem(exc, self.ws.root, self.ws.inbox)

    def display_name(self, path: Path) -> str:
        """The input's name relative to inbox/, printable whatever bytes the name has."""
        rel = path.relative_to(self.ws.inbox).as_posix() if inside(path, self.ws.inbox) else path.name
        return printable(rel)

    def process(self, path: Path) -> Outcome:
        name = self.display_name(path)
        sha = None
        if self.finish_pending() and not (path.exists() or path.is_symlink()):
            # Its own filing was the one waiting: now complete, the inbox copy removed.
            return Outcome(name, "duplicate", warnings=["此前已登记的归档刚刚完成，收件箱里的这份已移除"])
        if waits := photos.waiting_reason(path, self.ws.inbox, name):
            return Outcome(name, "retry", error=waits)
        try:
            if path.is_symlink():
                raise InputError(
                    "这是一个快捷方式（符号链接），不是文件本身",
                    hint="请把文件本身复制到收件箱，而不是放快捷方式。",
                )
            if not is_regular(path):
                raise not_a_file(path)
            signature = file_signature(path)  # checked again before the commit (InputChanged)
            sha = sha256_file(path)
            if self.index.source_by_sha(sha):
                path.unlink()
                log.info("duplicate %s", name)
                return Outcome(name, "duplicate", warnings=["内容与已归档的文件完全相同，已忽略这份副本"])
            cached = self._preread.pop(path, None)
            result = cached[1] if cached and cached[0] == signature else self._read(path)
            return self._file(path, name, sha, result, signature)
        except InputChanged:
            return self._changed(path, name)
        except FilingPending as pending:
            locked = Path(pending.path).name if pending.path else "某个文件"
            log.warning("filed %s; waiting for a locked file: %s", name, pending.path)
            return Outcome(
                name,
                "processed",
                warnings=[
                    f"已登记归档，但「{locked}」正被其他程序（如 Word/WPS）打开，暂时无法替换或移动；"
                    "关闭该文件后，下次处理文件时会自动完成"
                ],
            )
        except StorageError:
            raise
        except ZhibuError as err:
            return self._fail(path, name, sha, err.at(file=name).render())
        except Exception as exc:  # a bug must not lose the input or stop the run
            if self.storage_problem(exc):
                raise  # the disk's fault, not the input's: it stays in the inbox
            if not (path.exists() or path.is_symlink()):
                return self._changed(path, name)
            log.exception("unexpected error while processing %s", name)
            return self._fail(
                path,
                name,
                sha,
                f"文件「{name}」：处理时发生内部错误（{type(exc).__name__}: {exc}）。"
                "\n处理办法：请把此文件和 .zhibu/zhibu.log 发给技术支持人员。",
            )

    def _fail(self, path: Path, name: str, sha: str | None, message: str) -> Outcome:
        outcome = Outcome(name, "failed", error=message)
        if not (path.exists() or path.is_symlink()):
            return self._changed(path, name)
        self._lock.ensure()
        try:
            target = move_to_failed(self.index, self.ws.failed, path, name, message, sha)
        except InputChanged:
            return self._changed(path, name)
        except PermissionError:
            if not path.is_dir() or path.is_symlink():
                raise
            # A folder we may neither read nor move (moving needs the right to write it).
            outcome.status = "retry"
            outcome.error = f"{message}\n这个文件夹也无法移到 inbox/失败/（没有权限），仍留在收件箱。"
            return outcome
        outcome.failed_path = target.relative_to(self.ws.root).as_posix()
        log.info("failed %s: %s", name, message.replace("\n", " "))
        return outcome

    def _changed(self, path: Path, name: str) -> Outcome:
        """Saved again, moved away or deleted while being processed: nothing filed, nothing moved.

        Status "retry": the input was neither filed nor moved; ``zhibu watch`` processes it again
        once it is stable, ``zhibu run`` on its next run (a file that is gone is simply gone:
        the secretary took it back).
        """
        if path.exists() or path.is_symlink():
            log.info("changed while processing %s; left in the inbox", name)
            error = (
                f"文件「{name}」在处理过程中被修改了，本次没有归档，文件仍在收件箱。"
                "\n处理办法：等文件保存完成后再处理一次（zhibu watch 会自动重新处理）。"
            )
        else:
            log.info("vanished while processing %s", name)
            error = f"文件「{name}」在处理过程中被移走或删除了，没有归档。\n处理办法：如需归档，请重新放入收件箱。"
        return Outcome(name, "retry", error=error)

    def _file(self, path: Path, name: str, sha: str, result: IngestResult, signature=None) -> Outcome:
        result.ensure_content()
        plan = FilingPlan(
            root=self.ws.root,
            inbox_file=path,
            sha256=sha,
            original_name=name,
            kind=result.kind,
            original_dest=self._original_dest(path, result),
            signature=signature,
        )
        outcome = Outcome(name, "processed", warnings=list(result.warnings))
        state = self.state()
        filed = register_filing.RegisterFiling()
        if isinstance(result, RegisterResult):
            filed = register_filing.file_register(self.filing_context(), result, plan, outcome)
            if filed.roster is not None:
                state = state.with_roster(filed.roster)
        photos.plan_archive(result, plan, outcome)  # the photos of a note go beside it
        taken: set[Path] = set()
        for meeting in result.meetings:
            planned, warnings = self.plan_meeting(meeting, name, taken, state)
            plan.outputs.append(planned)
            outcome.warnings += warnings
        replanned: set[int] = set()
        for row, meeting in filed.replan:
            if row.id not in replanned:
                replanned.add(row.id)
                planned, warnings = self.plan_meeting(meeting, meeting.source_name, taken, state)
                plan.outputs.append(planned)
                outcome.warnings += warnings
        counted = 0
        for row, meeting in filed.waiting:
            if row.id not in replanned and plan_minutes(meeting, state).row["expected"] is not None:
                replanned.add(row.id)
                planned, warnings = self.plan_meeting(meeting, meeting.source_name, taken, state)
                plan.outputs.append(planned)
                outcome.warnings += warnings
                counted += 1
        if counted:
            outcome.warnings.append(
                f"已按新名册重新生成{counted}份此前缺少应到、实到人数的会议记录，原稿移到历史版本"
            )
        if result.row_errors:
            outcome.status = "partial" if not result.is_empty else "failed"
            outcome.error = "\n".join(e.render() for e in result.row_errors)
        if result.is_empty:
            # Only bad rows: nothing to file; the input goes to the failed folder as a whole.
            return self._fail(path, name, sha, outcome.error or "没有可处理的内容")
        self.commit(plan)
        outcome.outputs = [plan.rel(o.path) for o in plan.outputs]
        outcome.replaced = [plan.rel(h) for o in plan.outputs for _, _, h in o.replaces]
        log.info("filed %s -> %s", name, ", ".join(outcome.outputs) or plan.rel(plan.original_dest))
        return outcome

    def commit(self, plan: FilingPlan) -> None:
        """Write the plan's files and index rows (``zhibu doctor`` replays into the index only)."""
        self._lock.ensure()
        commit_plan(self.index, plan)

    def filing_context(self) -> register_filing.FilingContext:
        return register_filing.FilingContext(self.index, self.ws.root, self.ws.failed, self.ws.config)

    def _original_dest(self, path: Path, result: IngestResult) -> Path:
        day = register_filing.source_day(result, self.ws.config.calendar) or (
            result.meetings[0].date if result.meetings else dt.date.today()
        )
        term = self.ws.config.calendar.term_of(day)
        folder = self.ws.outbox / render_path(
            self.ws.config.archive.originals_dir, path_values(term, day.isoformat())
        )
        target = folder / safe_file_name(
            Path(printable(path.name)).stem, path.suffix.lower(), self.ws.config.archive.max_name_length
        )
        return unique_path(target)

    def plan_meeting(
        self, m: Meeting, source_name: str, taken: set[Path], state: PlanningState | None = None
    ) -> tuple[PlannedOutput, list[str]]:
        """Plan, render and place one meeting's minutes; an older version of the same meeting
        is replaced and moved to the history folder."""
        if state is None or not roster_cache_enabled():
            # The baseline of benchmarks/scale.py (ZHIBU_NO_ROSTER_CACHE=1): the roster and sign-ins
            # read again for every meeting, as before they were read once per version.
            state = self.state()
        planned = plan_minutes(m, state)
        template = self.ws.meeting_template(m.type)
        # A finished record is filed as it is; rendered minutes get the activity's photos.
        data = asis.original_of(m)
        if data is None:
            said = len(planned.meeting.warnings)
            rendered = render_docx(template, planned.context, display_name=f"templates/{template.name}")
            data = photos.embed(rendered, planned.meeting, template=template)
            planned.warnings += planned.meeting.warnings[said:]
        target = self.ws.outbox / planned.rel_path.with_suffix(asis.filed_suffix(m))  # .pdf: a PDF or scan
        if not inside(target, self.ws.outbox):
            raise ArchiveError(
                "归档路径超出了 outbox 文件夹", hint="请检查 zhibu.toml 中的 archive.minutes_path。"
            )
        archive = self.ws.config.archive
        history_dir = self.ws.outbox / render_path(
            archive.history_dir, path_values(planned.term, m.date.isoformat(), m.type.name, m.title)
        )
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        replaces = []
        for row in self.index.same_meeting(m.type.name, m.date.isoformat(), m.topic, source_name):
            old = self.ws.root / row.path
            replaces.append((row.id, old, unique_path(history_dir / f"{stamp} {old.name}", taken)))
        if (target.exists() and target not in {old for _, old, _ in replaces}) or target in taken:
            target = unique_path(target, taken)
        taken.add(target)
        return PlannedOutput(target, data, planned.row, replaces), planned.warnings


def read_dropped(path: Path, name: str, kind_hint: str | None, ws: Workspace) -> IngestResult:
    """Read an input as ``zhibu run`` does (``zhibu check`` too): a scan OCR'd, finished minutes
    filed as they are, else a note or register; a note carries the photos dropped with it."""
    result = (
        scan.read_if_scanned(path, name, ws.inbox, ws.config.scan)  # images, image PDFs
        or asis.read_if_asis(path, name, kind_hint, ws.templates)
        or read_input(path, display_name=name, kind_hint=kind_hint)
    )
    return photos.attach(result, path, ws.inbox)
