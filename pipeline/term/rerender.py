"""Re-apply the current templates to every minutes document of a term (``zhibu batch --rerender``).

After the secretary edits a template in Word, the term's minutes can be regenerated in one go.
Each meeting is rebuilt from its archived original (the note or register row it came from),
completed by the same enrichers as at filing (roster, sign-in sheets), and rendered through
the compile-once batch renderer. A document whose bytes did not change is left alone; a changed
one first gets its current version copied into the term's history folder, then is replaced
atomically, so a crash at any point leaves every document whole.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive.files import atomic_write_bytes, render_path, unique_path
from pipeline.consume import MEETING_ENRICHERS, Processor, searchable_text
from pipeline.errors import ZhibuError
from pipeline.ingest import read_input
from pipeline.learn import asis, photos
from pipeline.records.calendar import Term
from pipeline.render.fast import render_batch
from pipeline.render.minutes import build_context


@dataclass
class RerenderReport:
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def _meetings_by_source(processor: Processor, rows) -> dict[int, list]:
    """The meetings each archived original yields, read once per source."""
    found: dict[int, list] = {}
    for source_id, archived, name in {(r["source_id"], r["archived_path"], r["original_name"]) for r in rows}:
        try:
            found[source_id] = read_input(processor.ws.root / archived, display_name=name).meetings
        except (ZhibuError, OSError):
            found[source_id] = []
    return found


def rerender_term(processor: Processor, term: Term, *, workers: int | None = None) -> RerenderReport:
    ws, report = processor.ws, RerenderReport()
    rows = processor.index.db.execute(
        "SELECT o.*, s.archived_path, s.original_name FROM outputs o JOIN sources s ON s.id = o.source_id "
        "WHERE o.active = 1 AND o.kind = 'minutes' AND o.term = ? ORDER BY o.date, o.id",
        (term.id,),
    ).fetchall()
    as_is = asis.sources_filed_as_is(processor.index.db)  # finished records stay as they were filed
    rows = [r for r in rows if r["source_id"] not in as_is]
    sources = _meetings_by_source(processor, rows)
    branch = dict(ws.config["branch"])
    jobs: dict[Path, list] = defaultdict(list)  # template -> [(context, temp dest, row)]
    with tempfile.TemporaryDirectory(dir=ws.state, prefix="rerender-") as tmp:
        for row in rows:
            meeting = next(
                (
                    m
                    for m in sources.get(row["source_id"], [])
                    if m.type.name == row["meeting_type"]
                    and m.date.isoformat() == row["date"]
                    and m.topic == (row["topic"] or "")
                ),
                None,
            )
            if meeting is None:
                report.problems.append(
                    f"「{row['path']}」：原始材料「{row['original_name']}」中找不到这次会议，未重新生成"
                )
                continue
            for enrich in MEETING_ENRICHERS:
                enrich(processor, meeting)
            context = build_context(meeting, branch, term.label, processor.quorum)
            jobs[ws.meeting_template(meeting.type)].append((context, Path(tmp) / f"{row['id']}.docx", row))
        for template, items in jobs.items():
            batch = render_batch(template, ((c, d) for c, d, _ in items), workers=workers)
            failed = {f.index: f.message for f in batch.failures}
            for i, (context, rendered, row) in enumerate(items):
                if i in failed:
                    report.problems.append(f"「{row['path']}」：{failed[i]}")
                    continue
                photos.embed_archived(rendered, ws.root / row["archived_path"], row["original_name"])
                _replace_if_changed(processor, row, rendered, context, term, report)
    return report


def _replace_if_changed(
    processor, row, rendered: Path, context: dict, term: Term, report: RerenderReport
) -> None:
    ws = processor.ws
    current = ws.root / row["path"]
    new = rendered.read_bytes()
    if current.exists() and current.read_bytes() == new:
        report.unchanged += 1
        return
    if current.exists():
        values = {
            "学年": term.year_folder,
            "学期": term.name,
            "日期": row["date"],
            "类型": row["meeting_type"],
            "主题": row["title"] or "",
        }
        history_dir = ws.outbox / render_path(ws.config["archive"]["history_dir"], values)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        atomic_write_bytes(unique_path(history_dir / f"{stamp} {current.name}"), current.read_bytes())
    # The rendered file is in .zhibu/ (same file system as outbox/): the rename is atomic.
    current.parent.mkdir(parents=True, exist_ok=True)
    os.replace(rendered, current)
    with processor.index.transaction() as db:
        db.execute("UPDATE outputs SET body_text = ? WHERE id = ?", (searchable_text(context), row["id"]))
    report.updated.append(row["path"])
