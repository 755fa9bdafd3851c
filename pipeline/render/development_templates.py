"""The default Word templates of the 发展党员 papers: 发展对象公示 and 发展党员进度表.

Same GB/T 9704 base as the minutes templates; the secretary may edit the copies in her
workspace's templates/ in Word or WPS. Table rows repeat with docxtpl's ``{%tr for %}``.
The variables each template may use are listed in ``VARIABLES`` (zhibu templates check).
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt


def _base():
    """default_templates' building blocks (imported here: it imports this module's builders)."""
    from pipeline.render import default_templates

    return default_templates


PUBLICITY_TEMPLATE = "发展对象公示.docx"
PROGRESS_TEMPLATE = "发展党员进度表.docx"
TABLE_STYLE = "发展表格"
TABLE_HEAD_STYLE = "发展表头"

VARIABLES = {
    PUBLICITY_TEMPLATE: {
        "支部名称",
        "人数",
        "人员",
        "公示开始",
        "公示结束",
        "工作日数",
        "发布日期",
        "人员名单",
    },
    PROGRESS_TEMPLATE: {
        "支部名称",
        "姓名",
        "性别",
        "出生年月",
        "所在单位",
        "当前阶段",
        "下一步",
        "截止日期",
        "培养联系人",
        "入党介绍人",
        "步骤",
        "问题",
        "缺少",
        "会议记录",
        "制表日期",
    },
}
ROW_NAMES = {"人", "s", "问", "缺", "记"}  # loop variables the default templates define


def _table_styles(doc) -> None:
    base = _base()
    for name, font, align in (
        (TABLE_STYLE, base.BODY_FONT, WD_ALIGN_PARAGRAPH.LEFT),
        (TABLE_HEAD_STYLE, base.HEADING_FONT, WD_ALIGN_PARAGRAPH.CENTER),
    ):
        style = base._paragraph_style(
            doc, name, font=font, size=Pt(10.5), first_line_chars=0, exact_line=False, align=align
        )
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        # Table rows do not snap to the 22-lines-a-page grid of the body text.
        no_snap = OxmlElement("w:snapToGrid")
        no_snap.set(qn("w:val"), "0")
        style.element.get_or_add_pPr().insert(0, no_snap)


def _loop_table(doc, header: list[str], cells: list[str], loop: str, widths: list[float]):
    """A table: header row, then one row repeated for each item of ``loop`` ("人 in 人员")."""
    t = doc.add_table(rows=4, cols=len(header))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    rows = t.rows
    for cell, text in zip(rows[0].cells, header, strict=True):
        cell.paragraphs[0].style = doc.styles[TABLE_HEAD_STYLE]
        cell.paragraphs[0].add_run(text)
    rows[1].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
    for cell, text in zip(rows[2].cells, cells, strict=True):
        cell.paragraphs[0].style = doc.styles[TABLE_STYLE]
        cell.paragraphs[0].add_run(text)
    rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for column, width in zip(t.columns, widths, strict=True):
        column.width = Mm(width)
    for row in rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    return t


def _para(doc, text: str = "", style: str = "Normal"):
    return doc.add_paragraph(text, style=style)


def build_publicity_template() -> bytes:
    doc = _base()._base_document()
    _table_styles(doc)
    _para(doc, "关于{{ 人员名单 }}同志作为发展对象的公示", "公文标题")
    _para(doc, "", "公文字段")
    _para(
        doc,
        "经{{ 支部名称 }}委员会研究，拟接收以下{{ 人数 }}名发展对象为中共预备党员。"
        "根据《中国共产党发展党员工作细则》，现将有关情况公示如下：",
    )
    _loop_table(
        doc,
        ["姓名", "性别", "出生年月", "所在单位", "申请入党日期", "确定积极分子日期"],
        [
            "{{ 人.姓名 }}",
            "{{ 人.性别 }}",
            "{{ 人.出生年月 }}",
            "{{ 人.所在单位 }}",
            "{{ 人.申请入党日期 }}",
            "{{ 人.确定积极分子日期 }}",
        ],
        "人 in 人员",
        [17, 13, 20, 34, 36, 36],
    )
    _para(doc, "", "公文字段")
    _para(doc, "公示时间：{{ 公示开始 }}至{{ 公示结束 }}（{{ 工作日数 }}个工作日）。")
    _para(
        doc,
        "公示期间，党员和群众如对公示对象有意见或反映问题，可通过来信、来电、来访等方式向党支部反映。"
        "反映问题应实事求是，并请提供具体线索。",
    )
    _para(doc, "", "公文签名")
    _para(doc, "{{ 支部名称 }}", "公文签名")
    _para(doc, "{{ 发布日期 }}", "公文签名")
    return _base()._save(doc)


def build_progress_template() -> bytes:
    doc = _base()._base_document()
    _table_styles(doc)
    _para(doc, "{{ 支部名称 }}", "公文标题")
    _para(doc, "发展党员进度表", "公文标题")
    _para(doc, "", "公文字段")
    for label, var in (
        ("姓　　名", "姓名"),
        ("性　　别", "性别"),
        ("出生年月", "出生年月"),
        ("所在单位", "所在单位"),
        ("培养联系人", "培养联系人"),
        ("入党介绍人", "入党介绍人"),
        ("当前阶段", "当前阶段"),
        ("下 一 步", "下一步"),
    ):
        p = doc.add_paragraph(style="公文字段")
        p.add_run(f"{label}：", style="公文标签")
        p.add_run("{{ " + var + " }}")
    _loop_table(
        doc,
        ["序号", "阶段", "步骤", "日期", "经办", "情况"],
        ["{{ s.序号 }}", "{{ s.阶段 }}", "{{ s.步骤 }}", "{{ s.日期 }}", "{{ s.经办 }}", "{{ s.情况 }}"],
        "s in 步骤",
        [12, 30, 50, 26, 22, 16],
    )
    _para(doc, "", "公文字段")
    _para(doc, "存在的问题", "公文一级标题")
    _para(doc, "{%p for 问 in 问题 %}")
    _para(doc, "{{ loop.index }}. {{ 问 }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p if not 问题 %}")
    _para(doc, "未发现不符合发展党员工作细则的日期。")
    _para(doc, "{%p endif %}")
    _para(doc, "尚未完成或未登记的步骤", "公文一级标题")
    _para(doc, "{{ 缺少 }}")
    _para(doc, "会议记录核对", "公文一级标题")
    _para(doc, "{%p for 记 in 会议记录 %}")
    _para(doc, "{{ 记 }}")
    _para(doc, "{%p endfor %}")
    _para(doc, "", "公文签名")
    _para(doc, "制表日期：{{ 制表日期 }}", "公文签名")
    return _base()._save(doc)


DEVELOPMENT_TEMPLATES = {
    PUBLICITY_TEMPLATE: build_publicity_template,
    PROGRESS_TEMPLATE: build_progress_template,
}
