"""党费基数核算表: one row a member, for one year (the year in the title or the file name):
姓名, 人员类别, the salary components or a 计算基数 (基本离退休费 for the retired), optionally the
比例 and 月交纳额 the branch computed, 备注 (少交/免交 with the reason).

The rules (``pipeline.records.dues``) give each member's monthly amount; where the branch's own
figure differs, the run says so with the band and both amounts.

Privacy — the decision: income figures (计算基数, every salary component) are personal data.
They are read from the register while it is filed and never stored: the index keeps the band
(3000元以上至5000元（含）), the rate and the monthly amount due, which are all that ``zhibu
status``, the 台账, the 公示 and the web pages need. The archived original keeps the figures (the
branch must keep its records: sanitize blanks ID and phone columns only), and the 核算表 (内部),
the one document that shows a base, is made from that archived original at batch time
(``pipeline.term.dues_papers``). No message of the filing shows a base either: a run's messages
reach the web pages.

A newer register of a year replaces that year's (the older rows stay as history, inactive); a
待修正 file dropped back replaces the rows of the members it lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, words
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind, TermData, where
from pipeline.kinds.form import Col, Form, FormEnv, lay_out
from pipeline.records.dues import (
    CATEGORIES,
    OTHER,
    RETIRED,
    STUDENT,
    WORKING,
    Due,
    DuesBase,
    Rules,
    assess,
    base_from_parts,
    normalize_category,
    parse_rate,
    percent_text,
    yuan,
)
from pipeline.store.tables import Table

NAME = "党费基数核算表"
RETIRED_PAY = "基本离退休费"

# Salary components: field key, canonical name (records.dues.PARTS), aliases.
PART_COLUMNS = (
    ("post_pay", "岗位工资", "岗位工资（元）"),
    ("scale_pay", "薪级工资", "薪级工资（元）"),
    ("base_perf", "基础性绩效工资", "基础性绩效 基础绩效 基础绩效工资 基础性绩效（元）"),
    ("allowance", "津贴补贴", "津补贴 规范津贴补贴 规范性津贴补贴 岗位津贴"),
    ("reward_perf", "奖励性绩效工资", "奖励性绩效 奖励绩效 奖励绩效工资"),
    ("reform", "改革性补贴", "住房补贴 交通补贴 通讯补贴 取暖补贴 物业补贴 改革性补贴（住房/交通/通讯）"),
    ("overtime", "加班费", "加班工资"),
    ("tax", "个人所得税", "个税 所得税 代扣个税 代扣个人所得税"),
    ("pension", "养老保险", "基本养老保险 养老保险金 个人养老保险 基本养老保险费"),
    ("medical", "医疗保险", "基本医疗保险 医保 医疗保险金 基本医疗保险费"),
    ("unemployment", "失业保险", "失业保险金 失业保险费"),
    ("housing", "住房公积金", "公积金 个人住房公积金"),
    ("annuity", "职业年金", "年金 个人职业年金"),
    ("retired_pay", RETIRED_PAY, "离退休费 基本养老金 养老金 退休费 离休费 基本退休费 退休金"),
)
PART_NAMES = {key: part for key, part, _ in PART_COLUMNS}
NOT_COUNTED = ("reward_perf", "reform", "overtime")

COLUMNS = KindSpec(
    NAME,
    (
        S("name", "姓名", *words("党员姓名"), weight=1),
        S("category", "人员类别", *words("人员身份 身份类别 人员类型 类别 类型 在职/离退休"), weight=1),
        *(S(key, part, *words(aliases)) for key, part, aliases in PART_COLUMNS),
        S(
            "base",
            "计算基数",
            *words(
                "党费计算基数 交纳基数 缴纳基数 计算基数（元） 月工资收入 月工资收入（计算基数） 工资基数 基数 党费基数"
            ),
            weight=3,
        ),
        S("rate", "比例", *words("交纳比例 缴纳比例 执行标准 执行标准（比例） 党费比例 交纳标准")),
        S(
            "branch_due",
            "月交纳额",
            *words(
                "月应交 月应交党费 月交纳党费 每月交纳 每月应交 月缴纳额 月交纳金额 月交党费 每月交纳党费 月交纳额（元） 核定月交纳额"
            ),
        ),
        S("note", "备注", *words("说明"), weight=1),
    ),
    required=(("name",), ("base", "post_pay", "scale_pay", "base_perf", "retired_pay", "branch_due")),
    minimum=3,
    title_words=("党费基数", "基数核算", "党费核算", "党费计算", "党费标准", "党费核定"),
)
_FIGURES = ("base", *PART_NAMES)


TABLE = Table(
    "dues_bases",
    DuesBase,
    tuple("year name category due basis rate band branch_due branch_rate note sheet row".split()),
    order=("year", "id"),
)  # only these columns: never ``base``, ``stated_base`` or ``parts``
DATA: TermData[DuesBase] = TermData("dues_bases", lambda store: store.records(TABLE, active=1))


# --- reading -----------------------------------------------------------------------------------


def _year(ctx: SheetContext) -> int:
    if ctx.time.year is None:
        raise ctx.sheet_error(
            "党费基数核算表没有写明年度",
            hint="请在表格标题或文件名中写明年度，例如“2024年度党费基数核算表”，然后重新放入收件箱。",
        )
    return ctx.time.year


def read_row(ctx: SheetContext, rr: RowReader) -> DuesBase | None:
    year = ctx.state.get("year") or ctx.state.setdefault("year", _year(ctx))
    name = rr.get("name", cells.name) or ""
    if not name and rr.ok:
        rr.fail("name", "没有填写姓名", hint="请填写姓名，或删除这一行。")
    category_text = rr.get("category", cells.one_line) or ""
    category = normalize_category(category_text)
    if category is None:
        rr.fail(
            "category", f"人员类别「{category_text}」无法识别", hint=f"请填写{'、'.join(CATEGORIES)}之一。"
        )
    figures = {key: rr.get(key, cells.money, rr.label(key)) for key in _FIGURES if rr.has(key)}
    due_text = rr.get("branch_due", cells.folded) or ""
    note = rr.text("note")
    branch_due = None
    if "免交" in due_text:
        branch_due = Decimal("0.00")
        note = note if "免交" in note else "免交" + (f"（{note}）" if note else "")
    else:
        branch_due = rr.get("branch_due", cells.money, rr.label("branch_due"))
    rate_text = rr.get("rate", cells.one_line) or ""
    branch_rate = parse_rate(rate_text) if rate_text else None
    if rate_text and branch_rate is None:
        rr.fail("rate", f"比例「{rate_text}」无法识别", hint="请写成 1%、1.5% 这样的百分比，或空着。")
    seen = ctx.state.setdefault("names", {})
    if name and name in seen:
        rr.fail("name", f"姓名「{name}」与第{seen[name]}行重复", hint="每名党员只保留一行。")
    parts = {PART_NAMES[k]: v for k, v in figures.items() if k in PART_NAMES and v is not None}
    stated = figures.get("base")
    if rr.ok and not (category_text or parts or stated is not None or branch_due is not None or note):
        return None  # a name of the blank form (filled in with the roster) left empty
    if rr.ok and not (parts or stated is not None or branch_due is not None or category in (STUDENT, OTHER)):
        rr.fail(
            "base",
            "没有填写计算基数、工资项目或月交纳额",
            hint="在职党员请填写工资各项或计算基数，离退休党员填写基本离退休费，学生党员在人员类别中写“学生”。",
        )
    if not rr.ok:
        return None
    seen[name] = rr.number
    if not category:
        category = RETIRED if RETIRED_PAY in parts else WORKING
    return DuesBase(
        name=name,
        year=year,
        category=category,
        branch_due=branch_due,
        branch_rate=percent_text(branch_rate),
        note=note,
        parts=parts,
        stated_base=stated,
        sheet=ctx.sheet,
        row=rr.number,
    )


# --- the amount due ----------------------------------------------------------------------------


def the_base(b: DuesBase, rules: Rules) -> Decimal | None:
    """The base the rules apply to: the 计算基数 as stated, else the 基本离退休费 (retired), else
    the income parts less the deductions."""
    if b.stated_base is not None:
        return b.stated_base
    if b.category == RETIRED and RETIRED_PAY in b.parts:
        return b.parts[RETIRED_PAY]
    return base_from_parts(b.parts, rules)


def assessed(b: DuesBase, rules: Rules) -> tuple[DuesBase, Due]:
    """The row with its amount due (the rules', or the branch's decision) and the rules' assessment."""
    base = the_base(b, rules)
    due = assess(b.category, base, rules)
    amount, basis = due.amount, due.basis
    if b.decision == "免交":
        amount, basis = Decimal("0.00"), "支部决定"
    elif b.decision == "少交" and b.branch_due is not None:
        amount, basis = b.branch_due, "支部决定"
    elif amount is None and b.branch_due is not None:
        amount, basis = b.branch_due, "支部填报"
    filed = dataclasses.replace(
        b, base=base, due=amount, basis=basis, rate=percent_text(due.rate), band=due.band
    )
    return filed, due


