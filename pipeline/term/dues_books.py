"""党费收缴台账 (.xlsx): the sheet of the term 台账 (the term's months) and the yearly workbook of
``zhibu batch --year`` (the twelve months, the totals of each month, quarter and the year, what
is handed in, the reminders and the 大额党费). One row a member, a column a month: what was paid
for that month (numbers, two decimals), 未交 in red, 免交, a dash for months the member did not
belong to the branch, blank for months not yet ended. Never an income figure: the index has none.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from pipeline.fs.package import stable_package
from pipeline.kinds.form import first_sheet
from pipeline.records.dues import month_of, runs, year_of, ym, ym_text, yuan
from pipeline.records.dues_account import (
    ALERT,
    FREE,
    LATER,
    NO_RECORD,
    NOTE,
    OUTSIDE,
    OVER,
    SHORT,
    UNPAID,
    Account,
    MemberAccount,
)
from pipeline.term import ledger_cells as cells
from pipeline.term.dues import account, has_dues
from pipeline.term.ledger_cells import put

SHEET = "党费收缴台账"
MONEY = "0.00"
LEVELS = {ALERT: "严重", "warning": "提醒", NOTE: "说明"}


def _cell(a: MemberAccount, m: int):
    """What a month's cell shows, and its fill (None: none)."""
    month = a.months[m]
    if month.state == OUTSIDE:  # paid for a month outside the membership: shown, and marked
        return (float(month.paid), cells.YELLOW_FILL) if month.paid else ("—", None)
    if month.state == FREE:
        return "免交", None
    if month.state == UNPAID:
        return "未交", cells.RED_FILL
    if month.state in (LATER, NO_RECORD):
        return "", None
    paid = float(month.paid)
    return paid, cells.YELLOW_FILL if month.state in (SHORT, OVER) else None


def _monthly(a: MemberAccount, first: int, last: int) -> float | str:
    """The monthly amount as a number, or the amounts (a change within the period) as text."""
    amounts = a.monthly(first, last)
    return float(amounts[0]) if len(amounts) == 1 else "、".join(yuan(d) for d in amounts)


def _due_known(a: MemberAccount, first: int, last: int) -> bool:
    return all(a.months[m].due is not None for m in a.owed(first, last))


def members_sheet(ws, acc: Account, title: str, until: int) -> int:
    """One row a member, a column a month, the totals; returns the last row written."""
    months = list(range(acc.first, acc.last + 1))
    heads = [
        "序号",
        "姓名",
        "月交纳额",
        *(_month_head(m, acc.first) for m in months),
        "应交合计",
        "实交合计",
        "未交月份",
    ]
    # Twelve months on a landscape A4 at no less than 9 pt once fitted to the page width: every
    # column as narrow as its longest entry (105.35, 1264.20, 未交), 未交月份 wraps.
    widths = [4, 8, 9, *(10 if "年" in h else 8 for h in heads[3:-3]), 9, 9, 14]
    cells._title(ws, title, len(heads))
    cells._header(ws, 2, heads, widths)
    row = 2
    for n, a in enumerate(acc.members, 1):
        row += 1
        put(ws, row, 1, n)
        put(ws, row, 2, a.name)
        monthly = _monthly(a, acc.first, acc.last)
        put(ws, row, 3, monthly, number_format=MONEY if isinstance(monthly, float) else None)
        for col, m in enumerate(months, 4):
            value, fill = _cell(a, m)
            cell = put(ws, row, col, value, number_format=MONEY if isinstance(value, float) else None)
            if fill is not None:
                cell.fill = fill
        known = _due_known(a, acc.first, until)
        totals = [float(a.due(acc.first, until)) if known else "不详", float(a.paid(acc.first, acc.last))]
        for col, value in enumerate(totals, len(months) + 4):
            put(ws, row, col, value, number_format=MONEY if isinstance(value, float) else None)
        unpaid = a.unpaid(acc.first, until)
        put(ws, row, len(months) + 6, _short_months(unpaid))
        cells.fit_row(ws, row)
    return _totals(ws, acc, months, row, until)


def _month_head(m: int, first: int) -> str:
    return f"{month_of(m)}月" if year_of(m) == year_of(first) else f"{year_of(m)}年{month_of(m)}月"


def _short_months(months: list[int]) -> str:
    """4月至6月、9月 (the year is the ledger's)."""
    return "、".join(
        f"{month_of(a)}月"
        if a == b
        else f"{month_of(a)}月至{'' if year_of(a) == year_of(b) else f'{year_of(b)}年'}{month_of(b)}月"
        for a, b in runs(months)
    )


def _totals(ws, acc: Account, months: list[int], row: int, until: int) -> int:
    for label, what in (("应交合计", "due"), ("实交合计", "paid")):
        row += 1
        put(ws, row, 2, label, bold=True)
        put(ws, row, 3, "")
        for col, m in enumerate(months, 4):
            if what == "due" and m > until:
                put(ws, row, col, "")
                continue
            put(ws, row, col, float(acc.total(what, m, m)), number_format=MONEY)
        end = until if what == "due" else acc.last
        put(
            ws,
            row,
            len(months) + 4 + (what == "paid"),
            float(acc.total(what, acc.first, end)),
            number_format=MONEY,
        )
    row += 2
    note = ws.cell(
        row,
        1,
        "说明：金额单位为元；“—”为不在本支部的月份，空白为尚未到期或没有收缴记录的月份；应交合计统计到已结束的月份。",
    )
    note.font = Font(name=cells.FONT, size=11, color="FF808080")  # the body's size: ≥ 9 pt when fitted
    return row


