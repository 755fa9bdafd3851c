"""Reading a dropped input as ``zhibu run`` reads it (``zhibu check`` too)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pipeline import scan
from pipeline.ingest import NoteLimits
from pipeline.ingest.filetype import check_extension
from pipeline.ingest.result import IngestResult
from pipeline.ingest.sheets.sensitive import blank_numbers
from pipeline.kinds import read_input
from pipeline.learn import asis
from pipeline.records.meeting import Meeting
from pipeline.workspace import Workspace


def read_dropped(path: Path, name: str, kind_hint: str | None, ws: Workspace) -> IngestResult:
    """A file whose extension is not what it is is refused, saying what it is (``ingest.filetype``).
    A scan (images, image-only PDFs) is OCR'd, finished minutes are filed as they are,
    anything else is read as a note or a register. (The photos dropped with a note join its
    meeting when the filing is planned.) ID and mobile numbers in a meeting's text are blanked
    unless zhibu.toml [archive] keep_personal_numbers says to keep them."""
    check_extension(path)
    result = (
        scan.read_if_scanned(path, name, ws.inbox, ws.config.scan)
        or asis.read_if_asis(path, name, kind_hint, ws.templates)
        or read_input(path, display_name=name, kind_hint=kind_hint, limits=note_limits(ws))
    )
    if not ws.config.archive.keep_personal_numbers:
        blanked = sum(blank_meeting(m) for m in result.meetings if not isinstance(m, asis.FiledAsIs))
        if blanked:
            result.warnings.append(
                f"「{name}」的正文里有 {blanked} 处身份证号或手机号，会议记录和索引中已隐去"
                "（确需保留时，在 zhibu.toml 的 [archive] 中设 keep_personal_numbers = true）"
            )
    return result


def note_limits(ws: Workspace) -> NoteLimits:
    """How long a note may be: zhibu.toml [render]."""
    render = ws.config.render
    return NoteLimits(render.max_note_lines, render.max_note_chars)


def blank_meeting(meeting: Meeting) -> int:
    """Blank every ID and mobile number in the meeting's text, in place; how many there were."""
    count = 0

    def clean(value: Any) -> Any:
        nonlocal count
        if isinstance(value, str):
            text, found = blank_numbers(value)
            count += found
            return text
        if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
            cleaned = [clean(v) for v in value]
            return value if all(a is b for a, b in zip(cleaned, value, strict=True)) else type(value)(cleaned)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
            if all(v is getattr(value, k) for k, v in changes.items()):
                return value  # nothing blanked: the same object (types and enums stay themselves)
            return dataclasses.replace(value, **changes)
        return value

    for f in dataclasses.fields(meeting):
        if f.name not in ("photos", "pages", "source_name", "source_path"):
            setattr(meeting, f.name, clean(getattr(meeting, f.name)))
    return count
