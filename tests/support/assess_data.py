"""An invented branch's 2024 for the assessment tests (tests/test_assess.py): notes, sign-in
sheets, a roster, a plan, a 发展党员登记表, a 党费收缴登记表 and achievements, with known gaps:

* 支委会 missing in May and October (the vacation months 1, 2, 7, 8 are not judged);
* no 党课 in the second quarter (the three held are given by the secretary);
* three records without a sign-in sheet (a 支委会, a 党小组会, a 主题党日);
* 周立新 applied on 2024-03-15 and was never talked with (the talk was due by 2024-04-15);
* 王晓明 did not pay 党费 in November and December;
* three news reports in 2024 (and one of 2023), one 校级 award.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.support.term import note, talk

COMMITTEE = ("沈轶娜", "夏渊", "缪巧军")  # the demo branch's committee in zhibu.toml
MEMBERS = ("王晓明", "李春华")
JUDGED = (3, 4, 5, 6, 9, 10, 11, 12)  # the months a monthly rule judges (1, 2, 7, 8 exempt)


def _days() -> dict[str, list[str]]:
    """Each activity's meeting dates in 2024."""
    return {
        "支委会": [f"2024-{m:02d}-12" for m in JUDGED if m not in (5, 10)],
        "支部党员大会": ["2024-03-20", "2024-06-20", "2024-09-20", "2024-12-20"],
        "党小组会": [f"2024-{m:02d}-15" for m in JUDGED],
        "党课": ["2024-03-25", "2024-09-25", "2024-11-25"],
        "主题党日": [f"2024-{m:02d}-05" for m in JUDGED],
        "组织生活会": ["2024-12-26"],
        "民主评议党员": ["2024-12-27"],
    }


UNSIGNED = {("支委会", "2024-03-12"), ("党小组会", "2024-04-15"), ("主题党日", "2024-06-05")}
TALKS = (
    ("2024-04-10", "沈轶娜", "王晓明"),
    ("2024-04-11", "沈轶娜", "李春华"),
    ("2024-05-09", "沈轶娜", "夏渊"),
    ("2024-05-10", "沈轶娜", "缪巧军"),
    ("2024-05-13", "夏渊", "缪巧军"),
)


def notes() -> dict[str, str]:
    out = {}
    for kind, days in _days().items():
        for day in days:
            out[f"{day} {kind}.txt"] = note(kind, day, f"{kind}（{day}）", expected=5, present=5)
    for day, a, b in TALKS:
        out[f"{day} 谈心谈话 {b}.txt"] = talk(day, a, b)
    return out


def meetings() -> list[tuple[str, str]]:
    return [(kind, day) for kind, days in _days().items() for day in days]


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def signin_workbook() -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    signed = [(k, d) for k, d in meetings() if (k, d) not in UNSIGNED]
    for i, (kind, day) in enumerate(signed, 1):
        ws = wb.create_sheet(f"{i:02d}")
        y, m, d = (int(x) for x in day.split("-"))
        ws.append([f"{kind}签到表 {y}年{m}月{d}日"])
        ws.append(["序号", "姓名", "签到"])
        for n, name in enumerate((*COMMITTEE, *MEMBERS), 1):
            ws.append([n, name, "√"])
    return _bytes(wb)


def roster_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["测试党支部党员名册"])
    ws.append(["序号", "姓名", "性别", "入党时间", "党员类别", "党内职务"])
    posts = {"沈轶娜": "书记", "夏渊": "组织委员", "缪巧军": "宣传委员"}
    for n, name in enumerate((*COMMITTEE, *MEMBERS), 1):
        ws.append([n, name, "女", "2010-07-01", "正式", posts.get(name, "")])
    return _bytes(wb)


def plan_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["测试党支部工作计划表"])
    ws.append(["序号", "时间/月份", "工作内容", "类别", "责任人"])
    ws.append([1, "2024年3月", "召开支部党员大会，部署本学期工作", "组织生活", "沈轶娜"])
    ws.append([2, "2024年9月", "召开支部党员大会，部署新学年工作", "组织生活", "沈轶娜"])
    ws.append([3, "2024年10月", "推进样板支部建设，总结工作案例", "支部建设", "沈轶娜"])
    return _bytes(wb)


def development_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["测试党支部发展党员登记表"])
    ws.append(["序号", "姓名", "申请入党日期", "谈话日期"])
    ws.append([1, "周立新", "2024-03-15", None])
    return _bytes(wb)


def dues_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "按月登记"
    ws.append(["测试党支部2024年党费收缴登记表"])
    ws.append(["序号", "姓名", *(f"{i}月" for i in range(1, 13)), "备注"])
    for n, name in enumerate((*COMMITTEE, *MEMBERS), 1):
        cells = [None if name == "王晓明" and m in (11, 12) else 30 for m in range(1, 13)]
        ws.append([n, name, *cells, ""])
    return _bytes(wb)


def achievements_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["测试党支部成果登记表"])
    ws.append(["序号", "成果名称", "类别", "完成人", "级别", "时间"])
    rows = [
        ("支部开展主题党日活动", "新闻报道", "沈轶娜", "校级", "2024年4月"),
        ("支部书记讲党课", "新闻报道", "沈轶娜", "校级", "2024年9月"),
        ("支部与企业党支部共建", "新闻报道", "夏渊", "校级", "2024年11月"),
        ("支部学习二十大精神", "新闻报道", "缪巧军", "校级", "2023年11月"),
        ("校优秀党务工作者", "获奖/荣誉", "沈轶娜", "校级", "2024年6月"),
        ("职业教育产教融合研究", "论文", "李春华", "省部级", "2024年5月"),
    ]
    for n, row in enumerate(rows, 1):
        ws.append([n, *row])
    return _bytes(wb)


REGISTERS = {
    "党员名册.xlsx": roster_workbook,
    "会议签到表.xlsx": signin_workbook,
    "工作计划表.xlsx": plan_workbook,
    "发展党员登记表.xlsx": development_workbook,
    "2024年党费收缴登记表.xlsx": dues_workbook,
    "成果登记表.xlsx": achievements_workbook,
}


def drop_all(z) -> None:
    z.drop("党员名册.xlsx", roster_workbook())
    z.run(ok=True)
    for name, make in REGISTERS.items():
        if name != "党员名册.xlsx":
            z.drop(name, make())
    for name, text in notes().items():
        z.drop(name, text)
    z.run(ok=True)


def criteria_workbook(rows: list[tuple], grades: list[tuple] | None = None) -> bytes:
    """A school's 考核细则: (一级指标, 二级指标, 考评要点, 分值, 计分标准, 支撑材料) rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "考核细则"
    ws.append(["测试学校教工党支部考核细则"])
    ws.append(["序号", "一级指标", "二级指标", "考评要点", "分值", "计分标准", "支撑材料"])
    for n, row in enumerate(rows, 1):
        ws.append([n, *row])
    if grades:
        g = wb.create_sheet("考核等级")
        g.append(["等级", "最低分"])
        for row in grades:
            g.append(list(row))
    return _bytes(wb)
