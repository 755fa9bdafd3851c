"""The 发展党员 papers of a term: 发展对象公示, one 发展党员进度表 a person, and the 发展党员台账
sheet of the term ledger (one row a person, the stage, the next due date, red when overdue).

The Word papers are rendered from the workspace's editable templates (templates/发展对象公示.docx,
templates/发展党员进度表.docx) and published like every term output (atomic, history kept).
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from pipeline.ingest.dates import cn_date
from pipeline.kinds.development import DATA as PEOPLE
from pipeline.records.development import (
    APPLICANT,
    CANDIDATE,
    EXTENDED,
    FULL,
    PROBATIONARY,
    STAGES,
    STEPS,
    Assessment,
)
from pipeline.render.default_templates import write_default_templates
from pipeline.render.development_templates import PROGRESS_TEMPLATE, PUBLICITY_TEMPLATE
from pipeline.render.minutes import render_docx
from pipeline.term import ledger
from pipeline.term.development import (
    MinutesCheck,
    assessed,
    calendar_note,
    cross_check,
    publicity_days,
    rules_of,
    step_rows,
)

SHEET = "发展党员台账"
FOLDER = "发展党员"
# How far along the 5 stages each current stage is (its steps before that index are all due).
STAGE_INDEX = {APPLICANT: 0, "积极分子": 1, CANDIDATE: 2, PROBATIONARY: 4, EXTENDED: 4, FULL: 5}


def _d(day: dt.date | None) -> str:
    return cn_date(day) if day else ""


def missing_steps(a: Assessment) -> list[str]:
    """Steps of the stages already passed that the register does not date."""
    done_until = STAGE_INDEX[a.stage]
    out = []
    for number, stage, step, key, _ in STEPS:
        if STAGES.index(stage) >= done_until or key is None:
            continue
        value = a.person.assessments if key == "assessments" else a.person.get(key)
        if not value:
            out.append(f"{number}.{step}")
    return out


def progress_context(a: Assessment, checks: list[MinutesCheck], branch: str, today: dt.date) -> dict:
    p = a.person
    missing = missing_steps(a)
    return {
        "支部名称": branch,
        "姓名": p.name,
        "性别": p.gender,
        "出生年月": p.birth,
        "所在单位": p.unit,
        "培养联系人": p.contacts,
        "入党介绍人": p.introducers,
        "当前阶段": a.stage,
        "下一步": (a.step.text + (f"（截止{_d(a.step.due)}）" if a.step.due else "")) if a.step else "",
        "截止日期": _d(a.step.due) if a.step else "",
        "步骤": step_rows(a),
        "问题": [v.message for v in a.violations],
        "缺少": "、".join(missing) if missing else "已过阶段的步骤都已登记。",
        "会议记录": [c.text for c in checks if c.person == p.name] or ["登记表中没有需要会议决定的日期。"],
        "制表日期": cn_date(today),
    }


def publicity_context(group: list[Assessment], branch: str, days: int) -> dict:
    start = group[0].person.publicity_start
    end = group[0].publicity_end
    people = [
        {
            "姓名": a.person.name,
            "性别": a.person.gender,
            "出生年月": a.person.birth,
            "所在单位": a.person.unit,
            "申请入党日期": _d(a.person.get("applied")),
            "确定积极分子日期": _d(a.person.get("activist")),
            "入党介绍人": a.person.introducers,
        }
        for a in group
    ]
    names = "、".join(a.person.name for a in group)
    return {
        "支部名称": branch,
        "人数": str(len(group)),
        "人员": people,
        "人员名单": names,
        "公示开始": cn_date(start),
        "公示结束": cn_date(end) + calendar_note([start, end]),
        "工作日数": str(days),
        "发布日期": cn_date(start),
    }


def write_papers(ws, term, snap, today: dt.date, publish, report) -> None:
    """Render the term's 公示 and 进度表 into outbox/{学年}/{学期}/发展党员/ (a term batch step)."""
    if not snap.of(PEOPLE):
        return
    cfg = ws.config
    branch = cfg.branch_name
    start, end = cfg.calendar.bounds(term)
    added = write_default_templates(ws.templates, overwrite=False)  # a workspace from before these papers
    report.warnings += [
        f"templates/ 中没有「{name}」，已添加默认模板（可用 Word/WPS 修改）" for name in added
    ]
    items = assessed(snap, cfg)
    checks = cross_check(snap.of(PEOPLE), snap.meetings)
    folder = ws.outbox / term.year_folder / term.name / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    shown = [a for a in items if (a.person.get("applied") or a.person.publicity_start or start) <= end]
    for a in shown:
        context = progress_context(a, checks, branch, today)
        data = render_docx(
            ws.templates / PROGRESS_TEMPLATE, context, display_name=f"templates/{PROGRESS_TEMPLATE}"
        )
        report.files.append(publish(ws, folder / f"发展党员进度表 {a.person.name}.docx", data, term, today))
    posted = sorted(
        (a for a in items if a.person.publicity_start and start <= a.person.publicity_start <= end),
        key=lambda a: (a.person.publicity_start, a.publicity_end),
    )
    for (day, _), group in groupby(posted, key=lambda a: (a.person.publicity_start, a.publicity_end)):
        group = list(group)
        days = publicity_days(day, group[0].publicity_end)
        context = publicity_context(group, branch, days)
        data = render_docx(
            ws.templates / PUBLICITY_TEMPLATE, context, display_name=f"templates/{PUBLICITY_TEMPLATE}"
        )
        report.files.append(publish(ws, folder / f"{day.isoformat()} 发展对象公示.docx", data, term, today))
        if days < rules_of(cfg).publicity_days:
            report.warnings.append(
                f"{day.isoformat()} 发展对象公示只有{days}个工作日，少于规定的{rules_of(cfg).publicity_days}个"
            )


