"""The pipeline for one dropped file: ingest → records → render → archive.

``Processor`` is shared by ``zhibu run`` (everything in the inbox, once) and ``zhibu watch``
(file by file as they arrive). It holds the workspace lock for its whole life, so two
processes never file the same input, and it recovers interrupted filings when it starts.
Every input ends either filed (outputs + original in the archive, rows in the index) or in
``inbox/失败/`` with a reason file; an unexpected error in one file never stops the others.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.archive.commit import (
    FilingPending,
    FilingPlan,
    InputChanged,
    PlannedOutput,
    apply_pending,
    commit_plan,
    file_signature,
    recover,
    sha256_file,
)
from pipeline.archive.failures import move_to_failed
from pipeline.archive.files import inside, render_path, safe_file_name, unique_path
from pipeline.archive.index import Index
from pipeline.archive.storage import storage_problem
from pipeline.errors import (
    ArchiveError,
    InputError,
    Location,
    StorageError,
    WorkspaceLockedError,
    ZhibuError,
)
from pipeline.inbox import is_ignored, is_regular, not_a_file, printable, scan_inbox
from pipeline.ingest import read_input
from pipeline.ingest.result import IngestResult
from pipeline.records.checks import check_meeting
from pipeline.records.meeting import Meeting
from pipeline.registers import filing as register_filing
from pipeline.render.minutes import build_context, render_docx
from pipeline.term.rules import load_rules
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
        self._lock = FileLock(str(ws.lock_path))
        self._lock_timeout = lock_timeout
        self.index: Index | None = None
        self.recovered = 0
        self.stopped: StorageError | None = None  # why process_all stopped early

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
            # The configured quorum rules (zhibu.toml [rules.quorum]); this also validates the
            # whole config before any file is touched.
            self.quorum = load_rules(self.ws.config).quorum
            self.index = Index(self.ws.index_path)
            self.recovered = recover(self.index, [self.ws.outbox, self.ws.inbox, self.ws.templates])
            if self.recovered:
                log.warning("recovered %d interrupted filings", self.recovered)
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
        subfolders that cannot be read (each is set aside as a whole)."""
        scan = scan_inbox(self.ws.inbox)
        return scan.files + scan.unreadable

    def process_all(self) -> list[Outcome]:
        """Every input, oldest first. A full or read-only disk stops the run (``self.stopped``):
        the input at hand and all after it stay in the inbox, untouched."""
        self.finish_pending()
        outcomes = []
        for path in self.inbox_files():
            try:
                outcomes.append(self.process_safely(path))
            except StorageError as err:
                self.stopped = err
                outcomes.append(Outcome(self.display_name(path), "retry", error=err.render()))
                break
        return outcomes

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
        if not self.index.db.execute("SELECT 1 FROM journal LIMIT 1").fetchone():
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
            kind_hint = (
                path.relative_to(self.ws.inbox).parts[0]
                if len(path.relative_to(self.ws.inbox).parts) > 1
                else None
            )
            result = read_input(path, display_name=name, kind_hint=kind_hint)
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
        if result.is_empty and not result.row_errors:
            said = "；".join(result.warnings)  # e.g. 表格只有表头，没有数据行
            raise InputError(
                "文件里没有找到可以处理的内容" + (f"（{said}）" if said else ""),
                hint="请确认文件内容完整后重新放入。",
            )
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
        taken: set[Path] = set()
        for meeting in result.meetings:
            planned, warnings = self.plan_meeting(meeting, name, taken)
            plan.outputs.append(planned)
            outcome.warnings += warnings
        for extend in FILING_EXTENSIONS:
            extend(self, result, plan, outcome)
        if result.row_errors:
            outcome.status = "partial" if not result.is_empty else "failed"
            outcome.error = "\n".join(e.render() for e in result.row_errors)
        if result.is_empty:
            # Only bad rows: nothing to file; the input goes to the failed folder as a whole.
            return self._fail(path, name, sha, outcome.error or "没有可处理的内容")
        commit_plan(self.index, plan)
        outcome.outputs = [plan.rel(o.path) for o in plan.outputs]
        outcome.replaced = [plan.rel(h) for o in plan.outputs for _, _, h in o.replaces]
        log.info("filed %s -> %s", name, ", ".join(outcome.outputs) or plan.rel(plan.original_dest))
        return outcome

    def _original_dest(self, path: Path, result: IngestResult) -> Path:
        day = register_filing.source_day(result, self.ws.config.calendar) or (
            result.meetings[0].date if result.meetings else dt.date.today()
        )
        values = self._path_values(day)
        folder = self.ws.outbox / render_path(self.ws.config["archive"]["originals_dir"], values)
        target = folder / safe_file_name(
            Path(printable(path.name)).stem, path.suffix.lower(), self.ws.config["archive"]["max_name_length"]
        )
        return unique_path(target)

    def _path_values(self, day: dt.date, **extra: str) -> dict[str, str]:
        term = self.ws.config.calendar.term_of(day)
        return {"学年": term.year_folder, "学期": term.name, "日期": day.isoformat(), **extra}

    def plan_meeting(self, m: Meeting, source_name: str, taken: set[Path]) -> tuple[PlannedOutput, list[str]]:
        cfg = self.ws.config
        for enrich in MEETING_ENRICHERS:
            enrich(self, m)
        term = cfg.calendar.term_of(m.date)
        branch = dict(cfg["branch"])
        context = build_context(m, branch, term.label, self.quorum)
        template = self.ws.meeting_template(m.type)
        data = render_docx(template, context, display_name=f"templates/{template.name}")
        values = self._path_values(m.date, 类型=m.type.name, 主题=m.title)
        archive = cfg["archive"]
        rel = render_path(archive["minutes_path"], values, archive["max_name_length"])
        target = self.ws.outbox / rel
        if not inside(target, self.ws.outbox):
            raise ArchiveError(
                "归档路径超出了 outbox 文件夹", hint="请检查 zhibu.toml 中的 archive.minutes_path。"
            )
        replaces = []
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        for row in self.index.same_meeting(m.type.name, m.date.isoformat(), m.topic, source_name):
            old = self.ws.root / row["path"]
            history_dir = self.ws.outbox / render_path(archive["history_dir"], values)
            replaces.append((row["id"], old, unique_path(history_dir / f"{stamp} {old.name}", taken)))
        if target.exists() and target not in {old for _, old, _ in replaces}:
            target = unique_path(target, taken)
        elif target in taken:
            target = unique_path(target, taken)
        taken.add(target)
        warnings = list(m.warnings) + check_meeting(m, self.quorum)
        row = {
            "kind": "minutes",
            "meeting_type": m.type.name,
            "date": m.date.isoformat(),
            "term": term.id,
            "title": context["会议名称"],
            "topic": m.topic,
            "chair": m.chair,
            "place": m.place,
            "expected": m.expected_count(),
            "present": m.present_count(),
            "warnings": json.dumps(warnings, ensure_ascii=False),
            "body_text": searchable_text(context),
        }
        return PlannedOutput(target, data, row, replaces), [
            f"{m.date.isoformat()} {m.type.name}：{w}" for w in warnings
        ]


def searchable_text(context: dict) -> str:
    parts = [
        str(context.get(k, ""))
        for k in (
            "会议名称",
            "时间",
            "地点",
            "主持人",
            "记录人",
            "出席人员",
            "缺席人员",
            "谈话人",
            "谈话对象",
        )
    ]
    for section in context.get("正文", []):
        parts.append(section["标题"])
        parts.extend(section["段落"])
    return "\n".join(parts)


# Steps that complete a meeting from other data before it is rendered (attendance from the
# roster or a sign-in sheet): callables (processor, meeting) -> None that may set counts,
# lists and append to meeting.warnings.
MEETING_ENRICHERS: list = []

# Register kinds (issue 3) add their index writes and summary counts to a filing here:
# callables (processor, result, plan, outcome) -> None.
FILING_EXTENSIONS: list = []

# Issue 3: attendance from sign-in sheets and the roster; filing of register rows.
MEETING_ENRICHERS.extend(register_filing.ENRICHERS)
FILING_EXTENSIONS.extend(register_filing.EXTENSIONS)
