"""考核细则: the school's assessment indicators and grades, one row an indicator.

The 考核细则 sheet has 一级指标, 二级指标, 考评要点, 分值, 计分标准 and 支撑材料 (an empty 一级指标
continues the one above, as merged cells print it); an optional 考核等级 sheet has 等级 and 最低分.
Every 计分标准 is checked when the sheet is read (``pipeline.records.assessment``): a sentence
outside the vocabulary is a row problem naming the cell, and the sheet goes to 待修正 as any
register's. A filed 细则 replaces the one before (kept as history); without one, the default of
``records.assessment`` applies. ``zhibu forms`` writes the default, filled in, to edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment

from pipeline.errors import AssessmentRuleError
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, words
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind, TermData
from pipeline.kinds.form import Col, Form, FormEnv, lay_out
from pipeline.records.assessment import (
    DEFAULT_BANDS,
    DEFAULT_ROWS,
    VOCABULARY,
    Band,
    Criteria,
    Indicator,
    default_criteria,
    number,
    parse_rule,
)
from pipeline.store.tables import Table

NAME = "考核细则"
GRADES = "考核等级"


@dataclass
class RuleRow:
    """One indicator as filed (texts as written; checked when read)."""

    area: str
    name: str
    point: str
    points: str
    rule: str
    evidence: str = ""
    sheet: str | None = None
    row: int | None = None
    active: bool = True
    id: int | None = None
    source_id: int | None = None


@dataclass
class GradeRow:
    grade: str
    minimum: str
    sheet: str | None = None
    row: int | None = None
    active: bool = True
    id: int | None = None
    source_id: int | None = None


TABLE = Table(
    "assessment_rules",
    RuleRow,
    ("area", "name", "point", "points", "rule", "evidence", "sheet", "row", "active"),
)
GRADE_TABLE = Table("assessment_grades", GradeRow, ("grade", "minimum", "sheet", "row", "active"))
DATA: TermData[RuleRow] = TermData("assessment_rules", lambda store: store.records(TABLE, active=1))
GRADES_DATA: TermData[GradeRow] = TermData(
    "assessment_grades", lambda store: store.records(GRADE_TABLE, active=1)
)

COLUMNS = KindSpec(
    NAME,
    (
        S("area", "一级指标", *words("一级 考核项目 考核内容")),
        S("name", "二级指标", *words("二级 考核指标 指标 考核要素")),
        S("point", "考评要点", *words("考核要点 评价要点 考核标准 工作要求 要点 考评内容"), weight=1),
        S("points", "分值", *words("分数 标准分 满分 权重")),
        S("rule", "计分标准", *words("评分标准 计分办法 评分办法 扣分标准 评分细则 计分方法")),
        S("evidence", "支撑材料", *words("佐证材料 考核材料 证明材料 材料"), weight=1),
    ),
    required=(("name",), ("points",), ("rule",)),
    minimum=3,
    title_words=("考核细则", "考核指标", "考评细则", "考核评分"),
)
GRADE_COLUMNS = KindSpec(
    NAME,
    (
        S("grade", "等级", *words("考核等级 评定等级")),
        S("minimum", "最低分", *words("分数线 最低分数 分数下限")),
    ),
    required=(("grade",), ("minimum",)),
    minimum=2,
    title_words=(),
)


def read_row(ctx: SheetContext, rr: RowReader) -> RuleRow | None:
    area = rr.get("area", cells.one_line) or "" if rr.has("area") else ""
    if area:
        ctx.state["area"] = area
    area = area or ctx.state.get("area", "")
    name = rr.get("name", cells.one_line) or ""
    points = rr.get("points", cells.one_line) or ""
    rule = rr.text("rule").replace("\n", " ").strip()
    if not name and rr.ok:
        rr.fail("name", "没有填写二级指标", hint="请填写指标名称，或删除这一行。")
    try:
        number(points.removesuffix("分"))
    except AssessmentRuleError as err:
        rr.fail(
            "points", f"分值{err.message}" if points else "没有填写分值", hint="分值写数字，例如 6 或 0.5。"
        )
    try:
        parse_rule(rule)
    except AssessmentRuleError as err:
        rr.fail(
            "rule",
            err.message,
            hint=f"计分标准按以下写法之一填写：{VOCABULARY}；不能由 zhibu 计算的写“自评”。",
        )
    if not rr.ok:
        return None
    point = rr.text("point").replace("\n", " ").strip()
    evidence = rr.text("evidence").replace("\n", "、").strip()
    return RuleRow(area, name, point, points.removesuffix("分"), rule, evidence, ctx.sheet, rr.number)


def read_grade(ctx: SheetContext, rr: RowReader) -> GradeRow | None:
    grade = rr.get("grade", cells.one_line) or ""
    minimum = (
        (rr.get("minimum", cells.one_line) or "").removesuffix("分").removesuffix("以上").removesuffix("及")
    )
    try:
        number(minimum)
    except AssessmentRuleError as err:
        rr.fail("minimum", f"最低分{err.message}", hint="写这一等级的最低分数，例如 90。")
    if not grade and rr.ok:
        rr.fail("grade", "没有填写等级", hint="例如 优秀、良好、一般、差。")
    return GradeRow(grade, minimum, ctx.sheet, rr.number) if rr.ok else None


def _grades_wanted(sheet: str, stem: str, forced: str | None) -> bool:
    return "等级" in sheet or (forced == NAME and "等级" in sheet + stem)


def criteria_of(rows: list[RuleRow], grades: list[GradeRow], source: str = "") -> Criteria:
    """The 细则 filed (rows were checked when read), or the default without one."""
    if not rows:
        return default_criteria()
    indicators = tuple(
        Indicator(r.area, r.name, r.point, number(r.points), parse_rule(r.rule), r.evidence, f"第{r.row}行")
        for r in rows
    )
    bands = tuple(Band(g.grade, number(g.minimum)) for g in grades) or DEFAULT_BANDS
    return Criteria(indicators, bands, source or "支部导入的考核细则")


# --- filing ------------------------------------------------------------------------------------


def file(ctx, result, records, plan, outcome, filed) -> None:
    rows: list[RuleRow] = records[NAME]
    grades: list[GradeRow] = records[GRADES]
    if not rows and not grades:
        return
    old_rows = ctx.store.records(TABLE, active=1) if rows else []
    old_grades = ctx.store.records(GRADE_TABLE, active=1) if grades else []
    if rows:
        outcome.counts["考核指标"] = len(rows)
    if grades:
        outcome.counts["考核等级"] = len(grades)
    if old_rows:
        outcome.warnings.append(f"已用本表替换原有的考核细则（{len(old_rows)}项指标，原细则保留为历史）")

    def write(store, source_id):
        store.retire_records(TABLE, [o.id for o in old_rows])
        store.retire_records(GRADE_TABLE, [o.id for o in old_grades])
        store.insert_records(TABLE, source_id, rows)
        store.insert_records(GRADE_TABLE, source_id, grades)

    plan.index_writers.append(write)


# --- zhibu forms: the default 细则, filled in ----------------------------------------------------

FORM_COLUMNS = (
    Col("序号", 6),
    Col("一级指标", 14),
    Col("二级指标", 14),
    Col("考评要点", 36),
    Col("分值", 8),
    Col("计分标准", 34),
    Col("支撑材料", 24),
)


def build_form(wb, form: Form, env: FormEnv) -> None:
    """The default indicators to edit, and the 考核等级 sheet."""
    ws = wb.active
    ws.title = NAME
    lay_out(ws, f"{env.branch}{NAME}", form.columns_for(env), 2, form.help)
    for i, values in enumerate(DEFAULT_ROWS, start=3):
        cells: list[object] = [i - 2, *values]
        cells[4] = float(values[3])  # 分值 as a number
        for j, value in enumerate(cells, start=1):
            cell = ws.cell(i, j, value)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    grades = wb.create_sheet(GRADES)
    lay_out(grades, f"{env.branch}{GRADES}", [Col("等级", 14), Col("最低分", 12)], 2, "按最低分从高到低填写")
    for i, band in enumerate(DEFAULT_BANDS, start=3):
        grades.cell(i, 1, band.grade)
        grades.cell(i, 2, int(band.minimum))


KIND = RegisterKind(
    name=NAME,
    folder_words=("考核细则", "细则", "考核指标"),
    precedence=-3,  # before the others: a 考核细则 names 支委会, 党费 … in its rows
    layouts=(
        Layout(COLUMNS, ("name", "points", "rule"), read_row, "一级指标、二级指标、分值、计分标准"),
        Layout(
            GRADE_COLUMNS,
            ("grade", "minimum"),
            read_grade,
            "等级、最低分",
            name=GRADES,
            shown=GRADES,
            wanted=_grades_wanted,
        ),
    ),
    form=Form(
        "考核细则.xlsx",
        FORM_COLUMNS,
        "每行一项指标；计分标准按说明的写法填写，不能自动计算的写“自评”；改好后放入收件箱，替换默认细则。"
        f"计分标准的写法：{VOCABULARY}",
        build=build_form,
    ),
    file=file,
    data=(DATA, GRADES_DATA),
)
