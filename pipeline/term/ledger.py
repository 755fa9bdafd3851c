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
import math
import os
from collections import Counter
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.comments import Comment
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pipeline.fs.package import stable_package
from pipeline.ingest.dates import cn_date
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.periods import KIND_NAMES, term_months
from pipeline.records.types import MEETING_TYPES
from pipeline.term.compilation import term_achievements
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
    group_of,
)
from pipeline.term.data import MeetingRow, Snapshot

FONT = "宋体"
RED_FILL = PatternFill("solid", fgColor="FFFFC7CE")  # Excel's "bad" red
YELLOW_FILL = PatternFill("solid", fgColor="FFFFEB9C")
GREEN_FILL = PatternFill("solid", fgColor="FFC6EFCE")
HEAD_FILL = PatternFill("solid", fgColor="FFD9D9D9")
THIN = Side(style="thin", color="FF808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
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
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
KIND_ORDER = ["month", "quarter", "half-year", "term", "academic-year", "year"]
COMPLIANCE_SHEET = "合规检查"
CHART_SHEET = "月度统计"
WARNINGS_SHEET = "会议提醒"
ACHIEVEMENTS_SHEET = "成果登记"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def put(ws, row: int, col: int, value, *, bold: bool = False, number_format: str | None = None):
    """Write one cell; text is always text, never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    cell.font = Font(name=FONT, bold=bold)
    cell.border = BORDER
    cell.alignment = Alignment(vertical="center", wrap_text=isinstance(value, str))
    if number_format:
        cell.number_format = number_format
    return cell


def _title(ws, text: str, width: int) -> None:
    put(ws, 1, 1, text, bold=True)
    ws.cell(1, 1).font = Font(name=FONT, bold=True, size=14)
    ws.cell(1, 1).border = Border()
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    if width > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 28


def _header(ws, row: int, names: list[str], widths: list[int]) -> None:
    for col, (name, width) in enumerate(zip(names, widths, strict=True), 1):
        cell = put(ws, row, col, name, bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row + 1, 1)
    print_setup(ws, row, landscape=sum(widths) > PORTRAIT_WIDTH)


# Column widths (in characters of the default font) that print at about 100 % on A4 with the
# margins below: portrait up to about 88, landscape up to about 130.
PORTRAIT_WIDTH = 88


def print_setup(ws, header_row: int, *, landscape: bool) -> None:
    """Print on A4, all columns on one page width (fit-to-width, as many pages down as needed),
    the title and header rows repeated on every page, narrow margins, centred."""
    ws.print_title_rows = f"1:{header_row}"
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True


def _chart_chars(size: int, bold: bool = False) -> CharacterProperties:
    face = DrawingFont(typeface=FONT)
    return CharacterProperties(latin=face, ea=face, cs=face, sz=size, b=bold)


def chart_text(size: int = 1000) -> RichText:
    """Text properties for a chart part: the workbook's Chinese font, ``size`` in 1/100 pt."""
    chars = _chart_chars(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=chars), endParaRPr=chars)])


