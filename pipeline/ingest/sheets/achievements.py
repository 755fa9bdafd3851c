"""成果登记表: papers, projects, textbooks, awards … one row an achievement."""

from __future__ import annotations

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.records.register_rows import Achievement, Where, normalize_category, normalize_level


def _authors(rr: RowReader) -> str:
    authors = rr.text("authors").replace("\n", "、")
    rank = rr.get("rank", cells.one_line) or ""
    if authors and rank:
        return f"{authors}（第{rank}）" if rank.isdigit() else f"{authors}（{rank}）"
    return authors


def read_row(ctx: SheetContext, rr: RowReader) -> Achievement | None:
    name = rr.get("name", cells.one_line) or ""
    if not name and rr.ok:
        rr.fail("name", "没有填写成果名称", hint="请填写成果名称，或删除这一行。")
    when = rr.get("date", cells.period, rr.label("date"))
    date = None
    if when is None and rr.ok and rr.has("date"):
        rr.fail("date", "没有填写时间", hint="请填写获得（发表、立项）时间，例如 2024年10月 或 2024-10-08。")
    elif when is not None:
        year = when.year if when.year is not None else ctx.year_of(when.month)
        if year is None:
            rr.fail(
                "date",
                f"「{rr.label('date')}」只写了月份，没有年份",
                hint="请写成 2024年10月 这样带年份的时间。",
            )
        else:
            when.year = year
            date = when.date()
    category_text = rr.get("category", cells.one_line) or ""
    level_text = rr.get("level", cells.one_line) or ""
    authors = _authors(rr)
    issuer, evidence, note = rr.text("issuer"), rr.text("evidence"), rr.text("note")
    if not rr.ok:
        return None
    category, known = normalize_category(category_text, name=name)
    level, _ = normalize_level(level_text)
    return Achievement(
        name=name,
        category=category,
        category_text=category_text,
        level=level,
        level_text=level_text,
        authors=authors,
        date=date,
        month_only=bool(when and when.day is None),
        issuer=" ".join(issuer.split("\n")),
        evidence=evidence,
        note=note,
        where=Where(ctx.sheet, rr.number),
    )
