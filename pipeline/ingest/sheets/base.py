"""What the register readers share: the result type, the per-sheet context and the row reader."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

from pipeline.errors import Location, RowError, SheetError
from pipeline.ingest.result import IngestResult
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.header import Header, normalize_label

CORRECTION_MARK = "待修正"
PROPERTY_PREFIX = "zhibu:"  # workbook subject of files zhibu writes: "zhibu:成果登记表:待修正"


@dataclass
class SheetInfo:
    """A recognized sheet: enough to write its bad rows back and to blank sensitive columns."""

    name: str | None
    kind: str  # the layout's key (工作计划表, 计划说明 …)
    header: Header
    context: str = ""  # the title to repeat on a correction file (meeting, term …)
    rows: int = 0  # data rows read
    good: int = 0
    register: str = ""  # the register kind the sheet belongs to (工作计划表 for 计划说明)


@dataclass
class BadRow:
    sheet: str | None
    row: int
    values: list
    reason: str


@dataclass
class RegisterResult(IngestResult):
    """An IngestResult with what filing a register needs beyond the records (``items``: the
    typed records of each register kind, by the kind's name)."""

    sheets: list[SheetInfo] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    correction: bool = False  # a 待修正 file written by zhibu, dropped back
    display_name: str = ""
    sensitive: bool = False  # some sheet has 身份证号/联系电话 … columns (never read)

    @property
    def kinds(self) -> list[str]:
        out: list[str] = []
        for s in self.sheets:
            kind = s.register or s.kind
            if kind not in out:
                out.append(kind)
        return out


_TERM = re.compile(r"(\d{4})\s*[-—–~至/]\s*(\d{4})\s*学?年?度?\s*(?:第\s*([一二12])\s*学期|-([12])(?!\d))?")
_SEASON = re.compile(r"(\d{4})\s*年?\s*(秋|春)")
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


@dataclass(frozen=True)
class TimeContext:
    """What a title, sheet name or file name says about when the rows are: a term, a year."""

    term: str | None = None  # 2024-2025-1
    start_year: int | None = None  # academic year 2024—2025 -> 2024
    year: int | None = None  # a plain calendar year

    @classmethod
    def from_texts(cls, *texts: str | None) -> TimeContext:
        for text in texts:
            if not text:
                continue
            s = unicodedata.normalize("NFKC", text)
            m = _TERM.search(s)
            if m and int(m.group(2)) == int(m.group(1)) + 1:
                number = m.group(3) or m.group(4)
                number = {"一": "1", "二": "2"}.get(number, number)
                start = int(m.group(1))
                return cls(f"{start}-{start + 1}-{number}" if number else None, start, None)
            m = _SEASON.search(s)
            if m:
                y = int(m.group(1))
                return cls(f"{y}-{y + 1}-1", y) if m.group(2) == "秋" else cls(f"{y - 1}-{y}-2", y - 1)
        for text in texts:
            m = _YEAR.search(unicodedata.normalize("NFKC", text or ""))
            if m:
                return cls(None, None, int(m.group(1)))
        return cls()

    def year_of(self, month: int) -> int | None:
        if self.start_year is not None:
            return self.start_year if month >= 9 else self.start_year + 1
        return self.year


@dataclass
class SheetContext:
    file: str  # display name (inbox-relative)
    sheet: str | None
    header: Header
    result: RegisterResult
    info: SheetInfo
    time: TimeContext = field(default_factory=TimeContext)
    state: dict = field(default_factory=dict)

    @property
    def stem(self) -> str:
        """The file's name without folders and suffix (it may name the meeting or the term)."""
        return PurePath(self.file).stem

    def year_of(self, month: int) -> int | None:
        return self.time.year_of(month)

    def location(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(file=self.file, sheet=self.sheet, row=row, column=column)

    def sheet_error(self, message: str, hint: str | None = None) -> SheetError:
        return SheetError(message, hint=hint, location=self.location())


class RowReader:
    """One data row: typed access by field, collecting every problem with its column."""

    def __init__(self, ctx: SheetContext, number: int, values: list):
        self.ctx = ctx
        self.number = number
        self.values = values
        self.problems: list[RowError] = []

    def raw(self, key: str, nth: int = 0):
        idx = self.ctx.header.by_key.get(key)
        if not idx or nth >= len(idx):
            return None
        i = idx[nth]
        return self.values[i] if i < len(self.values) else None

    def has(self, key: str) -> bool:
        return key in self.ctx.header.by_key

    def label(self, key: str) -> str:
        return self.ctx.header.label_of(key)

    def get(self, key: str, parse=cells.text, *args, nth: int = 0, **kwargs):
        """``parse(raw, *args)`` of the field; a problem is recorded (with the column) and None returned."""
        try:
            return parse(self.raw(key, nth), *args, **kwargs)
        except cells.CellProblem as problem:
            self.fail(key, problem.message, problem.hint)
            return None

    def text(self, key: str) -> str:
        return self.get(key) or ""

    def fail(self, key: str | None, message: str, hint: str | None = None) -> None:
        self.fail_column(self.label(key) if key else None, message, hint)

    def fail_column(self, column: str | None, message: str, hint: str | None = None) -> None:
        self.problems.append(RowError(message, hint=hint, location=self.ctx.location(self.number, column)))

    @property
    def ok(self) -> bool:
        return not self.problems


_FOOTER = re.compile(
    r"^(?:(?:注|说明|备注)\d*[:：]|(?:填表人|制表人|审核人|填报人|填报日期|填表日期|制表日期|"
    r"联系人|负责人签字|支部书记签字|书记签字)[:：]?|(?:合计|总计|小计|共计)(?:[:：]|$))"
)


def is_blank_row(ctx: SheetContext, values: list) -> bool:
    skip = set(ctx.header.by_key.get("_ignored", ()))
    return all(cells.is_blank(v) for i, v in enumerate(values) if i not in skip)


def is_footer_row(ctx: SheetContext, values: list) -> bool:
    """注：…, 填表人：…, 合计 rows under the data, and a header repeated for printing."""
    filled = [v for v in values if not cells.is_blank(v) and v is not cells.MISSING_FORMULA]
    if not filled:
        return True
    first = filled[0]
    if isinstance(first, str) and len(filled) <= 3 and _FOOTER.match(normalize_label(first)):
        return True
    labels = [normalize_label(c.label.split("/")[-1]) for c in ctx.header.columns]
    same = sum(
        1
        for i, v in enumerate(values)
        if i < len(labels) and isinstance(v, str) and labels[i] and normalize_label(v) == labels[i]
    )
    return same >= max(2, len([c for c in ctx.header.columns if c.key]) // 2)
