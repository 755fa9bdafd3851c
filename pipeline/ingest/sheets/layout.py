"""What the sheet reader needs to know of a register kind: how its sheets are laid out.

A register kind (``pipeline.kinds``) sits above the reader: it also files and stores its rows.
The reader never imports the kinds; whoever reads a register hands them down
(``pipeline.kinds.read_input``), each with one ``Layout`` per way its sheets are laid out (the
工作计划表 has two: the items, and the 计划说明 texts).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.ingest.sheets.columns import KindSpec


@dataclass(frozen=True)
class Layout:
    """One way a register's sheets are laid out: its columns and how a row becomes records."""

    columns: KindSpec  # columns.kind is the register the sheet belongs to
    needed: tuple[str, ...]  # columns a recognized sheet must have to be processed at all
    # (SheetContext, RowReader) -> the records of one data row (a record, a list of them, or
    # None); problems go to the RowReader (``pipeline.ingest.sheets.base``).
    read_row: Callable[[Any, Any], Any]
    key_columns: str  # the usual columns, named in messages (日期、会议类型、主题 …)
    name: str = ""  # the records' key in RegisterResult.items, when not the register's name
    shown: str = ""  # the layout's name in messages, when not the register's name
    blocks: bool = False  # its columns may repeat side by side (姓名 | 签到 | 姓名 | 签到)
    # Whether a sheet is read as this layout at all: (sheet name, file stem, register named by the
    # inbox folder or the file) -> bool. None: always.
    wanted: Callable[[str, str, str | None], bool] | None = None
    # Field keys of a header after matching, adjusted from the labels (日期 | 时间: the time of day).
    fix_keys: Callable[[list[str | None], list[str]], list[str | None]] | None = None

    @property
    def register(self) -> str:
        return self.columns.kind

    @property
    def key(self) -> str:
        return self.name or self.columns.kind

    @property
    def label(self) -> str:
        return self.shown or self.key


class SheetKind(Protocol):
    """A register kind as the reader sees it (``pipeline.kinds.base.RegisterKind`` is one); read-only,
    so that a frozen dataclass fits."""

    @property
    def name(self) -> str: ...

    @property
    def folder_words(self) -> tuple[str, ...]:  # an inbox subfolder whose name contains one names the kind
        ...

    @property
    def folder_names(self) -> tuple[str, ...]:  # … or whose whole name is one of these
        ...

    @property
    def precedence(self) -> int:  # folder and title words are tried in this order (most specific first)
        ...

    @property
    def layouts(self) -> tuple[Layout, ...]: ...

    @property
    def meetings(self) -> bool:  # its rows are meetings (RegisterResult.meetings), not items
        ...

    @property
    def finish(self) -> Callable[[Any], None] | None:  # given the RegisterResult after the workbook was read
        ...


def by_precedence(kinds: Sequence[SheetKind]) -> list[SheetKind]:
    return sorted(kinds, key=lambda k: k.precedence)


def kind_from_folder(folder: str | None, kinds: Sequence[SheetKind]) -> SheetKind | None:
    """The register kind an inbox subfolder stands for (``成果`` → 成果登记表), or None."""
    if not folder:
        return None
    text = "".join(unicodedata.normalize("NFKC", folder).split())
    for kind in by_precedence(kinds):
        if text == kind.name or any(w in text for w in kind.folder_words):
            return kind
    return next((k for k in kinds if text in k.folder_names), None)


def title_kind(text: str, layouts: Sequence[Layout], order: Sequence[str]) -> str | None:
    """The register a title row names (…签到表, …党员名册), if any; ``order``: registers by precedence."""
    key = "".join(unicodedata.normalize("NFKC", text).split())
    rank = {name: i for i, name in enumerate(order)}
    for layout in sorted(layouts, key=lambda lay: rank.get(lay.register, len(rank))):
        if any(w in key for w in layout.columns.title_words):
            return layout.register
    return None