def row_warnings(b: DuesBase, due: Due, rules: Rules, result) -> list[str]:
    """What the filing says of one row: never an income figure (the messages reach the web pages)."""
    at = where(result, b.sheet, b.row)
    out = []
    kind = {WORKING: "在职党员", RETIRED: "离退休党员", STUDENT: "学生党员", OTHER: "无固定收入党员"}[
        b.category
    ]
    if b.basis == "支部决定":
        if not rules.has_reason(b.note) and b.decision == "少交":
            out.append(
                f"{at}：{b.name} 备注写了少交，但没有写明原因，请补充（按支部决定的{yuan(b.due)}元计）"
            )
    elif due.amount is None and b.branch_due is None:
        out.append(f"{at}：{b.name} 没有可用的计算基数，无法计算月交纳额，请补填工资项目或计算基数")
    elif due.amount is None:
        out.append(
            f"{at}：{b.name} 没有计算基数，按表中填写的月交纳额{yuan(b.branch_due)}元计，无法核对是否符合规定"
        )
    elif b.branch_due is not None and b.branch_due != due.amount:
        out.append(
            f"{at}：{b.name} 表中的月交纳额为{yuan(b.branch_due)}元，按规定应为{yuan(due.amount)}元"
            f"（{kind}，{due.rule_text}），已按规定数额计算"
        )
    elif b.branch_rate and due.rate is not None and b.branch_rate != percent_text(due.rate):
        out.append(
            f"{at}：{b.name} 表中的比例为{b.branch_rate}，按规定应为{percent_text(due.rate)}（{kind}，{due.rule_text}）"
        )
    computed = base_from_parts(b.parts, rules)
    if (
        b.stated_base is not None
        and computed is not None
        and computed.quantize(b.stated_base) != b.stated_base
    ):
        out.append(
            f"{at}：{b.name} 表中的计算基数与工资各项加减的结果不一致，已按表中的计算基数计算（请在核算表中核对）"
        )
    return out


