"""What reading one input file yields: records of one or more kinds, and row-level problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.errors import InputError
from pipeline.records.meeting import Meeting


@dataclass
class IngestResult:
    kind: str  # "note", or a register kind such as "会议登记表"
    meetings: list[Meeting] = field(default_factory=list)
    # Register rows that are not meetings (achievements, roster, plan items, sign-in lists), keyed
    # by register kind (or layout: 计划说明): the typed records of that kind (``pipeline.kinds``).
    items: dict[str, list] = field(default_factory=dict)
    row_errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.meetings and not any(self.items.values())

    def ensure_content(self) -> None:
        """An input with neither records nor bad rows cannot be filed: say why."""
        if self.is_empty and not self.row_errors:
            said = "；".join(self.warnings)  # e.g. 表格只有表头，没有数据行
            raise InputError(
                "文件里没有找到可以处理的内容" + (f"（{said}）" if said else ""),
                hint="请确认文件内容完整后重新放入。",
            )
