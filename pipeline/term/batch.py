"""The term batch: every term-level output of one or more terms, written safely.

Each output is built in memory and put in place with ``pipeline.fs.files.publish`` (temporary file
beside its target, fsync, rename). If an older version exists and differs, it is first linked (or copied) into the
term's history folder, so the target never disappears. Documents are built deterministically
(fixed zip timestamps), so running the batch twice on the same day changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ArchiveError, ZhibuError
from pipeline.fs.files import inside, render_path, unique_path
from pipeline.fs.files import publish as publish_file
from pipeline.records.calendar import Term
from pipeline.records.rules import load_rules
from pipeline.term.compilation import build_compilation
from pipeline.term.compliance import Compliance, check_term
from pipeline.term.data import Snapshot, load_snapshot
from pipeline.term.development_papers import development_sheet, write_papers
from pipeline.term.dues_books import dues_sheet
from pipeline.term.ledger import build_ledger
from pipeline.term.semester_plan import build_plan

log = logging.getLogger("zhibu")

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
LEDGER_SHEETS = (development_sheet, dues_sheet)  # sheets of the term 台账 beyond its own
WRITE_LABELS = {NEW: "新建", UPDATED: "已更新", UNCHANGED: "未变化"}


@dataclass
class Written:
    path: str  # relative to the workspace root
    status: str
    history: str | None = None


@dataclass
class TermReport:
    term: Term
    files: list[Written] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    compliance: Compliance | None = None
    compilation: dict = field(default_factory=dict)


def term_folder(ws, term: Term) -> Path:
    return ws.outbox / term.year_folder / term.name


def output_names(term: Term) -> dict[str, str]:
    prefix = f"{term.year_folder}{term.name}"
    return {
        "ledger": f"{prefix}三会一课台账.xlsx",
        "compilation": f"{prefix}成果汇编.docx",
        "plan": f"{prefix}工作计划.docx",
    }


def publish(ws, target: Path, data: bytes, term: Term, today: dt.date) -> Written:
    """Write ``data`` to ``target`` atomically, keeping a differing older version in history."""
    rel = target.relative_to(ws.root).as_posix()
    if target.is_file() and target.read_bytes() == data:
        return Written(rel, UNCHANGED)
    archive = ws.config.archive
    values = {
        "学年": term.year_folder,
        "学期": term.name,
        "日期": today.isoformat(),
        "类型": "学期材料",
        "主题": target.stem,
    }
    history_dir = ws.outbox / render_path(archive.history_dir, values, archive.max_name_length)
    if not inside(history_dir, ws.outbox):
        raise ArchiveError(
            "历史版本文件夹超出了 outbox 文件夹", hint="请检查 zhibu.toml 中的 archive.history_dir。"
        )
    history = None

    def keep_old_version() -> None:
        nonlocal history
        if target.exists():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            history = unique_path(history_dir / f"{stamp} {target.name}")
            history.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(target, history)
            except OSError:
                shutil.copy2(target, history)

    try:
        publish_file(target, data=data, before_replace=keep_old_version)
    except PermissionError:
        raise ArchiveError(
            f"无法替换「{rel}」：文件可能正在 Word/Excel/WPS 中打开",
            hint="请关闭这个文件后重新运行 zhibu batch。",
        ) from None
    return Written(
        rel, UPDATED if history else NEW, history.relative_to(ws.root).as_posix() if history else None
    )


@dataclass
class Step:
    label: str
    run: Callable[[], None]


def term_steps(ws, term: Term, snap: Snapshot, today: dt.date, report: TermReport) -> list[Step]:
    cfg = ws.config
    calendar = cfg.calendar
    ruleset = load_rules(cfg)
    folder = term_folder(ws, term)
    names = output_names(term)

    def compliance() -> None:
        report.compliance = check_term(term, calendar, ruleset, snap, cfg.committee, today)

    def ledger() -> None:
        if report.compliance is None:
            compliance()
        target = folder / names["ledger"]
        data, missing = build_ledger(
            term, calendar, cfg, snap, report.compliance, target, today, extra_sheets=LEDGER_SHEETS
        )
        report.files.append(publish(ws, target, data, term, today))
        report.warnings += [f"台账中的文档不存在，无法链接：{p}" for p in missing]

    def compilation() -> None:
        data, summary = build_compilation(term, calendar, cfg, snap, today)
        report.compilation = summary
        report.files.append(publish(ws, folder / names["compilation"], data, term, today))

    def plan() -> None:
        result = build_plan(term, calendar, cfg, ruleset, snap, today)
        report.warnings += result.warnings
        report.files.append(publish(ws, folder / names["plan"], result.data, term, today))

    def development() -> None:
        write_papers(ws, term, snap, today, publish, report)

    return [
        Step(f"{term.label} 合规检查", compliance),
        Step(f"{term.label} 三会一课台账", ledger),
        Step(f"{term.label} 成果汇编", compilation),
        Step(f"{term.label} 工作计划", plan),
        Step(f"{term.label} 发展党员材料", development),
    ]


def run_batch(
    ws,
    terms: list[Term],
    today: dt.date | None = None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[TermReport]:
    """Build every output of ``terms``. A failing step is reported and the others still run.
    ``progress(done, total, step)`` is called as each step ends."""
    today = today or dt.date.today()
    ws.config  # noqa: B018 - a config error stops the batch before anything is written
    snap = load_snapshot(ws)
    reports = [TermReport(t) for t in terms]
    steps = [(r, s) for r in reports for s in term_steps(ws, r.term, snap, today, r)]
    if progress:
        progress(0, len(steps), "")
    for done, (report, step) in enumerate(steps, 1):
        log.info("生成 %s", step.label)
        try:
            step.run()
        except ZhibuError as err:
            report.errors.append(f"{step.label}：{err}")
        except Exception as exc:  # a bug in one output must not stop the others
            log.exception("学期材料「%s」生成时发生内部错误", step.label)
            report.errors.append(
                f"{step.label}：内部错误（{type(exc).__name__}: {exc}），请把 .zhibu/zhibu.log 发给技术支持人员"
            )
        if progress:
            progress(done, len(steps), step.label)
    return reports
