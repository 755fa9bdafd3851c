"""Filing: the inbox filed once or watched, a file checked without filing, the demo, the index
checked against the archive and rebuilt."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipeline import new_workspace
from pipeline.api.common import in_workspace, open_workspace
from pipeline.api.reports import CheckReport, DemoReport, IndexCheck, Progress, RunReport
from pipeline.archive.health import disagreements, index_problem
from pipeline.errors import WorkspaceLockedError
from pipeline.filing.dry_run import check_file
from pipeline.filing.run import file_inbox
from pipeline.filing.session import Session
from pipeline.logs import workspace_log
from pipeline.planning import PlanningState
from pipeline.rebuild import RebuildReport, archived_originals, rebuild_index
from pipeline.store import Store
from pipeline.watch import Watcher
from pipeline.workspace import Workspace


@in_workspace
def run(ws: Workspace, *, progress: Progress | None = None) -> RunReport:
    """File everything in the inbox once (``zhibu run``). A full or read-only disk stops the pass:
    ``report.stopped`` says why, and the inputs not reached stay in the inbox."""
    with Session(ws) as session:
        outcomes, stopped = file_inbox(session, progress)
        report = RunReport(outcomes, session.recovered, session.waiting, stopped)
    report.notice = ws.config.branch_notice()
    return report


@contextmanager
def watching(
    folder: Path | Workspace,
    *,
    settle: float | None = None,
    polling: bool | None = None,
    rescan: float | None = None,
    **hooks,
) -> Iterator[Watcher]:
    """The inbox watcher of ``zhibu watch``, its session open (lock held, recovery done); call
    ``run()`` on it, ``request_stop()`` from elsewhere. Unset options come from zhibu.toml [watch];
    ``hooks`` are the Watcher's ``echo``, ``on_outcome`` and ``on_started``. Enter it in the thread
    that runs the watcher: the index connection and the workspace lock belong to that thread."""
    ws = open_workspace(folder)
    cfg = ws.config.watch
    busy = WorkspaceLockedError(
        f"工作区「{ws.root}」已经有另一个 zhibu 程序（zhibu watch 或 zhibu run）在运行，本次没有启动监视。",
        hint="同一个工作区只需要开一个 zhibu watch 窗口，请找到已经打开的那个窗口继续使用；"
        "如果是 zhibu run 正在处理，请等它结束后再启动 zhibu watch。",
    )
    with workspace_log(ws.log_path), Session(ws, busy=busy) as session:
        yield Watcher(
            session,
            settle=cfg.settle_seconds if settle is None else settle,
            polling=cfg.polling if polling is None else polling,
            rescan=cfg.rescan_seconds if rescan is None else rescan,
            **hooks,
        )


@in_workspace
def check(ws: Workspace, files: Sequence[Path]) -> CheckReport:
    """What ``run`` would do with each file, nothing written (``zhibu check``)."""
    store = Store.open_read_only(ws.index_path)
    try:
        state = PlanningState.read(ws.config, store)
        return CheckReport([check_file(ws, state, store, Path(path)) for path in files])
    finally:
        if store is not None:
            store.close()


@in_workspace
def demo(ws: Workspace, *, progress: Progress | None = None) -> DemoReport:
    """The sample notes and registers dropped into the inbox and filed (``zhibu demo``)."""
    filled = new_workspace.use_demo_branch(ws)
    copied = new_workspace.copy_samples(ws)
    return DemoReport(filled, copied, ws.inbox, ws.outbox, run(ws, progress=progress))


def diagnose(folder: Path | Workspace) -> IndexCheck:
    """The index against the archive on disk (``zhibu doctor --check``); usable on a damaged index."""
    ws = folder if isinstance(folder, Workspace) else Workspace.open(folder)
    with workspace_log(ws.log_path):
        problem = index_problem(ws.index_path, ws.outbox)
        if problem or not ws.index_path.exists():
            return IndexCheck([problem] if problem else [])
        return IndexCheck(disagreements(ws.index_path, ws.root, archived_originals(ws)))


def rebuild(folder: Path | Workspace) -> RebuildReport:
    """The index made again from the archived originals, the old one kept (``zhibu doctor``)."""
    ws = folder if isinstance(folder, Workspace) else Workspace.open(folder)
    with workspace_log(ws.log_path):
        return rebuild_index(ws)
