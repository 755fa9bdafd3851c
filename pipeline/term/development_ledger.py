"""The 发展党员台账 of the term ledger, printed at 100 % (never shrunk below the sheets' 11 pt):

* the sheet 发展党员台账, one row a person in two column groups that each print on pages of their
  own (A4 landscape): the stage and the next step; the dates of the main steps. A manual column
  break ends the first group; 序号 and 姓名 and the two header rows repeat on every page (print
  titles); the title is the page header, so that it heads every page of both groups;
* the sheet 发展党员问题清单, one row a problem (a step past its time limit, a date against the
  rules, the minutes that do not bear the register out), A4 portrait.

Dates are date cells, never wrapped, in columns wide enough for 2024年12月31日. A text cell is
broken into lines here, never inside a date, a number or a name, each line short enough for its
column (measured as Excel measures 宋体 11 pt, the narrowest of the spreadsheet programs), so that
the printer does not break it elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re

from openpyxl.styles import Alignment, Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, ColBreak

from pipeline.chinese import cn_date
from pipeline.kinds.development import DATA as PEOPLE
from pipeline.records.crosscheck import MinutesCheck
from pipeline.records.development import Assessment, overdue_problems
from pipeline.term import ledger_cells as cells
from pipeline.term.development import assessed, minutes_checks, next_text, rules_of

SHEET = "发展党员台账"
PROBLEMS_SHEET = "发展党员问题清单"
FONT_SIZE = 11  # pt; the sheets print at 100 %
LINE_HEIGHT = 15  # pt a line of 11 pt text
# A CJK character of 宋体 11 pt is 2.1 Excel column units wide, a digit or Latin letter 1.05;
# LibreOffice's units are wider, so what fits in Excel fits there too. Its printed unit is
# 2.16 mm: a landscape A4 page within 0.4 in margins holds 128 units, a portrait one 88.
CJK_UNITS, LATIN_UNITS, PAD_UNITS = 2.1, 1.05, 1.2
# (group title, [(column, width in Excel units)]); 序号 and 姓名 head every group.
KEY_COLUMNS: list[tuple[str, float]] = [("序号", 5), ("姓名", 10)]
GROUPS: list[tuple[str, list[tuple[str, float]]]] = [
    (
        "当前阶段与下一步",
        [("所在单位", 17), ("当前阶段", 12), ("下一步", 44), ("截止日期", 16), ("状态", 10), ("问题", 7)],
    ),
    (
        "主要步骤的日期",
        [
            ("申请入党", 15.5),
            ("确定积极分子", 15.5),
            ("确定发展对象", 15.5),
            ("支部大会接收", 15.5),
            ("上级审批", 15.5),
            ("转正大会", 15.5),
            ("转正审批", 15.5),
        ],
    ),
]
PROBLEM_COLUMNS: list[tuple[str, float]] = [("序号", 5), ("姓名", 10), ("类别", 14), ("问题", 58)]
_OPENING = "（(“「《【"
DATE_KEYS = (
    "applied",
    "activist",
    "candidate",
    "accepted",
    "approved",
    "regular_meeting",
    "regular_approved",
)
# A date written out (2024年5月10日, 5月10日) or a run of digits: kept on one line.
_WHOLE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|[0-9A-Za-z.\-]+")


def units(text: str) -> float:
    """Width of a text in Excel column units at 11 pt."""
    return sum(CJK_UNITS if ord(ch) > 0x2E7F else LATIN_UNITS for ch in text)


def _tokens(text: str, keep: tuple[str, ...]) -> list[str]:
    """The text cut where a line may end: after each character, except inside a date, a number
    or one of the names in ``keep``."""
    spans = [(m.start(), m.end()) for m in _WHOLE.finditer(text)]
    for name in keep:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
    ends = set(range(1, len(text) + 1))
    for start, end in spans:
        ends -= set(range(start + 1, end))
    out, last = [], 0
    for i in sorted(ends):
        if text[i - 1] in _OPENING and i < len(text):
            continue  # an opening bracket or quote stays with what it opens
        out.append(text[last:i])
        last = i
    return out


def wrap(text: str, width: float, keep: tuple[str, ...] = ()) -> str:
    """``text`` in lines that fit a column ``width`` units wide, each paragraph on new lines."""
    budget = width - PAD_UNITS
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for token in _tokens(para, keep):
            if line and units(line + token) > budget and token not in "，。；、：）」”":
                lines.append(line)
                line = token
            else:
                line += token
        lines.append(line)
    return "\n".join(lines)


def _state(a: Assessment, today: dt.date, rules) -> str:
    if a.overdue_steps(today):
        return "逾期"
    step = a.step
    return "即将到期" if a.reminder(today, rules) and step and step.due else ""


def _head_row(ws, row: int, columns: list[tuple[str, float]]) -> None:
    for col, (name, width) in enumerate(columns, 1):
        cell = cells.put(ws, row, col, name, bold=True)
        cell.fill = cells.HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=False)
        ws.column_dimensions[get_column_letter(col)].width = width


def _group_row(ws, columns: list[tuple[str, float]]) -> None:
    for col in range(1, len(columns) + 1):
        cells.put(ws, 2, col, "").fill = cells.HEAD_FILL
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(KEY_COLUMNS))
    col = len(KEY_COLUMNS) + 1
    for title, group in GROUPS:
        cell = cells.put(ws, 2, col, title, bold=True)
        cell.fill = cells.HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + len(group) - 1)
        col += len(group)


def _title(ws, title: str) -> None:
    """The title in row 1 for the screen; printed as the page header of every page."""
    cells.put(ws, 1, 1, title, bold=True).border = Border()
    ws.cell(1, 1).font = Font(name=cells.FONT, bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(vertical="center", wrap_text=False)
    ws.row_dimensions[1].height = 24
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddHeader.center.size = 14
    ws.oddHeader.center.font = f"{cells.FONT},Bold"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 10


def _page_setup(ws, header_rows: str, last_row: int, columns, *, landscape: bool) -> None:
    """A4 at 100 %, the header rows (and 序号, 姓名) on every page, the table as the print area."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = 100
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.pageOrder = "overThenDown"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.8, 0.6
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = header_rows
    first = int(header_rows.split(":")[0])
    ws.print_area = f"A{first}:{get_column_letter(len(columns))}{max(last_row, first + 1)}"


