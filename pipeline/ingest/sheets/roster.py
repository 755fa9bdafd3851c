"""党员名册: one row a member. 身份证号, 联系电话 and the like are never read (see header.SENSITIVE)."""

from __future__ import annotations

import datetime as dt

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.records.register_rows import Member, Where, normalize_member_type, title_level

TEXT_FIELDS = (
    "gender",
    "ethnicity",
    "native_place",
    "education",
    "degree",
    "title",
    "position",
    "department",
    "party_group",
    "party_post",
)
DATE_FIELDS = ("birth", "joined", "confirmed")


def read_row(ctx: SheetContext, rr: RowReader) -> Member | None:
    name = rr.get("name", cells.name) or ""
    if not name and rr.ok:
        rr.fail("name", "没有填写姓名", hint="请填写姓名，或删除这一行。")
    values = {key: rr.get(key, cells.one_line) or "" for key in TEXT_FIELDS}
    dates = {key: rr.get(key, cells.iso_period, rr.label(key)) or "" for key in DATE_FIELDS}
    honours = "、".join(rr.text("honours").split("\n"))
    level_text = rr.get("title_level", cells.one_line) or ""
    type_text = rr.get("member_type", cells.one_line) or ""
    member_type = normalize_member_type(type_text)
    if member_type is None:
        rr.fail("member_type", f"党员类别「{type_text}」无法识别", hint="请填写「正式」或「预备」。")
    seen = ctx.state.setdefault("names", {})
    if name and name in seen:
        rr.fail(
            "name",
            f"姓名「{name}」与第{seen[name]}行重复",
            hint="同一党员只保留一行；如确有同名党员，请在姓名后加以区分，例如「张伟（机械）」。",
        )
    if not rr.ok:
        return None
    seen[name] = rr.number
    if not member_type:
        member_type = _guess_type(dates["joined"], dates["confirmed"])
    level = title_level(values["title"], level_text)
    if (values["title"] or level_text) and not level:
        shown = values["title"] or level_text
        ctx.result.warnings.append(
            f"{ctx.location(rr.number, rr.label('title')).describe()}：职称「{shown}」看不出级别，统计职称时未计入"
        )
    if values["party_group"] and values["party_group"].isdigit():
        values["party_group"] = f"第{values['party_group']}党小组"
    return Member(
        name=name,
        **values,
        **dates,
        title_level=level,
        member_type=member_type,
        honours=honours,
        where=Where(ctx.sheet, rr.number),
    )


def _guess_type(joined: str, confirmed: str) -> str:
    """No 党员类别 given: 预备 when 入党 less than a year ago and not yet 转正."""
    if confirmed or not joined:
        return "正式"
    try:
        year, month = int(joined[:4]), int(joined[5:7])
    except ValueError:
        return "正式"
    today = dt.date.today()
    months = (today.year - year) * 12 + today.month - month
    return "预备" if months < 12 else "正式"
