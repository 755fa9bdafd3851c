"""Filing one input, straight through: checks → read → plan → commit → outcome.

``file_input`` is the whole path of a dropped note or register, readable top to bottom; each
step is one call into the stage that does it (``checks``, the session's reading, ``planner``,
the session's committer, ``setbacks`` when it does not go through). ``file_inbox`` files
everything waiting, as ``zhibu run`` does; ``zhibu watch`` calls ``file_input`` file by file.

Every input ends filed (outputs and original in the archive, rows in the index) or in
``inbox/失败/`` with a reason file; an unexpected error in one file never stops the others. Only
a fault of the disk (``StorageError``) stops the pass, leaving the rest in the inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from pipeline.archive.failures import is_reason_file
from pipeline.errors import StorageError
from pipeline.filing import checks, setbacks
from pipeline.filing.outcome import Outcome, Status
from pipeline.filing.planner import plan_filing
from pipeline.filing.session import Session

log = logging.getLogger("zhibu.filing")

# progress(done, total, name of the input just done)
Progress = Callable[[int, int, str], None]


def file_input(session: Session, path: Path) -> Outcome:
    """File one input of the session's inbox; raises only ``StorageError``."""
    name = session.display_name(path)
    sha = None
    try:
        if (settled := checks.settled_meanwhile(session, path, name)) is not None:
            return settled
        if is_reason_file(path):
            return setbacks.own_reason_file(session, path, name)
        arrival = checks.arrive(path, name, session.ws.inbox)
        sha = arrival.sha256
        earlier = session.index.source_by_sha(sha)
        if checks.archived_intact(session.ws.root, earlier):
            return checks.drop_duplicate(arrival)
        result = session.read(arrival)
        result.ensure_content()
        if result.is_empty:  # only bad rows: nothing to file, the input goes to 失败/ as a whole
            return setbacks.reject(session, path, name, sha, "\n".join(e.render() for e in result.row_errors))
        outcome = Outcome(name, Status.PROCESSED, warnings=list(result.warnings))
        if earlier is not None:  # filed before, but its archived copy is gone: filed again
            session.forget(earlier)
            outcome.warnings.append(checks.stale_copy_warning(earlier))
        plan = plan_filing(session.planning(), arrival, result, outcome)
        session.commit(plan)
    except Exception as exc:
        return setbacks.outcome_of(session, path, name, sha, exc)
    if result.row_errors:
        outcome.status, outcome.error = Status.PARTIAL, "\n".join(e.render() for e in result.row_errors)
    outcome.outputs = [plan.rel(o.path) for o in plan.outputs]
    outcome.replaced = [plan.rel(h) for o in plan.outputs for _, _, h in o.replaces]
    log.info("已归档「%s」→ %s", name, "、".join(outcome.outputs) or plan.rel(plan.original_dest))
    return outcome


def file_inbox(
    session: Session, progress: Progress | None = None
) -> tuple[list[Outcome], StorageError | None]:
    """Every input of the inbox, once, in dependency order. A full or read-only disk stops the
    pass (returned second): the input at hand and all after it stay in the inbox, untouched."""
    session.finish_pending()
    files = session.inputs()
    log.info("收件箱里有 %d 个文件等待处理", len(files))
    outcomes: list[Outcome] = [setbacks.still_writing(session.display_name(p)) for p in session.writing]
    if progress:
        progress(0, len(files), "")
    for done, path in enumerate(files, 1):
        try:
            outcomes.append(file_input(session, path))
        except StorageError as err:
            log.warning("磁盘出现问题，停止处理：%s", err.message)
            outcomes.append(Outcome(session.display_name(path), Status.RETRY, error=err.render()))
            return outcomes, err
        if progress:
            progress(done, len(files), outcomes[-1].name)
    return outcomes, None
