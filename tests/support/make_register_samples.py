"""Write the sample registers bundled in pipeline/samples/ (copied to the inbox by ``zhibu demo``).

Run from the repository root:  python -m tests.support.make_register_samples
The samples are clean (no bad rows, no sensitive columns): the demo shows registers being
filed; the messy variants live in the tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from tests.support.registers import (
    BRANCH,
    achievements_workbook,
    plan_workbook,
    roster_workbook,
    signin_workbook,
)

SAMPLES = Path(__file__).resolve().parents[2] / "pipeline" / "samples"

# The demo plan's 保障措施: the demo's plan prints every section (the tests' plans leave it out).
DEMO_SAFEGUARDS = "支部书记负总责，支委分工抓落实；每月支委会对照本计划检查进度，及时调整改进。"

# Attendance of the 2024-12-10 支部党员大会 in the meeting register below.
MEETING_ABSENT = [("周强", "出差"), ("孙丽", "病假")]


def meeting_register_sample(path: Path) -> None:
    """会议登记表-2024秋: meetings that no sample note covers (one activity, one record: the 党课
    of the sample note 党课-书记讲党课.docx is another one), one with a sign-in sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "2024秋"
    header = [
        "序号",
        "日期",
        "会议类型",
        "主题",
        "地点",
        "主持人",
        "记录人",
        "应到人数",
        "实到人数",
        "缺席人员及原因",
        "议题",
        "内容摘要",
        "决议",
    ]
    ws.cell(1, 1, f"{BRANCH}2024年秋季学期会议登记表").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for j, v in enumerate(header, start=1):
        ws.cell(2, j, v)
    rows = [
        [
            1,
            dt.datetime(2024, 9, 3),
            "支委会",
            "研究本学期支部工作计划",
            "行政楼302",
            "沈轶娜",
            "缪巧军",
            3,
            3,
            "无",
            "1. 讨论学期工作计划 2. 研究发展对象培养",
            "书记通报学院党委工作要点，委员逐项讨论学期计划。",
            "通过本学期工作计划（赞成3票，反对0票，弃权0票）。",
        ],
        [
            2,
            "2024年11月12日",
            "党小组会",
            "第二党小组学习党的二十届三中全会《决定》",
            "教研室",
            "杨帆",
            "孙丽",
            8,
            8,
            "无",
            "学习《决定》第三部分",
            "组长杨帆领学，组员交流学习体会。",
            "",
        ],
        [
            3,
            "2024.9.24",
            "党课",
            "新时代教师的使命担当",
            "报告厅",
            "沈轶娜",
            "夏渊",
            28,
            26,
            "郑浩（病假）、许诺（外出培训）",
            "",
            "书记讲授专题党课，结合专业建设谈师德师风。",
            "",
        ],
        [
            4,
            "2024-12-10",
            "支部党员大会",
            "讨论接收预备党员",
            "实训楼201",
            "沈轶娜",
            "缪巧军",
            None,
            None,
            "",
            "1. 讨论接收陈晨、周媛为预备党员 2. 通报支部工作",
            "入党介绍人介绍发展对象情况，党员充分讨论，逐个表决。",
            "同意接收陈晨为中共预备党员（赞成24票，反对0票，弃权0票）；"
            "同意接收周媛为中共预备党员（赞成24票，反对0票，弃权0票）。报学院党委审批。",
        ],
    ]
    for i, values in enumerate(rows, start=3):
        for j, v in enumerate(values, start=1):
            if v not in ("", None):
                ws.cell(i, j, v)
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["D"].width = 36
    path.write_bytes(_bytes(wb))


def _bytes(wb) -> bytes:
    import io

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    import argparse

    from tests.support.registers import MEMBERS

    parser = argparse.ArgumentParser(description="Write the register samples into pipeline/samples/.")
    parser.add_argument(
        "--with-meeting-register",
        action="store_true",
        help="also 会议登记表-2024秋.xlsx and its sign-in sheet (adds 4 minutes to the demo)",
    )
    args = parser.parse_args(argv)
    roster_workbook(SAMPLES / "党员名册.xlsx", sensitive=False, old_sheet=False)
    achievements_workbook(SAMPLES / "成果登记表.xlsx", bad_row=False)
    plan_workbook(SAMPLES / "工作计划表-2024-2025-1.xlsx", safeguards=DEMO_SAFEGUARDS)
    # The sign-in sheet of the sample note 支委会-2024年10月8日.txt. Named to sort before it:
    # zhibu demo files in name order, so the sheet is stored first and applied when the note comes.
    signin_workbook(
        SAMPLES / "2024-10-08 支委会签到表.xlsx",
        title=f"{BRANCH}支委会签到表",
        present=["沈轶娜", "夏渊", "缪巧军"],
    )
    if args.with_meeting_register:
        meeting_register_sample(SAMPLES / "会议登记表-2024秋.xlsx")
        formal = [m[0] for m in MEMBERS if m[9] == "正式"]
        absent = dict(MEETING_ABSENT)
        signin_workbook(
            SAMPLES / "2024-12-10 支部党员大会签到表.xlsx",
            title=f"{BRANCH}支部党员大会签到表　2024年12月10日",
            present=[n for n in formal if n not in absent],
            absent=MEETING_ABSENT,
        )
    for name in sorted(p.name for p in SAMPLES.glob("*.xlsx")):
        print(f"pipeline/samples/{name}")


if __name__ == "__main__":
    main()
