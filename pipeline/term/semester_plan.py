"""学期工作计划 (.docx) from the plan register (plan_items) and the plan's text note (plan_texts).

The structure follows the seed plan (domain seed ``branch-construction-plan.txt``): 指导思想
(总体思路), 工作目标, 主要任务 (numbered), a month-by-month 工作安排 table (时间 | 工作内容 |
责任人), 保障措施. The plan states only what the branch wrote: a narrative section missing from
plan_texts is left out (the headings are numbered without it), a Word comment on the title (not
printed) and a warning of the run say where to write it. Required activities (the rules) that the
plan does not schedule are reported as warnings; when there is no plan register at all, the
tasks and the table are drafted from the rules, said in a comment and a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pipeline import wordkit as wk
from pipeline.kinds.plan import ITEMS_DATA as PLAN_ITEMS
from pipeline.kinds.plan import TEXTS_DATA as PLAN_TEXTS
from pipeline.kinds.plan import PlanItem
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.periods import Period, month_period
from pipeline.records.rules import Rule, RuleSet
from pipeline.term.data import Snapshot, committee_names, holders
from pipeline.term.plan_check import plan_gaps

SECTIONS: dict[str, tuple[str, ...]] = {
    "指导思想": ("指导思想", "总体思路", "总体要求", "思路"),
    "工作目标": ("工作目标", "建设目标", "目标", "年度目标"),
    "主要任务": ("主要任务", "重点任务", "工作任务", "建设方案", "任务"),
    "保障措施": ("保障措施", "工作保障", "保障", "配套政策"),
}
# Where the secretary writes a section the plan lacks (the plan register's second sheet).
FILL_IN = "工作计划表的“计划说明”工作表（两列：栏目｜内容）"
_ITEM_HEAD = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|\d{1,2}\s*[、.．]|[(（]\d{1,2}[)）])\s*"
)
_TOP_ITEM = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|\d{1,2}\s*[、.．])\s*"
)


@dataclass
class PlanResult:
    data: bytes
    warnings: list[str] = field(default_factory=list)
    items: int = 0
    drafted: bool = False


def plan_texts_for(snap: Snapshot, term: Term) -> dict[str, list[str]]:
    """Section -> paragraphs, from the newest plan note of the term."""
    rows = [r for r in snap.of(PLAN_TEXTS) if r.term == term.id]
    out: dict[str, list[str]] = {}
    for canonical, names in SECTIONS.items():
        mine = [r for r in rows if r.section.strip().strip("【】[]：:") in names]
        if not mine:
            continue
        newest = max(r.source_id or 0 for r in mine)
        lines: list[str] = []
        for r in mine:
            if r.source_id == newest:
                lines += [line.strip() for line in str(r.body).splitlines() if line.strip()]
        if lines:
            out[canonical] = lines
    return out


def term_plan_items(snap: Snapshot, term: Term, start: dt.date, end: dt.date) -> list[PlanItem]:
    out = []
    for item in snap.of(PLAN_ITEMS):
        day = item.when
        if (day and start <= day <= end) or (not day and item.term == term.id):
            out.append(item)
    return sorted(out, key=lambda i: (i.when or dt.date.max, i.id))


def _time_text(item: PlanItem) -> str:
    day = item.when
    if not day:
        return item.time_text or "全学期"
    return f"{day.month}月{day.day}日" if item.day else f"{day.month}月"


def _note_text(item: PlanItem) -> str:
    return f"（{item.note}）" if item.note else ""


def _owner(activity: str, committee: dict[str, str]) -> str:
    secretary = "、".join(sorted(holders(committee, "书记"))) or "支部书记"
    organizer = "、".join(sorted(holders(committee, "组织委员"))) or "组织委员"
    return {"党小组会": "各党小组组长", "主题党日": organizer, "谈心谈话": "支部委员"}.get(
        activity, secretary
    )


def term_months_between(first: dt.date, last: dt.date) -> list[Period]:
    out, day = [], first.replace(day=1)
    while day <= last:
        out.append(month_period(day.year, day.month))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def _draft_rows(
    gaps: list[tuple[Rule, Period]], ruleset: RuleSet, start: dt.date, end: dt.date, committee: dict[str, str]
) -> list[tuple[dt.date, str, str]]:
    """Rows for the rule-required activities: in their month, or the first month of the period in the term."""
    rows = []
    for rule, period in gaps:
        months = [
            p
            for p in term_months_between(max(period.start, start), min(period.end, end))
            if not ruleset.exempt(rule, p.month) and p.month not in ruleset.exempt_months
        ]
        # Monthly and quarterly work early in the period; yearly work (组织生活会…) at its end.
        if not months:
            day = max(period.start, start)
        else:
            day = (months[0] if rule.per in ("month", "quarter", "half-year") else months[-1]).start
        what = f"{rule.key if not rule.by else '书记讲党课'}（{rule.describe()}）"
        if rule.activity == "谈心谈话":
            what = f"开展谈心谈话（{rule.describe()}）"
        rows.append((day.replace(day=1), what, _owner(rule.activity, committee)))
    return sorted(rows, key=lambda r: r[0])


def _numbered_tasks(doc, lines: list[str]) -> None:
    """主要任务 from the note: item headings renumbered （一）（二）…, other lines as paragraphs."""
    n = 0
    for line in lines:
        if _TOP_ITEM.match(line) and len(line) <= 40:
            n += 1
            wk.heading(doc, 2, wk.heading_number(2, n) + _ITEM_HEAD.sub("", line, count=1))
        else:
            wk.paragraph(doc, line)


NARRATIVE = ("指导思想", "工作目标", "保障措施")


def missing_sections(snap: Snapshot, term: Term) -> list[str]:
    """The plan's narrative sections the branch has not written for ``term`` (left out of the plan)."""
    texts = plan_texts_for(snap, term)
    return [s for s in NARRATIVE if s not in texts]


