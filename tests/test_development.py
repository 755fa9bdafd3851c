"""发展党员: the register through the CLI (stages, due dates, violations, row errors), zhibu status
text and JSON, the cross-check with minutes filed in the same workspace, the papers and the
ledger sheet of zhibu batch, and the 成果汇编 counts."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from pipeline.records.development import Person, Rules, assess, term_counts
from pipeline.records.workdays import publicity_end, working_days
from pipeline.store import Store
from tests.support.development_data import TODAY, minutes_notes, register_workbook
from tests.support.docs import docx_text
from tests.support.registers import db

D = dt.date
TERM = "2025-2026学年/第一学期"


def filed(ws):
    for name, text in minutes_notes().items():
        ws.drop(name, text)
    ws.drop("发展党员登记表.xlsx", register_workbook())
    return ws.run()


def status_json(ws) -> dict:
    out = ws("status", "-w", ws.root, "--date", TODAY, "--json", ok=True).output
    return json.loads(out)


# --- the rules ---------------------------------------------------------------------------------


def test_working_days_follow_the_official_holidays():
    # 2025: 10-1 … 10-8 off (国庆 + 中秋), Sunday 9-28 a make-up working day
    assert publicity_end(D(2025, 9, 26), 5) == D(2025, 10, 9)
    assert working_days(D(2025, 9, 29), D(2025, 10, 9)) == 3
    assert working_days(D(2025, 9, 27), D(2025, 9, 28)) == 1
    # 2024: Saturday 10-12 is a make-up working day
    assert publicity_end(D(2024, 10, 8), 5) == D(2024, 10, 12)
    # 2026 is covered too: 10-1 … 10-7 off, 10-8 a working day
    assert publicity_end(D(2026, 9, 30), 2) == D(2026, 10, 8)


def test_stages_and_due_dates():
    rules = Rules()
    p = Person("甲", dates={"applied": D(2025, 1, 31)})
    a = assess(p, rules)
    assert (a.stage, a.step.due) == ("申请人", D(2025, 2, 28))
    p = Person("乙", dates={"applied": D(2023, 1, 1), "activist": D(2024, 3, 1)}, assessments=[D(2024, 9, 1)])
    assert assess(p, rules).step.due == D(2025, 3, 1)
    p = Person("丙", birth="1990-01", dates={"applied": D(2020, 1, 1), "accepted": D(2024, 10, 23)})
    a = assess(p, rules)
    assert a.stage == "预备党员" and a.step.due == D(2025, 1, 23)  # approval within 3 months
    p.dates["approved"] = D(2024, 12, 1)
    assert assess(p, rules).step.due == D(2025, 10, 22)  # 预备期 ends
    p.extension_months = 6
    a = assess(p, rules)
    assert (a.stage, a.step.due) == ("延长预备期", D(2026, 4, 22))
    assert "没有填写确定积极分子日期" in " ".join(v.message for v in a.violations)


def test_term_counts():
    people = [
        Person("甲", dates={"activist": D(2025, 4, 20)}),
        Person("乙", dates={"candidate": D(2025, 6, 1), "accepted": D(2025, 9, 1)}),
    ]
    assert term_counts(people, D(2025, 2, 1), D(2025, 8, 31)) == {
        "积极分子": 1,
        "发展对象": 1,
        "预备党员": 0,
        "转正": 0,
    }


# --- the register through the CLI --------------------------------------------------------------


def test_register_filed_with_row_errors_and_no_sensitive_columns(ws):
    out = filed(ws).output
    assert "[部分失败] 发展党员登记表.xlsx" in out
    for stage, n in (
        ("预备党员", 4),
        ("申请人", 4),
        ("积极分子", 2),
        ("发展对象", 2),
        ("正式党员", 2),
        ("延长预备期", 1),
    ):
        assert f"发展党员（{stage}）：新增 {n} 条" in out
    where = "文件「发展党员登记表.xlsx」工作表「发展党员」"
    assert f"{where}第15行「谈话日期」列：谈话日期 2025-05-01 早于申请入党日期 2025-05-10" in out
    assert f"{where}第17行「申请入党日期」列：申请入党日期「2024.13.5」不存在" in out
    assert f"{where}第18行「支部大会接收日期」列：简雨澄与第3行是同一人" in out

    con = db(ws.root)
    rows = con.execute("SELECT name, stage, data FROM development WHERE active = 1").fetchall()
    stages = {r["name"]: r["stage"] for r in rows}
    assert len(stages) == 15 and "孟春山" not in stages
    assert stages["白露晞"] == "延长预备期" and stages["何望舒"] == "正式党员"
    assert "秦朗月" in stages  # out of order: reported, and still filed
    data = {r["name"]: json.loads(r["data"]) for r in rows}
    assert data["简雨澄"]["dates"]["accepted"] == "2024-10-23"  # the first row, not the duplicate
    assert data["简雨澄"]["training_hours"] == 24.0 and data["简雨澄"]["dates"]["training"] == "2024-09-20"
    assert data["韩知远"]["dates"]["talked"] == "2025-10-10"  # an Excel date
    assert (
        data["许南乔"]["publicity_start"] == "2025-09-29" and data["许南乔"]["publicity_end"] == "2025-10-09"
    )
    dump = "\n".join(r["data"] for r in rows)
    assert "110101" not in dump and "身份证" not in dump

    fix = load_workbook(ws.root / "inbox" / "失败" / "发展党员登记表.待修正.xlsx")
    sheet = fix["发展党员"]
    header = [c.value for c in sheet[2]]
    assert "身份证号" not in header and header[-1] == "错误原因"
    reasons = [r[-1] for r in sheet.iter_rows(min_row=3, values_only=True) if r[1]]
    names = [r[1] for r in sheet.iter_rows(min_row=3, values_only=True) if r[1]]
    assert names == ["秦朗月", "孟春山", "简雨澄"]
    assert reasons[0].startswith("原第15行：谈话日期 2025-05-01 早于申请入党日期 2025-05-10")
    assert reasons[1].startswith("原第17行：申请入党日期「2024.13.5」不存在")
    assert reasons[2].startswith("原第18行：简雨澄与第3行是同一人，但「支部大会接收日期」不一致")


def test_newer_register_replaces_person_by_person(ws):
    filed(ws)
    wb = Workbook()
    sheet = wb.active
    sheet.append(["姓名", "出生年月", "申请入党日期", "谈话日期", "确定积极分子日期"])
    sheet.append(["林初晴", "2000-06", "2025-09-01", "2025-09-25", None])
    sheet.append(["新同志", "2001-03", "2025-10-08", None, None])
    buf = io.BytesIO()
    wb.save(buf)
    ws.drop("发展/2025年10月补充.xlsx", buf.getvalue())
    out = ws.run().output
    assert "发展党员登记表：1人的情况已按本表更新，原记录保留为历史" in out
    con = db(ws.root)
    history = con.execute("SELECT active, data FROM development WHERE name = '林初晴' ORDER BY id").fetchall()
    assert [r["active"] for r in history] == [0, 1]
    assert json.loads(history[1]["data"])["dates"]["talked"] == "2025-09-25"
    assert con.execute("SELECT count(*) FROM development WHERE active = 1").fetchone()[0] == 16
    with Store(ws.root / ".zhibu" / "index.sqlite3") as store:
        versions = store.development_history("林初晴")
    assert [p.get("talked") for p in versions] == [None, D(2025, 9, 25)]
    people = {r["person"]: r for r in status_json(ws)["development_people"]}
    assert people["林初晴"]["step"].startswith("推荐和确定入党积极分子") and not people["林初晴"]["overdue"]


def test_status_text_and_json(ws):
    filed(ws)
    out = ws("status", "-w", ws.root, "--date", TODAY, ok=True).output
    section = out[out.index("发展党员（15人）：") :]
    overdue = section[section.index("已逾期：") : section.index("30天内到期：")]
    assert "周以宁：半年考察（培养联系人填写考察意见，支部审核）（截止2025年1月10日）" in overdue
    assert "陆子衿：报上级党委审批（支部大会后三个月内）（截止2025年9月20日）" in overdue
    assert "林初晴：派人谈话（收到入党申请书后一个月内）（截止2025年10月1日）" in overdue
    soon = section[section.index("30天内到期：") : section.index("不符合发展党员工作细则的日期：")]
    assert "简雨澄：预备期2025-10-22期满，请召开支部党员大会讨论转正（截止2025年10月22日）" in soon
    assert "沈星河：公示2025-10-09期满，期满后召开支部党员大会讨论接收" in soon  # across 国庆
    assert "顾清和：半年考察" in soon and "叶知秋：报上级党委审批转正" in soon
    assert "白露晞" not in overdue + soon and "江映雪" not in overdue + soon
    for text in (
        "苏小禾：申请入党时（2025-03-01）未满18周岁（出生年月 2008-05）",
        "宋佳禾：确定发展对象（2025-06-01）距确定积极分子（2024-12-01）不满12个月",
        "宋佳禾：集中培训16学时，少于24学时",
        "陆子衿：接收为预备党员前没有政治审查",
        "陆子衿：接收为预备党员前没有参加集中培训",
        "许南乔：公示 2025-09-29 至 2025-10-09 只有3个工作日，少于5个工作日",
        "何望舒：转正大会 2024-07-20 距预备期期满（2024-05-09）超过30天",
        "秦朗月：谈话日期 2025-05-01 早于申请入党日期 2025-05-10",
    ):
        assert text in section, text
    assert "简雨澄：" not in section[section.index("不符合") : section.index("与会议记录核对")]

    data = status_json(ws)
    items = {r["person"]: r for r in data["development"]}
    assert set(items) == {"周以宁", "陆子衿", "林初晴", "沈星河", "顾清和", "简雨澄", "叶知秋"}
    assert items["简雨澄"] | {"text": ""} == {
        "person": "简雨澄",
        "stage": "预备党员",
        "step": "预备期2025-10-22期满，请召开支部党员大会讨论转正",
        "due": "2025-10-22",
        "from": None,
        "overdue": False,
        "text": "",
    }
    assert items["林初晴"]["overdue"] is True and items["林初晴"]["due"] == "2025-10-01"
    assert items["沈星河"]["due"] is None and items["沈星河"]["from"] == "2025-10-10"
    assert [r["person"] for r in data["development"][:3]] == ["周以宁", "陆子衿", "林初晴"]
    assert len(data["development_people"]) == 15
    assert {
        "person": "苏小禾",
        "column": "申请入党日期",
        "problem": "申请入党时（2025-03-01）未满18周岁（出生年月 2008-05）",
    } in data["development_violations"]


def test_cross_check_with_minutes_in_the_workspace(ws):
    filed(ws)
    checks = {(c["person"], c["step"]): c for c in status_json(ws)["development_minutes"]}
    assert ("简雨澄", "接收预备党员") not in checks  # minutes that day, naming her, with a vote
    assert ("顾清和", "确定入党积极分子") not in checks  # the 支委会 record of that day
    assert checks[("陆子衿", "接收预备党员")]["problem"] == "会议记录的日期是2025-06-21，与登记表不一致"
    assert checks[("许南乔", "接收预备党员")]["problem"] == "没有找到当天的支部党员大会记录"
    assert checks[("何望舒", "讨论转正")]["problem"] == "会议记录中没有表决情况（赞成、反对、弃权票数）"
    assert checks[("叶知秋", "接收预备党员")]["problem"] == "当天的支部党员大会记录中没有提到叶知秋"
    assert checks[("简雨澄", "确定发展对象")]["problem"] == "没有找到当天的支委会记录"
    assert checks[("何望舒", "讨论转正")]["path"].endswith("2024-07-20 支部党员大会 讨论预备党员转正.docx")


# --- papers and ledger ------------------------------------------------------------------------


def _batch(ws):
    out = ws("batch", "-w", ws.root, "--term", "2025-2026-1", "--date", TODAY, ok=True).output
    return out, ws.root / "outbox" / TERM


def test_forms_blank_register_is_read_back(ws):
    path = ws.root / "表格模板" / "发展党员登记表.xlsx"
    wb = load_workbook(path)
    sheet = wb.active
    header = [c.value for c in sheet[2]]
    assert header[:8] == [
        "序号",
        "姓名",
        "性别",
        "出生年月",
        "所在单位/班级",
        "申请入党日期",
        "谈话日期",
        "确定积极分子日期",
    ]
    assert sheet.cell(3, header.index("申请入党日期") + 1).number_format == 'yyyy"年"m"月"d"日"'
    sheet.cell(3, 2, "柳青禾")
    sheet.cell(3, header.index("申请入党日期") + 1, D(2025, 9, 8))
    buf = io.BytesIO()
    wb.save(buf)
    ws.drop("登记表.xlsx", buf.getvalue())
    assert "发展党员（申请人）：新增 1 条" in ws.run(ok=True).output


@pytest.mark.slow
def test_batch_papers_ledger_and_compilation(ws, tmp_path):
    filed(ws)
    out, folder = _batch(ws)
    assert "2025-09-29 发展对象公示只有3个工作日，少于规定的5个" in out

    notice = folder / "发展党员" / "2025-09-26 发展对象公示.docx"
    text = docx_text(notice)
    assert "关于沈星河同志作为发展对象的公示" in text
    assert "公示时间：2025年9月26日至2025年10月9日（5个工作日）。" in text
    assert "经汽车运用工程系党支部委员会研究，拟接收以下1名发展对象为中共预备党员" in text
    table = Document(str(notice)).tables[0]
    assert [c.text for c in table.rows[1].cells][:4] == ["沈星河", "", "1994-10", "汽车营销教研室"]
    assert [c.text for c in table.rows[1].cells][4:] == ["2023年3月1日", "2023年9月1日"]

    progress = folder / "发展党员" / "发展党员进度表 陆子衿.docx"
    text = docx_text(progress)
    assert "当前阶段：预备党员" in text
    assert "接收为预备党员前没有政治审查" in text
    assert (
        "陆子衿 接收预备党员（2025-06-20，支部党员大会）：会议记录的日期是2025-06-21，与登记表不一致" in text
    )
    steps = Document(str(progress)).tables[0]
    assert len(steps.rows) == 26
    assert [c.text for c in steps.rows[15].cells] == [
        "15",
        "接收预备党员",
        "支部党员大会讨论接收",
        "2025-06-20",
        "支部党员大会",
        "已完成",
    ]
    assert [c.text for c in steps.rows[10].cells][3:] == ["", "党支部", "—"]  # 政治审查 not done

    book = load_workbook(folder / "2025-2026学年第一学期三会一课台账.xlsx")
    sheet = book["发展党员台账"]
    header = [c.value for c in sheet[2]]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=3) if r[1].value}
    assert len(rows) == 15
    late = rows["周以宁"]
    assert late[header.index("当前阶段")].value == "积极分子"
    assert late[header.index("截止日期")].value.date() == D(2025, 1, 10)
    assert late[header.index("状态")].value == "逾期"
    assert late[header.index("截止日期")].fill.fgColor.rgb == "FFFFC7CE"
    soon = rows["简雨澄"]
    assert soon[header.index("状态")].value == "即将到期"
    assert soon[header.index("截止日期")].fill.fgColor.rgb != "FFFFC7CE"
    assert "公示 2025-09-29 至 2025-10-09 只有3个工作日" in rows["许南乔"][header.index("存在问题")].value
    assert "没有找到当天的支部党员大会记录" in rows["许南乔"][header.index("会议记录核对")].value

    compilation = docx_text(folder / "2025-2026学年第一学期成果汇编.docx")
    assert (
        "发展党员工作：2025—2026学年第一学期确定入党积极分子0人、发展对象0人，接收预备党员1人，预备党员转正0人；"
        "本学年累计确定入党积极分子0人、发展对象0人，接收预备党员1人，预备党员转正0人。"
    ) in compilation

    assert shutil.which("pdftoppm"), "poppler-utils is needed (.ci/run installs it)"
    ws("pdf", "-w", ws.root, notice, ok=True)
    pdf = notice.with_suffix(".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "2025 年 9 月 26 日至 2025 年 10 月 9 日" in text or "2025年9月26日至2025年10月9日" in text
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(tmp_path / "notice")], check=True
    )
    assert (tmp_path / "notice.png").stat().st_size > 2000


def test_working_days_beyond_the_holiday_data_fall_back_to_weekdays():
    import chinese_calendar

    from pipeline.records.workdays import calendar_covers, is_working_day

    # The holiday data end with the last year the State Council has announced; it grows with
    # each release of the library, so the first year past it is read from the library itself.
    last = max(chinese_calendar.holidays).year
    national_day = D(last, 10, 1)  # 国庆节: a holiday in every year of the data, whatever weekday
    assert calendar_covers(national_day) and not is_working_day(national_day)
    beyond = [D(last + 1, 10, 1) + dt.timedelta(days=i) for i in range(7)]
    assert not any(calendar_covers(day) for day in beyond)
    assert [is_working_day(day) for day in beyond] == [day.weekday() < 5 for day in beyond]


def test_correction_file_dropped_back(ws):
    filed(ws)
    path = ws.root / "inbox" / "失败" / "发展党员登记表.待修正.xlsx"
    book = load_workbook(path)
    sheet = book["发展党员"]
    header = [c.value for c in sheet[2]]
    for row in list(sheet.iter_rows(min_row=3)):
        if row[1].value == "孟春山":
            row[header.index("申请入党日期")].value = "2024.12.5"
        if row[1].value == "简雨澄":  # the duplicate: deleted, as the reason says
            sheet.delete_rows(row[0].row)
    buf = io.BytesIO()
    book.save(buf)
    path.unlink()
    ws.drop("发展党员登记表.待修正.xlsx", buf.getvalue())
    out = ws.run().output
    assert "发展党员（申请人）：新增 1 条" in out  # 孟春山; 秦朗月 unchanged
    assert "谈话日期 2025-05-01 早于申请入党日期 2025-05-10" in out  # still out of order
    con = db(ws.root)
    row = con.execute("SELECT data FROM development WHERE active = 1 AND name = '孟春山'").fetchone()
    assert json.loads(row["data"])["dates"]["applied"] == "2024-12-05"
    assert con.execute("SELECT count(*) FROM development WHERE active = 1").fetchone()[0] == 16


def test_identical_rows_are_filed_once(ws):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["姓名", "出生年月", "申请入党日期", "确定积极分子日期"])
    sheet.append(["柳青禾", "2001-03", "2025-03-08", None])
    sheet.append(["柳青禾", "2001-03", "2025年3月8日", None])
    buf = io.BytesIO()
    wb.save(buf)
    ws.drop("入党申请人.xlsx", buf.getvalue())
    out = ws.run(ok=True).output
    assert "第3行：柳青禾与第2行完全相同，已只登记一次" in out
    assert "发展党员（申请人）：新增 1 条" in out


def test_batch_adds_missing_templates_and_renders_an_edited_one(ws):
    filed(ws)
    (ws.root / "templates" / "发展党员进度表.docx").unlink()
    notice = ws.root / "templates" / "发展对象公示.docx"
    doc = Document(str(notice))
    doc.paragraphs[0].runs[0].text = "公示（本支部格式）：{{ 人员名单 }}"
    for r in doc.paragraphs[0].runs[1:]:
        r.text = ""
    doc.save(str(notice))
    out, folder = _batch(ws)
    assert "templates/ 中没有「发展党员进度表.docx」，已添加默认模板" in out
    assert (ws.root / "templates" / "发展党员进度表.docx").is_file()
    assert (folder / "发展党员" / "发展党员进度表 简雨澄.docx").is_file()
    text = docx_text(folder / "发展党员" / "2025-09-26 发展对象公示.docx")
    assert text.startswith("公示（本支部格式）：沈星河")
