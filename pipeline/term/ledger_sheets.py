"""The sheets of the 三会一课台账 after the compliance check: one per activity, the monthly chart,
the meetings' warnings and the term's achievements (``LedgerBuilder`` calls them).

Printed, every sheet keeps its text at 11 pt (``ledger.column_widths``): dates, names and numbers
as wide as they are, the long texts sharing the rest of the page. The activity sheets print the
facts of each meeting; the path of its document and the 打开 link are for the screen (beside the
print area), since a path on paper helps nobody find a record.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font
from openpyxl.utils import get_column_letter

from pipeline.records.periods import term_months
from pipeline.records.same_day import Clash, clashes, one_per_activity
from pipeline.records.types import MEETING_TYPES
from pipeline.term.compilation import author_lines, term_achievements
from pipeline.term.compliance import group_of
from pipeline.term.data import MeetingRow
from pipeline.term.ledger_cells import (
    ACHIEVEMENTS_SHEET,
    CHART_SHEET,
    DATE_FORMAT,
    FONT,
    PORTRAIT_WIDTH,
    RED_FILL,
    WARNINGS_SHEET,
    _header,
    _title,
    chart_text,
    chart_title,
    column_widths,
    fit_row,
    fit_title,
    keep_whole,
    link_target,
    print_setup,
    put,
)

PATH_WIDTH, LINK_WIDTH = 60, 5  # the screen-only columns


def _head(ws, title: str, names: list[str], widths: list[float]) -> None:
    """A sheet's title (over its columns, wrapped when long) and its header row."""
    _title(ws, title, len(names))
    _header(ws, 2, names, widths)
    fit_title(ws, widths)


def _clash_notes(meetings: list[MeetingRow]) -> dict[int, str]:
    """Per record of an unresolved clash: what the 提醒 column says about it."""
    notes: dict[int, str] = {}
    for c in clashes(meetings):
        for mine, other in ((c.first, c.second), (c.second, c.first)):
            text = f"与同日的「{other.title}」可能是同一次活动：{'、'.join(c.facts)}不一致，待核实，合规检查按一次计算"
            notes[mine.id] = f"{notes[mine.id]}；{text}" if mine.id in notes else text
    return notes


def _columns(activity: str, groups: list[str]) -> tuple[list[str], set[str]]:
    """The printed columns of an activity's sheet, and those that wrap (the rest never break)."""
    if activity == "谈心谈话":
        return ["序号", "日期", "主题", "谈话人", "谈话对象", "地点", "提醒"], {"主题", "地点", "提醒"}
    people = ["主讲人", "主持人"] if activity == "党课" else ["主持人"]
    group = ["党小组"] if groups else []
    names = ["序号", "日期", "主题", *group, *people, "地点", "应到", "实到", "提醒"]
    return names, {"主题", "地点", "提醒"}


def _values(m: MeetingRow, n: int, names: list[str], groups: list[str], note: str) -> list:
    warnings = "；".join([*m.warnings, note] if note else m.warnings)
    known = {
        "序号": n,
        "日期": m.date,
        "主题": m.topic or m.title,
        "党小组": group_of(m, groups) or "",  # unknown: blank (the 会议提醒 sheet says why)
        "主讲人": m.lecturer,
        "主持人": m.chair,
        "谈话人": m.chair,
        "谈话对象": m.partner,
        "地点": m.place,
        "应到": m.expected if m.expected is not None else "",
        "实到": m.present if m.present is not None else "",
        "提醒": warnings,
    }
    return [known[name] for name in names]


def activity_sheet(b, activity: str) -> None:
    """One activity's meetings of the term; two records of one activity are marked in red."""
    ws = b.wb.create_sheet(activity)
    rows = [m for m in b.meetings if m.counts_as(activity)]
    groups = b.snap.groups if activity == "党小组会" else []
    names, wrapping = _columns(activity, groups)
    notes = _clash_notes(rows)
    values = [_values(m, n, names, groups, notes.get(m.id, "")) for n, m in enumerate(rows, 1)]
    wrap = {i for i, name in enumerate(names) if name in wrapping}
    widths = column_widths(names, values, wrap=wrap)
    printed = len(names)
    _title(ws, f"{b.config.branch_name}{b.term.label}{activity}台账", printed)
    _header(ws, 2, [*names, "文档路径", "打开"], [*widths, PATH_WIDTH, LINK_WIDTH])
    fit_title(ws, widths)
    print_setup(ws, 2, landscape=sum(widths) > PORTRAIT_WIDTH)
    whole = [i + 1 for i in range(printed) if i not in wrap]
    for r, (m, line) in enumerate(zip(rows, values, strict=True), 3):
        for col, value in enumerate(line, 1):
            put(ws, r, col, value, number_format=DATE_FORMAT if isinstance(value, dt.date) else None)
        keep_whole(ws, r, whole)
        if m.id in notes:
            ws.cell(r, printed).fill = RED_FILL
        _link(b, ws, r, printed + 1, m)
        fit_row(ws, r)
    last = len(rows) + 2
    if not rows:
        no_rows(ws, f"{b.term.label}没有{activity}记录", printed)
        last = 3
    else:
        ws.auto_filter.ref = f"A2:{get_column_letter(printed + 2)}{last}"
    ws.print_area = f"A1:{get_column_letter(printed)}{last}"


