"""The 发展党员 papers of a term: 发展对象公示 and one 发展党员进度表 a person.

Rendered from the workspace's editable templates (templates/发展对象公示.docx,
templates/发展党员进度表.docx) and published like every term output (atomic, history kept).
Everything is judged as of the date the batch gives (``today``), never the clock; dates are
printed as GB/T 9704 prints them (2024年5月10日, 出生年月 1996年8月). A cell that holds several
dates or names has one a line, so that none of them breaks inside.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from docxtpl import Listing

from pipeline.chinese import cn_date, section_number
from pipeline.kinds.development import DATA as PEOPLE
from pipeline.records.crosscheck import MinutesCheck, Sources, roster_against_register
from pipeline.records.development import (
    Assessment,
    birth_month,
    overdue_problems,
    step_states,
    unrecorded,
)
from pipeline.render.default_templates import write_default_templates
from pipeline.render.development_templates import PROGRESS_TEMPLATE, PUBLICITY_TEMPLATE
from pipeline.render.minutes import render_docx
from pipeline.term.development import (
    assessed,
    calendar_note,
    minutes_checks,
    next_text,
    publicity_days,
    rules_of,
    sources_of,
)
from pipeline.term.development_ledger import development_sheet  # noqa: F401 - the batch adds it from here

FOLDER = "发展党员"


def _d(day: dt.date | None) -> str:
    return cn_date(day) if day else ""


def _lines(lines: tuple[str, ...]) -> Listing:
    """Several dates or names in one table cell: one a line (a line break, never inside one)."""
    return Listing("\n".join(lines))


def _missing_text(a: Assessment, today: dt.date) -> str:
    missing = unrecorded(step_states(a, today))
    if not missing:
        return "已进行的步骤都已登记。"
    return (
        "、".join(s.label for s in missing)
        + "：后面的步骤已有日期，这些步骤应已完成，登记表没有写明日期或经办人，请补填。"
    )


def progress_context(
    a: Assessment, checks: list[MinutesCheck], others: list[str], branch: str, today: dt.date
) -> dict:
    """The variables of templates/发展党员进度表.docx for one person, as of ``today``."""
    p = a.person
    step = a.step
    rows = [
        {
            "序号": str(s.number),
            "阶段": s.stage,
            "步骤": s.step,
            "日期": _lines(s.lines),
            "经办": _lines(s.actors),
            "情况": s.state,
        }
        for s in step_states(a, today)
    ]
    return {
        "支部名称": branch,
        "姓名": p.name,
        "性别": p.gender,
        "出生年月": birth_month(p.birth),
        "学历": p.education,
        "所在单位": p.unit,
        "培养联系人": p.contacts,
        "入党介绍人": p.introducers,
        "当前阶段": a.stage,
        "下一步": next_text(a),
        "截止日期": _d(step.due) if step else "",
        "步骤": rows,
        "阶段组": [
            {"阶段": f"{section_number(n)}{stage}", "步骤": list(group)}
            for n, (stage, group) in enumerate(groupby(rows, key=lambda r: r["阶段"]), 1)
        ],
        "问题": overdue_problems(a, today) + [v.message for v in a.violations] + others,
        "缺少": _missing_text(a, today),
        "会议记录": [c.fact for c in checks if c.person == p.name] or ["登记表中没有需要会议决定的日期。"],
        "制表日期": cn_date(today),
    }


def _education(text: str) -> str:
    return text if not text or text.endswith(("学历", "学位")) else f"{text}学历"


def profile_sentence(a: Assessment) -> str:
    """One person of a 公示 in a sentence, of what the register states only: 沈星河，女，
    1994年10月出生，大学本科学历，汽车营销教研室，2023年3月1日递交入党申请书，…"""
    p = a.person
    parts = [p.name, p.gender]
    parts.append(f"{birth_month(p.birth)}出生" if birth_month(p.birth) else "")
    parts += [_education(p.education), p.unit]
    for key, what in (
        ("applied", "递交入党申请书"),
        ("activist", "确定为入党积极分子"),
        ("candidate", "确定为发展对象"),
    ):
        parts.append(f"{_d(p.get(key))}{what}" if p.get(key) else "")
    if p.introducers:
        parts.append(f"入党介绍人{p.introducers}")
    return "，".join(x for x in parts if x) + "。"


def publicity_context(group: list[Assessment], branch: str, days: int, config) -> dict:
    """The variables of templates/发展对象公示.docx for the people of one 公示."""
    start = group[0].person.publicity_start
    end = group[0].publicity_end
    if start is None or end is None:
        raise ValueError("a 公示 is made only for people with its dates")
    people = [
        {
            "序号": str(n),
            "姓名": a.person.name,
            "性别": a.person.gender,
            "出生年月": birth_month(a.person.birth),
            "学历": a.person.education,
            "所在单位": a.person.unit,
            "申请入党日期": _d(a.person.get("applied")),
            "确定积极分子日期": _d(a.person.get("activist")),
            "确定发展对象日期": _d(a.person.get("candidate")),
            "培养联系人": a.person.contacts,
            "入党介绍人": a.person.introducers,
            "简况": profile_sentence(a),
        }
        for n, a in enumerate(group, 1)
    ]
    settings = config.development
    return {
        "支部名称": branch,
        "人数": str(len(group)),
        "人员": people,
        "人员名单": "、".join(a.person.name for a in group),
        "公示开始": cn_date(start),
        "公示结束": cn_date(end) + calendar_note([start, end]),
        "工作日数": str(days),
        "发布日期": cn_date(start),
        "联系人": settings.publicity_contact,
        "联系电话": settings.publicity_phone,
    }


def _contact_warning(config) -> list[str]:
    settings = config.development
    missing = [
        label
        for label, value in (("联系人", settings.publicity_contact), ("联系电话", settings.publicity_phone))
        if not value
    ]
    if not missing:
        return []
    return [
        f"发展对象公示中的{'、'.join(missing)}留空待手写：请在 zhibu.toml 的 [development] 中填写 "
        "publicity_contact（如“组织委员 夏渊”）和 publicity_phone（办公室固定电话），再运行 zhibu batch"
    ]


def write_papers(ws, term, snap, today: dt.date, publish, report) -> None:
    """Render the term's 公示 and 进度表 into outbox/{学年}/{学期}/发展党员/ (a term batch step),
    judged as of ``today`` (the date the batch dates the term's documents)."""
    if not snap.of(PEOPLE):
        return
    cfg = ws.config
    start, end = cfg.calendar.bounds(term)
    added = write_default_templates(ws.templates, overwrite=False)  # a workspace from before these papers
    report.warnings += [
        f"templates/ 中没有「{name}」，已添加默认模板（可用 Word/WPS 修改）" for name in added
    ]
    items = assessed(snap, cfg, today)
    folder = ws.outbox / term.year_folder / term.name / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    _progress_papers(ws, term, snap, items, today, folder, publish, report)
    _publicity_papers(ws, term, items, (start, end), today, folder, publish, report)


def _progress_papers(ws, term, snap, items, today, folder, publish, report) -> None:
    cfg = ws.config
    start, end = cfg.calendar.bounds(term)
    checks = minutes_checks(snap, today)
    sources: Sources = sources_of(ws)
    found = roster_against_register(snap.members, snap.of(PEOPLE), rules_of(cfg), sources)
    shown = [a for a in items if (a.person.get("applied") or a.person.publicity_start or start) <= end]
    for a in shown:
        others = [f.text.removeprefix(f"{a.person.name}：") for f in found if f.person == a.person.name]
        context = progress_context(a, checks, others, cfg.branch_name, today)
        data = render_docx(
            ws.templates / PROGRESS_TEMPLATE, context, display_name=f"templates/{PROGRESS_TEMPLATE}"
        )
        report.files.append(publish(ws, folder / f"发展党员进度表 {a.person.name}.docx", data, term, today))


def _publicity_papers(ws, term, items, bounds, today, folder, publish, report) -> None:
    cfg = ws.config
    start, end = bounds
    rules = rules_of(cfg)
    posted = sorted(
        (a for a in items if a.person.publicity_start and start <= a.person.publicity_start <= end),
        key=lambda a: (a.person.publicity_start, a.publicity_end),
    )
    if posted:
        report.warnings += _contact_warning(cfg)
    for (day, end), grouped in groupby(posted, key=lambda a: (a.person.publicity_start, a.publicity_end)):
        group = list(grouped)
        days = publicity_days(day, end)
        context = publicity_context(group, cfg.branch_name, days, cfg)
        data = render_docx(
            ws.templates / PUBLICITY_TEMPLATE, context, display_name=f"templates/{PUBLICITY_TEMPLATE}"
        )
        report.files.append(publish(ws, folder / f"{day.isoformat()} 发展对象公示.docx", data, term, today))
        if days < rules.publicity_days:
            report.warnings.append(
                f"{day.isoformat()} 发展对象公示只有{days}个工作日，少于规定的{rules.publicity_days}个"
            )
