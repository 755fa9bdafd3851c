"""Every call the web workbench makes into the rest of zhibu, in one place.

The pages never read the index, the config or the archive themselves: they call the functions
here, which use the same code as the CLI (``pipeline.api``: the watcher of ``zhibu watch``; the
compliance check of ``zhibu status``, the term batch, the search, the converter) and return the
plain records of ``pipeline.web.model``. Uploads are placed by ``pipeline.web.uploads``; no other
module of ``pipeline.web`` imports from the rest of ``pipeline``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from pipeline import api
from pipeline.archive.failures import REASON_SUFFIX
from pipeline.config import parse_config
from pipeline.errors import WorkspaceLockedError, ZhibuError
from pipeline.fs.files import publish
from pipeline.kinds.development import DATA as PEOPLE
from pipeline.records.calendar import Term
from pipeline.records.development import overdue_problems
from pipeline.records.dues import parse_ym, ym_text
from pipeline.records.rules import load_rules
from pipeline.records.types import MEETING_TYPES
from pipeline.store import Store
from pipeline.term import development as dev
from pipeline.term import dues
from pipeline.term.assess_run import status_part as assessment_status
from pipeline.term.batch import WRITE_LABELS, term_folder
from pipeline.term.compliance import STATUS_LABELS as CHECK_LABELS
from pipeline.term.compliance import check_term
from pipeline.term.data import Snapshot, load_snapshot
from pipeline.term.search import MARK_CLOSE, MARK_OPEN
from pipeline.term.search import search as search_index
from pipeline.web import files, model
from pipeline.web.files import scrub
from pipeline.web.settings_file import apply_settings, with_password
from pipeline.web.text import marked_parts, split_advice
from pipeline.web.watching import LOCKED
from pipeline.workspace import Workspace

log = logging.getLogger("zhibu.web")

Error = ZhibuError  # what every function here raises; str() is the Chinese message
TYPE_NAMES = [t.name for t in MEETING_TYPES]


def watch(root: Path, on_outcome: Callable, echo: Callable[[str], None], started: Callable) -> str:
    """``zhibu watch`` on ``root`` until the watcher is asked to stop: the same filing session
    (holding the workspace lock all along) and Watcher (``api.watching``). Returns "" when it ended
    normally, ``LOCKED`` when another zhibu holds the workspace, else why it stopped (in Chinese)."""
    try:
        open_workspace(root)  # a broken zhibu.toml is reported before the watcher starts
        with api.watching(root, echo=echo, on_outcome=on_outcome, on_started=started) as watcher:
            watcher.run()
            return str(watcher.storage_error or "")
    except WorkspaceLockedError:
        return LOCKED
    except ZhibuError as err:
        return scrub(str(err), root)
    except Exception as exc:  # the watcher catches its own failures; this is a last resort
        log.exception("watcher of %s stopped", root)
        return f"收件箱监视意外停止（{type(exc).__name__}），详情见 .zhibu/zhibu.log"


def open_workspace(root: Path) -> Workspace:
    """The workspace, its index checked (else: run zhibu doctor) and its config valid."""
    ws = api.open_workspace(root)
    ws.config  # noqa: B018 - a broken zhibu.toml is reported before anything runs
    return ws


def web_settings(ws: Workspace) -> tuple[str, int]:
    """(password hash or "", upload limit in bytes) from zhibu.toml [web]."""
    section = ws.config.web
    return section.password_hash, section.max_upload_mb * 1024 * 1024


def branch_name(ws: Workspace) -> str:
    return ws.config.branch_name or ws.root.name


# --- status, 发展党员, latest filings, failures -------------------------------------------------

_snapshots = files.StatCache()


def snapshot(ws: Workspace) -> Snapshot:
    """What ``load_snapshot`` reads, kept while the index and zhibu.toml are unchanged."""
    wal = ws.index_path.with_name(ws.index_path.name + "-wal")
    return _snapshots.get(ws.root, [ws.index_path, wal, ws.config_path], lambda: load_snapshot(ws))


def _check_line(check) -> model.CheckLine:
    if check.rule.pairs:
        text = f"{check.name}：{check.note}"
    else:
        text = f"{check.name}：{check.rule.describe()}，已开{check.held}次"
        if check.note:
            text += f"（{check.note}）"
    return model.CheckLine(check.name, check.period.zh, text, CHECK_LABELS[check.status])


def status(ws: Workspace, today: dt.date, term_id: str | None = None) -> model.Status:
    cfg = ws.config
    term = Term.parse(term_id) if term_id else cfg.calendar.term_of(today)
    c = check_term(term, cfg.calendar, load_rules(cfg), snapshot(ws), cfg.committee, today)
    lines = {kind: [_check_line(x) for x in c.due if x.period.kind == kind] for kind in ("month", "quarter")}
    other = [_check_line(x) for x in c.due if x.period.kind not in ("month", "quarter")]
    total = sum(c.counts.values())
    counts = "、".join(f"{t}{n}次" for t, n in sorted(c.counts.items(), key=lambda kv: -kv[1]))
    return model.Status(
        term_id=term.id,
        term_label=term.label,
        span=f"{c.start.isoformat()} 至 {c.end.isoformat()}",
        today=today.isoformat(),
        month_due=lines["month"],
        quarter_due=lines["quarter"],
        other_due=other,
        missing=[_check_line(x) for x in c.missing],
        quorum=[f"{q['date']} {q['type']}「{q['title']}」：{q['warning']}" for q in c.quorum],
        notes=list(c.notes),
        counts=f"本学期已归档{total}次：{counts}。" if total else "本学期还没有归档的会议记录。",
        in_term=c.start <= today <= c.end,
    )


def development_due(ws: Workspace, today: dt.date) -> model.DevelopmentDue:
    snap = snapshot(ws)
    rules = dev.rules_of(ws.config)
    out = model.DevelopmentDue(people=len(snap.of(PEOPLE)), remind_days=rules.remind_days)
    if not snap.of(PEOPLE):
        return out
    data = dev.status_data(snap, ws.config, today)
    for r in data["development"]:
        item = model.Reminder(r["person"], r["text"], r["due"] or r["from"] or "", r["overdue"])
        (out.overdue if r["overdue"] else out.soon).append(item)
    out.problems = [f"{v['person']}：{v['problem']}" for v in data["development_violations"]]
    out.problems += [
        f"{c['person']} {c['step']}（{c['date']}，{c['meeting_type']}）：{c['problem']}"
        for c in data["development_minutes"]
    ]
    out.problems += [c["problem"] for c in data["crosscheck"]]
    return out


def dues_due(ws: Workspace, today: dt.date) -> model.DuesDue:
    data = dues.status_data(snapshot(ws), ws.config, today)["dues"]
    if data is None:
        return model.DuesDue()
    through = parse_ym(data["through"])
    return model.DuesDue(
        filed=True,
        year=data["year"],
        through=ym_text(through) if through is not None else "",
        recorded=data["recorded"],
        due=dues.due_text(data),
        paid=data["paid"],
        alerts=[model.Reminder(a["member"], a["text"], "", a["level"] == "alert") for a in data["alerts"]],
        unpaid=[u["text"] for u in data["unpaid"]],
        checks=len(data["warnings"]),
    )


def assessment_due(ws: Workspace, today: dt.date) -> model.AssessDue:
    data = assessment_status(ws, snapshot(ws), today)[0]["assessment"]
    return model.AssessDue(
        label=data["label"],
        measured=data["measured"],
        pending=data["pending_points"],
        projected=data["projected"],
        grade=data["projected_grade"],
        open=[f"{x['indicator']}：{x['text']}" for x in data["open"]],
        lost=[f"{x['indicator']}：{x['text']}" for x in data["lost"]],
        notes=data["notes"],
    )


def latest_filings(ws: Workspace, limit: int = 8) -> list[model.Filing]:
    meetings = sorted(snapshot(ws).meetings, key=lambda m: m.id, reverse=True)[:limit]
    return [_filing(m) for m in meetings]


def _filing(m) -> model.Filing:
    return model.Filing(m.date.isoformat(), m.type, m.title, m.path, m.archived_path)


def failures(ws: Workspace) -> list[model.Failure]:
    return files.failures(ws.root, ws.failed, REASON_SUFFIX)


def home(ws: Workspace, today: dt.date) -> model.Home:
    return model.Home(
        branch=branch_name(ws),
        status=status(ws, today),
        development=development_due(ws, today),
        latest=latest_filings(ws),
        failures=failures(ws),
        notice=scrub(ws.config.branch_notice() or "", ws.root),
        dues=dues_due(ws, today),
        assessment=assessment_due(ws, today),
    )


# --- the archive, search ------------------------------------------------------------------------


def terms(ws: Workspace, today: dt.date) -> list[Term]:
    found = {Term.parse(m.term) for m in snapshot(ws).meetings if m.term}
    found.add(ws.config.calendar.term_of(today))
    return sorted(found, reverse=True)


def pick_term(ws: Workspace, term_id: str | None, today: dt.date) -> Term:
    return Term.parse(term_id) if term_id else ws.config.calendar.term_of(today)


def archive(ws: Workspace, term_id: str | None, today: dt.date) -> model.Archive:
    term = pick_term(ws, term_id, today)
    groups: dict[str, list[model.Filing]] = defaultdict(list)
    meetings = [m for m in snapshot(ws).meetings if m.term == term.id]
    for m in meetings:
        groups[m.type].append(_filing(m))
    order = {name: i for i, name in enumerate(TYPE_NAMES)}
    categories = [
        model.Category(k, v) for k, v in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))
    ]
    return model.Archive(
        term.id,
        term.label,
        [(t.id, t.label) for t in terms(ws, today)],
        categories,
        term_files(ws, term),
        len(meetings),
    )


def term_files(ws: Workspace, term: Term) -> list[model.Link]:
    """The term's own outputs (台账, 汇编, 计划, 卷册, 发展党员 papers) as they are on disk."""
    folder = term_folder(ws, term)
    return files.listed(ws.root, [folder, folder / "发展党员"], (".docx", ".xlsx", ".pdf"))


