"""``zhibu check``: what filing a file would do, without writing anything.

The same reading (``reading.read_dropped``) and the same meeting planning
(``pipeline.planning.plan_minutes``) as ``zhibu run``, and a render of each document to prove
its template; nothing is archived, moved or indexed, and no 待修正 workbook is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.errors import ZhibuError
from pipeline.filing.checks import archived_intact
from pipeline.filing.planner import moved_from, same_day_records
from pipeline.filing.reading import read_dropped
from pipeline.fs.files import sha256_file
from pipeline.planning import PlanningState, plan_minutes
from pipeline.records import corrections
from pipeline.render.lines import document_lines
from pipeline.render.minutes import render_docx
from pipeline.store import Store
from pipeline.workspace import Workspace

# The fields shown for each planned document, in the order of the minutes.
SHOWN_FIELDS = tuple("会议名称 时间 地点 主持人 记录人 应到 实到 出席人员 缺席人员 列席人员".split())


@dataclass
class PlannedDocument:
    path: str  # where it would be filed, "outbox/…"
    fields: dict[str, str]  # SHOWN_FIELDS as they would be filled ("" stays blank for a hand to fill)
    lines: list[str] = field(default_factory=list)  # every line of the document, read back from it
    warnings: list[str] = field(default_factory=list)


@dataclass
class FileCheck:
    """What ``zhibu run`` would do with one file."""

    file: str
    duplicate: bool = False  # the same content is filed already
    documents: list[PlannedDocument] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # register items, by kind
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def check_file(ws: Workspace, state: PlanningState, store: Store | None, path: Path) -> FileCheck:
    """What ``zhibu run`` would do with ``path`` (no file is written)."""
    report = FileCheck(path.name)
    if store is not None and archived_intact(ws.root, store.source_by_sha(sha256_file(path))):
        report.duplicate = True
        return report
    name = display_name(ws, path)
    try:
        result = read_dropped(path, name, None, ws)
        result.ensure_content()
    except ZhibuError as err:
        report.errors.append(err.at(file=name).render())
        return report
    report.warnings += result.warnings
    for m in result.meetings:
        planned = plan_minutes(m, state)
        doc = PlannedDocument(
            f"outbox/{planned.rel_path}", {k: _text(planned.context.get(k)) for k in SHOWN_FIELDS}
        )
        doc.warnings = list(planned.warnings)
        if store is not None:  # another record of the same activity: as zhibu run would warn
            doc.warnings += same_day_records(store, planned, path.name)[1]
            doc.warnings += [
                corrections.moved_message(r.date, m.date, r.path, done=False)
                for r in moved_from(store, planned, path.name)
            ]
        try:
            doc.lines = document_lines(render_docx(ws.meeting_template(m.type), planned.context))
        except ZhibuError as err:
            report.errors.append(f"模板问题：{err}")
        report.documents.append(doc)
        report.warnings += doc.warnings
    report.counts = {kind: len(items) for kind, items in result.items.items()}
    report.errors += [str(e) for e in result.row_errors]
    return report


def display_name(ws: Workspace, path: Path) -> str:
    """As ``zhibu run`` names the file: relative to the inbox (its folders may give the year);
    a file elsewhere keeps its folder's name for the same reason."""
    full = path.resolve()
    if full.is_relative_to(ws.inbox):
        return full.relative_to(ws.inbox).as_posix()
    return f"{full.parent.name}/{full.name}" if full.parent.name else full.name


def _text(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)