def missing_message(missing: list[str]) -> str:
    """What the run and ``zhibu status`` say about the sections left out of the plan."""
    names = "、".join(f"“{s}”" for s in missing)
    return f"工作计划中没有{names}（本学期的计划说明没有写），请在{FILL_IN}中填写后放入收件箱，再运行 zhibu batch"


def build_plan(term: Term, calendar: TermCalendar, config, ruleset: RuleSet, snap: Snapshot) -> PlanResult:
    """The plan, dated (署名 and file) at its ``plan_date``."""
    branch = config.branch_name
    start, end = calendar.bounds(term)
    committee = committee_names(config.committee, snap.members)
    texts = plan_texts_for(snap, term)
    items = term_plan_items(snap, term, start, end)
    gaps = plan_gaps(term, calendar, ruleset, snap, config.committee)
    result = PlanResult(b"", items=len(items), drafted=not items)

    doc = wk.new_document()
    wk.name_or_rule(doc, branch, wk.TITLE)
    title = wk.title(doc, f"{term.label}工作计划")
    wk.paragraph(doc, "", wk.FIELD)
    numbers = iter(range(1, 10))

    def heading(text: str):
        return wk.heading(doc, 1, f"{wk.heading_number(1, next(numbers))}{text}")

    def narrative(section: str) -> None:
        if section in texts:
            heading(section)
            for line in texts[section]:
                wk.paragraph(doc, line)

    narrative("指导思想")
    narrative("工作目标")
    _tasks(doc, heading("主要任务"), texts, items, ruleset, result)
    _schedule(doc, heading, items, gaps, ruleset, start, end, committee, result)
    narrative("保障措施")

    missing = [s for s in NARRATIVE if s not in texts]
    if missing:
        names = "、".join(f"“{s}”" for s in missing)
        wk.comment(
            doc,
            title.runs,
            f"本计划没有{names}：本学期的计划说明没有写。可在{FILL_IN}中填写后重新运行 zhibu batch，"
            "也可以直接在本文档中补写。",
        )
        result.warnings.append(missing_message(missing))
    day = plan_date(term, start, config)
    wk.signature_block(doc, branch, day)
    result.data = wk.save_dated(doc, f"{branch}{term.label}工作计划", day)
    if items:
        by_rule: dict[str, list[Period]] = {}
        rules = {}
        for rule, period in gaps:
            by_rule.setdefault(rule.key, []).append(period)
            rules[rule.key] = rule
        for key, periods in by_rule.items():
            rule = rules[key]
            result.warnings.append(
                f"工作计划缺少{key}：{'、'.join(p.zh for p in periods)}（{rule.describe()}；{rule.source}）"
            )
    return result