def search(ws: Workspace, query: str, type_name: str, term_id: str, limit: int = 100) -> list[model.Hit]:
    term = Term.parse(term_id).id if term_id else None
    with Store(ws.index_path) as store:
        hits, _method = search_index(
            store, query, activity=type_name if type_name in TYPE_NAMES else None, term=term, limit=limit
        )
    return [
        model.Hit(h.date, h.type, h.title, h.path, marked_parts(h.snippet, MARK_OPEN, MARK_CLOSE))
        for h in hits
    ]


# --- 发展党员 ---------------------------------------------------------------------------------


def people(ws: Workspace, today: dt.date) -> list[model.Person]:
    snap = snapshot(ws)
    checks = defaultdict(list)
    for c in dev.minutes_checks(snap, today):
        if c.problem:
            checks[c.person].append(c.text)
    out = []
    for a in dev.assessed(snap, ws.config, today):
        steps = [
            model.Step(r["序号"], r["阶段"], r["步骤"], r["日期"], r["经办"], r["情况"])
            for r in dev.step_rows(a, today)
        ]
        step = a.step
        out.append(
            model.Person(
                name=a.person.name,
                stage=a.stage,
                next_step=step.text if step else "",
                due=when.isoformat() if step and (when := step.due or step.earliest) else "",
                overdue=a.overdue(today),
                steps=steps,
                problems=overdue_problems(a, today)
                + [f"{v.message}" for v in a.violations]
                + checks[a.person.name],
            )
        )
    return out


