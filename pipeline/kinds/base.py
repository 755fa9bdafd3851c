"""What a register kind is: everything zhibu does with one register, declared in one place.

A ``RegisterKind`` names the register and the inbox folders that mean it, lays out its sheets
(columns and row readers, ``pipeline.ingest.sheets.layout.Layout``), files its rows into the
index, gives its blank form, its ``zhibu render`` variables and the data it contributes to the
term outputs. The generic code around it (the reader, ``pipeline.registers.filing``, the forms
writer, ``zhibu render``, the term snapshot) only goes through these fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pipeline.errors import Location
from pipeline.ingest.sheets.layout import Layout
from pipeline.records.archived import MeetingRow
from pipeline.records.meeting import Meeting
from pipeline.records.register_rows import Member

if TYPE_CHECKING:
    import datetime as dt

    from pipeline.config.schema import BranchSettings
    from pipeline.ingest.sheets.base import RegisterResult
    from pipeline.kinds.form import Form
    from pipeline.records.calendar import TermCalendar

R = TypeVar("R")


@dataclass
class RegisterFiling:
    """What filing a register changes beyond its own rows."""

    replan: list[tuple[MeetingRow, Meeting]] = field(default_factory=list)  # filed minutes to render again
    roster: list[Member] | None = None  # the roster this filing makes active
    # Filed minutes without attendance counts: rendered again when the new roster gives them.
    waiting: list[tuple[MeetingRow, Meeting]] = field(default_factory=list)


class FilingContext(Protocol):
    """The workspace as filing a register sees it (``pipeline.registers.filing.FilingContext``)."""

    store: Any  # pipeline.store.Store, read inside the filing
    root: Path  # the workspace root
    failed: Path  # inbox/失败/
    config: Any  # pipeline.config.Config

    def rebuild_meeting(self, row: MeetingRow) -> Meeting | None: ...


# A kind's filing step: (context, the register read, its records by layout key, the filing plan,
# the outcome, what the filing changes beyond its rows). Rows go into the plan's index writers.
FileStep = Callable[[FilingContext, "RegisterResult", dict[str, list], Any, Any, RegisterFiling], None]


@dataclass(frozen=True)
class RenderEnv:
    """What ``zhibu render`` variables may use beyond the record."""

    branch: BranchSettings
    term_label_of: Callable[[dt.date], str]
    quorum: dict | None = None

    def base(self) -> dict[str, str]:
        return {"支部名称": self.branch.name, "学校": self.branch.school, "院系": self.branch.department}


@dataclass(frozen=True)
class TermData(Generic[R]):
    """Records a kind contributes to the term outputs, read from the index in one snapshot."""

    name: str
    load: Callable[[Any], list[R]]  # Store -> records


@dataclass(frozen=True)
class RegisterKind:
    """One register: its name, how it is read, filed, stored, printed blank and rendered."""

    name: str  # 成果登记表
    folder_words: tuple[str, ...]  # an inbox subfolder whose name contains one: 成果 …
    precedence: int  # folder and title words are tried most specific first (签到 before 会议)
    layouts: tuple[Layout, ...]  # how its sheets are laid out, the main layout first
    form: Form | None = None  # the blank register of zhibu forms
    file: FileStep | None = None  # its rows into the filing
    # Days its records are about (the original is archived in the term of most of them).
    days: Callable[[RegisterResult, dict[str, list], TermCalendar], list[dt.date]] | None = None
    data: tuple[TermData, ...] = ()  # what it contributes to the term outputs
    # zhibu render: (document title, variables, where: sheet and row) of one record; None: the kind has
    # no such documents.
    variables: Callable[[Any, RenderEnv], tuple[str, dict, str]] | None = None
    folder_names: tuple[str, ...] = ()  # whole folder names that mean it besides its words (党员)
    meetings: bool = False  # its rows are meetings (RegisterResult.meetings), filed as minutes
    finish: Callable[[RegisterResult], None] | None = None  # after the whole workbook was read

    def found_in(self, result: RegisterResult) -> bool:
        """Whether a register read has sheets of this kind."""
        return any(lay.key in result.items for lay in self.layouts)

    def records(self, result: RegisterResult) -> dict[str, list]:
        """The records of this kind in a register read, by layout key."""
        return {lay.key: result.items.get(lay.key, []) for lay in self.layouts}


def where(result: RegisterResult, sheet: str | None, row: int | None, column: str | None = None) -> str:
    """A row of the register, for messages: 文件「…」工作表「…」第 n 行「列」."""
    return Location(file=result.display_name, sheet=sheet, row=row, column=column).describe()
