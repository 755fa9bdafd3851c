"""Spreadsheet registers (issue 3) through the CLI: documents, index rows and exact error places.

Every workbook here is built with openpyxl the way secretaries' sheets look (tests/
test_registers_helpers.py): title rows, merged two-row headers, text dates, full-width digits,
blank rows, hidden sheets, formulas without a saved value, a bad row among good ones.
"""

from __future__ import annotations

import datetime as dt
import zipfile

from openpyxl import Workbook, load_workbook

from tests.helpers import docx_text, field
from tests.test_registers_helpers import (
    BRANCH,
    achievements_workbook,
    db,
    meeting_register,
    plan_workbook,
    sheet_rows,
    signin_workbook,
)

TERM1 = "2024-2025学年/第一学期"


def minutes(ws, pattern: str):
    found = ws.outputs(f"{TERM1}/会议记录/**/{pattern}")
    assert len(found) == 1, (pattern, [p.name for p in ws.outputs()])
    return found[0]


# --- 会议登记表 -----------------------------------------------------------------------------------


def test_meeting_register_files_good_rows_and_reports_each_bad_row(ws):
    ws.drop("会议登记表.xlsx", meeting_register())
    result = ws.run()
    out = result.output
    assert result.exit_code == 1, out  # partly failed
    assert "[部分失败] 会议登记表.xlsx" in out

    # one document per good row, exactly as if each row had been a note
    committee = minutes(ws, "2024-09-03 支委会 研究本学期支部工作计划.docx")
    assert field(committee, "会议名称") == "研究本学期支部工作计划"
    assert field(committee, "时间") == "2024年9月3日"
    assert field(committee, "地点") == "行政楼302"
    assert field(committee, "应到人数").startswith("3人")
    text = docx_text(committee)
    assert "1. 讨论学期工作计划" in text and "2. 研究发展对象培养" in text
    assert "书记通报学院党委工作要点。" in text and "委员逐项讨论。" in text
    assert "通过工作计划（赞成3票）" in text

    congress = minutes(
        ws, "2024-10-22 支部党员大会 学习《中国共产党纪律处分条例》.docx"
    )  # 党员大会 → canonical
    assert field(congress, "时间") == "2024年10月22日 14:30"  # full-width digits
    assert field(congress, "主持人") == "沈轶娜"  # "沈 轶娜"
    assert field(congress, "会议名称") == "学习《中国共产党纪律处分条例》"  # stray spaces
    assert field(congress, "缺席人员") == "周强（出差）、赵磊（病假）"
    lecture = minutes(ws, "2024-11-20 党课 新时代教师的使命担当.docx")  # 2024.11.20, 讲党课
    assert field(lecture, "记录人") == "夏渊"

    # each bad row: sheet, the row number Excel shows, the column, what is wrong
    assert "文件「会议登记表.xlsx」工作表「2024秋」第8行「日期」列：日期「2024年2月30日」不存在" in out
    assert "文件「会议登记表.xlsx」工作表「2024秋」第9行「会议类型」列：会议类型「座谈会」无法识别" in out
    assert (
        "文件「会议登记表.xlsx」工作表「2024秋」第10行「人数/应到」列：单元格是公式，但文件里没有保存公式的计算结果"
        in out
    )
    # the hidden sheet is skipped, and said so
    assert "工作表「草稿」是隐藏的，已跳过" in out
    assert not ws.outputs("**/*草稿里的会议*")
    assert len(ws.outputs()) == 3

    con = db(ws.root)
    assert con.execute("SELECT kind FROM sources").fetchone()["kind"] == "会议登记表"
    rows = con.execute("SELECT meeting_type, date, expected, present FROM outputs ORDER BY date").fetchall()
    assert [tuple(r) for r in rows] == [
        ("支委会", "2024-09-03", 3, 3),
        ("支部党员大会", "2024-10-22", 2, 0),
        ("党课", "2024-11-20", None, None),  # a row without counts: unknown, never 0
    ]
    assert (ws.root / "outbox" / TERM1 / "原始材料" / "会议登记表.xlsx").is_file()

    # the bad rows, to fix and drop back: original header in one row, plus 错误原因
    fix = ws.root / "inbox" / "失败" / "会议登记表.待修正.xlsx"
    rows = sheet_rows(fix, "2024秋")
    assert "待修正" in rows[0][0] and "2024年秋季学期会议登记表" in rows[0][0]
    assert rows[1] == (
        "序号",
        "日期",
        "会议类型",
        "主题",
        "地点",
        "主持人",
        "记录人",
        "应到",
        "实到",
        "缺席人员及原因",
        "议题",
        "内容摘要",
        "决议",
        "错误原因",
    )
    assert rows[2][:4] == (4, "2024年2月30日", "支委会", "日期不存在的一行")
    assert rows[2][-1].startswith("原第8行：日期「2024年2月30日」不存在")
    assert rows[3][2] == "座谈会" and rows[3][-1].startswith("原第9行：会议类型「座谈会」无法识别")
    assert rows[4][7] is None and rows[4][8] == 26 and "公式" in rows[4][-1]
    assert len(rows) == 5
    wb = load_workbook(fix)
    assert wb["2024秋"].freeze_panes == "A3"

    # the secretary fixes the three rows and drops only that file back
    sheet = wb["2024秋"]
    sheet["B3"] = "2024年2月28日"
    sheet["C4"] = "支委会"
    sheet["H5"] = 26
    wb.save(ws.root / "inbox" / "会议登记表.待修正.xlsx")
    fix.unlink()
    again = ws.run(ok=True)
    assert "[已处理] 会议登记表.待修正.xlsx" in again.output
    assert len(ws.outputs()) == 6
    assert field(minutes(ws, "2024-12-17 主题党日 公式没有计算结果的一行.docx"), "应到人数").startswith(
        "26人"
    )
    assert ws.outputs("2023-2024学年/第二学期/会议记录/支委会/2024-02-28 支委会 日期不存在的一行.docx")
    assert not list((ws.root / "inbox" / "失败").glob("*.待修正.xlsx"))


