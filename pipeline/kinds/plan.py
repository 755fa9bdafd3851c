"""工作计划表: one row a planned piece of work (时间/月份, 工作内容, 类别, 责任人, 备注), and the
计划说明 sheet of 栏目 | 内容 rows (指导思想, 工作目标 …) that gives the plan's text sections.

The term comes from the title (2024—2025学年第一学期…), the sheet name or the file name; a
month written without its year (10月) takes the year from that term. Each item names the
activity it schedules (支委会, 党课 …) when its category or content names one, for the
semester plan and the compliance check. A newer plan of a term replaces that term's plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, words
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind, RenderEnv, TermData
from pipeline.kinds.form import MONTH, Col, Form, FormEnv, lay_out
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type
from pipeline.store.tables import Table

NAME = "工作计划表"
TEXTS = "计划说明"
SECTIONS = ("指导思想", "工作目标", "主要任务", "重点工作", "保障措施", "工作思路", "总体思路")
TIME_MARK = "时间："  # a 时间 that is no month (每月 …) is stored at the head of the note


@dataclass
class PlanItem:
    content: str
    term: str | None = None  # term id (from the sheet's title or file name; set for every item filed)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    time_text: str = ""  # the 时间 cell when it is not a month (每月, 全学期 …)
    category: str = ""
    activity: str | None = None  # canonical meeting type the item schedules
    owner: str = ""
    note: str = ""
    sheet: str | None = None
    row: int | None = None
    id: int | None = None
    source_id: int | None = None

    @property
    def when(self) -> dt.date | None:
        """The day planned, or the first of the month planned; None for 每月, 全学期 …"""
        return dt.date(self.year, self.month, self.day or 1) if self.year and self.month else None


@dataclass
class PlanText:
    section: str
    body: str
    term: str | None = None
    sheet: str | None = None
    row: int | None = None
    id: int | None = None
    source_id: int | None = None


def _encode(item: PlanItem) -> dict[str, Any]:
    when = item.when
    note = item.note
    if item.time_text:
        note = f"{TIME_MARK}{item.time_text}" + (f"；{note}" if note else "")
    return {
        "term": item.term,
        "month": f"{when.year:04d}-{when.month:02d}" if when else None,
        "date": when.isoformat() if when and item.day else None,
        "content": item.content,
        "category": item.category,
        "activity": item.activity,
        "owner": item.owner,
        "note": note,
    }


def _decode(r: Mapping[str, Any]) -> PlanItem:
    item = PlanItem(
        content=r["content"] or "",
        term=r["term"],
        category=r["category"] or "",
        activity=r["activity"],
        owner=r["owner"] or "",
        note=(r["note"] or "").strip(),
        id=r["id"],
        source_id=r["source_id"],
    )
    for key, size in (("date", 10), ("month", 7)):
        text = (r[key] or "").strip()
        try:
            day = dt.datetime.strptime(text[:size], "%Y-%m-%d" if size == 10 else "%Y-%m").date()
        except ValueError:
            continue
        item.year, item.month, item.day = day.year, day.month, day.day if size == 10 else None
        break
    if item.note.startswith(TIME_MARK):
        time, _, rest = item.note[len(TIME_MARK) :].partition("；")
        item.time_text, item.note = time.strip(), rest.strip()
    return item


ITEMS = Table(
    "plan_items",
    PlanItem,
    ("term", "month", "date", "content", "category", "activity", "owner", "note"),
    order=("month", "date", "id"),
    encode=_encode,
    decode=_decode,
)
TEXT_TABLE = Table("plan_texts", PlanText, ("term", "section", "body"))
ITEMS_DATA: TermData[PlanItem] = TermData("plan_items", lambda store: store.records(ITEMS))
TEXTS_DATA: TermData[PlanText] = TermData("plan_texts", lambda store: store.records(TEXT_TABLE))

COLUMNS = KindSpec(
    NAME,
    (
        S(
            "month",
            "时间/月份",
            *words("时间 月份 日期 时间安排 计划时间 完成时间 时间节点 月 时间（月份） 实施时间"),
            weight=1,
        ),
        S(
            "content",
            "工作内容",
            *words("内容 工作事项 事项 活动内容 工作任务 主要内容 工作安排 具体内容 重点工作 工作项目"),
        ),
        S("category", "类别", *words("类型 工作类别 分类 板块 项目类别"), weight=1),
        S("owner", "责任人", *words("负责人 责任部门 牵头人 责任领导 具体负责 责任人/部门")),
        S("note", "完成标准/备注", *words("备注 完成标准 要求 工作要求 预期成果 完成标准及备注"), weight=1),
    ),
    required=(("content",), ("month", "owner")),
    minimum=3,
    title_words=("工作计划", "计划表", "工作安排", "学期计划", "年度计划"),
)
TEXT_COLUMNS = KindSpec(
    NAME,
    (
        S("section", "栏目", *words("部分 项目 板块 标题")),
        S("body", "内容", *words("正文 具体内容 说明")),
    ),
    required=(("section",), ("body",)),
    minimum=2,
    title_words=(),
)

# 时间 cells that are not a month: recurring or term-long work.
RECURRING = tuple(
    words(
        "每月 每周 每季度 每学期 全学期 本学期 学期内 长期 持续 全年 常态化 全程 按需 适时 随时 每两周 每半月 日常"
    )
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
        sheet=ctx.sheet,
        row=rr.number,
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
    if section not in SECTIONS:
        ctx.result.warnings.append(
            f"{ctx.location(rr.number, rr.label('section')).describe()}：栏目「{section}」不是常用栏目"
            f"（{'、'.join(SECTIONS)}），已照原样保存"
        )
    return PlanText(section, body, ctx.time.term, ctx.sheet, rr.number)


def _texts_wanted(sheet: str, stem: str, forced: str | None) -> bool:
    """计划说明 sheets are looked for in a plan workbook (or a sheet named …说明)."""
    return forced == NAME or "计划" in sheet + stem or "说明" in sheet


# --- filing ------------------------------------------------------------------------------------


def file(ctx, result, records, plan, outcome, filed) -> None:
    calendar = ctx.config.calendar
    items: list[PlanItem] = records[NAME]
    texts: list[PlanText] = records[TEXTS]
    if not items and not texts:
        return
    # The term of items that do not say it: the one most dated items belong to, else today's.
    known = [i.term for i in items if i.term] + [t.term for t in texts if t.term]
    known += [calendar.term_of(i.when).id for i in items if i.when]
    fallback = Counter(known).most_common(1)[0][0] if known else None
    if fallback is None:
        fallback = calendar.term_of(dt.date.today()).id
        outcome.warnings.append(
            f"计划表没有写明学期（标题或文件名中写“2024—2025学年第一学期”即可），已按当前学期 {fallback} 处理"
        )
    filed_items = [_filed(i, fallback, calendar) for i in items]
    filed_texts = [dataclasses.replace(t, term=t.term or fallback) for t in texts]
    terms = sorted({i.term for i in filed_items if i.term} | {t.term for t in filed_texts if t.term})
    replace = not result.correction
    if filed_items:
        outcome.counts["工作计划（事项）"] = len(filed_items)
    if filed_texts:
        outcome.counts["工作计划（说明）"] = len(filed_texts)
    if replace and filed_items:
        old_items = ctx.store.count_records(ITEMS, "term", terms)
        if old_items:
            outcome.warnings.append(f"已用本表替换 {'、'.join(terms)} 学期原有的{old_items}条计划事项")

    def write(store, source_id):
        if replace and filed_items:
            store.delete_records(ITEMS, "term", terms)
        if replace and filed_texts:
            store.delete_records(TEXT_TABLE, "term", terms)
        store.insert_records(ITEMS, source_id, filed_items)
        store.insert_records(TEXT_TABLE, source_id, filed_texts)

    plan.index_writers.append(write)


def _filed(item: PlanItem, fallback: str, calendar: TermCalendar) -> PlanItem:
    """An item with its year and term: a month without a year is in the item's (or the plan's) term."""
    year, term = item.year, item.term
    if item.month:
        if not year:
            start = Term.parse(term or fallback).start_year
            year = start if item.month >= 9 else start + 1
        term = term or calendar.term_of(dt.date(year, item.month, item.day or 1)).id
    return dataclasses.replace(item, year=year, term=term or fallback)


def days(result, records, calendar) -> list[dt.date]:
    out = []
    for record in [*records[NAME], *records[TEXTS]]:
        if record.term:
            out.append(calendar.bounds(Term.parse(record.term))[0])
        elif isinstance(record, PlanItem) and record.when:
            out.append(record.when)
    return out


# --- zhibu render and zhibu forms ----------------------------------------------------------------


def variables(item: PlanItem, env: RenderEnv) -> tuple[str, dict, str]:
    time = item.time_text or (f"{item.year}年{item.month}月" if item.year and item.month else "")
    context = env.base() | {
        "时间": time,
        "工作内容": item.content,
        "类别": item.category,
        "责任人": item.owner,
        "备注": item.note,
    }
    return time or NAME, context, f"工作表「{item.sheet or ''}」第{item.row or '?'}行"


CATEGORIES = tuple(
    words("三会一课 主题党日 组织生活会 民主评议党员 谈心谈话 学习教育 党员发展 党风廉政 志愿服务 其他")
)


def build_form(wb, form: Form, env: FormEnv) -> None:
    """The items sheet and a 计划说明 sheet with its usual sections."""
    ws = wb.active
    ws.title = "工作计划"
    lay_out(ws, f"{env.branch}{env.term_label}工作计划", form.columns_for(env), 2, form.help)
    texts = wb.create_sheet(TEXTS)
    lay_out(
        texts,
        f"{env.branch}{env.term_label}工作计划说明",
        [Col("栏目", 14), Col("内容", 90)],
        2,
        "每个栏目写一段文字，不需要的栏目可以空着",
    )
    for i, section in enumerate(("指导思想", "工作目标", "主要任务", "保障措施"), start=3):
        texts.cell(i, 1, section)
        texts.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")


KIND = RegisterKind(
    name=NAME,
    folder_words=("计划",),
    precedence=5,
    layouts=(
        Layout(COLUMNS, ("content",), read_row, "时间/月份、工作内容、类别、责任人"),
        Layout(
            TEXT_COLUMNS,
            ("section", "body"),
            read_text_row,
            "栏目、内容",
            name=TEXTS,
            shown="工作计划说明",
            wanted=_texts_wanted,
        ),
    ),
    form=Form(
        "工作计划表.xlsx",
        (
            Col("序号", 6),
            Col("时间/月份", 14, MONTH),
            Col("工作内容", 44),
            Col("类别", 14, choices=CATEGORIES),
            Col("责任人", 12),
            Col("完成标准/备注", 30),
        ),
        "每行一项工作；时间写月份（10月）或“每月”“全学期”；责任人写姓名",
        build=build_form,
    ),
    file=file,
    days=days,
    data=(ITEMS_DATA, TEXTS_DATA),
    variables=variables,
)
