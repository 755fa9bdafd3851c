"""The register kinds, one module each, and the one list of them (``KINDS``).

A kind module (``base.RegisterKind``) holds all that zhibu does with one register: its name and
inbox-folder words, its columns and row reader, its typed records and their index table, its
filing step, its blank form, its ``zhibu render`` variables and the data it gives the term
outputs. Adding a register kind is: write its module, add it to ``KINDS``, add the migration that
creates its table at the end of ``pipeline/store/schema.py``.

The sheet reader sits below the kinds and never imports them: ``read_input`` here hands it the
list.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import ingest
from pipeline.ingest.result import IngestResult
from pipeline.kinds import (
    achievements,
    assessment_rules,
    development,
    dues_base,
    dues_payments,
    meetings,
    plan,
    roster,
    signin,
)
from pipeline.kinds.base import RegisterKind

# The order in which a sheet's header is matched against the kinds (the first wins a tie), the
# forms are written and the kinds are filed.
KINDS: tuple[RegisterKind, ...] = (
    meetings.KIND,
    signin.KIND,
    achievements.KIND,
    roster.KIND,
    plan.KIND,
    development.KIND,
    dues_base.KIND,
    dues_payments.KIND,
    assessment_rules.KIND,
)

# Kind names the filing pipeline orders by (rosters first, then sign-in sheets).
ROSTER, SIGNIN = roster.NAME, signin.NAME


def by_name(name: str) -> RegisterKind | None:
    return next((k for k in KINDS if k.name == name), None)


def read_input(
    path: Path,
    *,
    display_name: str | None = None,
    kind_hint: str | None = None,
    limits: ingest.NoteLimits = ingest.NoteLimits(),
) -> IngestResult:
    """Read one input file (a note, or a register of any kind): ``pipeline.ingest.read_input``
    with the register kinds. ``kind_hint`` is the inbox subfolder's name, if any; ``limits``
    how long a note may be."""
    return ingest.read_input(path, display_name=display_name, kind_hint=kind_hint, kinds=KINDS, limits=limits)


__all__ = ["KINDS", "RegisterKind", "by_name", "read_input"]