def _tasks(doc, head, texts: dict, items: list[PlanItem], ruleset: RuleSet, result: PlanResult) -> None:
    """主要任务 (under ``head``): from the plan note, else the register's items by category, else
    the rules (said in a comment on the heading)."""
    if "主要任务" in texts:
        _numbered_tasks(doc, texts["主要任务"])
        return
    by_category: dict[str, list[str]] = {}
    for item in items:
        contents = by_category.setdefault(item.category.strip() or "其他工作", [])
        if item.content.strip() not in contents:
            contents.append(item.content.strip())
    if by_category:
        for n, (category, contents) in enumerate(by_category.items(), 1):
            wk.heading(doc, 2, f"{wk.heading_number(2, n)}{category}")
            for k, content in enumerate(contents, 1):
                wk.paragraph(doc, f"{k}．{content}")
        return
    wk.heading(doc, 2, f"{wk.heading_number(2, 1)}严格落实组织生活制度")
    for k, rule in enumerate(ruleset.rules, 1):
        wk.paragraph(doc, f"{k}．{rule.key}：{rule.describe()}。")
    wk.comment(
        doc,
        head.runs,
        f"本节按党内规定的基本要求列出（没有计划说明，也没有计划表）：请在{FILL_IN}中写明“主要任务”，"
        "或直接在本文档中修改。",
    )
    result.warnings.append("工作计划的“主要任务”按党内规定的基本要求列出（没有计划说明，也没有计划表）")


def _schedule(doc, heading, items, gaps, ruleset: RuleSet, start, end, committee, result: PlanResult) -> None:
    """工作安排: the month-by-month table (drafted from the rules when there is no register, said
    in a comment on the heading); left out when there is nothing to schedule."""
    if items:
        rows = [[_time_text(i), i.content.strip() + _note_text(i), i.owner.strip()] for i in items]
    else:
        rows = [
            [f"{d.month}月", what, owner]
            for d, what, owner in _draft_rows(gaps, ruleset, start, end, committee)
        ]
    if not rows:
        result.warnings.append("工作计划中没有“工作安排”：本学期没有计划表，党内规定的活动也都已开过")
        return
    head = heading("工作安排")
    if not items:
        wk.comment(
            doc,
            head.runs,
            "未导入本学期的工作计划表：下表按党内规定的基本要求列出，请补充具体工作内容"
            "（把工作计划表放入收件箱后重新运行 zhibu batch）。",
        )
        result.warnings.append("没有找到本学期的工作计划表，工作安排按党内规定的基本要求列出，请核对补充")
    header = ["时间", "工作内容", "责任人"]
    t = wk.table(doc, header, rows, wk.fit_widths(header, rows, nowrap=(0, 2)))
    wk.merge_down(t, 0)
    wk.center_cells(t, [0, 2])


def plan_date(term: Term, start: dt.date, config) -> dt.date:
    """The plan is dated at the start of its term, unless [[calendar.terms]] gives plan_date."""
    configured = getattr(config, "plan_date", None)
    return (configured(term.id) if configured else None) or start
