"""党费收缴登记表, in the two layouts branches keep it:

* **by month** (按月登记): one row a member, a column a month (1月 … 12月) holding what was paid
  for that month; the year is in the title or the file name. A cell may say 免交 (waived that
  month by the branch), 缓交 (left unpaid with the branch's consent) or cover several months
  (``135（1-3月）``); blank is "nothing paid", 0 is "paid nothing". The row's 备注 is kept as the
  member's note for the year.
* **one row a payment** (交纳明细): 姓名, 所属月份 (a month, or a range such as 2024年1-3月),
  金额, 交纳日期, 收款人, 备注. A row without an amount records months left unpaid with the
  reason in its 备注; a 备注 saying 大额党费 marks a voluntary one-off payment, kept apart.

Amounts as people type them (45, 45.00, ￥45, 45元, 四十五元). Filed, a register is the branch's
word on the members and months it names: each member's earlier payments for those months (every
month of the year for a by-month row) are replaced, and kept as history; other members and
months keep theirs, so a quarterly file adds to the year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter
from decimal import Decimal

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, Spec, words
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind, TermData
from pipeline.kinds.form import Col, Form, FormEnv, lay_out
from pipeline.records.dues import EXEMPT, LARGE, REASON, DuesPayment, is_large, month_of, year_of, ym, ym_iso
from pipeline.store.tables import Table

NAME = "党费收缴登记表"
ROWS = "党费交纳明细"
MONTH_KEYS = tuple(f"m{i}" for i in range(1, 13))
_CN_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
DEFER_WORDS = ("缓交", "暂缓", "缓缴")
EXEMPT_WORDS = ("免交", "免缴", "免")


def _month_spec(i: int) -> Spec:
    cn = _CN_MONTHS[i - 1]
    return S(f"m{i}", f"{i}月", *words(f"{i}月份 {i:02d}月 {cn}月 {cn}月份"), weight=2)


MONTHS_COLUMNS = KindSpec(
    NAME,
    (
        S("name", "姓名", *words("党员姓名"), weight=1),
        *(_month_spec(i) for i in range(1, 13)),
        S("note", "备注", *words("说明"), weight=1),
    ),
    required=(("name",), MONTH_KEYS),
    minimum=4,
    title_words=("党费收缴", "党费交纳", "党费缴纳", "交纳登记", "缴纳登记", "收缴登记", "党费登记"),
)
ROWS_COLUMNS = KindSpec(
    NAME,
    (
        S("name", "姓名", *words("党员姓名 交纳人 缴纳人"), weight=1),
        S(
            "months",
            "所属月份",
            *words("交纳月份 缴纳月份 所交月份 党费所属月份 所属期间 所属时间 交纳期间 月份"),
            weight=3,
        ),
        S(
            "amount",
            "金额",
            *words("交纳金额 缴纳金额 实交金额 实交 实缴金额 交纳数额 金额（元） 党费金额 实交党费"),
        ),
        S("paid_on", "交纳日期", *words("缴纳日期 交纳时间 缴纳时间 收款日期 缴费日期 日期")),
        S("collector", "收款人", *words("经手人 收款人签字 收款人签名 收缴人 收款人（签字）")),
        S("note", "备注", *words("说明"), weight=1),
    ),
    required=(("name",), ("months",), ("amount",)),
    minimum=3,
    title_words=MONTHS_COLUMNS.title_words,
)


TABLE = Table(
    "dues_payments",
    DuesPayment,
    ("name", "first", "last", "amount", "mark", "paid_on", "collector", "note", "year", "sheet", "row"),
    order=("first", "id"),
)
DATA: TermData[DuesPayment] = TermData("dues_payments", lambda store: store.records(TABLE, active=1))

# --- months as typed ---------------------------------------------------------------------------

_RANGE = re.compile(
    r"(?:(?P<y1>\d{4})\s*[年./-]\s*)?(?P<m1>\d{1,2})\s*月?\s*"
    r"(?:[-~—–至到]\s*(?:(?P<y2>\d{4})\s*[年./-]\s*)?(?P<m2>\d{1,2})\s*月?)?"
)
# A whole date: 2024年3月5日, 2024-03-05, 2024.3.5 (one separator throughout: 2024.10-12 is a range).
_DAY = re.compile(r"(\d{4})(?:年(\d{1,2})月\d{1,2}日?|([./-])(\d{1,2})\3\d{1,2})")
_IN_CELL = re.compile(r"[（(]\s*([^（()）]*月[^（()）]*)\s*[)）]")
MONTHS_HINT = "请写成 2024年3月、2024-03 或 2024年1-3月（一次交几个月）。"


def month_span(value, label: str, year_for) -> tuple[int, int]:
    """所属月份 as typed: 2024年3月, 2024-03, 2024.3, 3月, 2024年1-3月, 2024年11月至2025年2月, a
    date (its month). ``year_for(month)`` gives the year of a month written without one (None:
    unknown)."""
    cells.check_usable(value)
    if isinstance(value, dt.datetime | dt.date):
        return ym(value.year, value.month), ym(value.year, value.month)
    s = "".join(unicodedata.normalize("NFKC", cells.text(value)).split())
    day = _DAY.fullmatch(s)  # 2024-03-05 is March, never March to May
    if day:
        month = ym(int(day.group(1)), int(day.group(2) or day.group(4)))
        return month, month
    found = _RANGE.fullmatch(s.removesuffix("份"))
    if not found:
        period = cells.period(value, label)  # 2024.3 typed as a number, 2024年3月5日 …
        if period is None or period.day is not None:
            raise cells.CellProblem(f"无法识别「{label}」里的月份「{cells.text(value)}」", hint=MONTHS_HINT)
        found_year = period.year or year_for(period.month)
        if found_year is None:
            raise cells.CellProblem(f"「{label}」的「{cells.text(value)}」没有写年份", hint=MONTHS_HINT)
        return ym(found_year, period.month), ym(found_year, period.month)
    m1 = int(found.group("m1"))
    m2 = int(found.group("m2") or m1)
    y1 = int(found.group("y1")) if found.group("y1") else year_for(m1)
    y2 = int(found.group("y2")) if found.group("y2") else (y1 if m2 >= m1 else (y1 or 0) + 1)
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        raise cells.CellProblem(f"「{label}」里的月份「{cells.text(value)}」不存在", hint=MONTHS_HINT)
    if y1 is None:
        raise cells.CellProblem(f"「{label}」的「{cells.text(value)}」没有写年份", hint=MONTHS_HINT)
    first, last = ym(y1, m1), ym(y2, m2)
    if last < first or last - first > 23:
        raise cells.CellProblem(f"「{label}」的月份范围「{cells.text(value)}」不对", hint=MONTHS_HINT)
    return first, last


# --- by month ----------------------------------------------------------------------------------


def _month_cell(ctx: SheetContext, rr: RowReader, name: str, i: int, year: int) -> DuesPayment | None:
    key = f"m{i}"
    raw = rr.raw(key)
    if cells.is_blank(raw):
        return None
    text = rr.get(key, cells.folded) or ""
    month = ym(year, i)
    span = (month, month)
    inner = _IN_CELL.search(text)
    if inner:  # 135（1-3月）: one payment for several months
        try:
            span = month_span(inner.group(1), rr.label(key), lambda _m: year)
        except cells.CellProblem as problem:
            rr.fail(key, problem.message, problem.hint)
            return None
        text = text[: inner.start()] + text[inner.end() :]
    record = DuesPayment(name, ym_iso(span[0]), ym_iso(span[1]), sheet=ctx.sheet, row=rr.number, year=year)
    if any(w in text for w in DEFER_WORDS):
        return dataclasses.replace(record, mark=REASON, note=text)
    if text in EXEMPT_WORDS or any(w in text for w in EXEMPT_WORDS[:2]):
        return dataclasses.replace(record, mark=EXEMPT, note=text)
    amount = rr.get(key, cells.money, rr.label(key)) if not inner else _inner_money(rr, key, text)
    return None if amount is None else dataclasses.replace(record, amount=amount)


def _inner_money(rr: RowReader, key: str, text: str) -> Decimal | None:
    try:
        return cells.money(text, rr.label(key))
    except cells.CellProblem as problem:
        rr.fail(key, problem.message, problem.hint)
        return None


def read_month_row(ctx: SheetContext, rr: RowReader) -> list[DuesPayment] | None:
    year = ctx.time.year
    if year is None:
        raise ctx.sheet_error(
            "按月登记的党费收缴登记表没有写明年份",
            hint="请在表格标题或文件名中写明年份，例如“2024年党费收缴登记表”，然后重新放入收件箱。",
        )
    name = rr.get("name", cells.name) or ""
    note = rr.text("note")
    filled = [i for i in range(1, 13) if not cells.is_blank(rr.raw(f"m{i}"))]
    if not name:
        if filled or note:
            rr.fail("name", "没有填写姓名", hint="请填写姓名，或删除这一行。")
        return None
    _seen(ctx, rr, name)
    out = [p for i in filled if (p := _month_cell(ctx, rr, name, i, year)) is not None]
    if note:  # the row is the member's year: its 备注 may give the reason for months left unpaid
        first, last = ym_iso(ym(year, 1)), ym_iso(ym(year, 12))
        out.append(
            DuesPayment(name, first, last, mark=REASON, note=note, year=year, sheet=ctx.sheet, row=rr.number)
        )
    return out if rr.ok else None


def _seen(ctx: SheetContext, rr: RowReader, name: str) -> None:
    seen = ctx.state.setdefault("names", {})
    if name in seen:
        rr.fail("name", f"姓名「{name}」与第{seen[name]}行重复", hint="按月登记时每名党员只占一行。")
    seen.setdefault(name, rr.number)


# --- one row a payment -------------------------------------------------------------------------


def read_payment_row(ctx: SheetContext, rr: RowReader) -> DuesPayment | None:
    name = rr.get("name", cells.name) or ""
    if not name and rr.ok:
        rr.fail("name", "没有填写姓名", hint="请填写姓名，或删除这一行。")
    note = rr.text("note")
    months_text = rr.get("months", cells.folded) or ""
    large = is_large(note) or is_large(months_text)
    span = None
    if months_text and not is_large(months_text):
        span = rr.get("months", month_span, rr.label("months"), ctx.year_of)
    elif not large:
        rr.fail("months", "没有填写所属月份", hint=MONTHS_HINT)
    amount_text = rr.get("amount", cells.folded) or ""
    mark, amount = "", None
    if any(w in amount_text for w in EXEMPT_WORDS[:2]):
        mark = EXEMPT
    elif any(w in amount_text for w in DEFER_WORDS) or (not amount_text and note):
        mark = REASON
    else:
        amount = rr.get("amount", cells.money, rr.label("amount"))
        if amount is None and rr.ok:
            rr.fail(
                "amount", "没有填写金额", hint="请填写金额；没有交的月份可以不写这一行，或在备注中写明原因。"
            )
    paid_on = rr.get("paid_on", cells.day, rr.label("paid_on"), default_year=ctx.year_of)
    collector = "、".join(rr.text("collector").split("\n"))
    if not rr.ok:
        return None
    if large and mark == "":
        mark = LARGE
    first, last = (ym_iso(span[0]), ym_iso(span[1])) if span else ("", "")
    note = note or (amount_text if mark in (EXEMPT, REASON) else "")
    return DuesPayment(
        name, first, last, amount, mark, paid_on, collector, note, None, sheet=ctx.sheet, row=rr.number
    )


# --- filing ------------------------------------------------------------------------------------


def _year_of(p: DuesPayment) -> int | None:
    for text in (p.first, p.paid_on.isoformat() if p.paid_on else ""):
        if text:
            return int(text[:4])
    return None


def covered(by_month: list[DuesPayment], rows: list[DuesPayment]) -> dict[str, set[int]]:
    """The months of each member this register states: the whole year of a by-month row, the
    months of each payment row."""
    out: dict[str, set[int]] = {}
    for p in by_month:
        if p.year is not None:  # always: a by-month row is read with its sheet's year
            out.setdefault(p.name, set()).update(range(ym(p.year, 1), ym(p.year, 12) + 1))
    for p in rows:
        out.setdefault(p.name, set()).update(p.months)
    return out


def file(ctx, result, records, plan, outcome, filed) -> None:
    by_month: list[DuesPayment] = records[NAME]
    rows: list[DuesPayment] = records[ROWS]
    years = Counter(_year_of(p) for p in rows if _year_of(p))
    fallback = years.most_common(1)[0][0] if years else None
    rows = [dataclasses.replace(p, year=p.year or _year_of(p) or fallback) for p in rows]
    new = by_month + rows
    if not new:
        return
    scope = covered(by_month, rows)
    old = [o for o in ctx.store.records(TABLE, active=1) if scope.get(o.name, set()) & set(o.months)]
    paid = [p for p in new if p.mark in ("", LARGE)]
    outcome.counts["党费交纳记录"] = len(paid)
    if old:
        people = sorted({o.name for o in old})
        outcome.warnings.append(
            f"已用本表替换{'、'.join(people[:5])}{'等' if len(people) > 5 else ''}{len(people)}人"
            f"相应月份原有的{len(old)}条交纳记录（原记录保留为历史）"
        )
    names = {m.name for m in ctx.store.active_roster()}
    strangers = sorted({p.name for p in new if names and p.name not in names})
    if strangers:
        outcome.warnings.append(
            f"党员名册中没有：{'、'.join(strangers)}（请核对姓名，或先放入最新的党员名册）"
        )

    def write(store, source_id):
        store.retire_records(TABLE, [o.id for o in old])
        store.insert_records(TABLE, source_id, new)

    plan.index_writers.append(write)


def days(result, records, calendar) -> list[dt.date]:
    out = []
    for p in [*records[NAME], *records[ROWS]]:
        if p.months:
            out.append(dt.date(year_of(p.months[0]), month_of(p.months[0]), 1))
    return out


# --- zhibu forms -------------------------------------------------------------------------------


def build_form(wb, form: Form, env: FormEnv) -> None:
    """The by-month layout, titled with this year, the roster's names filled in."""
    ws = wb.active
    ws.title = NAME
    year = dt.date.today().year
    lay_out(ws, f"{env.branch}{year}年{NAME}", form.columns_for(env), 2, form.help, list(env.names))


KIND = RegisterKind(
    name=NAME,
    folder_words=("党费", "收缴", "交纳", "缴纳"),
    precedence=-1,  # before the others: 党费台账 is no 三会一课台账
    layouts=(
        Layout(MONTHS_COLUMNS, ("name",), read_month_row, "姓名、1月……12月、备注"),
        Layout(
            ROWS_COLUMNS,
            ("name", "months", "amount"),
            read_payment_row,
            "姓名、所属月份、金额、交纳日期、收款人、备注",
            name=ROWS,
            shown="党费交纳明细",
        ),
    ),
    form=Form(
        "党费收缴登记表.xlsx",
        (Col("序号", 6), Col("姓名", 10), *(Col(f"{i}月", 8, "0.00") for i in range(1, 13)), Col("备注", 24)),
        "每行一名党员，标题写明年份；每月交了多少就在该月填写金额，没交的空着，免交的写“免交”，经支部同意缓交的写“缓交”，"
        "一次交几个月的写在最后一个月，例如“135（1-3月）”；也可以改用“姓名、所属月份、金额、交纳日期、收款人、备注”一行一笔的明细表",
        build=build_form,
    ),
    file=file,
    days=days,
    data=(DATA,),
)
