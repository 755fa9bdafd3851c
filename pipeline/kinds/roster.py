"""党员名册: one row a member. 身份证号, 联系电话 and the like are never read (the reader's
``SENSITIVE`` columns) and never stored.

转出时间 is the month the member's organisation was transferred out (dues are owed up to
that month). A new roster becomes the active version (the older stay as history) and is used from then on
for who should attend each meeting; minutes filed before without known counts are rendered again.
A 待修正 roster dropped back merges its corrected members into the active one.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, words
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind, RenderEnv, TermData
from pipeline.kinds.form import DAY, MONTH, Col, Form
from pipeline.records.archived import MeetingRow
from pipeline.records.meeting import Meeting
from pipeline.records.register_rows import Member, Where, normalize_member_type, title_level

NAME = "党员名册"
DATA: TermData[Member] = TermData("members", lambda store: store.active_roster())

COLUMNS = KindSpec(
    NAME,
    (
        S("name", "姓名", *words("党员姓名"), weight=1),
        S("gender", "性别"),
        S("birth", "出生年月", *words("出生日期 出生年月日 生日 出生时间")),
        S("ethnicity", "民族"),
        S("native_place", "籍贯", *words("出生地")),
        S("education", "学历", *words("最高学历 文化程度 全日制学历")),
        S("degree", "学位", *words("最高学位")),
        S("title", "职称", *words("专业技术职务 专业技术职称 技术职称 专业技术职务（职称）")),
        S("title_level", "职称级别", *words("职称等级 职称层次 专业技术职务级别")),
        S("position", "职务/岗位", *words("职务 岗位 行政职务 现任职务 职务岗位 工作岗位")),
        S("department", "教研室", *words("部门 所在部门 科室 工作单位 所在教研室 单位 所在单位")),
        S("joined", "入党时间", *words("入党日期 入党年月")),
        S("confirmed", "转正时间", *words("转正日期 转正年月")),
        S("member_type", "党员类别", *words("党员类型 类别 身份 党籍状态 正式/预备 党员身份 人员类别")),
        S("party_group", "所在党小组", *words("党小组 小组 所属党小组")),
        S("party_post", "党内职务", *words("支部职务 党内职位 党务职务 支部内职务")),
        S("honours", "荣誉", *words("荣誉称号 获奖情况 所获荣誉 主要荣誉 获得荣誉"), weight=1),
        S(
            "transferred_out",
            "转出时间",
            *words("转出日期 转出年月 组织关系转出时间 组织关系转出日期 转出 关系转出时间"),
            weight=1,
        ),
        S("note", "备注", weight=1),
    ),
    required=(("name",),),
    minimum=3,
    title_words=("名册", "花名册", "党员信息", "党员基本信息", "党员名单"),
)

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
DATE_FIELDS = ("birth", "joined", "confirmed", "transferred_out")


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


# --- filing ------------------------------------------------------------------------------------


def file(ctx, result, records, plan, outcome, filed) -> None:
    filed.roster = _roster(ctx, result, records[NAME], plan, outcome)
    if filed.roster is not None:
        filed.waiting = _waiting_for_roster(ctx)


def _roster(ctx, result, members: list[Member], plan, outcome) -> list[Member] | None:
    """The roster this register makes active; None when it changes nothing."""
    current = ctx.store.active_roster()
    read = len(members)
    if result.correction and current:
        fixed = {m.name: m for m in members}
        merged = [fixed.pop(m.name, m) for m in current]
        members = merged + list(fixed.values())
        outcome.warnings.append(f"这是待修正文件：已把改正的{read}人并入现有名册")
    fields = Member.COLUMNS
    if current and [[getattr(m, f) for f in fields] for m in current] == [
        [getattr(m, f) for f in fields] for m in members
    ]:
        outcome.warnings.append("名册内容与当前名册相同，未作更改")
        return None
    formal = sum(1 for m in members if not m.is_probationary)
    outcome.counts[NAME] = len(members)
    note = f"党员名册已更新为{len(members)}人（正式党员{formal}人、预备党员{len(members) - formal}人）"
    if current:
        note += f"，原名册（{len(current)}人）保留为历史版本"
    outcome.warnings.append(note)
    plan.index_writers.append(lambda store, source_id: store.replace_roster(source_id, members))
    return members


def _waiting_for_roster(ctx) -> list[tuple[MeetingRow, Meeting]]:
    """Minutes filed before a roster said who should attend (their counts are unknown)."""
    found = []
    for row in ctx.store.minutes_without_counts():
        meeting = ctx.rebuild_meeting(row)
        if meeting is not None and not meeting.type.is_talk:
            found.append((row, meeting))
    return found


_NAMED_DAY = re.compile(r"(20\d{2})\s*[-./年]\s*(\d{1,2})(?:\s*[-./月]\s*(\d{1,2}))?")


def roster_day(display_name: str, members: list[Member]) -> dt.date | None:
    """A roster's own date: one written in its file name or title, else the latest 入党/转正
    date in it (a roster is as recent as its newest member)."""
    found = _NAMED_DAY.search(display_name)
    if found:
        year, month, day = int(found.group(1)), int(found.group(2)), int(found.group(3) or 1)
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    days = []
    for m in members:
        for text in (m.joined[:10], m.confirmed[:10]):
            try:
                days.append(dt.date.fromisoformat(text + "-01" if len(text) == 7 else text))
            except ValueError:
                continue
    return max(days) if days else None


def days(result, records, calendar) -> list[dt.date]:
    """The roster's own date, unless the workbook has meetings to date it."""
    if result.meetings:
        return []
    day = roster_day(result.display_name, records[NAME])
    return [day] if day else []


# --- zhibu render and zhibu forms ----------------------------------------------------------------

RENDERED = (
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
    ("转出时间", "transferred_out"),
)


def variables(m: Member, env: RenderEnv) -> tuple[str, dict, str]:
    context = env.base() | {label: getattr(m, key) or "" for label, key in RENDERED}
    return m.name or NAME, context, f"工作表「{m.where.sheet or ''}」第{m.where.row or '?'}行"


POSTS = ("党支部书记", "副书记", "组织委员", "宣传委员", "纪检委员", "支部委员", "党小组长")
FORM = Form(
    "党员名册.xlsx",
    (
        Col("序号", 6),
        Col("姓名", 10),
        Col("性别", 6, choices=("男", "女"), strict=True),
        Col("出生年月", 12, MONTH),
        Col("民族", 8),
        Col("籍贯", 10),
        Col("学历", 12),
        Col("学位", 8, choices=("博士", "硕士", "学士", "无")),
        Col("职称", 14),
        Col("职务/岗位", 14),
        Col("教研室", 14),
        Col("入党时间", 14, DAY),
        Col("转正时间", 14, DAY),
        Col("党员类别", 10, choices=("正式", "预备"), strict=True),
        Col("所在党小组", 14),
        Col("党内职务", 12, choices=POSTS),
        Col("荣誉", 30),
        Col("转出时间", 14, DAY),
    ),
    "每行一名党员；不需要填写身份证号、联系电话（系统不读取、不保存这些信息）",
)

KIND = RegisterKind(
    name=NAME,
    folder_words=("名册", "花名册", "党员信息", "名单"),
    folder_names=("党员", "党员名单"),
    precedence=3,
    layouts=(
        Layout(
            COLUMNS, ("name",), read_row, "姓名、性别、出生年月、学历、职称、党员类别、所在党小组、党内职务"
        ),
    ),
    form=FORM,
    file=file,
    days=days,
    data=(DATA,),
    variables=variables,
)
