"""三会一课台账 (.xlsx): the compliance check, one sheet per activity, a chart, the term's achievements.

Every cell that comes from user data is written as text (``data_type = 's'``), and text that
starts like a formula (= + - @, tab, CR) also gets Excel's quote prefix, so that neither Excel
nor LibreOffice nor a later copy-paste can turn it into a formula. Links to the archived
documents are cell hyperlinks (not HYPERLINK formulas) with a path relative to the workbook,
so they keep working when the outbox folder is copied elsewhere.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font
from openpyxl.utils import get_column_letter

from pipeline.fs.package import stable_package
from pipeline.ingest.dates import cn_date
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.periods import KIND_NAMES
from pipeline.records.types import MEETING_TYPES
from pipeline.term import ledger_sheets
from pipeline.term.compliance import (
    DONE,
    DUE,
    EXEMPT,
    LATER,
    MISSING,
    NOT_YET,
    STATUS_LABELS,
    UNKNOWN,
    Compliance,
    describe_for_comment,
)
from pipeline.term.data import Snapshot
from pipeline.term.ledger_cells import (
    COMPLIANCE_SHEET,
    FONT,
    GREEN_FILL,
    RED_FILL,
    YELLOW_FILL,
    _header,
    _title,
    column_widths,
    fit_row,
    fit_title,
    keep_whole,
    put,
)

STATUS_FILLS = {MISSING: RED_FILL, DUE: YELLOW_FILL, DONE: GREEN_FILL}
STATUS_FONTS = {
    MISSING: Font(name=FONT, color="FF9C0006", bold=True),
    DUE: Font(name=FONT, color="FF9C5700"),
    NOT_YET: Font(name=FONT, color="FF808080"),
    EXEMPT: Font(name=FONT, color="FF808080"),
    UNKNOWN: Font(name=FONT, color="FF808080"),
    LATER: Font(name=FONT, color="FF808080"),
    DONE: Font(name=FONT, color="FF006100"),
}
KIND_ORDER = ["month", "quarter", "half-year", "term", "academic-year", "year"]


class LedgerBuilder:
    def __init__(
        self,
        term: Term,
        calendar: TermCalendar,
        config,
        snap: Snapshot,
        compliance: Compliance,
        ledger_path: Path,
        today: dt.date,
    ):
        self.term, self.calendar, self.config, self.snap = term, calendar, config, snap
        self.compliance, self.ledger_dir, self.today = compliance, ledger_path.parent, today
        self.start, self.end = calendar.bounds(term)
        # A past term is counted up to its last day, the current one up to today.
        self.as_of = min(today, self.end)
        self.meetings = snap.meetings_between(self.start, self.end)
        self.missing_files: list[str] = []
        self.extra_sheets: tuple = ()
        self.wb = Workbook()

    def build(self) -> bytes:
        self.compliance_sheet(self.wb.active)
        for mtype in MEETING_TYPES:
            ledger_sheets.activity_sheet(self, mtype.name)
        ledger_sheets.chart_sheet(self)
        ledger_sheets.warnings_sheet(self)
        ledger_sheets.achievements_sheet(self)
        for add_sheet in self.extra_sheets:
            add_sheet(self)
        props = self.wb.properties
        props.creator = "zhibu"
        props.title = f"{self.config.branch_name}{self.term.label}三会一课台账"
        stamp = dt.datetime.combine(self.today, dt.time())
        props.created = props.modified = stamp
        buf = io.BytesIO()
        self.wb.save(buf)
        return stable_package(buf.getvalue())

    # --- sheets --------------------------------------------------------------------------------

    def compliance_sheet(self, ws) -> None:
        ws.title = COMPLIANCE_SHEET
        names = ["周期", "期间", "活动", "要求", "应开", "实开", "状态", "说明"]
        _title(
            ws,
            f"{self.config.branch_name}{self.term.label}组织生活合规检查（统计截至{cn_date(self.as_of)}）",
            len(names),
        )
        kind_rank = {k: i for i, k in enumerate(KIND_ORDER)}
        rule_rank = {r.key: i for i, r in enumerate(self.compliance.ruleset.rules)}
        checks = sorted(
            self.compliance.checks,
            key=lambda c: (kind_rank[c.period.kind], c.period.start, rule_rank[c.rule.key], c.group),
        )
        table = [
            [
                KIND_NAMES[c.period.kind],
                c.period.zh,
                c.name,
                c.rule.describe(),
                c.required,
                c.held,
                STATUS_LABELS[c.status],
                c.note,
            ]
            for c in checks
        ]
        widths = column_widths(names, table, wrap={3, 7}, least=24)
        _header(ws, 2, names, widths)
        fit_title(ws, widths)
        row = 3
        for c, values in zip(checks, table, strict=True):
            for col, value in enumerate(values, 1):
                cell = put(ws, row, col, value)
                if c.status == MISSING:
                    cell.fill = RED_FILL
            keep_whole(ws, row, (1, 2, 3, 5, 6))
            status = ws.cell(row, 7)
            status.font = STATUS_FONTS[c.status]
            status.alignment = Alignment(horizontal="center", vertical="center")
            if c.status in STATUS_FILLS:
                status.fill = STATUS_FILLS[c.status]
            comment = Comment(describe_for_comment(c, self.compliance.ruleset), "zhibu")
            comment.width, comment.height = 320, 140
            ws.cell(row, 3).comment = comment
            fit_row(ws, row)
            row += 1
        if len(checks):
            ws.auto_filter.ref = f"A2:{get_column_letter(len(names))}{row - 1}"
        row += 1
        legend = (
            "说明：“缺”为已结束而未达到要求的周期（红色）；“本期待办”为当前周期尚未完成；“未到期”的周期不作判断；"
            "季度、年度按整个周期统计（可能跨学期）。把鼠标移到“活动”单元格上可看到规定及其依据。"
        )
        put(ws, row, 1, legend).border = Border()
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(names))
        ws.row_dimensions[row].height = 45
        ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")


def build_ledger(
    term: Term,
    calendar: TermCalendar,
    config,
    snap: Snapshot,
    compliance: Compliance,
    ledger_path: Path,
    today: dt.date,
    extra_sheets=(),
) -> tuple[bytes, list[str]]:
    """The workbook bytes and the archived documents that could not be linked (missing files).

    ``extra_sheets``: callables (builder) -> None that add sheets of their own (the 发展党员台账),
    using this module's cell helpers."""
    builder = LedgerBuilder(term, calendar, config, snap, compliance, ledger_path, today)
    builder.extra_sheets = tuple(extra_sheets)
    return builder.build(), builder.missing_files