def test_cells_written_into_the_correction_file_are_never_formulas(ws):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["日期", "会议类型", "主题", "地点", "主持人"])
    sheet.append(["2024-10-08", "支委会", "正常的一行", "302", "沈轶娜"])
    sheet.append(["2024-13-01", "支委会", '=HYPERLINK("http://x","点我")', "+302", "@沈轶娜"])
    sheet["C3"].data_type = "s"  # typed as text in the original
    wb.save(ws.root / "inbox" / "公式.xlsx")
    out = ws.run().output
    assert "第3行「日期」列" in out
    fix = ws.root / "inbox" / "失败" / "公式.待修正.xlsx"
    cells = load_workbook(fix).active[3]
    assert cells[2].value == '=HYPERLINK("http://x","点我")' and cells[2].data_type == "s"
    assert cells[3].value == "+302" and cells[4].value == "@沈轶娜"
    with zipfile.ZipFile(fix) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()


# --- 签到表 ------------------------------------------------------------------------------------


NOTE_1008 = """会议类型：支委会
会议主题：讨论确定发展对象
时间：2024年10月8日 14:00
地点：行政楼302
主持人：沈轶娜
记录人：缪巧军
参会人员：沈轶娜、夏渊
实到人数：2
会议内容：
讨论发展对象。
"""


def test_signin_after_the_note_files_a_corrected_version(ws):
    ws.drop("支委会-2024年10月8日.txt", NOTE_1008)
    ws.run(ok=True)
    doc = minutes(ws, "2024-10-08 支委会 讨论确定发展对象.docx")
    assert field(doc, "出席人员") == "沈轶娜、夏渊"

    ws.drop("签到/2024-10-08 支委会签到表.xlsx", signin_workbook(present=["沈轶娜", "夏渊", "缪巧军"]))
    out = ws.run(ok=True).output
    assert "已按签到表重新生成 2024-10-08 支委会 的会议记录（更正稿）" in out
    assert "签到表（2024-10-08 支委会）：新增 3 条" in out
    doc = minutes(ws, "2024-10-08 支委会 讨论确定发展对象.docx")
    assert field(doc, "出席人员") == "沈轶娜、夏渊、缪巧军"
    assert field(doc, "应到人数") == "3人　实到人数：3人"
    assert "笔记中写的实到人数是2人，签到表上签到3人，已按签到表" in out
    history = list((ws.root / "outbox" / TERM1 / "历史版本").glob("*.docx"))
    assert len(history) == 1 and field(history[0], "出席人员") == "沈轶娜、夏渊"
    con = db(ws.root)
    rows = con.execute("SELECT id, active, replaced_by, present FROM outputs ORDER BY id").fetchall()
    assert [(r["active"], r["present"]) for r in rows] == [(0, 2), (1, 3)]
    assert rows[0]["replaced_by"] == rows[1]["id"]
    assert con.execute("SELECT count(*) FROM signins WHERE present = 1").fetchone()[0] == 3

    # a corrected sign-in sheet: the meeting is rebuilt from the note again (through the
    # version the first sheet made), and the sign-ins of the first sheet are replaced
    ws.drop(
        "签到/2024-10-08 支委会签到表（更正）.xlsx",
        signin_workbook(present=["沈轶娜", "夏渊"], absent=[("缪巧军", "病假")]),
    )
    ws.run(ok=True)
    doc = minutes(ws, "2024-10-08 支委会 讨论确定发展对象.docx")
    assert field(doc, "出席人员") == "沈轶娜、夏渊"
    assert field(doc, "缺席人员") == "缪巧军（病假）"
    assert "会议内容" in docx_text(doc) and "讨论发展对象。" in docx_text(doc)
    assert con.execute("SELECT count(*) FROM signins").fetchone()[0] == 3
    assert len(list((ws.root / "outbox" / TERM1 / "历史版本").glob("*.docx"))) == 2


