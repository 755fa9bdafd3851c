"""Reading a dropped input as ``zhibu run`` reads it (``zhibu check`` too)."""

from __future__ import annotations

from pathlib import Path

from pipeline import scan
from pipeline.ingest.result import IngestResult
from pipeline.kinds import read_input
from pipeline.learn import asis
from pipeline.workspace import Workspace


def read_dropped(path: Path, name: str, kind_hint: str | None, ws: Workspace) -> IngestResult:
    """A scan (images, image-only PDFs) is OCR'd, finished minutes are filed as they are,
    anything else is read as a note or a register. (The photos dropped with a note join its
    meeting when the filing is planned.)"""
    return (
        scan.read_if_scanned(path, name, ws.inbox, ws.config.scan)
        or asis.read_if_asis(path, name, kind_hint, ws.templates)
        or read_input(path, display_name=name, kind_hint=kind_hint)
    )
