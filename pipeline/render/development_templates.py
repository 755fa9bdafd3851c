"""The default Word templates of the 发展党员 papers: 发展对象公示 and 发展党员进度表.

Made with the GB/T 9704 toolkit (``pipeline.wordkit``) like the minutes templates; the secretary may edit the copies in her
workspace's templates/ in Word or WPS. Table rows repeat with docxtpl's ``{%tr for %}``.
The variables each template may use are listed in ``VARIABLES`` (zhibu templates check).
"""

from __future__ import annotations

from pipeline import wordkit as wk
from pipeline.records.development import STEPS

PUBLICITY_TEMPLATE = "发展对象公示.docx"
PROGRESS_TEMPLATE = "发展党员进度表.docx"

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
        "联系人",
        "联系电话",
    },
    PROGRESS_TEMPLATE: {
        "支部名称",
        "姓名",
        "性别",
        "出生年月",
        "学历",
        "所在单位",
        "当前阶段",
        "下一步",
        "截止日期",
        "培养联系人",
        "入党介绍人",
        "步骤",
        "阶段组",
        "问题",
        "缺少",
        "会议记录",
        "制表日期",
    },
}
ROW_NAMES = {"人", "s", "g", "问", "缺", "记"}  # loop variables the default templates define


# The widest entries of the 进度表's table: the step names of the 25 steps
# (records.development.STEPS), a date of two-digit month and day, a line of a 公示, a four-character
# name (several dates or names are printed one a line), the longest state. The columns are fitted
# to them, so that a date, a name or a state never breaks; the stage heads its steps in a row of
# its own.
LONGEST_DATE = "2024年12月31日"
LONGEST_NAME = "欧阳明月"
PROGRESS_COLUMNS = ["序号", "步骤", "日期", "经办", "情况"]
PROGRESS_SAMPLE = [[str(n), step, LONGEST_DATE, actor, "未登记日期"] for n, _, step, _, actor in STEPS] + [
    ["25", "", "公示2024年12月31日", LONGEST_NAME, "已逾期"]
]


def _blank_or(par, var: str, chars: int = 8) -> None:
    """``{{ var }}``, or a rule to write on by hand when the value is empty."""
    par.add_run("{% if " + var + " %}{{ " + var + " }}{% else %}")
    wk.blank_rule(par, chars)
    par.add_run("{% endif %}")


def _steps_table(doc):
    """The 25 steps grouped by stage: a row naming the stage (across the table, kept with its
    first step), then its steps; the header row repeats on every page."""
    n = len(PROGRESS_COLUMNS)
    blank = [""] * (n - 1)
    rows = [
        ["{%tr for g in 阶段组 %}", *blank],
        ["{{ g.阶段 }}", *blank],
        ["{%tr for s in g.步骤 %}", *blank],
        ["{{ s.序号 }}", "{{ s.步骤 }}", "{{ s.日期 }}", "{{ s.经办 }}", "{{ s.情况 }}"],
        ["{%tr endfor %}", *blank],
        ["{%tr endfor %}", *blank],
    ]
    widths = wk.fit_widths(PROGRESS_COLUMNS, PROGRESS_SAMPLE, size=wk.SMALL_TABLE_SIZE, nowrap=(0, 2, 3, 4))
    t = wk.table(doc, PROGRESS_COLUMNS, rows, widths)
    stage = t.rows[2].cells[0].merge(t.rows[2].cells[n - 1])
    for extra in stage.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    stage.paragraphs[0].runs[0].bold = True
    stage.paragraphs[0].paragraph_format.keep_with_next = True
    wk.center_cells(t, [0])
    return t


def build_publicity_template(*, title_bold: bool = True) -> bytes:
    doc = wk.new_document(title_bold=title_bold, table_size=wk.SMALL_TABLE_SIZE)
    wk.paragraph(doc, "关于{{ 人员名单 }}同志作为发展对象的公示", wk.TITLE)
    wk.paragraph(doc, "", wk.FIELD)
    wk.paragraph(
        doc,
        "经{{ 支部名称 }}委员会研究，拟接收以下{{ 人数 }}名发展对象为中共预备党员。"
        "根据《中国共产党发展党员工作细则》，现将有关情况公示如下：",
    )
    wk.paragraph(doc, "{%p for 人 in 人员 %}")
    wk.paragraph(doc, "{{ 人.简况 }}")
    wk.paragraph(doc, "{%p endfor %}")
    wk.paragraph(doc, "公示时间：{{ 公示开始 }}至{{ 公示结束 }}（{{ 工作日数 }}个工作日）。")
    wk.paragraph(
        doc,
        "公示期间，党员和群众如对公示对象有意见或反映问题，可通过来信、来电、来访等方式向党支部反映。"
        "反映问题应实事求是，并请提供具体线索。",
    )
    _blank_or(wk.paragraph(doc, "联系人："), "联系人")
    _blank_or(wk.paragraph(doc, "联系电话："), "联系电话", 10)
    wk.paragraph(doc, "", wk.SIGNATURE)
    wk.paragraph(doc, "{{ 支部名称 }}", wk.SIGNATURE)
    wk.paragraph(doc, "{{ 发布日期 }}", wk.SIGNATURE)
    return wk.save(doc)


def build_progress_template(*, title_bold: bool = True) -> bytes:
    doc = wk.new_document(title_bold=title_bold, table_size=wk.SMALL_TABLE_SIZE)
    wk.paragraph(doc, "{{ 支部名称 }}", wk.TITLE)
    wk.paragraph(doc, "发展党员进度表", wk.TITLE)
    wk.paragraph(doc, "", wk.FIELD)
    for label, var in (
        ("姓　　名", "姓名"),
        ("性　　别", "性别"),
        ("出生年月", "出生年月"),
        ("学　　历", "学历"),
        ("所在单位", "所在单位"),
        ("培养联系人", "培养联系人"),
        ("入党介绍人", "入党介绍人"),
        ("当前阶段", "当前阶段"),
        ("下 一 步", "下一步"),
    ):
        wk.field_line(doc, label).add_run("{{ " + var + " }}")
    _steps_table(doc)
    wk.paragraph(doc, "", wk.FIELD)
    wk.paragraph(doc, "存在的问题", wk.HEADINGS[0])
    wk.paragraph(doc, "{%p for 问 in 问题 %}")
    wk.paragraph(doc, "{{ loop.index }}. {{ 问 }}")
    wk.paragraph(doc, "{%p endfor %}")
    wk.paragraph(doc, "{%p if not 问题 %}")
    wk.paragraph(doc, "未发现逾期的步骤或不符合发展党员工作细则的日期。")
    wk.paragraph(doc, "{%p endif %}")
    wk.paragraph(doc, "未登记的步骤", wk.HEADINGS[0])
    wk.paragraph(doc, "{{ 缺少 }}")
    wk.paragraph(doc, "会议记录核对", wk.HEADINGS[0])
    wk.paragraph(doc, "{%p for 记 in 会议记录 %}")
    wk.paragraph(doc, "{{ 记 }}")
    wk.paragraph(doc, "{%p endfor %}")
    wk.paragraph(doc, "", wk.SIGNATURE)
    wk.paragraph(doc, "制表日期：{{ 制表日期 }}", wk.SIGNATURE)
    return wk.save(doc)


DEVELOPMENT_TEMPLATES = {
    PUBLICITY_TEMPLATE: build_publicity_template,
    PROGRESS_TEMPLATE: build_progress_template,
}
