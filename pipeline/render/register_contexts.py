"""Template variables for each row of a register, for ``zhibu render`` (one document per row).

A meeting row gets exactly the variables of the minutes templates; the other kinds get their
Chinese column names (``{{ 成果名称 }}``, ``{{ 姓名 }}`` …) so that a template the secretary
writes reads like her spreadsheet. Pure: no file I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pipeline.config.schema import BranchSettings
from pipeline.ingest.dates import cn_date
from pipeline.ingest.result import IngestResult
from pipeline.render.minutes import build_context

# register kind -> (template variable, item key) in column order
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "成果登记表": (
        ("成果名称", "name"),
        ("类别", "category"),
        ("完成人", "authors"),
        ("级别", "level"),
        ("时间", "date"),
        ("刊物或颁发单位", "issuer"),
        ("佐证材料", "evidence"),
        ("备注", "note"),
    ),
    "党员名册": (
        ("姓名", "name"),
        ("性别", "gender"),
        ("出生年月", "birth"),
        ("民族", "ethnicity"),
        ("籍贯", "native_place"),
        ("学历", "education"),
        ("学位", "degree"),
        ("职称", "title"),
        ("职务", "position"),
        ("教研室", "department"),
        ("入党时间", "joined"),
        ("转正时间", "confirmed"),
        ("党员类别", "member_type"),
        ("所在党小组", "party_group"),
        ("党内职务", "party_post"),
        ("荣誉", "honours"),
    ),
    "工作计划表": (
        ("时间", "time"),
        ("工作内容", "content"),
        ("类别", "category"),
        ("责任人", "owner"),
        ("备注", "note"),
    ),
}


def _text(value, month_only: bool = False) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月" if month_only else cn_date(value)
    return "" if value is None else str(value)


def row_contexts(
    result: IngestResult, branch: BranchSettings, term_label_of, quorum: dict | None = None
) -> Iterator[tuple[str, dict, str]]:
    """(document title, context, where) for every good row; ``where`` names sheet and row."""
    for m in result.meetings:
        yield (
            f"{m.date.isoformat()} {m.type.name} {m.title}",
            build_context(m, branch, term_label_of(m.date), quorum),
            m.source_name,
        )
    for kind, items in result.items.items():
        columns = COLUMNS.get(kind)
        if not columns:
            continue
        for item in items:
            item = item if isinstance(item, dict) else vars(item)
            context = {
                "支部名称": branch.name,
                "学校": branch.school,
                "院系": branch.department,
            }
            if kind == "工作计划表":
                item = dict(
                    item,
                    time=item.get("time_text")
                    or (
                        f"{item['year']}年{item['month']}月" if item.get("year") and item.get("month") else ""
                    ),
                )
            for label, key in columns:
                context[label] = _text(item.get(key), bool(item.get("month_only")))
            where = item.get("where") or {}
            title = context[columns[0][0]] or kind
            yield title, context, f"工作表「{where.get('sheet', '')}」第{where.get('row', '?')}行"
