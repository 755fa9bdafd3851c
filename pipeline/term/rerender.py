"""Re-apply the current templates to every minutes document of a term (``zhibu batch --rerender``).

After the secretary edits a template in Word, the term's minutes can be regenerated in one go.
Each meeting is rebuilt from its archived original (the note or register row it came from),
planned by the same function as at filing (roster, sign-in sheets), and rendered through
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

from pipeline.fs.files import atomic_write_bytes, render_path, unique_path
from pipeline.learn import asis, photo_pages
from pipeline.planning import fact_columns, path_values, plan_minutes, searchable_text
from pipeline.records.archived import MeetingRow
from pipeline.records.calendar import Term
from pipeline.registers.filing import rebuild_meeting
from pipeline.render.fast import render_batch


@dataclass
class RerenderReport:
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def rerender_term(session, term: Term, *, workers: int | None = None) -> RerenderReport:
    """``session``: an open ``pipeline.filing.session.Session`` (it holds the workspace lock)."""
    ws, store, report = session.ws, session.index, RerenderReport()
    planning = session.planning()
    state, context = planning.state, planning.register_context()
    jobs: dict[Path, list] = defaultdict(list)  # template -> [(variables, temp dest, row)]
    facts: list[tuple[int, dict]] = []  # minutes filed before the index kept them get them now
    with tempfile.TemporaryDirectory(dir=ws.state, prefix="rerender-") as tmp:
        for row in store.minutes(term.id):
            if row.source_kind == asis.ASIS_KIND:
                continue  # finished records stay as they were filed
            meeting = rebuild_meeting(context, row)
            if meeting is None:
                report.problems.append(
                    f"「{row.path}」：原始材料「{row.source_name}」中找不到这次会议，未重新生成"
                )
                continue
            planned = plan_minutes(meeting, state)
            facts.append((row.id, fact_columns(planned.meeting)))
            jobs[ws.meeting_template(meeting.type)].append(
                (planned.context, Path(tmp) / f"{row.id}.docx", row)
            )
        with store.transaction() as index:
            for output_id, columns in facts:
                index.update_facts(output_id, columns)
        for template, items in jobs.items():
            batch = render_batch(template, ((c, d) for c, d, _ in items), workers=workers)
            failed = {f.index: f.message for f in batch.failures}
            for i, (variables, rendered, row) in enumerate(items):
                if i in failed:
                    report.problems.append(f"「{row.path}」：{failed[i]}")
                    continue
                photo_pages.embed_archived(rendered, ws.root / row.archived_path, row.source_name)
                _replace_if_changed(session, row, rendered, variables, term, report)
    return report


def _replace_if_changed(
    session, row: MeetingRow, rendered: Path, variables: dict, term: Term, report: RerenderReport
) -> None:
    ws = session.ws
    current = ws.root / row.path
    new = rendered.read_bytes()
    if current.exists() and current.read_bytes() == new:
        report.unchanged += 1
        return
    if current.exists():
        values = path_values(term, row.date.isoformat(), row.type, row.title)
        history_dir = ws.outbox / render_path(ws.config.archive.history_dir, values)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        atomic_write_bytes(unique_path(history_dir / f"{stamp} {current.name}"), current.read_bytes())
    # The rendered file is in .zhibu/ (same file system as outbox/): the rename is atomic.
    current.parent.mkdir(parents=True, exist_ok=True)
    os.replace(rendered, current)
    with session.index.transaction() as store:
        store.update_search_text(row.id, searchable_text(variables))
    report.updated.append(row.path)
