"""Layout and register rules that need no LibreOffice: templates with unknown facts, column
widths, TOC page lookup, award categories, 党员类别 columns, duplicate achievements, a clean
``zhibu init`` workspace, the plan's date and the 台账's print setup."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from pipeline.config import DEFAULT_CONFIG_TEXT, parse_config
from pipeline.config.schema import BranchSettings
from pipeline.ingest.sheets.header import lookup, match_label, normalize_label
from pipeline.kinds.achievements import Achievement
from pipeline.kinds.roster import COLUMNS as ROSTER_COLUMNS
from pipeline.records.register_rows import normalize_category
from pipeline.render.default_templates import build_minutes_template, build_talk_template
from pipeline.render.minutes import build_context, render_docx, sample_meeting
from pipeline.term.compilation import dedupe_achievements
from pipeline.wordkit import fit_widths, heading_pages
from tests.support.docs import field

BRANCH = BranchSettings("测试学院教工第一党支部", "测试大学", "测试学院")


def _render(tmp_path, context: dict, build=build_minutes_template):
    template = tmp_path / "t.docx"
    template.write_bytes(build())
    out = tmp_path / "out.docx"
    out.write_bytes(render_docx(template, context))
    return out


def _texts(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_unknown_counts_print_a_rule_never_zero(tmp_path):
    context = build_context(sample_meeting(0, "支委会"), BRANCH, "2024—2025学年第一学期")
    context.update({"应到": "", "实到": "", "缺席人数": "", "出席人员": "", "到会情况": ""})
    out = _render(tmp_path, context)
    texts = _texts(out)
    counts = next(t for t in texts if t.startswith("应到人数"))
    assert "0人" not in counts and counts == "应到人数：\u3000\u3000人\u3000实到人数：\u3000\u3000人"
    para = next(p for p in Document(str(out)).paragraphs if p.text.startswith("应到人数"))
    assert [r.text for r in para.runs if r.font.underline] == ["\u3000\u3000", "\u3000\u3000"]
    # 出席人员 unknown: the label and a tab to the underscore-leader tab stop (a rule to write on)
    assert "出席人员：\t" in texts
    assert not any("宣布" in t for t in texts)
    # "0" (a register row without counts, before the fix of the facts) is never printed either
    context.update({"应到": "0", "实到": "0", "到会情况": "主持人宣布：本次会议应到0人，实到0人。"})
    texts = _texts(_render(tmp_path, context))
    assert not any("0人" in t for t in texts)


def test_known_facts_fill_the_fields_and_new_keys_are_optional(tmp_path):
    context = build_context(sample_meeting(0, "党课"), BRANCH, "2024—2025学年第一学期")
    out = _render(tmp_path, context)  # a context without 主讲人/听课人员/其他 renders
    texts = _texts(out)
    assert texts[0] == "测试学院教工第一党支部党课记录"
    assert field(out, "主持人") == "沈轶娜" and field(out, "记录人") == "缪巧军"
    assert field(out, "应到人数").startswith("10人") and not any(t.startswith("主 讲 人") for t in texts)
    context.update(
        {"主讲人": "沈轶娜", "听课人员": "全体党员", "其他": [{"标签": "活动形式", "内容": "线上"}]}
    )
    out = _render(tmp_path, context)
    assert field(out, "主讲人") == "沈轶娜" and field(out, "听课人员") == "全体党员"
    assert field(out, "活动形式") == "线上"
    context.update({"主讲人": "", "其他": []})
    texts = _texts(_render(tmp_path, context))
    assert not any(t.startswith(("主 讲 人", "活动形式")) for t in texts)


def test_template_paragraph_rules(tmp_path):
    context = build_context(sample_meeting(0, "支委会"), BRANCH, "2024—2025学年第一学期")
    doc = Document(str(_render(tmp_path, context)))
    styles = doc.styles
    assert styles["公文标题"].font.bold and styles["公文标题"].font.size.pt == 22
    assert styles["公文一级标题"].paragraph_format.keep_with_next
    ind = styles["公文字段"].element.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ind"
    )
    assert ind.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hanging") == "1600"
    pars = doc.paragraphs
    last_body, signature = pars[-2], pars[-1]
    assert last_body.style.name == "公文末段" and last_body.style.paragraph_format.keep_with_next
    assert signature.text == "主持人（签字）：\t\t记录人（签字）：\t"
    leaders = signature._p.xpath("./w:pPr/w:tabs/w:tab/@w:leader")
    assert leaders == ["underscore", "underscore"]
    # only the very last paragraph is kept with the signatures
    assert sum(p.style.name == "公文末段" for p in pars) == 1


def test_talk_template_has_the_same_rules(tmp_path):
    m = sample_meeting(0, "谈心谈话")
    out = _render(tmp_path, build_context(m, BRANCH, "x"), build_talk_template)
    pars = Document(str(out)).paragraphs
    assert pars[-1].text == "谈话人（签字）：\t\t谈话对象（签字）：\t"
    assert pars[-2].style.name == "公文末段"
    assert field(out, "谈话对象") == "张伟"


def test_fit_widths_keep_short_columns_whole():
    header = ["序号", "成果名称", "完成人", "级别", "时间", "刊物或颁发单位"]
    rows = [
        [
            "1",
            "新能源汽车动力电池检测课程思政案例研究",
            "沈轶娜（1）、夏渊（2）",
            "省部级",
            "2024年9月15日",
            "某某出版社",
        ]
    ]
    widths = fit_widths(header, rows, nowrap=(0, 3, 4))
    assert abs(sum(widths) - 156) < 0.01
    assert widths[4] > 30 and widths[3] > 15  # a full date and a level on one line
    assert widths[1] == max(widths[1], widths[2], widths[5])  # the long title gets the most room
    short = fit_widths(["时间", "工作内容", "责任人"], [["9月", "开会", "沈轶娜"]])
    assert abs(sum(short) - 156) < 0.01 and min(short) > 20
    # Wide unbroken columns leave less than five characters to each of the others: those give way,
    # the table never grows wider than the text block (the 支撑材料目录 did, by 12 mm).
    crowded = fit_widths(
        ["编号", "材料名称", "日期", "存放位置", "卷内页码", "对应指标"],
        [
            [
                "15",
                "支部党员大会签到表（2024年12月10日）",
                "2024年12月10日",
                "2024-2025学年/第一学期/",
                "第12—13页",
                "党课、书记讲党课、主题党日",
            ]
        ],
        nowrap=(0, 2, 3, 4),
    )
    assert sum(crowded) <= 156.01 and min(crowded[1], crowded[5]) > 5


def test_heading_pages_read_from_footers():
    pages = ["封面", "目录\n一、甲 ....\n二、乙", "一、甲\n正文\n— 1 —", "正文\n— 2 —", "二、乙\n— 3 —"]
    assert heading_pages(pages, ["一、甲", "二、乙"], after=1) == {"一、甲": 1, "二、乙": 3}


def test_award_categories():
    for text in (
        "科技进步奖",
        "教学成果奖",
        "优秀论文奖",
        "先进个人",
        "优秀共产党员",
        "上海市科技进步二等奖",
    ):
        assert normalize_category(text) == ("获奖/荣誉", True), text
    assert normalize_category("核心期刊论文") == ("论文", True)
    assert normalize_category("指导学生技能大赛") == ("竞赛指导", True)
    assert normalize_category("", name="2024年度优秀共产党员") == ("获奖/荣誉", True)
    assert normalize_category("科研奖励", {"科研奖励": "课题/项目"}) == ("课题/项目", True)
    assert normalize_category("杂项") == ("其他", False)


def test_education_category_is_not_member_type():
    table = lookup(ROSTER_COLUMNS)
    for label in ("教育类别", "学历类别", "学位类别", "职称类别"):
        assert match_label(table, normalize_label(label))[0] != "member_type", label
    for label in ("党员类别", "类别", "党员类别（正式/预备）", "党员身份类别"):
        assert match_label(table, normalize_label(label))[0] == "member_type", label


def test_roster_like_the_official_form_is_read(ws):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["党员基本信息采集表"])
    sheet.append(["序号", "姓名", "性别", "出生年月", "教育类别", "学历", "学历类别", "党员类别", "入党时间"])
    people = [("陈一鸣", "正式"), ("王晓燕", "预备"), ("刘建国", "正式")]
    for i, (name, kind) in enumerate(people, 1):
        sheet.append([i, name, "男", "1980-01", "全日制教育", "研究生", "普通高等教育", kind, "2005-06-01"])
    buf = io.BytesIO()
    wb.save(buf)
    ws.drop("党员名册.xlsx", buf.getvalue())
    result = ws.run()
    assert "[已处理] 党员名册.xlsx" in result.output, result.output
    con = sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3")
    types = dict(con.execute("SELECT name, member_type FROM members"))
    assert types == {"陈一鸣": "正式", "王晓燕": "预备", "刘建国": "正式"}


def _item(name, authors="", day=dt.date(2024, 10, 1), issuer=""):
    return Achievement(name, "教材/著作", "国家级", authors, day, issuer)


def test_the_same_achievement_counts_once():
    table_row = _item("《汽车电气设备检修》", "张伟（主编）", issuer="机械工业出版社")
    form_copy = _item("汽车电气设备检修", "", day=dt.date(2024, 10, 20))  # a form that lost 完成人
    other_year = _item("汽车电气设备检修", "张伟", day=dt.date(2023, 10, 1))
    different = _item("汽车电气设备维修")
    kept = dedupe_achievements([form_copy, table_row, other_year, different])
    assert kept == [table_row, other_year, different]


def test_new_workspace_has_no_sample_branch(tmp_path):
    from tests.conftest import Zhibu

    root = tmp_path / "new"
    z = Zhibu(root)
    z("init", root, ok=True)
    text = (root / "zhibu.toml").read_text(encoding="utf-8")
    assert text == DEFAULT_CONFIG_TEXT
    assert "汽车运用工程系" not in text and "沈轶娜" not in text
    cfg = parse_config(text)
    assert cfg.branch_name == "" and cfg.committee == ()
    note = "会议类型：支委会\n时间：2024年10月8日 14:00\n地点：行政楼302\n主持人：张三\n记录人：李四\n"
    note += "参会人员：张三、李四、王五\n会议内容：讨论发展对象。\n"
    z.drop("支委会.txt", note)
    result = z.run(ok=True)
    assert result.output.count("还没有填写[branch] name（支部名称）和[[committee]]（支委名单）") == 1
    (doc,) = z.outputs()
    title = Document(str(doc)).paragraphs[0]
    assert title.text == "\u3000" * 6 + "支委会会议记录"
    (blank,) = [r for r in title.runs if r.text == "\u3000" * 6]
    assert blank.font.underline  # a rule to write the branch's name on


def test_demo_brings_its_own_branch_only_to_an_untouched_workspace(tmp_path):
    from tests.conftest import Zhibu

    root = tmp_path / "demo"
    z = Zhibu(root)
    z("init", root, ok=True)
    out = z("demo", "-w", root).output
    assert "已在 zhibu.toml 中填入示例支部" in out
    assert (
        parse_config((root / "zhibu.toml").read_text(encoding="utf-8")).branch_name == "汽车运用工程系党支部"
    )
    own = tmp_path / "own"
    z2 = Zhibu(own)
    z2("init", own, ok=True)
    text = DEFAULT_CONFIG_TEXT.replace('name = ""', 'name = "测试学院教工第一党支部"', 1)
    (own / "zhibu.toml").write_text(text, encoding="utf-8")
    assert "填入示例支部" not in z2("demo", "-w", own).output
    assert (own / "zhibu.toml").read_text(encoding="utf-8") == text


@pytest.mark.slow
def test_plan_date_and_ledger_print_setup(ws):
    config = ws.root / "zhibu.toml"
    term = '\n[[calendar.terms]]\nid = "2024-2025-1"\nstart = 2024-09-02\nend = 2025-01-19\n'
    config.write_text(config.read_text(encoding="utf-8") + term, encoding="utf-8")
    ws("batch", "-w", ws.root, "--term", "2024-2025-1", "--date", "2026-11-30", ok=True)
    term_dir = ws.root / "outbox" / "2024-2025学年" / "第一学期"
    plan = term_dir / "2024-2025学年第一学期工作计划.docx"
    assert _texts(plan)[-1] == "2024年9月2日"  # the term's start, not the day of the run
    ledger = term_dir / "2024-2025学年第一学期三会一课台账.xlsx"
    wb = load_workbook(ledger)
    assert "统计截至2025年1月19日" in wb["合规检查"]["A1"].value
    for sheet in wb.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$2"
    with zipfile.ZipFile(ledger) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert '<a:ea typeface="宋体"' in chart and "次数" in chart
    config.write_text(config.read_text(encoding="utf-8") + "plan_date = 2024-08-30\n", encoding="utf-8")
    ws("batch", "-w", ws.root, "--term", "2024-2025-1", "--date", "2026-11-30", ok=True)
    assert _texts(plan)[-1] == "2024年8月30日"