# --- term outputs ---------------------------------------------------------------------------------


def run_term_batch(
    ws: Workspace, term: Term, today: dt.date, progress: Callable[[int, int, str], None]
) -> model.BatchDone:
    """``zhibu batch --term``: every step of the term, each failure reported, the others still run."""

    def step_done(done: int, total: int, step: str) -> None:
        progress(done, total, "完成" if done == total else step)

    (report,) = api.batch(ws, term=term.id, today=today, progress=step_done).terms
    files = [model.Link(f.path, f"{Path(f.path).name}（{WRITE_LABELS[f.status]}）") for f in report.files]
    lines = (report.compliance.messages() if report.compliance else []) + report.warnings
    return model.BatchDone(files, lines, [scrub(e, ws.root) for e in report.errors])


def build_term_volume(ws: Workspace, term: Term) -> model.VolumeDone:
    """``zhibu print --term``: the bound volume of the term, with a line of page counts."""
    report = api.print_term(ws, term=term.id)
    volume, dest = report.volume, report.volume.pdf
    pages = f"共 {report.documents} 件，文件页数 {volume.numbered_pages} 页（含封面和卷内目录共 {volume.page_count} 页）。"
    return model.VolumeDone(model.Link(dest.relative_to(ws.root).as_posix(), dest.name), pages)


