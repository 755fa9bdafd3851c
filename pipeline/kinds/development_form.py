"""The blank 发展党员登记表 of ``zhibu forms``: a column for every step a branch records, printed
at full size a group of columns a page."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break, ColBreak

from pipeline.kinds.form import DAY, MONTH, Col, Form, lay_out

NAME = "发展党员登记表"


def _columns(spec: str) -> list[Col]:
    """Columns from "label:width" words; a label ending in 日期 (but not 考察日期) is a date column."""
    out = []
    for word in spec.split():
        label, _, width = word.partition(":")
        day = label.endswith("日期") and not label.endswith("考察日期")
        fmt = MONTH if label == "出生年月" else DAY if day else None
        out.append(Col(label, float(width or 15), fmt))
    return out


# The blank register: a column for every step of the 25 that a branch records with a date or a
# name, in the order of 《中国共产党发展党员工作细则》 (steps 5, 9, 19 a name; 6, 21 several dates;
# 12 the 支委会审查 with the 公示 beside it). Registers without some of these columns still read.
# Printed at 100 %, a group of columns a page (序号 and 姓名 repeated), never shrunk.
FORM_GROUPS = (
    "序号:6 姓名:10",
    "性别:6 出生年月:11 学历:10 所在单位/班级:16 申请入党日期 谈话日期",
    "确定积极分子日期 积极分子备案日期 培养联系人:14 半年考察日期:20",
    "确定发展对象日期 发展对象备案日期 入党介绍人:14 政审日期 集中培训日期 培训学时:8",
    "支委会审查日期 公示开始日期 公示结束日期 上级预审日期 填写志愿书日期",
    "支部大会接收日期 上级谈话日期 上级审批日期 预备党员备案日期",
    "编入党小组:12 入党宣誓日期 预备期考察日期:20 转正申请日期 转正大会日期",
    "转正审批日期 延长预备期:10 材料归档日期 备注:20",
)


def _build_form(wb, form: Form, env) -> None:
    ws = wb.active
    ws.title = NAME
    lay_out(ws, f"{env.branch}{NAME}", form.columns_for(env), 2, form.help)
    title = ws.cell(1, 1).value
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddHeader.center.size = 14
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    # The rows to fill in, without the title (the page header instead) and the help line below
    # (it stands in column A, which every page repeats).
    note = next(c.row for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("注："))
    ws.print_area = f"A2:{get_column_letter(ws.max_column)}{note - 2}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.top, ws.page_margins.bottom = 0.7, 0.5
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.2
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = 100
    ws.page_setup.pageOrder = "overThenDown"
    ws.print_title_cols = "A:B"
    ws.col_breaks = ColBreak()
    col = 0
    for group in FORM_GROUPS[:-1]:
        col += len(group.split())
        if col > 2:
            ws.col_breaks.append(Break(id=col))


FORM = Form(
    "发展党员登记表.xlsx",
    tuple(c for group in FORM_GROUPS for c in _columns(group)),
    "每行一名入党申请人（积极分子、发展对象、预备党员）；日期写 2024年10月8日 或 2024-10-08，没做的步骤空着；"
    "半年考察、预备期考察可写多个日期，用顿号隔开；延长预备期写月数（如 6个月）；不需要填写身份证号、联系电话",
    build=_build_form,
)
