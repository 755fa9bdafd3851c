"""Parse a typed meeting note into a Meeting record (see ``pipeline.ingest.notes``)."""

from __future__ import annotations

from pipeline.ingest.notes.labels import FIELD_ALIASES, FIELD_LABELS, SECTION_NAMES
from pipeline.ingest.notes.parse import parse_note

__all__ = ["FIELD_ALIASES", "FIELD_LABELS", "SECTION_NAMES", "parse_note"]