def test_signin_before_the_note_is_applied_when_the_note_comes(ws):
    title = f"{BRANCH}支部党员大会签到表　２０２４年１０月２２日"
    present = ["沈轶娜", "夏渊", "缪巧军", "张伟", "李娜"]
    ws.drop(
        "大会签到.xlsx",
        signin_workbook(
            title=title, present=present, absent=[("周强", "出差"), ("赵磊", "")], side_by_side=True
        ),
    )
    out = ws.run(ok=True).output
    assert "签到表（2024-10-22 支部党员大会）已保存；还没有这次会议的记录" in out
    assert not ws.outputs()
    con = db(ws.root)
    rows = con.execute("SELECT name, present, note FROM signins ORDER BY id").fetchall()
    assert sorted((r["name"], r["present"], r["note"]) for r in rows) == sorted(
        [(n, 1, "") for n in present] + [("周强", 0, "出差"), ("赵磊", 0, "")]
    )

    ws.drop(
        "2024-10-22 党员大会.txt",
        "会议类型：支部党员大会\n时间：2024年10月22日\n主题：学习条例\n"
        "参会人员：沈轶娜、夏渊\n会议内容：\n学习。\n",
    )
    out = ws.run(ok=True).output
    doc = minutes(ws, "2024-10-22 支部党员大会 学习条例.docx")
    assert field(doc, "出席人员") == "、".join(present)
    assert field(doc, "缺席人员") == "周强（出差）、赵磊"
    assert field(doc, "应到人数") == "7人　实到人数：5人"
    assert "本次会议应到7人，实到5人，缺席2人" in docx_text(doc)


def test_signin_sheet_without_its_meeting_is_a_sheet_error(ws):
    ws.drop("签到/签到.xlsx", signin_workbook(present=["沈轶娜"]))
    out = ws.run().output
    assert "工作表「签到」：签到表没有写明会议类型和日期，无法对应到会议" in out
    assert (ws.root / "inbox" / "失败" / "签到.xlsx").is_file()


def test_folder_names_the_kind(ws):
    """A list of names with only 备注 is a sign-in sheet in inbox/签到/; an unrelated sheet dropped
    into inbox/成果/ is refused as an achievements register."""
    wb = Workbook()
    sheet = wb.active
    sheet.append(["序号", "姓名", "备注"])
    sheet.append([1, "沈轶娜", None])
    sheet.append([2, "夏渊", "请假"])
    sheet.append([3, "缪巧军", None])
    (ws.root / "inbox" / "签到").mkdir()
    wb.save(ws.root / "inbox" / "签到" / "2024-10-08 支委会.xlsx")
    roster = Workbook()
    roster.active.append(["姓名", "性别", "党员类别"])
    roster.active.append(["沈轶娜", "女", "正式"])
    (ws.root / "inbox" / "成果").mkdir()
    roster.save(ws.root / "inbox" / "成果" / "名单.xlsx")
    out = ws.run().output
    con = db(ws.root)
    assert sorted(tuple(r) for r in con.execute("SELECT name, present, note FROM signins")) == [
        ("夏渊", 0, "请假"),
        ("沈轶娜", 1, ""),
        ("缪巧军", 1, ""),
    ]
    assert "按「成果登记表」读取（文件放在 inbox/成果/ 文件夹里），但没有找到它的表头" in out


# --- 成果登记表 ----------------------------------------------------------------------------------