def dues_sheet(builder) -> None:
    """The 党费收缴台账 sheet of the term 台账 (``LedgerBuilder``); nothing without the registers."""
    snap, cfg = builder.snap, builder.config
    if not has_dues(snap):
        return
    first = ym(builder.start.year, builder.start.month)
    last = ym(builder.end.year, builder.end.month)
    acc = account(snap, cfg, first, last, builder.today)
    ws = builder.wb.create_sheet(SHEET)
    title = f"{cfg.branch_name}{builder.term.label}党费收缴台账（统计到{ym_text(acc.as_of)}）"
    members_sheet(ws, acc, title, acc.as_of)


# --- the yearly workbook -------------------------------------------------------------------------


def quarter_rows(acc: Account) -> list[list]:
    """期间, 应交, 实交, 大额党费, 应上缴 (实交 and 大额党费): each month, each quarter, the year;
    应交 blank for a period not yet begun."""
    year = year_of(acc.first)
    rows = []
    for q in range(4):
        for m in range(ym(year, q * 3 + 1), ym(year, q * 3 + 3) + 1):
            rows.append(_period(acc, f"{month_of(m)}月", m, m))
        rows.append(_period(acc, f"第{'一二三四'[q]}季度", ym(year, q * 3 + 1), ym(year, q * 3 + 3)))
    rows.append(_period(acc, "全年", acc.first, acc.last))
    return rows


def _period(acc: Account, label: str, first: int, last: int) -> list:
    until = min(last, acc.as_of)
    due = acc.total("due", first, until)
    paid = acc.total("paid", first, last)
    large = sum(
        (
            p.amount
            for a in acc.members
            for p in a.large
            if p.amount is not None and p.paid_on and first <= ym(p.paid_on.year, p.paid_on.month) <= last
        ),
        Decimal(0),
    )
    return [label, float(due) if until >= first else "", float(paid), float(large), float(paid + large)]


def year_workbook(acc: Account, branch: str, today: dt.date) -> bytes:
    year = year_of(acc.first)
    wb = Workbook()
    first = first_sheet(wb)
    members_sheet(first, acc, f"{branch}{year}年党费收缴台账（统计到{ym_text(acc.as_of)}）", acc.as_of)
    first.title = SHEET
    ws = wb.create_sheet("月度季度合计")
    heads = ["期间", "应交", "实交", "大额党费", "应上缴"]
    cells._title(ws, f"{branch}{year}年党费收缴合计（元）", len(heads))
    cells._header(ws, 2, heads, [12, 14, 14, 14, 14])
    for r, values in enumerate(quarter_rows(acc), 3):
        bold = not values[0].endswith("月")
        for c, value in enumerate(values, 1):
            put(ws, r, c, value, bold=bold, number_format=MONEY if isinstance(value, float) else None)
    _findings_sheet(wb, acc, branch, year)
    _large_sheet(wb, acc, branch, year)
    props = wb.properties
    props.creator, props.title = "zhibu", f"{branch}{year}年党费收缴台账"
    props.created = props.modified = dt.datetime.combine(today, dt.time())
    buf = io.BytesIO()
    wb.save(buf)
    return stable_package(buf.getvalue())


def _findings_sheet(wb, acc: Account, branch: str, year: int) -> None:
    ws = wb.create_sheet("提醒")
    cells._title(ws, f"{branch}{year}年党费提醒", 4)
    cells._header(ws, 2, ["序号", "程度", "姓名", "内容"], [5, 7, 9, 80])
    ordered = sorted(acc.findings, key=lambda f: {ALERT: 0, "warning": 1}.get(f.level, 2))
    for n, f in enumerate(ordered, 1):
        for c, value in enumerate([n, LEVELS.get(f.level, ""), f.name, f.text], 1):
            cell = put(ws, n + 2, c, value)
            if f.level == ALERT:
                cell.fill = cells.RED_FILL
        cells.fit_row(ws, n + 2)
    if not ordered:
        ws.cell(3, 1, "没有提醒")


def _large_sheet(wb, acc: Account, branch: str, year: int) -> None:
    large = [(a.name, p) for a in acc.members for p in a.large]
    if not large:
        return
    ws = wb.create_sheet("大额党费")
    cells._title(ws, f"{branch}{year}年大额党费（单独列出，全额上缴）", 5)
    cells._header(ws, 2, ["序号", "姓名", "金额", "交纳日期", "备注"], [5, 9, 12, 14, 40])
    for n, (name, p) in enumerate(large, 1):
        day = f"{p.paid_on.year}年{p.paid_on.month}月{p.paid_on.day}日" if p.paid_on else ""
        for c, value in enumerate([n, name, float(p.amount or 0), day, p.note], 1):
            put(ws, n + 2, c, value, number_format=MONEY if c == 3 else None)
