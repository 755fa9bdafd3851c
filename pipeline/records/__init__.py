"""Typed domain objects (meetings, terms) and their validation. Pure: no file I/O here."""

from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.meeting import Absence, Meeting, Section
from pipeline.records.types import MEETING_TYPES, MeetingType, resolve_meeting_type

__all__ = [
    "Absence",
    "Meeting",
    "Section",
    "Term",
    "TermCalendar",
    "MEETING_TYPES",
    "MeetingType",
    "resolve_meeting_type",
]
