"""An input that passed the checks (``Arrival``), and the inbox subfolder that names its kind: what the
checks hand to the session and the planner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.fs.files import inside


@dataclass(frozen=True)
class Arrival:
    """An input that passed the checks: where it is, its name, its content's fingerprint."""

    path: Path
    name: str  # relative to inbox/, printable whatever bytes the name has
    sha256: str
    signature: tuple | None = None  # size and time before it was read; None: not checked again
    kind_hint: str | None = None  # the typed inbox folder it sits in (会议, 成果, 原样归档 …)
    archived: Path | None = None  # ``zhibu doctor``: the original is in the archive already, here


def kind_hint(path: Path, inbox: Path) -> str | None:
    """The inbox subfolder an input was dropped in (``inbox/成果/…`` → 成果), which names its kind."""
    rel = path.relative_to(inbox) if inside(path, inbox) else Path(path.name)
    return rel.parts[0] if len(rel.parts) > 1 else None
