"""The filing session: one workspace opened for filing, by ``zhibu run``, ``watch`` or ``doctor``.

Opening it (a context manager) takes the workspace lock, so two processes never file at the same
time; reads the planning state, which validates the whole configuration before any file is
touched; finishes the filings a crash interrupted (``pipeline.archive.commit.recover``) and
sweeps what dead runs left behind. While open it lists the inbox in dependency order (rosters,
then sign-in sheets, then the rest, oldest first: the minutes of a run are made with the
registers that came with them), keeping what that ordering read for the filing itself; it keeps
the planning state until a roster or sign-in sheet is filed; and it hands each plan to its
committer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from filelock import Timeout

from pipeline.archive.commit import FilingPlan, apply_pending, recover, waiting_files, waiting_inputs
from pipeline.errors import Location, StorageError, WorkspaceLockedError
from pipeline.filing.arrival import Arrival, kind_hint
from pipeline.filing.committer import JournaledCommitter
from pipeline.filing.planner import Planning
from pipeline.filing.reading import read_dropped
from pipeline.fs.files import file_signature, inside
from pipeline.fs.leftovers import sweep_workspace
from pipeline.fs.settle import complete_files
from pipeline.fs.storage import storage_problem
from pipeline.inbox import is_regular, printable, scan_inbox
from pipeline.ingest.result import IngestResult
from pipeline.ingest.sheets import SUFFIXES as SHEET_SUFFIXES
from pipeline.kinds import ROSTER, SIGNIN
from pipeline.learn import photos
from pipeline.lock import WorkspaceLock
from pipeline.planning import PlanningState, roster_cache_enabled
from pipeline.records.archived import SourceRow
from pipeline.store import Store
from pipeline.workspace import Workspace

log = logging.getLogger("zhibu.filing")


class Session:
    """A workspace opened for filing. ``with Session(ws) as session:`` holds the lock throughout.

    ``busy`` is the error raised when another zhibu holds the lock (default: that another zhibu
    is processing the workspace); ``prepare`` runs under the lock before the index is opened (``zhibu doctor``
    sets the damaged index aside there).
    """

    def __init__(
        self,
        ws: Workspace,
        *,
        lock_timeout: float = 0,
        busy: WorkspaceLockedError | None = None,
        prepare: Callable[[], None] | None = None,
    ):
        self.ws = ws
        self.lock = WorkspaceLock(ws.lock_path)
        self._lock_timeout = lock_timeout
        self._busy = busy
        self._prepare = prepare
        self._index: Store | None = None
        self._committer: JournaledCommitter | None = None
        self.recovered = 0  # interrupted filings finished at the start
        self.waiting: list[str] = []  # files committed filings still wait for (open in Word …)
        self._state: tuple[tuple, PlanningState] | None = None
        self._preread: dict[Path, tuple[tuple | None, IngestResult]] = {}
        self.writing: list[Path] = []  # inputs still being written when the inbox was listed

    def __enter__(self) -> Session:
        try:
            self.lock.acquire(timeout=self._lock_timeout)
        except Timeout:
            raise self._busy or WorkspaceLockedError(
                "另一个 zhibu 程序（watch 或 run）正在处理这个工作区",
                hint="请等它处理完，或关闭正在运行的 zhibu watch 窗口后再试。",
                location=Location(file=str(self.ws.root)),
            ) from None
        try:
            self._open()
        except BaseException as exc:
            self.close()
            if problem := self.storage_problem(exc):
                raise problem from exc
            raise
        return self

    def _open(self) -> None:
        if self._prepare is not None:
            self._prepare()
        self._index = Store(self.ws.index_path)
        self.state()  # validates the whole configuration before any file is touched
        self.recovered = recover(self.index, [self.ws.outbox, self.ws.inbox, self.ws.templates])
        if self.recovered:
            log.warning("已恢复上次中断的 %d 项归档操作", self.recovered)
        sweep_workspace(self.ws, holds_lock=True)
        self.waiting = waiting_files(self.index, self.ws.root)
        self._committer = JournaledCommitter(self.lock, self.index)
        log.debug("已打开工作区 %s", self.ws.root)

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def index(self) -> Store:
        """The workspace's index, open from ``with`` to its end."""
        if self._index is None:
            raise RuntimeError("the filing session is not open")
        return self._index

    @property
    def committer(self) -> JournaledCommitter:
        if self._committer is None:
            raise RuntimeError("the filing session is not open")
        return self._committer

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self.lock.release()

    # --- the inbox ---------------------------------------------------------------------------

    def inputs(self) -> list[Path]:
        """The complete inputs waiting in the inbox in filing order, then the subfolders that
        cannot be read (each is set aside as a whole). A photo dropped with its note is filed with
        the note. Files still being written are left for the next pass (``self.writing``); an
        input whose committed filing waits for a locked file is not filed again."""
        scan = scan_inbox(self.ws.inbox)
        settle = self.ws.config.watch.settle_seconds
        complete, self.writing = complete_files(
            scan.files, settle, wait=3 * settle, clock=time.monotonic, sleep=time.sleep
        )
        waiting = self.waiting_inputs()
        files = [p for p in complete if not photos.note_of_photo(p, self.ws.inbox) and p not in waiting]
        return self._dependency_order(files) + scan.unreadable

    def _dependency_order(self, files: list[Path]) -> list[Path]:
        """Rosters first, then sign-in sheets, then everything else (oldest first). Spreadsheets
        are read here once; ``read`` reuses what was read while the file is unchanged."""
        rank: dict[Path, int] = {}
        for path in files:
            if path.suffix.lower() not in SHEET_SUFFIXES or not is_regular(path):  # a pipe would block
                continue
            try:
                signature = file_signature(path)
                result = read_dropped(path, self.display_name(path), kind_hint(path, self.ws.inbox), self.ws)
            except Exception as exc:  # any fault of one file is that file's, reported when it is filed
                log.debug("排序时未能预读「%s」：%s", self.display_name(path), type(exc).__name__)
                continue
            self._preread[path] = (signature, result)
            rank[path] = 0 if ROSTER in result.items else 1 if SIGNIN in result.items else 2
        return sorted(files, key=lambda p: rank.get(p, 2))

    def read(self, arrival: Arrival) -> IngestResult:
        """The input's records: as read while ordering the inbox if unchanged since, else read now."""
        cached = self._preread.pop(arrival.path, None)
        if cached and cached[0] == arrival.signature:
            result = cached[1]
        else:
            result = read_dropped(arrival.path, arrival.name, arrival.kind_hint, self.ws)
        items = "、".join(f"{kind} {len(rows)} 条" for kind, rows in result.items.items() if rows)
        log.debug(
            "读取「%s」：%s，会议 %d 次%s，有问题的行 %d 行",
            arrival.name,
            result.kind,
            len(result.meetings),
            f"，{items}" if items else "",
            len(result.row_errors),
        )
        return result

    def display_name(self, path: Path) -> str:
        """The input's name relative to inbox/, printable whatever bytes the name has."""
        rel = path.relative_to(self.ws.inbox).as_posix() if inside(path, self.ws.inbox) else path.name
        return printable(rel)

    # --- planning and committing ----------------------------------------------------------------

    def state(self) -> PlanningState:
        """The planning state, read again only when a roster, sign-in sheet or 发展党员登记表 was filed."""
        version = (self.index.roster_version(), self.index.signin_version(), self.index.development_version())
        if self._state is None or self._state[0] != version or not roster_cache_enabled():
            self._state = (version, PlanningState.read(self.ws.config, self.index))
        return self._state[1]

    def planning(self, *, render: bool = True, failed: Path | None = None) -> Planning:
        """What the planner reads now; ``failed``: where 待修正 workbooks go (default inbox/失败/)."""
        return Planning(self.ws, self.index, self.state(), failed or self.ws.failed, render)

    def forget(self, earlier: SourceRow) -> None:
        """Drop the index rows of an earlier filing whose archived copy is gone, before the same
        content is filed again (the index was wrong about it; nothing on disk changes)."""
        self.lock.ensure()
        with self.index.transaction():
            self.index.forget_source(earlier.id)
        self._state = None
        log.warning("「%s」的归档副本已不在，索引中的记录已移除，将重新归档", earlier.original_name)

    def commit(self, plan: FilingPlan) -> None:
        self.committer.commit(plan)

    def finish_pending(self) -> bool:
        """Complete filings left waiting for a locked file (cheap when there are none); True when
        there was something to finish."""
        if not self.index.has_journal():
            return False
        for path in apply_pending(self.index):
            log.info("「%s」仍被其他程序占用，归档的最后一步稍后完成", path)
        return True

    def waiting_inputs(self) -> set[Path]:
        """Inbox files whose committed filing waits for a locked file: not to be filed again."""
        return waiting_inputs(self.index) if self.index.has_journal() else set()

    def storage_problem(self, exc: BaseException) -> StorageError | None:
        """A full or read-only disk (or no right to write the workspace), as a StorageError."""
        return storage_problem(exc, self.ws.root, self.ws.inbox)
