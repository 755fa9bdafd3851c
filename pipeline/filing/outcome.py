"""What became of one input: its status, with the Chinese label the secretary reads, and
everything a summary line, a JSON report or a web page shows of it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """How the filing of one input ended. The value is what ``--json`` prints; ``label`` is the
    word of the run summary and of ``zhibu watch``'s line."""

    label: str

    def __new__(cls, value: str, label: str) -> Status:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    PROCESSED = "processed", "已处理"  # filed: original archived, documents made, rows indexed
    DUPLICATE = "duplicate", "重复"  # the same content was filed before: the copy is removed
    FAILED = "failed", "失败"  # moved to inbox/失败/ with a reason file
    PARTIAL = "partial", "部分失败"  # filed, but some rows of the register are in a 待修正 file
    RETRY = "retry", "未处理"  # neither filed nor moved: it stays in the inbox for the next pass

    @property
    def needs_attention(self) -> bool:
        """Something the secretary has to look at (the run exits with 1)."""
        return self in (Status.FAILED, Status.PARTIAL, Status.RETRY)


@dataclass
class Outcome:
    """One input's result. ``outputs``, ``replaced`` and ``failed_path`` are relative to the
    workspace root; ``counts`` are the register items added, by kind (成果：新增 3 条)."""

    name: str  # the input, relative to inbox/
    status: Status
    outputs: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # older versions moved to 历史版本
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # why it failed, in Chinese, with the way to fix it
    failed_path: str | None = None  # where the input went in inbox/失败/
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # "failed" given as text is the same status. Enum lookup by value takes one argument;
        # mypy reads the signature of the members' __new__ (value, label) instead.
        self.status = Status(self.status)  # type: ignore[call-arg]

    def as_dict(self) -> dict:
        """The input as ``zhibu run --json`` prints it."""
        return asdict(self) | {"status": str(self.status)}
