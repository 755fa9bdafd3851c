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


# The widest entries the tables hold: a four-character name, a date of two-digit month and day,
# the stage and step names of the 25 steps (records.development.STEPS). The columns are fitted to
# them, so that a name, a date or a stage never breaks.
LONGEST_DATE = "2024年12月31日"
LONGEST_NAME = "欧阳明月"
PUBLICITY_COLUMNS = ["姓名", "性别", "出生年月", "所在单位", "申请入党日期", "确定积极分子日期"]
PUBLICITY_SAMPLE = [[LONGEST_NAME, "女", "1994-10", "汽车营销教研室", LONGEST_DATE, LONGEST_DATE]]
PROGRESS_COLUMNS = ["序号", "阶段", "步骤", "日期", "经办", "情况"]
PROGRESS_SAMPLE = [[str(n), stage, step, "2025-06-20", actor, "已完成"] for n, stage, step, _, actor in STEPS]


def _loop_table(doc, header: list[str], cells: list[str], loop: str, sample: list[list[str]]):
    """A table: header row, then one row repeated for each item of ``loop`` ("人 in 人员");
    columns fitted to ``sample`` rows of the widest values."""
    blank = [""] * (len(header) - 1)
    rows = [["{%tr for " + loop + " %}", *blank], cells, ["{%tr endfor %}", *blank]]
    return wk.table(doc, header, rows, wk.fit_widths(header, sample, size=wk.SMALL_TABLE_SIZE))


def build_publicity_template(*, title_bold: bool = True) -> bytes:
    doc = wk.new_document(title_bold=title_bold, table_size=wk.SMALL_TABLE_SIZE)
    wk.paragraph(doc, "关于{{ 人员名单 }}同志作为发展对象的公示", wk.TITLE)
    wk.paragraph(doc, "", wk.FIELD)
    wk.paragraph(
        doc,
        "经{{ 支部名称 }}委员会研究，拟接收以下{{ 人数 }}名发展对象为中共预备党员。"
        "根据《中国共产党发展党员工作细则》，现将有关情况公示如下：",
    )
    _loop_table(
        doc,
        PUBLICITY_COLUMNS,
        [
            "{{ 人.姓名 }}",
            "{{ 人.性别 }}",
            "{{ 人.出生年月 }}",
            "{{ 人.所在单位 }}",
            "{{ 人.申请入党日期 }}",
            "{{ 人.确定积极分子日期 }}",
        ],
        "人 in 人员",
        PUBLICITY_SAMPLE,
    )
    wk.paragraph(doc, "", wk.FIELD)
    wk.paragraph(doc, "公示时间：{{ 公示开始 }}至{{ 公示结束 }}（{{ 工作日数 }}个工作日）。")
    wk.paragraph(
        doc,
        "公示期间，党员和群众如对公示对象有意见或反映问题，可通过来信、来电、来访等方式向党支部反映。"
        "反映问题应实事求是，并请提供具体线索。",
    )
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
        ("所在单位", "所在单位"),
        ("培养联系人", "培养联系人"),
        ("入党介绍人", "入党介绍人"),
        ("当前阶段", "当前阶段"),
        ("下 一 步", "下一步"),
    ):
        wk.field_line(doc, label).add_run("{{ " + var + " }}")
    _loop_table(
        doc,
        PROGRESS_COLUMNS,
        ["{{ s.序号 }}", "{{ s.阶段 }}", "{{ s.步骤 }}", "{{ s.日期 }}", "{{ s.经办 }}", "{{ s.情况 }}"],
        "s in 步骤",
        PROGRESS_SAMPLE,
    )
    wk.paragraph(doc, "", wk.FIELD)
    wk.paragraph(doc, "存在的问题", wk.HEADINGS[0])
    wk.paragraph(doc, "{%p for 问 in 问题 %}")
    wk.paragraph(doc, "{{ loop.index }}. {{ 问 }}")
    wk.paragraph(doc, "{%p endfor %}")
    wk.paragraph(doc, "{%p if not 问题 %}")
    wk.paragraph(doc, "未发现不符合发展党员工作细则的日期。")
    wk.paragraph(doc, "{%p endif %}")
    wk.paragraph(doc, "尚未完成或未登记的步骤", wk.HEADINGS[0])
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
