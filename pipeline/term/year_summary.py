"""年度工作总结（草稿）: the year's facts and figures in the structure of a 工作总结 (总体情况, 主要做法和
成效, 存在的不足, 下一步打算), written with ``wordkit``.

Every figure comes from the archive (the assessment's facts); the narrative is the secretary's:
each part has an empty paragraph with a Word comment saying what to write (not printed). A
figure the archive cannot state (no roster, no 党费 register) is left out and the run says so.
Never invented prose.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipeline import wordkit as wk
from pipeline.chinese import cn_date
from pipeline.kinds.plan import ITEMS_DATA
from pipeline.records.achievement_terms import CATEGORIES, LEVELS
from pipeline.records.assessment import PERIODS
from pipeline.records.development import period_counts
from pipeline.records.dues import ym_of, yuan
from pipeline.records.periods import PERIOD_KINDS
from pipeline.term import development as dev
from pipeline.term.assess import Result
from pipeline.term.compliance import MISSING
from pipeline.term.data import Snapshot

STUDIO_WORDS = ("样板", "工作室", "双带头人", "品牌", "标杆", "对标")


def _blank(doc, what: str) -> None:
    par = wk.paragraph(doc, "")
    wk.comment(doc, par.add_run(""), what)


def activity_rows(result: Result) -> list[list[str]]:
    """活动, 要求, 应开展（期）, 已开展（期）, 记录（份） of each periodic indicator."""
    rows = []
    for s in result.scored:
        rule = s.indicator.rule
        if rule.kind != PERIODS:
            continue
        checks = result.facts.checks.get((rule.activity, rule.per), [])
        judged = [c for c in checks if c.status not in ("exempt", "future")]
        missing = sum(c.status == MISSING for c in judged)
        records = {m.id for c in checks for m in c.meetings if result.facts.year.contains(m.date)}
        name = rule.activity
        rows.append(
            [
                name,
                f"{PERIOD_KINDS[rule.per]}1次",
                str(len(judged)),
                str(len(judged) - missing),
                str(len(records)),
            ]
        )
    return rows


def achievement_rows(result: Result) -> list[list[str]]:
    year = result.facts.year
    found = Counter(
        (a.category, a.level or "未注明级别") for a, _ in result.facts.achievements if year.contains(a.date)
    )
    order = {c: i for i, c in enumerate(CATEGORIES)}
    levels = {lv: i for i, lv in enumerate(LEVELS)}
    keys = sorted(found, key=lambda k: (order.get(k[0], 99), levels.get(k[1], 99)))
    return [[c, lv, str(found[(c, lv)])] for c, lv in keys]


def summary_document(
    result: Result, snap: Snapshot, config, branch: str, day: dt.date
) -> tuple[bytes, list[str]]:
    """The draft and what it could not state."""
    facts, year = result.facts, result.facts.year
    title = f"{branch}{year.work_label}工作总结"
    gaps: list[str] = []
    doc = wk.new_document(table_size=wk.SMALL_TABLE_SIZE)
    wk.title(doc, title)
    wk.comment(
        doc, doc.paragraphs[0].runs, "这是 zhibu 根据档案生成的草稿：数字来自档案，文字部分请支部填写。"
    )
    wk.heading(doc, 1, wk.heading_number(1, 1) + "总体情况")
    members = snap.members
    if members:
        formal = sum(not m.is_probationary for m in members)
        wk.paragraph(
            doc, f"支部现有党员{len(members)}人，其中正式党员{formal}人、预备党员{len(members) - formal}人。"
        )
    else:
        gaps.append("没有导入党员名册，工作总结中没有写党员人数")
    _blank(doc, "请概述本年度支部工作的总体情况（指导思想、主要任务、完成情况）。")
    wk.heading(doc, 1, wk.heading_number(1, 2) + "主要做法和成效")
    wk.heading(doc, 2, wk.heading_number(2, 1) + "组织生活")
    rows = activity_rows(result)
    wk.paragraph(doc, f"{year.label}（统计至{cn_date(facts.as_of)}）开展组织生活情况如下：")
    t = wk.table(doc, ["活动", "要求", "应开展（期）", "已开展（期）", "记录（份）"], rows)
    wk.center_cells(t, (1, 2, 3, 4))
    _blank(doc, "请写组织生活的主要做法和成效（学习主题、特色活动等）。")
    n = _development_part(doc, snap, config, result, gaps)
    n = _dues_part(doc, result, n, gaps)
    n = _achievements_part(doc, result, n, gaps)
    _studio_part(doc, result, snap, n)
    wk.heading(doc, 1, wk.heading_number(1, 3) + "存在的不足")
    lost = [line.text for s in result.scored for line in s.lines if line.amount < 0]
    for i, text in enumerate(lost, 1):
        wk.paragraph(doc, f"{i}．{text}。")
    _blank(doc, "请分析存在的不足及原因（上面列出的是考核自评中扣分的情况）。")
    wk.heading(doc, 1, wk.heading_number(1, 4) + "下一步打算")
    _blank(doc, "请写下一年度的工作打算。")
    wk.signature_block(doc, branch, day)
    return wk.save_dated(doc, title, day), gaps


def _development_part(doc, snap: Snapshot, config, result: Result, gaps: list[str]) -> int:
    """（二）发展党员 with the counts the register states; the number of the next part."""
    year, as_of = result.facts.year, result.facts.as_of
    if not snap.of(dev.PEOPLE):
        gaps.append("没有导入发展党员登记表，工作总结中没有写发展党员人数")
        return 2
    sentence = period_counts(snap.of(dev.PEOPLE), year.start, as_of, dev.rules_of(config), as_of).sentence()
    if not sentence:
        gaps.append(
            "发展党员登记表没有登记确定积极分子、发展对象、支部大会接收或转正的日期，工作总结中没有写发展党员人数"
        )
        return 2
    wk.heading(doc, 2, wk.heading_number(2, 2) + "发展党员")
    wk.paragraph(doc, f"{year.label}{sentence}。")
    _blank(doc, "请写发展党员工作的做法（培养教育、考察等）。")
    return 3


def _dues_part(doc, result: Result, n: int, gaps: list[str]) -> int:
    acc = result.facts.dues
    if acc is None:
        gaps.append("没有导入本年度的党费收缴登记表，工作总结中没有写党费收缴情况")
        return n
    first = ym_of(result.facts.year.start)
    through = min(acc.as_of, ym_of(result.facts.year.end))
    due, paid = acc.total("due", first, through), acc.total("paid", first, through)
    owing = [m.name for m in acc.members if m.unpaid(first, through)]
    wk.heading(doc, 2, wk.heading_number(2, n) + "党费收缴")
    known = all(a.months[m].due is not None for a in acc.members for m in a.owed(first, through))
    if known:
        text = f"{len(acc.members)}名党员应交党费{yuan(due)}元，实交{yuan(paid)}元"
    else:  # a month's amount due is not known (no 核算表): the amount due is not stated
        gaps.append("党费基数核算表中没有全部党员的月交纳额，工作总结中没有写应交党费金额")
        text = f"{len(acc.members)}名党员实交党费{yuan(paid)}元"
    text += f"；{len(owing)}名党员有未交的月份。" if owing else "，按时足额交纳。"
    wk.paragraph(doc, text)
    return n + 1


def _achievements_part(doc, result: Result, n: int, gaps: list[str]) -> int:
    rows = achievement_rows(result)
    if not rows:
        gaps.append("成果登记表中没有本年度的成果，工作总结中没有成果统计")
        return n
    wk.heading(doc, 2, wk.heading_number(2, n) + "成果与宣传")
    total = sum(int(r[2]) for r in rows)
    wk.paragraph(doc, f"{result.facts.year.label}登记成果{total}项，按类别和级别统计如下：")
    t = wk.table(doc, ["类别", "级别", "数量"], rows)
    wk.center_cells(t, (1, 2))
    _blank(doc, "请写党建与业务融合、宣传工作的做法和成效。")
    return n + 1


def _studio_part(doc, result: Result, snap: Snapshot, n: int) -> None:
    year = result.facts.year
    items = [
        i
        for i in snap.of(ITEMS_DATA)
        if any(w in i.content for w in STUDIO_WORDS) and (i.when is None or year.contains(i.when))
    ]
    terms = {t.id for t in result.facts.terms}
    items = [i for i in items if i.when is not None or i.term in terms]
    if not items:
        return
    wk.heading(doc, 2, wk.heading_number(2, n) + "样板支部和书记工作室建设")
    wk.paragraph(doc, "工作计划中安排的建设任务：")
    for k, item in enumerate(items, 1):
        when = f"（{item.when.year}年{item.when.month}月）" if item.when else ""
        wk.paragraph(doc, f"{k}．{item.content}{when}")
    _blank(doc, "请写各项建设任务的完成情况和成效。")
