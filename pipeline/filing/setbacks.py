"""When filing one input does not go through: what it means for the input, as an ``Outcome``.

* The input cannot be used (a ``ZhibuError``, or a bug: "内部错误"): it goes to ``inbox/失败/``
  with a reason file (``reject``), in one journaled step.
* It changed or vanished while it was processed (``InputChanged``): nothing is filed or moved;
  it waits in the inbox for the next pass.
* Its filing is decided but waits for a file open in another program (``FilingPending``): it
  counts as processed, with a warning; the next processing finishes it.
* The disk is full or read-only, or the lock was taken by another zhibu: ``StorageError`` is
  raised, the run stops, and this input and all after it stay in the inbox, untouched.

Even setting an input aside may fail (a file another program holds): it then stays in the inbox
(status retry) and the others go on.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.archive.failures import move_to_failed
from pipeline.errors import CellProblem, FilingPending, InputChanged, StorageError, ZhibuError
from pipeline.filing.outcome import Outcome, Status
from pipeline.fs.files import unique_path

if TYPE_CHECKING:
    from pipeline.filing.session import Session

log = logging.getLogger("zhibu.filing")


def outcome_of(session: Session, path: Path, name: str, sha: str | None, exc: Exception) -> Outcome:
    """The outcome of an input whose filing raised ``exc``; a fault of the disk is raised again
    as a ``StorageError``."""
    if isinstance(exc, InputChanged):
        return changed(path, name)
    if isinstance(exc, FilingPending):
        return pending(name, exc)
    if isinstance(exc, StorageError):
        raise exc
    if isinstance(exc, ZhibuError):
        return set_aside(session, path, name, sha, exc.at(file=name).render())
    if isinstance(exc, CellProblem):  # a cell read outside a row reader: the file's fault, not ours
        hint = f"\n处理办法：{exc.hint}" if exc.hint else ""
        return set_aside(session, path, name, sha, f"文件「{name}」：{exc.message}{hint}")
    if problem := session.storage_problem(exc):
        raise problem from exc  # the disk's fault, not the input's: it stays in the inbox
    if not os.path.lexists(path):
        return changed(path, name)
    log.error("处理「%s」时发生内部错误", name, exc_info=exc)
    message = (
        f"文件「{name}」：处理时发生内部错误（{type(exc).__name__}: {exc}）。"
        "\n处理办法：请把此文件和 .zhibu/zhibu.log 发给技术支持人员。"
    )
    return set_aside(session, path, name, sha, message)


def set_aside(session: Session, path: Path, name: str, sha: str | None, message: str) -> Outcome:
    """``reject``, with a last resort: when even that fails, the input stays in the inbox."""
    try:
        return reject(session, path, name, sha, message)
    except Exception as exc:
        if problem := session.storage_problem(exc):
            raise problem from exc
        log.error("「%s」无法处理，也无法移到 失败/", name, exc_info=exc)
        return Outcome(
            name,
            Status.RETRY,
            error=f"文件「{name}」暂时无法处理，仍留在收件箱（{type(exc).__name__}: {exc}）。"
            "\n处理办法：检查磁盘空间、文件是否被其他程序占用，然后重新运行；详情见 .zhibu/zhibu.log。",
        )


def reject(session: Session, path: Path, name: str, sha: str | None, message: str) -> Outcome:
    """Move the input to ``inbox/失败/`` with ``message`` in its reason file."""
    outcome = Outcome(name, Status.FAILED, error=message)
    if not os.path.lexists(path):
        return changed(path, name)
    session.lock.ensure()
    try:
        target = move_to_failed(session.index, session.ws.failed, path, name, message, sha)
    except InputChanged:
        return changed(path, name)
    except PermissionError:
        if not path.is_dir() or path.is_symlink():
            raise
        # A folder we may neither read nor move (moving needs the right to write it).
        outcome.status = Status.RETRY
        outcome.error = f"{message}\n这个文件夹也无法移到 inbox/失败/（没有权限），仍留在收件箱。"
        return outcome
    outcome.failed_path = target.relative_to(session.ws.root).as_posix()
    log.info("「%s」没能处理，已移到 %s：%s", name, outcome.failed_path, message.replace("\n", " "))
    return outcome


def changed(path: Path, name: str) -> Outcome:
    """Saved again, moved away or deleted while being processed: nothing filed, nothing moved.

    Status retry: ``zhibu watch`` processes it again once it is stable, ``zhibu run`` on its
    next run (a file that is gone is simply gone: the secretary took it back)."""
    if os.path.lexists(path):
        log.info("「%s」在处理过程中被修改，留在收件箱", name)
        error = (
            f"文件「{name}」在处理过程中被修改了，本次没有归档，文件仍在收件箱。"
            "\n处理办法：等文件保存完成后再处理一次（zhibu watch 会自动重新处理）。"
        )
    else:
        log.info("「%s」在处理过程中被移走或删除", name)
        error = (
            f"文件「{name}」在处理过程中被移走或删除了，没有归档。\n处理办法：如需归档，请重新放入收件箱。"
        )
    return Outcome(name, Status.RETRY, error=error)


def pending(name: str, waiting: FilingPending) -> Outcome:
    """Filed, but a rename waits for a file open in another program: done by the next processing."""
    locked = Path(waiting.path).name if waiting.path else "某个文件"
    log.warning("「%s」已登记归档，但「%s」正被其他程序占用，归档的最后一步稍后完成", name, waiting.path)
    return Outcome(
        name,
        Status.PROCESSED,
        warnings=[
            f"已登记归档，但「{locked}」正被其他程序（如 Word/WPS）打开，暂时无法替换或移动；"
            "关闭该文件后，下次处理文件时会自动完成"
        ],
    )


def still_writing(name: str) -> Outcome:
    """Its size or time still changed while the inbox was listed (a copy or an editor writing it),
    or another program holds it: left in the inbox, untouched, for the next pass."""
    log.info("「%s」仍在写入，留在收件箱", name)
    return Outcome(
        name,
        Status.RETRY,
        error=f"文件「{name}」仍在写入，下次再处理（大小或修改时间还在变化，或正被其他程序打开）。"
        "\n处理办法：等复制或保存完成后再运行 zhibu run（zhibu watch 会自动处理）。",
    )


def own_reason_file(session: Session, path: Path, name: str) -> Outcome:
    """One of zhibu's own reason files dragged back into the inbox: never read as an input; put
    back in 失败/ (no failure of its own is recorded). When it cannot be moved it stays."""
    said = f"「{name}」是 zhibu 写的原因说明，不是会议笔记或登记表，没有当作输入读取"
    session.lock.ensure()
    target = unique_path(session.ws.failed / path.name)
    try:
        session.ws.failed.mkdir(parents=True, exist_ok=True)
        os.rename(path, target)
    except OSError as exc:
        if problem := session.storage_problem(exc):
            raise problem from exc
        return Outcome(name, Status.RETRY, error=f"{said}；它仍留在收件箱，可以删除。")
    rel = target.relative_to(session.ws.root).as_posix()
    log.info("%s，已放回 %s", said, rel)
    return Outcome(name, Status.FAILED, error=f"{said}，已放回 {rel}（可以删除）。", failed_path=rel)