# --- the ledger sheet ----------------------------------------------------------------------


COLUMNS = [
    ("序号", 6),
    ("姓名", 10),
    ("所在单位", 16),
    ("当前阶段", 11),
    ("申请入党", 14),
    ("确定积极分子", 14),
    ("确定发展对象", 14),
    ("支部大会接收", 14),
    ("转正大会", 14),
    ("下一步", 40),
    ("截止日期", 14),
    ("状态", 10),
    ("存在问题", 50),
    ("会议记录核对", 44),
]


def development_sheet(builder) -> None:
    """The 发展党员台账 sheet of the term ledger (``LedgerBuilder``); nothing without a register."""
    snap, cfg, today = builder.snap, builder.config, builder.today
    if not snap.of(PEOPLE):
        return
    ws = builder.wb.create_sheet(SHEET)
    names = [c for c, _ in COLUMNS]
    ledger._title(ws, f"{cfg.branch_name}发展党员工作台账（截至{cn_date(today)}）", len(names))
    ledger._header(ws, 2, names, [w for _, w in COLUMNS])
    checks = cross_check(snap.of(PEOPLE), snap.meetings)
    rules = rules_of(cfg)
    for n, a in enumerate(assessed(snap, cfg), 1):
        p, row = a.person, n + 2
        step = a.step
        overdue = a.overdue(today)
        state = "逾期" if overdue else ("即将到期" if a.reminder(today, rules) and step and step.due else "")
        problems = [c.text for c in checks if c.person == p.name and c.problem]
        values = [
            n,
            p.name,
            p.unit,
            a.stage,
            p.get("applied"),
            p.get("activist"),
            p.get("candidate"),
            p.get("accepted"),
            p.get("regular_meeting"),
            step.text if step else "",
            step.due if step and step.due else None,
            state,
            "；".join(v.message for v in a.violations),
            "；".join(problems),
        ]
        for col, value in enumerate(values, 1):
            cell = ledger.put(
                ws, row, col, value, number_format=ledger.DATE_FORMAT if isinstance(value, dt.date) else None
            )
            if overdue and col in (2, 10, 11, 12):
                cell.fill = ledger.RED_FILL
            elif state and col in (11, 12):
                cell.fill = ledger.YELLOW_FILL
        ledger.fit_row(ws, row)
