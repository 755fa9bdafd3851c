"""Setting up and serving the workspace: a new workspace, blank registers, the branch profile,
one document per register row, and the Word templates (checked, restored, learned)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from pipeline.api.common import in_workspace
from pipeline.api.reports import (
    FormsReport,
    InitReport,
    LearnReport,
    ProfileReport,
    Progress,
    RenderReport,
    RestoreReport,
    TemplatesReport,
)
from pipeline.errors import InputError, Location, TemplateError
from pipeline.fs.files import atomic_write_bytes, safe_file_name
from pipeline.kinds import read_input
from pipeline.learn import learn_template
from pipeline.new_workspace import init_workspace
from pipeline.records.rules import load_rules
from pipeline.registers.forms import write_forms
from pipeline.registers.profile import branch_profile, profile_docx, profile_path
from pipeline.registers.rendering import row_contexts
from pipeline.render.default_templates import DEFAULT_TEMPLATES, write_default_templates
from pipeline.render.fast import render_batch
from pipeline.render.template_check import check_template
from pipeline.store import Store
from pipeline.workspace import Workspace


def init(folder: Path) -> InitReport:
    """A new workspace in ``folder`` (``zhibu init``); a file that exists is never overwritten."""
    ws, created = init_workspace(folder)
    return InitReport(ws.root, created)


@in_workspace
def forms(ws: Workspace, *, overwrite: bool = False) -> FormsReport:
    """The blank registers in 表格模板/ (``zhibu forms``)."""
    written, kept = write_forms(ws, overwrite=overwrite)
    return FormsReport(ws.forms, written, kept)


@in_workspace
def profile(
    ws: Workspace, *, docx: bool = False, as_of: dt.date | None = None, today: dt.date | None = None
) -> ProfileReport:
    """The 党组织简介 stated from the active roster (``zhibu profile``), as it stood on ``as_of``
    (default today) and dated then; ``docx``: a Word copy too."""
    store = Store.open_read_only(ws.index_path)
    members = []
    if store is not None:
        with store:
            members = store.active_roster()
    if not members:
        raise InputError(
            "还没有导入党员名册：请把党员名册（.xlsx）放进 inbox/ 并运行 zhibu run，再生成简介。"
        )
    cfg = ws.config
    day = as_of or today or dt.date.today()
    report = ProfileReport(branch_profile(members, cfg.committee, cfg.branch_name, as_of), day)
    if not report.text:
        raise InputError(f"党员名册中没有{day.year}年{day.month}月{day.day}日已入党的党员，无法生成简介。")
    if docx:
        target = profile_path(ws.outbox)
        atomic_write_bytes(target, profile_docx(report.text, cfg.branch_name, day))
        report.docx = target.relative_to(ws.root).as_posix()
    return report


def _template_path(ws: Workspace, name: str) -> Path:
    for candidate in (Path(name), ws.templates / name, ws.templates / f"{name}.docx"):
        if candidate.is_file():
            return candidate
    raise TemplateError(
        "找不到模板文件",
        hint="写模板的路径，或 templates/ 里的模板名，例如 --template 会议记录。",
        location=Location(file=name),
    )


@in_workspace
def render(
    ws: Workspace,
    register: Path,
    template: str,
    *,
    out: Path | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> RenderReport:
    """One Word document per good row of ``register`` with ``template`` (``zhibu render``);
    nothing is filed. ``template``: a path, or a name in templates/."""
    cfg = ws.config
    template_path = _template_path(ws, template)
    result = read_input(register, display_name=register.name)
    folder = out or ws.outbox / "批量生成" / safe_file_name(register.stem, "", 60)
    rows = list(
        row_contexts(result, cfg.branch, lambda d: cfg.calendar.term_of(d).label, load_rules(cfg).quorum)
    )
    report = RenderReport(folder, len(rows), [str(e) for e in result.row_errors])
    if not rows:
        return report
    folder.mkdir(parents=True, exist_ok=True)
    limit = cfg.archive.max_name_length
    if progress:
        progress(0, len(rows), "")

    def jobs_in_order():  # consumed lazily by the batch: progress follows the rendering
        for i, (title, context, _) in enumerate(rows, 1):
            yield context, folder / safe_file_name(f"{i:04d} {title}", ".docx", limit)
            if progress:
                progress(i, len(rows), title)

    done = render_batch(template_path, jobs_in_order(), workers=jobs or os.cpu_count())
    report.failures = [(rows[f.index][2], f.message) for f in done.failures]
    report.succeeded = done.succeeded
    return report


# --- the Word templates ------------------------------------------------------------------------


@in_workspace
def templates_check(ws: Workspace) -> TemplatesReport:
    """Every template of templates/ tried with sample data (``zhibu templates check``)."""
    paths = sorted(p for p in ws.templates.glob("*.docx") if not p.name.startswith("~$"))
    return TemplatesReport([check_template(path, ws.config.branch) for path in paths])


def _backup_folder(ws: Workspace) -> Path:
    return ws.templates / "备份" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")


@in_workspace
def templates_restore(ws: Workspace) -> RestoreReport:
    """The default templates written again, the current ones copied to templates/备份/ first."""
    backup = _backup_folder(ws)
    for name in DEFAULT_TEMPLATES:
        if (ws.templates / name).exists():
            backup.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ws.templates / name, backup / name)
    written = write_default_templates(ws.templates, overwrite=True)
    return RestoreReport(written, backup if backup.exists() else None)


@in_workspace
def templates_learn(ws: Workspace, record: Path, meeting_type: str | None = None) -> LearnReport:
    """A filled-in record of the school's own form made the template of its meeting type
    (templates/<类型>.docx, an earlier one backed up), then tried with sample data."""
    learned = learn_template(record, meeting_type, ws.config.branch.name)
    target = ws.templates / f"{learned.meeting_type.name}.docx"
    backup = None
    if target.exists():
        backup = _backup_folder(ws)
        backup.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, backup / target.name)
    atomic_write_bytes(target, learned.data)
    return LearnReport(learned, f"templates/{target.name}", backup, check_template(target, ws.config.branch))