# --- filing ------------------------------------------------------------------------------------


def file(ctx, result, records, plan, outcome, filed) -> None:
    rules = Rules.from_config(ctx.config.dues)
    rows: list[DuesBase] = []
    for b in records[NAME]:
        row, due = assessed(b, rules)
        outcome.warnings.extend(row_warnings(row, due, rules, result))
        rows.append(row)
    if not rows:
        return
    years = sorted({r.year for r in rows if r.year is not None})
    outcome.counts[NAME] = len(rows)
    old = [o for o in ctx.store.records(TABLE, active=1) if o.year in years]
    if result.correction:
        listed = {(r.year, r.name) for r in rows}
        old = [o for o in old if (o.year, o.name) in listed]
    _changes(old, rows, outcome)
    names = {m.name for m in ctx.store.active_roster()}
    strangers = [r.name for r in rows if names and r.name not in names]
    if strangers:
        outcome.warnings.append(
            f"党员名册中没有：{'、'.join(strangers)}（请核对姓名，或先放入最新的党员名册）"
        )

    def write(store, source_id):
        store.retire_records(TABLE, [o.id for o in old])
        store.insert_records(TABLE, source_id, rows)

    plan.index_writers.append(write)


def _changes(old: list[DuesBase], rows: list[DuesBase], outcome) -> None:
    if not old:
        return
    before = {(o.year, o.name): o for o in old}
    years = "、".join(f"{y}年度" for y in sorted({o.year for o in old if o.year is not None}))
    outcome.warnings.append(f"已用本表替换{years}原有的{len(old)}人的党费基数（原记录保留为历史）")
    for r in rows:
        o = before.get((r.year, r.name))
        if o is not None and o.due is not None and r.due is not None and o.due != r.due:
            outcome.warnings.append(
                f"{r.name} {r.year}年度月交纳额由{yuan(o.due)}元改为{yuan(r.due)}元（月交纳额每年核定一次，年内一般不作调整）"
            )


def days(result, records, calendar) -> list[dt.date]:
    return [dt.date(b.year, 1, 1) for b in records[NAME] if b.year]


# --- zhibu forms -------------------------------------------------------------------------------

MONEY_FORMAT = "0.00"
RATES = ("0.5%", "1%", "1.5%", "2%")


def _columns(env: FormEnv) -> list[Col]:
    return [
        Col("序号", 6),
        Col("姓名", 10),
        Col("人员类别", 10, choices=CATEGORIES),
        # the parts not counted in the base (奖励性绩效, 改革性补贴, 加班费) are read, not asked for
        *(Col(part, 10, MONEY_FORMAT) for key, part, _ in PART_COLUMNS if key not in NOT_COUNTED),
        Col("计算基数", 11, MONEY_FORMAT),
        Col("比例", 8, choices=RATES),
        Col("月交纳额", 10, MONEY_FORMAT),
        Col("备注", 24),
    ]


def build_form(wb, form: Form, env: FormEnv) -> None:
    """One sheet titled with this year, the roster's names filled in."""
    ws = wb.active
    ws.title = NAME
    year = dt.date.today().year
    lay_out(ws, f"{env.branch}{year}年度{NAME}", form.columns_for(env), 2, form.help, list(env.names))


KIND = RegisterKind(
    name=NAME,
    folder_words=("党费基数", "核算", "基数"),
    precedence=-2,  # before the others: 党费台账 is no 三会一课台账
    layouts=(
        Layout(COLUMNS, ("name",), read_row, "姓名、人员类别、工资各项或计算基数、比例、月交纳额、备注"),
    ),
    form=Form(
        "党费基数核算表.xlsx",
        _columns,
        "每行一名党员，标题写明年度；在职党员填写工资各项（不计奖励性绩效和改革性补贴）或直接填写计算基数，"
        "离退休党员填写基本离退休费，学生和无固定收入的党员只填人员类别；少交、免交的在备注中写明原因和决定",
        build=build_form,
    ),
    file=file,
    days=days,
    data=(DATA,),
)
