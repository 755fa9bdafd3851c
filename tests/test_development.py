"""发展党员: the register through the CLI (stages, due dates, violations, row errors), zhibu status
text and JSON, the cross-check with minutes filed in the same workspace, the papers and the
ledger sheet of zhibu batch, and the 成果汇编 counts."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json

from docx import Document
from openpyxl import Workbook, load_workbook

from pipeline.records.development import (
    LABELS,
    STEPS,
    Person,
    Rules,
    assess,
    period_counts,
    probation_end,
    step_states,
)
from pipeline.records.votes import decisions_in, vote_problems, votes_in
from pipeline.records.workdays import publicity_end, working_days
from pipeline.store import Store
from pipeline.term.development import reminders
from tests.conftest import REPO
from tests.support import registers
from tests.support.development_data import TODAY, minutes_notes, register_workbook, roster_workbook
from tests.support.docs import docx_text, note
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
    a = assess(p, rules)  # the 预备期 ends 2025-10-23: the 转正 is discussed from then, within 30 days
    assert (a.step.earliest, a.step.due) == (D(2025, 10, 23), D(2025, 11, 22))
    p.extension_months = 6
    a = assess(p, rules)
    assert (a.stage, a.step.earliest, a.step.due) == ("延长预备期", D(2026, 4, 23), D(2026, 5, 23))
    assert "没有填写确定积极分子日期" in " ".join(v.message for v in a.violations)


def test_probation_ends_on_the_same_date_a_year_later():
    rules = Rules()
    p = Person("丁", dates={"accepted": D(2024, 10, 22), "approved": D(2024, 12, 1)})
    assert probation_end(p, rules) == D(2025, 10, 22)
    p.dates["regular_meeting"] = D(2025, 10, 21)
    a = assess(p, rules)
    assert a.early_regular
    assert "转正大会2025年10月21日早于预备期满（2025年10月22日），属提前转正" in [
        v.message for v in a.violations
    ]
    p.dates["regular_meeting"] = D(2025, 10, 22)
    a = assess(p, rules)
    assert not a.early_regular and not [v for v in a.violations if v.field == "regular_meeting"]


def test_period_counts_say_what_the_upper_committee_approved():
    rules = Rules()
    people = [
        Person("甲", dates={"activist": D(2025, 4, 20)}),
        Person("乙", dates={"candidate": D(2025, 6, 1), "accepted": D(2025, 9, 1)}),
        Person("丙", dates={"accepted": D(2025, 9, 12), "approved": D(2025, 10, 10)}),
        Person("丁", dates={"accepted": D(2024, 9, 20), "regular_meeting": D(2025, 9, 20)}),
        Person("戊", dates={"accepted": D(2024, 10, 22), "regular_meeting": D(2025, 9, 25)}),  # early
    ]
    people[3].dates["regular_approved"] = D(2025, 10, 9)
    counts = period_counts(people, D(2025, 9, 1), D(2026, 1, 31), rules, D(2025, 10, 15))
    assert counts.as_dict() == {
        "积极分子": 0,
        "发展对象": 0,
        "接收预备党员": 2,
        "接收已批准": 1,
        "转正": 1,
        "转正已批准": 1,
        "提前转正未计入": 1,
    }
    assert counts.sentence() == (
        "确定入党积极分子0人、发展对象0人；接收预备党员：支部大会通过2人，其中上级党委已批准1人；"
        "预备党员转正：支部大会通过1人，其中上级党委已批准1人（另有1人的转正大会早于预备期满，未计入）"
    )
    # An approval after the date the counts are made is not counted as approved.
    assert period_counts(people, D(2025, 9, 1), D(2026, 1, 31), rules, D(2025, 10, 5)).accepted_approved == 0
    # A register that records no such step states no count: nothing is printed, never "0人".
    applicants = [Person("己", dates={"applied": D(2025, 3, 1), "talked": D(2025, 3, 20)})]
    assert period_counts(applicants, D(2025, 1, 1), D(2025, 12, 31), rules, D(2025, 12, 31)).sentence() == ""
    # Acceptances recorded, approvals never: the approvals are not stated as 0.
    accepted = [Person("庚", dates={"activist": D(2024, 3, 1), "accepted": D(2025, 6, 1)})]
    assert period_counts(accepted, D(2025, 1, 1), D(2025, 12, 31), rules, D(2025, 12, 31)).sentence() == (
        "确定入党积极分子0人；接收预备党员：支部大会通过1人（登记表未登记上级党委审批日期）"
    )


def test_step_states_tell_done_undated_overdue_and_ahead():
    rules, today = Rules(), D(2025, 10, 15)
    p = Person(
        "己",
        dates={"applied": D(2021, 3, 1), "activist": D(2021, 9, 10), "accepted": D(2024, 10, 23)},
        publicity_start=D(2024, 10, 8),
    )
    states = {s.number: s for s in step_states(assess(p, rules), today)}
    assert states[1].state == "已完成" and states[1].lines == ("2021年3月1日",)
    assert states[2].state == "未登记日期"  # a later step is dated: done, its date not registered
    assert states[5].state == "未登记" and states[5].actors == ("支委会",)
    assert states[12].state == "未登记日期" and states[12].lines == ("公示2024年10月8日", "至10月12日")
    assert states[17].state == "已逾期" and states[17].lines == ("截止2025年1月23日",)
    assert states[16].state == "尚未完成" and states[25].state == "尚未完成"
    p = Person("庚", dates={"applied": D(2025, 9, 1)})
    states = {s.number: s for s in step_states(assess(p, rules), today)}
    assert states[2].state == "已逾期" and states[3].state == "尚未完成"
    # Two steps past their time limits: both named (the 进度表, zhibu status), not only the next one.
    p = Person("辛", dates={"applied": D(2022, 1, 1), "accepted": D(2024, 1, 10)})
    a = assess(p, rules)
    assert [x.number for x in a.overdue_steps(today)] == [17, 23]
    assert [r["step"] for r in reminders([a], today, rules)] == [
        "报上级党委审批（支部大会后三个月内）",
        "预备期2025年1月10日期满，期满后召开支部党员大会讨论转正",
    ]
    assert [s.number for s in step_states(a, today) if s.state == "已逾期"] == [17, 23]


# --- the register through the CLI --------------------------------------------------------------


def test_register_filed_with_row_errors_and_no_sensitive_columns(ws):
    out = filed(ws).output
    assert "[部分失败] 发展党员登记表.xlsx" in out
    for stage, n in (
        ("预备党员", 6),
        ("申请人", 4),
        ("积极分子", 2),
        ("发展对象", 2),
        ("正式党员", 4),
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
    assert len(stages) == 19 and "孟春山" not in stages
    assert stages["白露晞"] == "延长预备期" and stages["何望舒"] == "正式党员"
    assert "秦朗月" in stages  # out of order: reported, and still filed
    data = {r["name"]: json.loads(r["data"]) for r in rows}
    assert data["简雨澄"]["dates"]["accepted"] == "2024-10-23"  # the first row, not the duplicate
    assert data["简雨澄"]["training_hours"] == 24.0 and data["简雨澄"]["dates"]["training"] == "2024-09-20"
    assert data["韩知远"]["dates"]["talked"] == "2025-10-10"  # an Excel date
    assert (
        data["许南乔"]["publicity_start"] == "2025-09-29" and data["许南乔"]["publicity_end"] == "2025-10-09"
    )
    full = data["程晓岚"]  # every column a branch records, read
    assert full["education"] == "研究生" and full["party_group"] == "第二党小组"
    assert full["probation_checks"] == ["2021-12-20", "2022-03-20"]
    for key in ("activist_filed", "candidate_filed", "committee_review", "pre_review", "volunteer_form"):
        assert key in full["dates"], key
    assert (full["dates"]["upper_talk"], full["dates"]["recorded"]) == ("2021-07-05", "2021-07-30")
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
    assert con.execute("SELECT count(*) FROM development WHERE active = 1").fetchone()[0] == 20
    with Store(ws.root / ".zhibu" / "index.sqlite3") as store:
        versions = store.development_history("林初晴")
    assert [p.get("talked") for p in versions] == [None, D(2025, 9, 25)]
    people = {r["person"]: r for r in status_json(ws)["development_people"]}
    assert people["林初晴"]["step"].startswith("推荐和确定入党积极分子") and not people["林初晴"]["overdue"]


def test_status_text_and_json(ws):
    filed(ws)
    out = ws("status", "-w", ws.root, "--date", TODAY, ok=True).output
    section = out[out.index("发展党员（19人）：") :]
    overdue = section[section.index("已逾期：") : section.index("30天内到期：")]
    assert "周以宁：半年考察（培养联系人填写考察意见，支部审核）（截止2025年1月10日）" in overdue
    assert "陆子衿：报上级党委审批（支部大会后三个月内）（截止2025年9月20日）" in overdue
    assert "林初晴：派人谈话（收到入党申请书后一个月内）（截止2025年10月1日）" in overdue
    soon = section[section.index("30天内到期：") : section.index("不符合发展党员工作细则的日期：")]
    # accepted 2024-10-23: the 预备期 ends 2025-10-23; the 转正 is discussed from then, within 30 days
    assert "简雨澄：预备期2025年10月23日期满，期满后召开支部党员大会讨论转正（截止2025年11月22日）" in soon
    assert "沈星河：公示2025年10月9日期满，期满后召开支部党员大会讨论接收" in soon  # across 国庆
    assert "顾清和：半年考察" in soon and "叶知秋：报上级党委审批转正" in soon
    assert "白露晞" not in overdue + soon and "江映雪" not in overdue + soon
    assert "程晓岚：" not in section[: section.index("与会议记录核对")]  # every step in order
    for text in (
        "苏小禾：申请入党时（2025年3月1日）未满18周岁（出生年月2008年5月）",
        "宋佳禾：确定发展对象（2025年6月1日）距确定积极分子（2024年12月1日）不满12个月",
        "宋佳禾：集中培训16学时，少于24学时",
        "陆子衿：登记表没有政审日期（接收为预备党员前须经政治审查）",
        "陆子衿：登记表没有集中培训日期（接收为预备党员前须经集中培训）",
        "许南乔：公示2025年9月29日至2025年10月9日只有3个工作日，少于5个工作日",
        "何望舒：转正大会2024年7月20日距预备期满（2024年5月10日）超过30天",
        "秦朗月：谈话日期2025年5月1日早于申请入党日期2025年5月10日",
        "闻书瑶：转正大会2025年9月25日早于预备期满（2025年10月22日），属提前转正",
    ):
        assert text in section, text
    assert "简雨澄：" not in section[section.index("不符合") : section.index("与会议记录核对")]
    checks = section[section.index("核对（党员名册、会议记录、发展党员登记表）：") :]
    assert "2025年9月25日支部党员大会记录（outbox/2025-2026学年/第一学期/会议记录/支部党员大会/" in checks
    assert (
        "“同意闻书瑶同志转为中共正式党员”赞成21票、反对0票、弃权0票，共21票，多于到会有表决权的正式党员18人"
        in checks
    )

    data = status_json(ws)
    items = {r["person"]: r for r in data["development"]}
    assert set(items) == {"周以宁", "陆子衿", "林初晴", "沈星河", "顾清和", "简雨澄", "叶知秋"}
    assert items["简雨澄"] | {"text": ""} == {
        "person": "简雨澄",
        "stage": "预备党员",
        "step": "预备期2025年10月23日期满，期满后召开支部党员大会讨论转正",
        "due": "2025-11-22",
        "from": "2025-10-23",
        "overdue": False,
        "text": "",
    }
    assert items["林初晴"]["overdue"] is True and items["林初晴"]["due"] == "2025-10-01"
    assert items["沈星河"]["due"] is None and items["沈星河"]["from"] == "2025-10-10"
    assert [r["person"] for r in data["development"][:3]] == ["周以宁", "陆子衿", "林初晴"]
    assert len(data["development_people"]) == 19
    people = {r["person"]: r for r in data["development_people"]}
    assert people["林初晴"]["overdue_steps"] == [
        {"step": 2, "text": "派人谈话（收到入党申请书后一个月内）", "due": "2025-10-01"}
    ]
    assert {
        "person": "苏小禾",
        "column": "申请入党日期",
        "problem": "申请入党时（2025年3月1日）未满18周岁（出生年月2008年5月）",
    } in data["development_violations"]
    assert [c["kind"] for c in data["crosscheck"]] == ["表决"]


def test_cross_check_with_minutes_in_the_workspace(ws):
    filed(ws)
    checks = {(c["person"], c["step"]): c for c in status_json(ws)["development_minutes"]}
    assert ("简雨澄", "接收预备党员") not in checks  # minutes that day, naming her, with a vote
    assert ("顾清和", "确定入党积极分子") not in checks  # the 支委会 record of that day
    assert ("温若溪", "接收预备党员") not in checks and ("乔木森", "讨论转正") not in checks
    assert checks[("陆子衿", "接收预备党员")]["problem"] == "会议记录的日期是2025年6月21日，与登记表不一致"
    assert checks[("许南乔", "接收预备党员")]["problem"] == "没有找到当天的支部党员大会记录"
    assert checks[("何望舒", "讨论转正")]["problem"] == "会议记录中没有表决情况（赞成、反对、弃权票数）"
    assert checks[("叶知秋", "接收预备党员")]["problem"] == "当天的支部党员大会记录中没有提到叶知秋"
    assert checks[("简雨澄", "确定发展对象")]["problem"] == "没有找到当天的支委会记录"
    assert checks[("何望舒", "讨论转正")]["path"].endswith("2024-07-20 支部党员大会 讨论预备党员转正.docx")


def _section(status: str, head: str) -> str:
    """The lines of one section of zhibu status: its head and the indented lines under it."""
    lines = status[status.index(head) :].splitlines()
    return "\n".join([lines[0], *itertools.takewhile(lambda line: line.startswith(" "), lines[1:])])


def test_roster_and_register_disagree(ws):
    """The roster laid beside the register: at filing and in zhibu status, naming both files."""
    ws.drop("党员名册.xlsx", roster_workbook())
    ws.run()
    out = filed(ws).output
    assert (
        "核对：简雨澄：党员名册「党员名册.xlsx」的入党时间是2024年10月22日，"
        "发展党员登记表「发展党员登记表.xlsx」的支部大会接收日期是2024年10月23日，两者不一致"
    ) in out
    status = ws("status", "-w", ws.root, "--date", TODAY, ok=True).output
    checks = _section(status, "核对（党员名册、会议记录、发展党员登记表）：")
    assert (
        "简雨澄：党员名册「党员名册.xlsx」的入党时间是2024年10月22日，"
        "发展党员登记表「发展党员登记表.xlsx」的支部大会接收日期是2024年10月23日，两者不一致"
    ) in checks
    assert (
        "江映雪：发展党员登记表「发展党员登记表.xlsx」记录已于2024年12月20日批准转正，"
        "党员名册「党员名册.xlsx」仍列为预备党员"
    ) in checks
    assert "程晓岚" not in checks  # 入党 2021-06-25, 转正 2022-06-25 in both


# --- papers and ledger ------------------------------------------------------------------------


def _batch(ws):
    out = ws("batch", "-w", ws.root, "--term", "2025-2026-1", "--date", TODAY, ok=True).output
    return out, ws.root / "outbox" / TERM


def test_forms_blank_register_is_read_back(ws):
    """The blank register has a column for every step a branch records, in the order of the 25
    steps; filled in order, it is read back whole."""
    path = ws.root / "表格模板" / "发展党员登记表.xlsx"
    wb = load_workbook(path)
    sheet = wb.active
    header = [c.value for c in sheet[2]]
    assert header[:6] == ["序号", "姓名", "性别", "出生年月", "学历", "所在单位/班级"]
    names = {"contacts": "培养联系人", "introducers": "入党介绍人", "party_group": "编入党小组"}
    steps = [LABELS.get(key) or names[key] for _, _, _, key, _ in STEPS]  # the column of each step
    assert [h for h in header if h in steps] == steps  # steps 1–25 (12 with the 公示 beside it)
    assert {"公示开始日期", "公示结束日期", "培训学时", "延长预备期", "备注"} <= set(header)
    day = header.index("申请入党日期") + 1
    assert sheet.cell(3, day).number_format == 'yyyy"年"m"月"d"日"'
    assert sheet.column_dimensions[sheet.cell(2, day).column_letter].width >= 15  # 2024年12月31日 shows
    # Printed at full size, a stage's columns a page, 序号 and 姓名 on every page.
    assert sheet.page_setup.scale == 100 and not sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_cols == "$A:$B" and len(sheet.col_breaks.brk) == 6
    values = {
        "姓名": "柳青禾",
        "培养联系人": "程立夏",
        "入党介绍人": "程立夏、方予安",
        "编入党小组": "第一党小组",
    }
    values |= {"半年考察日期": "2021.9.1、2022.3.1", "预备期考察日期": "2023.12.1", "学历": "大学本科"}
    days = iter(D(2021, 3, 1) + dt.timedelta(days=15 * n) for n in range(40))
    for label in steps + ["公示开始日期", "公示结束日期"]:
        if label not in values:
            values[label] = next(days)
    for label, value in values.items():
        sheet.cell(3, header.index(label) + 1, value)
    buf = io.BytesIO()
    wb.save(buf)
    ws.drop("登记表.xlsx", buf.getvalue())
    assert "发展党员（正式党员）：新增 1 条" in ws.run().output
    row = db(ws.root).execute("SELECT data FROM development WHERE name = '柳青禾'").fetchone()
    person = Person.from_json(json.loads(row["data"]))
    assert len(person.dates) == 20 and person.party_group == "第一党小组" and person.education == "大学本科"
    assert person.probation_checks == [D(2023, 12, 1)] and person.publicity_start is not None


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
    assert con.execute("SELECT count(*) FROM development WHERE active = 1").fetchone()[0] == 20


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


# --- the cross-checks of votes and of a person's standing ---------------------------------------


def test_votes_and_decisions_in_minutes():
    text = (
        "1. 讨论接收唐亮、许诺为预备党员 2. 通报支部工作\n同意接收唐亮、许诺为中共预备党员，报学院党委审批。"
    )
    (decision,) = decisions_in(text)
    assert (decision.kind, decision.names) == ("接收预备党员", ("唐亮", "许诺"))
    assert vote_problems("支部党员大会", text, 26, 24) == [
        "表决：会议讨论接收唐亮、许诺为预备党员，记录中没有表决票数（赞成、反对、弃权），"
        "接收预备党员和预备党员转正须经支部党员大会表决（《中国共产党发展党员工作细则》）"
    ]
    one_vote = text.replace("审批。", "审批（赞成24票，反对0票，弃权0票）。")
    assert "2人只记录了1次表决" in vote_problems("支部党员大会", one_vote, 26, 24)[0]
    each = "同意接收唐亮为中共预备党员（赞成24票，反对0票，弃权0票）；同意接收许诺为中共预备党员（赞成24票，反对0票，弃权0票）。"
    assert vote_problems("支部党员大会", each, 26, 24) == []
    plan = "1. 通过本学期支部工作计划（赞成11票，反对0票，弃权0票）。"
    assert vote_problems("支部党员大会", plan, 26, 25) == [
        "表决：“通过本学期支部工作计划”赞成11票、反对0票、弃权0票，共11票，与到会有表决权的正式党员25人不符，请核对",
        "表决：“通过本学期支部工作计划”赞成11票，未超过应到会有表决权的正式党员26人的半数，"
        "按《中国共产党支部工作条例（试行）》第十一条不能通过",
    ]
    assert "多于到会的支部委员3人" in vote_problems("支委会", "同意（赞成5票，反对0票，弃权0票）", 3, 3)[0]
    assert vote_problems("党课", plan, 26, 25) == []
    for studied in ("学习《发展党员工作细则》关于接收预备党员的程序", "学习预备党员转正的程序"):
        assert decisions_in(studied) == []
    (confirm,) = decisions_in("讨论何望舒同志按期转正")
    assert (confirm.kind, confirm.names) == ("预备党员转正", ("何望舒",))
    assert votes_in("表决结果：二十五票赞成，0票反对，一票弃权")[0].tally() == "赞成25票、反对0票、弃权1票"


def _bad_congress_notes(ws) -> None:
    """A roster listing 唐亮 and 许诺 as 预备 since 2024-07-01; a 支部党员大会 on 2024-12-10
    accepting them with no vote; one on 2024-09-10 whose plan passes with 11 of 26 votes."""
    ws.drop("党员名册.xlsx", registers.roster_workbook(sensitive=False, old_sheet=False))
    ws.run()
    sample = (REPO / "pipeline" / "samples" / "2024-09-10 支部党员大会.txt").read_text(encoding="utf-8")
    ws.drop("2024-09-10 支部党员大会.txt", sample.replace("赞成25票", "赞成11票"))
    ws.drop(
        "2024-12-10 支部党员大会.txt",
        note(
            会议类型="支部党员大会",
            会议主题="讨论接收预备党员",
            时间="2024年12月10日 下午2:30",
            地点="实训楼201",
            主持人="沈轶娜",
            记录人="缪巧军",
            缺席人员="周强（出差）、孙丽（病假）",
            议题="1. 讨论接收唐亮、许诺为预备党员 2. 通报支部工作",
            决议="同意接收唐亮、许诺为中共预备党员，报学院党委审批。",
        ),
    )


def test_congress_votes_and_roster_checked_at_filing_and_in_status(ws):
    _bad_congress_notes(ws)
    out = ws.run().output
    assert (
        "2024-09-10 支部党员大会：表决：“通过本学期支部工作计划”赞成11票，未超过应到会有表决权的正式党员26人的半数"
        in out
    )
    assert "2024-12-10 支部党员大会：表决：会议讨论接收唐亮、许诺为预备党员，记录中没有表决票数" in out
    assert (
        "2024-12-10 支部党员大会：核对：唐亮：党员名册「党员名册.xlsx」列为预备党员，入党时间2024年7月1日；"
        "2024年12月10日支部党员大会记录接收其为预备党员，两者不一致"
    ) in out
    status = ws("status", "-w", ws.root, "--term", "2024-2025-1", "--date", "2025-01-31", ok=True).output
    checks = _section(status, "核对（党员名册、会议记录、发展党员登记表）：")
    folder = "outbox/2024-2025学年/第一学期/会议记录/支部党员大会/"
    assert (
        f"2024年12月10日支部党员大会记录（{folder}2024-12-10 支部党员大会 讨论接收预备党员.docx）：会议讨论接收唐亮"
        in checks
    )
    assert (
        "2024年9月10日支部党员大会记录（" in checks
        and "赞成11票，未超过应到会有表决权的正式党员26人的半数" in checks
    )
    assert (
        "许诺：党员名册「党员名册.xlsx」列为预备党员，入党时间2024年7月1日；2024年12月10日支部党员大会记录（"
        in checks
    )
    data = status_json_term(ws, "2024-2025-1", "2025-01-31")
    assert {c["kind"] for c in data["crosscheck"]} == {"表决", "身份"}


def test_the_demo_term_passes_the_cross_checks(demo_ws):
    data = status_json_term(demo_ws, "2024-2025-1", "2025-01-31")
    assert data["crosscheck"] == []
    assert not [w for w in data["warnings"] if w["warning"].startswith("表决：")]


def status_json_term(ws, term: str, day: str) -> dict:
    out = ws("status", "-w", ws.root, "--term", term, "--date", day, "--json", ok=True).output
    return json.loads(out)
