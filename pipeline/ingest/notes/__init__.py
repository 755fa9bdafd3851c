"""Reading meeting notes as secretaries write them: labels, prose, dates, years, tables."""

from pipeline.ingest.notes.parse import parse_note

__all__ = ["parse_note"]