# --- files: downloads, PDF views, uploads ----------------------------------------------------------


def workspace_file(ws: Workspace, rel: str) -> Path | None:
    return files.workspace_file(ws.root, rel)


def pdf_cache(ws: Workspace, source: Path) -> Path:
    return files.pdf_cache(ws.root, ws.state, source)


def convert_for_view(ws: Workspace, source: Path, target: Path) -> None:
    """One document to PDF with LibreOffice (the converter of zhibu pdf), published atomically."""
    report = api.pdf(ws, [source], destinations={source: target})
    if report.failures:
        raise next(iter(report.failures.values()))


def outcome_view(outcome, ws: Workspace) -> model.Outcome:
    """The outcome of one file's filing, in the words of the run summary."""
    reason, advice = split_advice(scrub(outcome.error or "", ws.root))
    return model.Outcome(
        name=outcome.name,
        state=outcome.status,
        label=outcome.status.label,
        outputs=[model.Link(p, Path(p).name) for p in outcome.outputs],
        reason=reason,
        advice=advice,
        warnings=[scrub(w, ws.root) for w in outcome.warnings],
        failed_path=outcome.failed_path or "",
    )


# --- settings -------------------------------------------------------------------------------------


def settings(ws: Workspace) -> model.Settings:
    cfg = ws.config
    branch = cfg.branch
    terms_ = [
        (t.id, t.start.isoformat(), t.end.isoformat(), t.plan_date.isoformat() if t.plan_date else "")
        for t in cfg.calendar_settings.terms
    ]
    committee = [(c.name, c.role or "委员") for c in cfg.committee]
    return model.Settings(branch.name, branch.school, branch.department, committee, terms_)


def save_settings(ws: Workspace, wanted: model.Settings) -> None:
    """Write the edited values into zhibu.toml (comments kept), after the same validation every
    zhibu command applies; raises ConfigError (nothing written) when they are not valid."""
    text = ws.config_path.read_text(encoding="utf-8-sig")
    try:
        edited = apply_settings(text, wanted)
    except ValueError as err:
        raise ZhibuError(str(err)) from None
    _write_config(ws, edited)


def set_password_hash(ws: Workspace, value: str) -> None:
    _write_config(ws, with_password(ws.config_path.read_text(encoding="utf-8-sig"), value))


def _write_config(ws: Workspace, text: str) -> None:
    parse_config(text, source=ws.config_path.name)  # raises ConfigError, in Chinese, naming the key
    publish(ws.config_path, data=text.encode("utf-8"))
