"""Filing a register: its rows go into the filing's index transaction, and the minutes they
change are handed back to be planned again.

``file_register`` is called by the processor for every register input. Each register kind found
in it (``pipeline.kinds``) adds its rows to the filing plan (store methods run inside the commit
transaction), its counts and warnings to the run summary, and the minutes already filed that
must be rendered again (a meeting whose sign-in sheet arrived, minutes without counts when a
roster arrives). Then the 待修正 workbook of bad rows is written and the original is archived
with its sensitive columns blanked. ``source_day`` picks the day whose term files the original.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import ZhibuError
from pipeline.fs.files import atomic_write_bytes, unique_path
from pipeline.ingest.legacy import LEGACY_SUFFIXES
from pipeline.ingest.sheets import RegisterResult
from pipeline.kinds import KINDS, ROSTER, SIGNIN, by_name, read_input
from pipeline.kinds.base import RegisterFiling
from pipeline.records.archived import MeetingRow
from pipeline.records.meeting import Meeting
from pipeline.registers.corrections import correction_name, correction_workbook
from pipeline.registers.sanitize import sanitize_register
from pipeline.store import Store

log = logging.getLogger("zhibu")

__all__ = ["FilingContext", "RegisterFiling", "file_register", "rebuild_meeting", "source_day"]


@dataclass
class FilingContext:
    """The workspace as filing a register sees it."""

    store: Store  # read inside the filing
    root: Path  # the workspace root
    failed: Path  # inbox/失败/
    config: Config

    def rebuild_meeting(self, row: MeetingRow) -> Meeting | None:
        return rebuild_meeting(self, row)


def source_day(result, calendar) -> dt.date | None:
    """The day whose term files a register's original; None for notes (the Processor decides)."""
    if not isinstance(result, RegisterResult):
        return None
    days: list[dt.date] = [m.date for m in result.meetings]
    for kind in KINDS:
        if kind.days is not None and kind.found_in(result):
            days += kind.days(result, kind.records(result), calendar)
    if not days:
        return None
    terms = Counter(calendar.term_of(d) for d in days)
    top = max(terms.values())
    term = max(t for t, n in terms.items() if n == top)  # a tie goes to the later term
    return min(d for d in days if calendar.term_of(d) == term)


def file_register(ctx: FilingContext, result: RegisterResult, plan, outcome) -> RegisterFiling:
    """Add a register's rows to ``plan``; returns the filed minutes it changes."""
    filed = RegisterFiling()
    if result.is_empty:
        return filed  # only bad rows: the whole file goes to 失败 and nothing is stored
    for kind in KINDS:
        if kind.file is not None and kind.found_in(result):
            kind.file(ctx, result, kind.records(result), plan, outcome, filed)
    if result.bad_rows:
        target = ctx.failed / correction_name(result.display_name)
        atomic_write_bytes(target, correction_workbook(result))
        rel = target.relative_to(ctx.root).as_posix()
        outcome.warnings.append(
            f"有{len(result.bad_rows)}行未能处理，已另存到 {rel}（最后一列是错误原因）："
            "改正后只需把这个文件放回 inbox，已处理的行不必重放"
        )
    # Every register, whatever the reader saw: personal data may sit under any header, in any sheet.
    _archive_sanitized(plan, outcome)
    return filed


def _archive_sanitized(plan, outcome) -> None:
    """Archive the register with its sensitive columns blanked, never the values themselves.

    The blanked copy is what the commit archives; the inbox file itself is left as it is
    until the commit removes it.
    """
    report = sanitize_register(plan.inbox_file)
    if report is None:
        return
    plan.archived_data = report.data
    if report.data[:4] == b"PK\x03\x04" and plan.original_dest.suffix.lower() in LEGACY_SUFFIXES:
        # The blanked copy of an old-format sheet is an .xlsx workbook.
        plan.original_dest = unique_path(plan.original_dest.with_suffix(".xlsx"))
    outcome.warnings.append(report.message)


def rebuild_meeting(ctx: FilingContext, row: MeetingRow) -> Meeting | None:
    """The Meeting behind filed minutes, read again from its archived original.

    Minutes re-rendered for a sign-in sheet or a roster have that register as their source; the
    meeting's own source is then found along the versions they replaced.
    """
    current: MeetingRow | None = row
    for _ in range(100):
        if current is None:
            break
        src = ctx.store.source(current.source_id)
        if src is not None and src.kind not in (SIGNIN, ROSTER) and src.archived_path:
            found = _meetings_in(ctx.root / src.archived_path, src.original_name, src.kind)
            same = [m for m in found if m.type.name == row.type and m.date == row.date]
            if same:
                best = [m for m in same if m.topic == row.topic] or same
                best[0].source_name = src.original_name
                return best[0]
        current = ctx.store.replaced_version(current.id)
    return None


def _meetings_in(path: Path, name: str, kind: str) -> list[Meeting]:
    hint = kind if by_name(kind) else None
    if not path.is_file():
        return []
    try:
        return read_input(path, display_name=name, kind_hint=hint).meetings
    except ZhibuError as err:
        log.info("cannot re-read %s: %s", path, err)
        return []
