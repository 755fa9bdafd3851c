"""Blank registers (表格模板/): one workbook per kind, ready to fill in Excel or WPS.

Each has a title row, a frozen header, column widths, date formats on the date columns and
drop-down lists (会议类型, 成果类别, 级别 …; an unlisted value only raises a warning, since
aliases are understood). The workbook's subject names its kind, so a filled copy is read as
that kind wherever it is dropped. The sign-in sheet lists the active roster's names.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.fs.files import atomic_write_bytes
from pipeline.ingest.sheets import development_columns
from pipeline.ingest.sheets.base import PROPERTY_PREFIX
from pipeline.records.register_rows import ACHIEVEMENTS, DEVELOPMENT, LEVELS, MEETINGS, PLAN, ROSTER, SIGNIN
from pipeline.records.types import MEETING_TYPES
from pipeline.store import Store

DAY = 'yyyy"年"m"月"d"日"'
MONTH = 'yyyy"年"m"月"'
ROWS = 300  # rows prepared with formats and drop-downs
BLANK = "（空白表）"  # kept out of the subject: a filled copy is not blank


@dataclass(frozen=True)
class Col:
    label: str
    width: float
    fmt: str | None = None
    choices: tuple[str, ...] = ()
    strict: bool = False


PLAN_CATEGORIES = (
    "三会一课",
    "主题党日",
    "组织生活会",
    "民主评议党员",
    "谈心谈话",
    "学习教育",
    "党员发展",
    "党风廉政",
    "志愿服务",
    "其他",
)
POSTS = ("党支部书记", "副书记", "组织委员", "宣传委员", "纪检委员", "支部委员", "党小组长")


def _columns(kind: str, categories: tuple[str, ...]) -> list[Col]:
    types = tuple(t.name for t in MEETING_TYPES)
    if kind == MEETINGS:
        return [
            Col("序号", 6),
            Col("日期", 16, DAY),
            Col("会议类型", 14, choices=types),
            Col("主题", 30),
            Col("地点", 16),
            Col("主持人", 10),
            Col("记录人", 10),
            Col("应到人数", 9, "0"),
            Col("实到人数", 9, "0"),
            Col("缺席人员及原因", 22),
            Col("议题", 30),
            Col("内容摘要", 40),
            Col("决议", 30),
            Col("备注", 16),
        ]
    if kind == SIGNIN:
        return [Col("序号", 6), Col("姓名", 14), Col("签到", 20), Col("备注", 24)]
    if kind == ACHIEVEMENTS:
        return [
            Col("序号", 6),
            Col("成果名称", 36),
            Col("类别", 12, choices=categories),
            Col("完成人及排名", 22),
            Col("级别", 10, choices=LEVELS),
            Col("时间", 14, MONTH),
            Col("刊物或颁发单位", 26),
            Col("佐证材料", 18),
            Col("备注", 16),
        ]
    if kind == ROSTER:
        return [
            Col("序号", 6),
            Col("姓名", 10),
            Col("性别", 6, choices=("男", "女"), strict=True),
            Col("出生年月", 12, MONTH),
            Col("民族", 8),
            Col("籍贯", 10),
            Col("学历", 12),
            Col("学位", 8, choices=("博士", "硕士", "学士", "无")),
            Col("职称", 14),
            Col("职务/岗位", 14),
            Col("教研室", 14),
            Col("入党时间", 14, DAY),
            Col("转正时间", 14, DAY),
            Col("党员类别", 10, choices=("正式", "预备"), strict=True),
            Col("所在党小组", 14),
            Col("党内职务", 12, choices=POSTS),
            Col("荣誉", 30),
        ]
    if kind == DEVELOPMENT:
        formats = {"day": DAY, "month": MONTH, "": None}
        return [Col(label, width, formats[fmt]) for label, width, fmt in development_columns.FORM]
    if kind == PLAN:
        return [
            Col("序号", 6),
            Col("时间/月份", 14, MONTH),
            Col("工作内容", 44),
            Col("类别", 14, choices=PLAN_CATEGORIES),
            Col("责任人", 12),
            Col("完成标准/备注", 30),
        ]
    raise KeyError(kind)


FILES = {
    MEETINGS: "会议登记表.xlsx",
    SIGNIN: "签到表.xlsx",
    ACHIEVEMENTS: "成果登记表.xlsx",
    ROSTER: "党员名册.xlsx",
    PLAN: "工作计划表.xlsx",
    DEVELOPMENT: "发展党员登记表.xlsx",
}

HELP = {
    MEETINGS: "每行一次会议；日期写 2024年10月8日 或 2024-10-08；会议类型从下拉列表选择",
    SIGNIN: "每张签到表对应一次会议：请在上面填写会议类型和日期；到会的在「签到」栏签名或打 √，请假的在「备注」写原因",
    ACHIEVEMENTS: "每行一项成果；时间写到月份即可（2024年10月）；类别、级别从下拉列表选择",
    ROSTER: "每行一名党员；不需要填写身份证号、联系电话（系统不读取、不保存这些信息）",
    PLAN: "每行一项工作；时间写月份（10月）或“每月”“全学期”；责任人写姓名",
    DEVELOPMENT: development_columns.FORM_HELP,
}

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _validation(col: Col, letter: str, first: int, last: int) -> DataValidation:
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(col.choices) + '"',
        allow_blank=True,
        showDropDown=False,
        showErrorMessage=True,
        errorStyle="stop" if col.strict else "warning",
        errorTitle="请从下拉列表中选择",
        error=f"「{col.label}」建议从下拉列表中选择。",
        promptTitle=col.label,
        prompt="请从下拉列表中选择",
        showInputMessage=True,
    )
    dv.add(f"{letter}{first}:{letter}{last}")
    return dv


def _sheet(
    ws, title: str, columns: list[Col], header_row: int, help_text: str, prefill: list[str] = ()
) -> None:
    width = len(columns)
    ws.cell(1, 1, title).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(header_row, j, col.label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = col.width
        first, last = header_row + 1, header_row + ROWS
        if col.fmt:
            for r in range(first, last + 1):
                ws.cell(r, j).number_format = col.fmt
        if col.choices:
            ws.add_data_validation(_validation(col, letter, first, last))
    for i, name in enumerate(prefill, start=header_row + 1):
        ws.cell(i, 1, i - header_row)
        ws.cell(i, 2, name)
    for r in range(header_row + 1, header_row + max(len(prefill), 30) + 1):
        for j in range(1, width + 1):
            ws.cell(r, j).border = _BORDER
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    note_row = header_row + max(len(prefill), 30) + 2
    ws.cell(note_row, 1, f"注：{help_text}。").font = Font(color="808080", size=9)
    ws.page_setup.orientation = "landscape" if width > 6 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def blank_workbook(
    kind: str, *, branch: str, categories: tuple[str, ...], term_label: str = "", names: list[str] = ()
) -> bytes:
    wb = Workbook()
    ws = wb.active
    columns = _columns(kind, categories)
    if kind == SIGNIN:
        ws.title = "签到表"
        _sheet(ws, f"{branch}会议签到表", columns, 4, HELP[kind], list(names))
        types = tuple(t.name for t in MEETING_TYPES)
        for row, label in ((2, "会议类型："), (3, "日期：")):
            ws.cell(row, 1, label).font = Font(bold=True)
            ws.cell(row, 1).alignment = Alignment(horizontal="right")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            ws.cell(row, 3).border = _BORDER
        ws.cell(3, 3).number_format = DAY
        ws.cell(3, 3).alignment = Alignment(horizontal="left")
        ws.add_data_validation(_validation(Col("会议类型", 0, choices=types), "C", 2, 2))
    elif kind == PLAN:
        ws.title = "工作计划"
        _sheet(ws, f"{branch}{term_label}工作计划", columns, 2, HELP[kind])
        texts = wb.create_sheet("计划说明")
        _sheet(
            texts,
            f"{branch}{term_label}工作计划说明",
            [Col("栏目", 14), Col("内容", 90)],
            2,
            "每个栏目写一段文字，不需要的栏目可以空着",
            [],
        )
        for i, section in enumerate(("指导思想", "工作目标", "主要任务", "保障措施"), start=3):
            texts.cell(i, 1, section)
            texts.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")
    else:
        ws.title = kind
        _sheet(ws, f"{branch}{kind}", columns, 2, HELP[kind])
    wb.properties.subject = f"{PROPERTY_PREFIX}{kind}"
    wb.properties.title = f"{kind}{BLANK}"
    wb.properties.creator = "zhibu"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def roster_names(ws) -> list[str]:
    """Names of the active roster, read-only; [] when there is no index or no roster yet."""
    store = Store.open_read_only(ws.index_path)
    if store is None:
        return []
    with store:
        return [m.name for m in store.active_roster()]


def write_forms(ws, *, overwrite: bool = False) -> tuple[list[str], list[str]]:
    """Write the blank registers into ``<workspace>/表格模板/``: (written, kept as they were)."""
    cfg = ws.config
    branch = cfg.branch_name
    categories = tuple(cfg.achievements.category_order)
    term = cfg.calendar.term_of(dt.date.today())
    names = roster_names(ws)
    written, kept = [], []
    for kind, file_name in FILES.items():
        target = ws.forms / file_name
        if target.exists() and not overwrite:
            kept.append(file_name)
            continue
        data = blank_workbook(
            kind,
            branch=branch,
            categories=categories,
            term_label=term.label,
            names=names if kind == SIGNIN else [],
        )
        atomic_write_bytes(target, data)
        written.append(file_name)
    return written, kept


def init_forms(ws) -> list[str]:
    """INIT_EXTRAS hook of ``zhibu init``: the blank registers, never overwriting."""
    written, _ = write_forms(ws)
    return [f"{ws.forms.name}/{name}" for name in written]