def test_achievements_are_normalized_counted_and_not_duplicated(ws):
    config = ws.root / "zhibu.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        'category_order = ["论文",',
        'category_aliases = { "发明专利" = "专利" }\ncategory_order = ["专利", "论文",',
    )
    config.write_text(text, encoding="utf-8")
    ws.drop("成果/成果登记表.xlsx", achievements_workbook(extra_category="发明专利"))
    out = ws.run().output
    for line in (
        "成果（专利）：新增 1 条",
        "成果（论文）：新增 1 条",
        "成果（课题/项目）：新增 1 条",
        "成果（教材/著作）：新增 1 条",
        "成果（获奖/荣誉）：新增 1 条",
        "成果（竞赛指导）：新增 1 条",
        "成果（新闻报道）：新增 1 条",
        "成果（对口支援）：新增 1 条",
    ):
        assert line in out
    assert "文件「成果/成果登记表.xlsx」工作表「成果」第12行「时间（年月）」列：没有填写时间" in out
    con = db(ws.root)
    rows = {r["name"]: r for r in con.execute("SELECT * FROM achievements")}
    assert len(rows) == 8
    paper = rows["新能源汽车动力电池检测课程思政案例研究"]
    assert (
        paper["category"],
        paper["level"],
        paper["date"],
        paper["term"],
        paper["authors"],
        paper["row"],
    ) == ("论文", "省部级", "2024-10-01", "2024-2025-1", "沈轶娜（1）、夏渊（2）", 4)
    expect = {
        "汽车维修专业产教融合实践研究": ("课题/项目", "省部级", "2024-09-15"),  # 市级 → 省部级, Excel date
        "《汽车电气设备检修》": ("教材/著作", "国家级", "2024-12-01"),  # 2024.12
        "上海市园丁奖": ("获奖/荣誉", "省部级", "2024-09-01"),  # full-width
        "全国职业院校技能大赛汽车技术赛项二等奖": (
            "竞赛指导",
            "国家级",
            "2025-01-12",
        ),  # 国家级一等奖, 2025/1/12
        "援疆支教：巴楚县汽车专业建设": ("对口支援", "", "2024-11-01"),
        "支部党建工作经验被学校新闻网报道": ("新闻报道", "校级", "2024-12-01"),
        "智能网联汽车故障诊断装置": ("专利", "国家级", "2024-11-01"),  # config alias
    }
    for name, (category, level, date) in expect.items():
        assert (rows[name]["category"], rows[name]["level"], rows[name]["date"]) == (category, level, date), (
            name
        )
    assert rows["全国职业院校技能大赛汽车技术赛项二等奖"]["term"] == "2024-2025-1"

    # the register kept up to date and dropped again: nothing counted twice
    ws.drop("成果/成果登记表（12月）.xlsx", achievements_workbook(bad_row=False, extra_category="发明专利"))
    out = ws.run(ok=True).output
    assert "8项成果此前已登记过，内容相同，未重复添加" in out
    assert con.execute("SELECT count(*) FROM achievements").fetchone()[0] == 8


def test_achievements_csv_in_gbk(ws):
    csv_text = (
        "成果名称,类别,完成人及排名,级别,时间,刊物或颁发单位\r\n"
        "智能制造专业群建设研究,教改项目,夏渊,校级,2024/10/15,教务处\r\n"
        "优秀共产党员,荣誉称号,张伟,校级,２０２４年７月,学校党委\r\n"
    )
    ws.drop("成果.csv", csv_text, encoding="gbk")
    out = ws.run(ok=True).output
    assert "成果（课题/项目）：新增 1 条" in out and "成果（获奖/荣誉）：新增 1 条" in out
    rows = db(ws.root).execute("SELECT name, category, date, term FROM achievements ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("智能制造专业群建设研究", "课题/项目", "2024-10-15", "2024-2025-1"),
        ("优秀共产党员", "获奖/荣誉", "2024-07-01", "2023-2024-2"),
    ]
    originals = list((ws.root / "outbox").glob("*/*/原始材料/成果.csv"))
    assert len(originals) == 1 and "2024-2025学年" in originals[0].as_posix()


# --- 工作计划表 ----------------------------------------------------------------------------------