def _link(b, ws, row: int, col: int, m: MeetingRow) -> None:
    doc = b.snap.root / m.path
    rel = Path(os.path.relpath(doc, b.ledger_dir)).as_posix()
    # The path as plain text in a wide column (outside the print area); the link itself is the
    # short 打开 beside it (LibreOffice never wraps a link cell).
    put(ws, row, col, rel if doc.is_file() else f"{rel}（文件不存在）")
    ws.cell(row, col).alignment = Alignment(vertical="center", wrap_text=False)
    if doc.is_file():
        cell = put(ws, row, col + 1, "打开")
        cell.hyperlink = link_target(doc, b.ledger_dir)
        cell.font = Font(name=FONT, color="FF0563C1", underline="single")
    else:
        put(ws, row, col + 1, "")
        b.missing_files.append(m.path)


def chart_sheet(b) -> None:
    """Meetings per month and activity (each activity once: two records of one count once), charted."""
    ws = b.wb.create_sheet(CHART_SHEET)
    months = term_months(b.term, b.calendar)
    held = one_per_activity(b.meetings)
    counts = Counter((t, m.date.year, m.date.month) for m in held for t in m.activities)
    types = [t.name for t in MEETING_TYPES]
    names = ["月份", *types, "合计"]
    table: list[list[object]] = []
    for p in months:
        held_in = [counts[(t, p.start.year, p.start.month)] for t in types]
        table.append([f"{p.start.year}年{p.start.month}月", *held_in, sum(held_in)])
    widths = column_widths(names, table, wrap=set())
    _head(ws, f"{b.config.branch_name}{b.term.label}各月组织生活次数", names, widths)
    for i, row in enumerate(table, 3):
        for j, value in enumerate(row, 1):
            put(ws, i, j, value)
    last = 2 + len(months)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = chart_title("各月组织生活次数（按类型）", 1200)
    chart.y_axis.title = chart_title("次数", 1100)
    chart.x_axis.title = chart_title("月份", 1100)
    # Chinese fonts on every text of the chart: without them LibreOffice draws the axis
    # titles, month labels and legend in a Latin font, and Chinese prints as empty boxes.
    for part in (chart.x_axis, chart.y_axis, chart.legend):
        part.txPr = chart_text(1100)
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.majorUnit = 1
    chart.height, chart.width = 9, 24
    data = Reference(ws, min_col=2, max_col=len(types) + 1, min_row=2, max_row=last)
    cats = Reference(ws, min_col=1, min_row=3, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    ws.add_chart(chart, f"A{last + 3}")


def warnings_sheet(b) -> None:
    """What the minutes and the check found: attendance, other warnings, unattributed 党小组会."""
    ws = b.wb.create_sheet(WARNINGS_SHEET)
    names = ["日期", "类型", "主题", "类别", "提醒"]
    rows = [(q, "到会人数") for q in b.compliance.quorum] + [(w, "其他") for w in b.compliance.warnings]
    rows += [
        (
            {
                "date": m.date.isoformat(),
                "type": m.type,
                "title": m.title,
                "warning": "主题、文件名和主持人所在的党小组都没有说明是哪个党小组，未计入任何党小组",
            },
            "党小组",
        )
        for m in b.compliance.unattributed
    ]
    rows += [
        (
            {"date": c.first.date.isoformat(), "type": c.first.type, "title": c.first.title, "warning": text},
            "两份记录",
        )
        for c, text in zip(b.compliance.clashes, _clash_texts(b.compliance.clashes), strict=True)
    ]
    rows.sort(key=lambda x: x[0]["date"])
    table = [
        [dt.date.fromisoformat(w["date"]), w["type"], w["title"], kind, w["warning"]] for w, kind in rows
    ]
    widths = column_widths(names, table, wrap={2, 4})
    _head(ws, f"{b.config.branch_name}{b.term.label}会议记录提醒（到会人数等）", names, widths)
    for r, ((_, kind), line) in enumerate(zip(rows, table, strict=True), 3):
        for col, value in enumerate(line, 1):
            cell = put(ws, r, col, value, number_format=DATE_FORMAT if col == 1 else None)
            if kind in ("到会人数", "两份记录"):
                cell.fill = RED_FILL
        keep_whole(ws, r, (1, 2, 4))
        fit_row(ws, r)
    if not rows:
        no_rows(ws, "没有提醒", len(names))


def _clash_texts(found: list[Clash]) -> list[str]:
    return [f"「{c.first.title}」与「{c.second.title}」：{c.describe()}，待核实，按一次计算" for c in found]


def no_rows(ws, text: str, columns: int) -> None:
    """The line under the header of a sheet with no rows: across the printed columns, on one line
    (in the narrow first column alone it wraps and is drawn over the header)."""
    cell = put(ws, 3, 1, text)
    cell.border = Border()
    cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=False)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=columns)


def achievements_sheet(b) -> None:
    ws = b.wb.create_sheet(ACHIEVEMENTS_SHEET)
    names = ["序号", "成果名称", "类别", "级别", "完成人", "时间", "刊物或颁发单位"]
    items = term_achievements(b.snap, b.term, b.calendar, b.config)
    table = [
        [n, i.name, i.category, i.level, author_lines(i.authors), i.date_text, i.issuer]
        for n, i in enumerate(items, 1)
    ]
    widths = column_widths(names, table, wrap={1, 6})  # 完成人: one a line, as wide as the longest
    _head(ws, f"{b.config.branch_name}{b.term.label}成果登记", names, widths)
    for r, line in enumerate(table, 3):
        for col, value in enumerate(line, 1):
            put(ws, r, col, value)
        keep_whole(ws, r, (1, 3, 4, 6))
        fit_row(ws, r)
    if not items:
        no_rows(ws, f"{b.term.label}没有登记的成果", len(names))
