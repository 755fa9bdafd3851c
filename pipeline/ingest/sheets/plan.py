"""工作计划表: one row a planned piece of work (时间/月份, 工作内容, 类别, 责任人, 备注).

The term comes from the title (2024—2025学年第一学期…), the sheet name or the file name; a
month written without its year (10月) takes the year from that term. Each item names the
activity it schedules (支委会, 党课 …) when its category or content names one, for the
semester plan and the compliance check. A sheet of 栏目 | 内容 rows (指导思想, 工作目标 …)
gives the plan's text sections.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.header import PLAN_SECTIONS
from pipeline.records.register_rows import PlanItem, PlanText, Where
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type

# 时间 cells that are not a month: recurring or term-long work.
RECURRING = (
    "每月",
    "每周",
    "每季度",
    "每学期",
    "全学期",
    "本学期",
    "学期内",
    "长期",
    "持续",
    "全年",
    "常态化",
    "全程",
    "按需",
    "适时",
    "随时",
    "每两周",
    "每半月",
    "日常",
)


def activity_of(category: str, content: str) -> str | None:
    """The activity an item schedules: its category when that is one, else the first one its
    content names (召开组织生活会，开展民主评议党员 → 组织生活会)."""
    found = resolve_meeting_type(category, exact=True) if category else None
    if found:
        return found.name
    text = "".join(content.split())
    best = None
    for mtype in MEETING_TYPES:
        for name in (mtype.name, *mtype.aliases):
            at = text.find(name)
            if at >= 0 and (best is None or (at, -len(name)) < best[0]):
                best = ((at, -len(name)), mtype.name)
    return best[1] if best else None


def read_row(ctx: SheetContext, rr: RowReader) -> PlanItem | None:
    content = rr.text("content")
    if not content and rr.ok:
        rr.fail("content", "没有填写工作内容", hint="请填写工作内容，或删除这一行。")
    raw_time = rr.raw("month")
    time_text = ""
    when = None
    folded = cells.folded(raw_time) if not isinstance(raw_time, cells.CellErrorValue) else ""
    if (
        raw_time is not None
        and folded
        and any(w in folded for w in RECURRING)
        and not re.search(r"\d", folded)
    ):
        time_text = cells.one_line(raw_time)
    else:
        when = rr.get("month", cells.period, rr.label("month"))
    category = rr.get("category", cells.one_line) or ""
    owner = "、".join(rr.text("owner").split("\n"))
    note = rr.text("note")
    if not rr.ok:
        return None
    item = PlanItem(
        content=content,
        term=ctx.time.term,
        category=category,
        owner=owner,
        note=note,
        time_text=time_text,
        activity=activity_of(category, content),
        where=Where(ctx.sheet, rr.number),
    )
    if when is not None:
        item.month, item.day = when.month, when.day
        item.year = when.year if when.year is not None else ctx.year_of(when.month)
    return item


def read_text_row(ctx: SheetContext, rr: RowReader) -> PlanText | None:
    section = "".join(unicodedata.normalize("NFKC", rr.text("section")).split()).strip(
        "【】[]:：、一二三四五六七八九十"
    )
    body = rr.text("body")
    if not body:
        return None  # a section of the blank form left empty
    if not section:
        rr.fail(
            "section",
            "写了内容，但没有写栏目名称",
            hint="请填写栏目，例如 指导思想、工作目标、主要任务、保障措施。",
        )
        return None
    if section not in PLAN_SECTIONS:
        ctx.result.warnings.append(
            f"{ctx.location(rr.number, rr.label('section')).describe()}：栏目「{section}」不是常用栏目"
            f"（{'、'.join(PLAN_SECTIONS)}），已照原样保存"
        )
    return PlanText(section, body, ctx.time.term, Where(ctx.sheet, rr.number))