def chart_title(text: str, size: int = 1000) -> Title:
    chars = _chart_chars(size, bold=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=chars), r=[RegularTextRun(rPr=chars, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def fit_row(ws, row: int) -> None:
    """A row tall enough for its wrapped text (LibreOffice does not grow rows on opening)."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = ws.column_dimensions[cell.column_letter].width or 10
            units = sum(2 if ord(ch) > 127 else 1 for ch in cell.value)
            lines = max(lines, math.ceil(units / max(width - 1, 1)))
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def link_target(doc: Path, ledger_dir: Path) -> str:
    """A relative link from the workbook's folder; spaces, % and # escaped as in a URI."""
    rel = Path(os.path.relpath(doc, ledger_dir)).as_posix()
    return "".join(
        c if ord(c) > 127 or c.isalnum() or c in "/-_.~()!*'," else "".join(f"%{b:02X}" for b in c.encode())
        for c in rel
    )


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
            self.activity_sheet(mtype.name)
        self.chart_sheet()
        self.warnings_sheet()
        self.achievements_sheet()
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
        _header(ws, 2, names, [6, 14, 22, 20, 6, 6, 10, 44])
        kind_rank = {k: i for i, k in enumerate(KIND_ORDER)}
        rule_rank = {r.key: i for i, r in enumerate(self.compliance.ruleset.rules)}
        checks = sorted(
            self.compliance.checks,
            key=lambda c: (kind_rank[c.period.kind], c.period.start, rule_rank[c.rule.key], c.group),
        )
        row = 3
        for c in checks:
            values = [
                KIND_NAMES[c.period.kind],
                c.period.zh,
                c.name,
                c.rule.describe(),
                c.required,
                c.held,
                STATUS_LABELS[c.status],
                c.note,
            ]
            for col, value in enumerate(values, 1):
                cell = put(ws, row, col, value)
                if c.status == MISSING:
                    cell.fill = RED_FILL
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

    def activity_sheet(self, activity: str) -> None:
        ws = self.wb.create_sheet(activity)
        rows = [m for m in self.meetings if m.counts_as(activity)]
        groups = self.snap.groups if activity == "党小组会" else []
        if activity == "谈心谈话":
            names = ["序号", "日期", "主题", "谈话人", "谈话对象", "地点", "提醒", "文档路径", "打开"]
            widths = [5, 15, 24, 9, 9, 13, 20, 30, 5]
        else:
            names = [
                "序号",
                "日期",
                "主题",
                *(["党小组"] if groups else []),
                "主持人",
                "地点",
                "应到",
                "实到",
                "提醒",
                "文档路径",
                "打开",
            ]
            widths = [5, 15, 26, *([12] if groups else []), 8, 13, 5, 5, 20, 30, 5]
        _title(ws, f"{self.config.branch_name}{self.term.label}{activity}台账", len(names))
        _header(ws, 2, names, widths)
        for n, m in enumerate(rows, 1):
            r = n + 2
            if activity == "谈心谈话":
                values = [n, m.date, m.topic or m.title, m.chair, m.partner, m.place, "；".join(m.warnings)]
            else:
                values = [
                    n,
                    m.date,
                    m.topic or m.title,
                    *([group_of(m, groups) or "（未写明）"] if groups else []),
                    m.chair,
                    m.place,
                    m.expected if m.expected is not None else "",
                    m.present if m.present is not None else "",
                    "；".join(m.warnings),
                ]
            for col, value in enumerate(values, 1):
                put(ws, r, col, value, number_format=DATE_FORMAT if isinstance(value, dt.date) else None)
            self._link(ws, r, len(values) + 1, m)
            fit_row(ws, r)
        if not rows:
            put(ws, 3, 1, f"{self.term.label}没有{activity}记录").border = Border()
            ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(names))
        else:
            ws.auto_filter.ref = f"A2:{get_column_letter(len(names))}{len(rows) + 2}"

    def _link(self, ws, row: int, col: int, m: MeetingRow) -> None:
        doc = self.snap.root / m.path
        rel = Path(os.path.relpath(doc, self.ledger_dir)).as_posix()
        # The path as plain text, wrapped in its column (LibreOffice never wraps a link cell,
        # which then runs off the printed page); the link itself is the short 打开 beside it.
        put(ws, row, col, rel if doc.is_file() else f"{rel}（文件不存在）")
        ws.cell(row, col).alignment = Alignment(vertical="center", wrap_text=True)
        if doc.is_file():
            cell = put(ws, row, col + 1, "打开")
            cell.hyperlink = link_target(doc, self.ledger_dir)
            cell.font = Font(name=FONT, color="FF0563C1", underline="single")
        else:
            put(ws, row, col + 1, "")
            self.missing_files.append(m.path)

    def chart_sheet(self) -> None:
        ws = self.wb.create_sheet(CHART_SHEET)
        months = term_months(self.term, self.calendar)
        counts = Counter((t, m.date.year, m.date.month) for m in self.meetings for t in m.activities)
        types = [t.name for t in MEETING_TYPES]
        _title(ws, f"{self.config.branch_name}{self.term.label}各月组织生活次数", len(types) + 2)
        _header(ws, 2, ["月份", *types, "合计"], [12, *[max(9, 2 * len(t) + 2) for t in types], 8])
        for i, p in enumerate(months, 3):
            put(ws, i, 1, f"{p.start.year}年{p.start.month}月")
            total = 0
            for j, t in enumerate(types, 2):
                n = counts[(t, p.start.year, p.start.month)]
                total += n
                put(ws, i, j, n)
            put(ws, i, len(types) + 2, total)
        last = 2 + len(months)
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = chart_title("各月组织生活次数（按类型）", 1200)
        chart.y_axis.title = chart_title("次数")
        chart.x_axis.title = chart_title("月份")
        # Chinese fonts on every text of the chart: without them LibreOffice draws the axis
        # titles, month labels and legend in a Latin font, and Chinese prints as empty boxes.
        for part in (chart.x_axis, chart.y_axis, chart.legend):
            part.txPr = chart_text()
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.y_axis.majorUnit = 1
        chart.height, chart.width = 9, 24
        data = Reference(ws, min_col=2, max_col=len(types) + 1, min_row=2, max_row=last)
        cats = Reference(ws, min_col=1, min_row=3, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        ws.add_chart(chart, f"A{last + 3}")

    def warnings_sheet(self) -> None:
        ws = self.wb.create_sheet(WARNINGS_SHEET)
        names = ["日期", "类型", "主题", "类别", "提醒"]
        _title(ws, f"{self.config.branch_name}{self.term.label}会议记录提醒（到会人数等）", len(names))
        _header(ws, 2, names, [14, 12, 30, 10, 54])
        rows = [(q, "到会人数") for q in self.compliance.quorum] + [
            (w, "其他") for w in self.compliance.warnings
        ]
        rows += [
            (
                {
                    "date": m.date.isoformat(),
                    "type": m.type,
                    "title": m.title,
                    "warning": "主题和文件名中没有写明党小组名称，未计入任何党小组",
                },
                "党小组",
            )
            for m in self.compliance.unattributed
        ]
        rows.sort(key=lambda x: x[0]["date"])
        for r, (w, kind) in enumerate(rows, 3):
            for col, value in enumerate(
                [dt.date.fromisoformat(w["date"]), w["type"], w["title"], kind, w["warning"]], 1
            ):
                cell = put(ws, r, col, value, number_format=DATE_FORMAT if col == 1 else None)
                if kind == "到会人数":
                    cell.fill = RED_FILL
            fit_row(ws, r)
        if not rows:
            put(ws, 3, 1, "没有提醒").border = Border()

    def achievements_sheet(self) -> None:
        ws = self.wb.create_sheet(ACHIEVEMENTS_SHEET)
        names = ["序号", "成果名称", "类别", "级别", "完成人", "时间", "刊物或颁发单位"]
        _title(ws, f"{self.config.branch_name}{self.term.label}成果登记", len(names))
        _header(ws, 2, names, [5, 36, 10, 8, 22, 14, 26])
        items = term_achievements(self.snap, self.term, self.calendar, self.config)
        for n, i in enumerate(items, 1):
            for col, value in enumerate(
                [n, i.name, i.category, i.level, i.authors, i.date_text, i.issuer], 1
            ):
                put(ws, n + 2, col, value)
            fit_row(ws, n + 2)
        if not items:
            put(ws, 3, 1, f"{self.term.label}没有登记的成果").border = Border()


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