def _put(ws, row: int, col: int, value, width: float, keep: tuple[str, ...]):
    """One cell at 11 pt: a date as a date cell, centred; text broken into lines that fit."""
    if isinstance(value, str) and value:
        value = wrap(value, width, keep)
    cell = cells.put(
        ws, row, col, value, number_format=cells.DATE_FORMAT if isinstance(value, dt.date) else None
    )
    cell.font = Font(name=cells.FONT, size=FONT_SIZE)
    centred = isinstance(value, dt.date | int)
    cell.alignment = Alignment(
        horizontal="center" if centred else None,
        vertical="center",
        wrap_text=isinstance(value, str) and "\n" in value,
    )
    return cell, (value.count("\n") + 1 if isinstance(value, str) else 1)


def _values(a: Assessment, today: dt.date, rules, problems: int) -> list:
    p, step = a.person, a.step
    return [
        p.unit,
        a.stage,
        next_text(a),
        step.due if step and step.due else None,
        _state(a, today, rules),
        problems or None,
        *(p.get(key) for key in DATE_KEYS),
    ]


def problems_of(a: Assessment, checks: list[MinutesCheck], today: dt.date) -> list[tuple[str, str]]:
    """(类别, 问题) of one person: steps past their time limit, dates against the rules, minutes."""
    out = [("逾期", text) for text in overdue_problems(a, today)]
    out += [("不合规定", v.message) for v in a.violations]
    out += [("会议记录核对", c.fact) for c in checks if c.person == a.person.name and c.problem]
    return out


def development_sheet(builder) -> None:
    """The 发展党员台账 and 发展党员问题清单 sheets of the term ledger (``LedgerBuilder``), judged
    as of the ledger's date (``builder.as_of``); nothing without a register."""
    snap, cfg, today = builder.snap, builder.config, builder.as_of
    if not snap.of(PEOPLE):
        return
    people = assessed(snap, cfg, today)
    checks = minutes_checks(snap, today)
    keep = tuple({a.person.name for a in people} | set(snap.member_names()))
    problems = {a.person.name: problems_of(a, checks, today) for a in people}
    ws = builder.wb.create_sheet(SHEET)
    columns = KEY_COLUMNS + [c for _, group in GROUPS for c in group]
    _title(ws, f"{cfg.branch_name}发展党员工作台账（截至{cn_date(today)}）")
    _group_row(ws, columns)
    _head_row(ws, 3, columns)
    ws.freeze_panes = ws.cell(4, len(KEY_COLUMNS) + 1)
    rules = rules_of(cfg)
    for n, a in enumerate(people, 1):
        row = n + 3
        overdue = bool(a.overdue_steps(today))
        values = [n, a.person.name, *_values(a, today, rules, len(problems[a.person.name]))]
        lines = 1
        for col, value in enumerate(values, 1):
            cell, used = _put(ws, row, col, value, columns[col - 1][1], keep)
            lines = max(lines, used)
            if overdue and col in (2, 6, 7):
                cell.fill = cells.RED_FILL
            elif values[6] and col in (6, 7):
                cell.fill = cells.YELLOW_FILL
        ws.row_dimensions[row].height = LINE_HEIGHT * lines + 3
    _page_setup(ws, "2:3", len(people) + 3, columns, landscape=True)
    ws.print_title_cols = f"A:{get_column_letter(len(KEY_COLUMNS))}"
    ws.col_breaks = ColBreak()
    ws.col_breaks.append(Break(id=len(KEY_COLUMNS) + len(GROUPS[0][1])))
    problems_sheet(builder, people, problems, keep, today)


def problems_sheet(builder, people: list[Assessment], problems: dict, keep: tuple[str, ...], today) -> None:
    ws = builder.wb.create_sheet(PROBLEMS_SHEET)
    _title(ws, f"{builder.config.branch_name}发展党员问题清单（截至{cn_date(today)}）")
    _head_row(ws, 2, PROBLEM_COLUMNS)
    ws.freeze_panes = ws.cell(3, 1)
    row = 3
    for a in people:
        for kind, text in problems[a.person.name]:
            lines = 1
            for col, value in enumerate((row - 2, a.person.name, kind, text), 1):
                cell, used = _put(ws, row, col, value, PROBLEM_COLUMNS[col - 1][1], keep)
                lines = max(lines, used)
                if kind == "逾期" and col == 3:
                    cell.fill = cells.RED_FILL
            ws.row_dimensions[row].height = LINE_HEIGHT * lines + 3
            row += 1
    if row == 3:
        cells.put(ws, 3, 1, "没有发现逾期的步骤、不合规定的日期或与会议记录不符之处。").border = Border()
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(PROBLEM_COLUMNS))
        row += 1
    _page_setup(ws, "2:2", row - 1, PROBLEM_COLUMNS, landscape=False)