def test_plan_items_with_months_terms_and_activities(ws):
    ws.drop("计划/工作计划表.xlsx", plan_workbook())
    out = ws.run(ok=True).output
    assert "工作计划（事项）：新增 6 条" in out and "工作计划（说明）：新增 2 条" in out
    con = db(ws.root)
    rows = [
        tuple(r)
        for r in con.execute("SELECT term, month, date, activity, owner, note FROM plan_items ORDER BY id")
    ]
    assert rows == [
        ("2024-2025-1", "2024-09", None, "支部党员大会", "沈轶娜", "形成会议记录"),
        ("2024-2025-1", None, None, "支委会", "沈轶娜", "时间：每月"),
        ("2024-2025-1", "2024-10", None, "主题党日", "夏渊", "活动记录、照片"),
        ("2024-2025-1", "2024-11", None, "党课", "沈轶娜", "讲稿"),
        ("2024-2025-1", "2024-12", "2024-12-10", "组织生活会", "沈轶娜、夏渊", ""),
        ("2024-2025-1", "2025-01", None, None, "缪巧军", "总结材料"),
    ]
    texts = [tuple(r) for r in con.execute("SELECT term, section FROM plan_texts ORDER BY id")]
    assert texts == [("2024-2025-1", "指导思想"), ("2024-2025-1", "工作目标")]
    assert (ws.root / "outbox" / TERM1 / "原始材料" / "工作计划表.xlsx").is_file()
    # a revised plan for the same term replaces the old one
    ws.drop("计划/工作计划表（修订）.xlsx", plan_workbook(term_title="2024—2025学年第一学期（修订稿）"))
    out = ws.run(ok=True).output
    assert "已用本表替换 2024-2025-1 学期原有的6条计划事项" in out
    assert con.execute("SELECT count(*) FROM plan_items").fetchone()[0] == 6


# --- files that cannot be used ---------------------------------------------------------------------


def test_unusable_workbooks_are_rejected_saying_why(ws):
    ws.drop("旧格式.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    ws.drop("加密.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    ws.drop("损坏.xlsx", b"PK\x03\x04" + b"garbage" * 50)
    wb = Workbook()
    wb.active.append(["甲", "乙", "丙"])
    wb.active.append([1, 2, 3])
    wb.save(ws.root / "inbox" / "无关表格.xlsx")
    out = ws.run(ok=False).output
    assert "文件「旧格式.xls」：不支持 .xls 格式的文件" in out and "另存为” .xlsx" in out
    assert "文件「加密.xlsx」：这是一个旧版 Office 文件或加了密码的文件" in out
    assert "文件「损坏.xlsx」：文件已损坏或不是 .xlsx 文件" in out
    assert "文件「无关表格.xlsx」：没有找到可识别的登记表表头，无法判断这是哪种登记表" in out
    failed = {p.name for p in (ws.root / "inbox" / "失败").iterdir()}
    assert {"旧格式.xls", "加密.xlsx", "损坏.xlsx", "无关表格.xlsx"} <= failed
    assert "旧格式.xls.原因.txt" in failed


def test_several_registers_in_one_workbook(ws):
    wb = load_workbook(__import__("io").BytesIO(achievements_workbook(bad_row=False)))
    plan = load_workbook(__import__("io").BytesIO(plan_workbook()))
    target = wb.create_sheet("2024秋计划")
    for row in plan["工作计划"].iter_rows(values_only=True):
        target.append(row)
    wb.create_sheet("Sheet3")  # empty: nothing to say
    notes = wb.create_sheet("说明")
    notes.append(["本工作簿汇总了支部的各类登记。"])
    wb.save(ws.root / "inbox" / "支部台账.xlsx")
    out = ws.run(ok=True).output
    con = db(ws.root)
    assert con.execute("SELECT kind FROM sources").fetchone()["kind"] == "成果登记表+工作计划表"
    assert con.execute("SELECT count(*) FROM achievements").fetchone()[0] == 7
    assert con.execute("SELECT count(*) FROM plan_items WHERE term = '2024-2025-1'").fetchone()[0] == 6
    assert "工作表「说明」没有找到可识别的登记表表头，已跳过" in out
    assert "Sheet3" not in out


def test_a_large_register_streams_through(ws):
    from openpyxl import Workbook as WB

    wb = WB(write_only=True)
    sheet = wb.create_sheet("成果")
    sheet.append(["成果登记表（历年汇总）"])
    sheet.append(["成果名称", "类别", "完成人", "级别", "时间", "刊物或颁发单位"])
    start = dt.date(2015, 9, 1)
    for i in range(10_000):
        sheet.append(
            [
                f"成果{i}",
                ("论文", "课题", "获奖")[i % 3],
                f"作者{i % 50}",
                "校级",
                start + dt.timedelta(days=i % 3000),
                "某单位",
            ]
        )
    wb.save(ws.root / "inbox" / "历年成果.xlsx")
    out = ws.run(ok=True).output
    assert "成果（论文）：新增 3334 条" in out
    assert db(ws.root).execute("SELECT count(*) FROM achievements").fetchone()[0] == 10_000
