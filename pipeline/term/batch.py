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
from pipeline.term.development_papers import FOLDER as DEVELOPMENT_FOLDER
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
    as_of: dt.date  # the date the documents carry and are judged as of
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


def publish(
    ws, target: Path, data: bytes, term: Term | None, today: dt.date, history_dir: Path | None = None
) -> Written:
    """Write ``data`` to ``target`` atomically, keeping a differing older version in history: the
    term's 历史版本 folder (zhibu.toml archive.history_dir), or ``history_dir`` for the papers of a
    year that belong to no term."""
    rel = target.relative_to(ws.root).as_posix()
    if target.is_file() and target.read_bytes() == data:
        return Written(rel, UNCHANGED)
    if history_dir is None:
        history_dir = _term_history(ws, target, term or Term(today.year, 1), today)
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


def _term_history(ws, target: Path, term: Term, today: dt.date) -> Path:
    archive = ws.config.archive
    values = {
        "学年": term.year_folder,
        "学期": term.name,
        "日期": today.isoformat(),
        "类型": "学期材料",
        "主题": target.stem,
    }
    return ws.outbox / render_path(archive.history_dir, values, archive.max_name_length)


@dataclass
class Step:
    label: str
    run: Callable[[], object]  # what it returns is not used
    target: Path | None = None  # what it writes (a file, or a folder of papers)

    def made(self) -> bool:
        """Whether its output is there already."""
        t = self.target
        return t is not None and (t.is_file() or (t.is_dir() and any(t.glob("*.docx"))))


def documents_date(config, term: Term, today: dt.date, as_of: dt.date | None = None) -> dt.date:
    """The date a term's documents carry and are judged as of: ``as_of`` when given, else
    zhibu.toml's [[calendar.terms]] as_of, else the term's last day once it has ended, else today."""
    if as_of is not None:
        return as_of
    configured = config.term_as_of(term.id)
    if configured is not None:
        return configured
    return min(today, config.calendar.bounds(term)[1])


def term_steps(ws, term: Term, snap: Snapshot, day: dt.date, report: TermReport) -> list[Step]:
    """The outputs of ``term``, dated and judged as of ``day`` (its ``documents_date``)."""
    cfg = ws.config
    calendar = cfg.calendar
    ruleset = load_rules(cfg)
    folder = term_folder(ws, term)
    names = output_names(term)

    def compliance() -> Compliance:
        report.compliance = check_term(term, calendar, ruleset, snap, cfg.committee, day)
        return report.compliance

    def ledger() -> None:
        checked = report.compliance if report.compliance is not None else compliance()
        target = folder / names["ledger"]
        data, missing = build_ledger(
            term, calendar, cfg, snap, checked, target, day, extra_sheets=LEDGER_SHEETS
        )
        report.files.append(publish(ws, target, data, term, day))
        report.warnings += [f"台账中的文档不存在，无法链接：{p}" for p in missing]

    def compilation() -> None:
        data, summary = build_compilation(term, calendar, cfg, snap, day)
        report.compilation = summary
        report.warnings += summary.pop("warnings", [])
        if data:  # nothing to compile (no register, no roster): no document
            report.files.append(publish(ws, folder / names["compilation"], data, term, day))

    def plan() -> None:
        result = build_plan(term, calendar, cfg, ruleset, snap)
        report.warnings += result.warnings
        report.files.append(publish(ws, folder / names["plan"], result.data, term, day))

    def development() -> None:
        write_papers(ws, term, snap, day, publish, report)

    return [
        Step(f"{term.label} 合规检查", compliance),
        Step(f"{term.label} 三会一课台账", ledger, folder / names["ledger"]),
        Step(f"{term.label} 成果汇编", compilation, folder / names["compilation"]),
        Step(f"{term.label} 工作计划", plan, folder / names["plan"]),
        Step(f"{term.label} 发展党员材料", development, folder / DEVELOPMENT_FOLDER),
    ]


def run_batch(
    ws,
    terms: list[Term],
    today: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
    missing_only: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[TermReport]:
    """Build every output of ``terms``, each term's dated by ``documents_date`` (``as_of`` when
    given); ``missing_only``: only those not there yet (an existing one, perhaps edited by hand,
    is left alone). A failing step is reported and the others still run. ``progress(done,
    total, step)`` is called as each step ends."""
    today = today or dt.date.today()
    cfg = ws.config  # a config error stops the batch before anything is written
    snap = load_snapshot(ws)
    reports = [TermReport(t, documents_date(cfg, t, today, as_of)) for t in terms]
    steps = [(r, s) for r in reports for s in term_steps(ws, r.term, snap, r.as_of, r)]
    if missing_only:
        steps = [(r, s) for r, s in steps if not s.made()]
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
