"""Filing a register: its rows go into the filing's index transaction, and the minutes they
change are handed back to be planned again.

``file_register`` is called by the processor for every register input. It adds a register's
rows to the filing plan (achievements, a new roster version, plan items, sign-ins; each a
store method run inside the commit transaction), the per-category counts of the run summary,
the 待修正 workbook for bad rows, and returns the minutes already filed that must be rendered
again: those of a meeting whose sign-in sheet arrived, and those filed without known counts
when a roster arrives (the corrected version replaces the old one, which goes to 历史版本 as for
any corrected meeting). ``source_day`` picks the day whose term files the original.

Sensitive columns: the archived copy of a register with 身份证号/联系电话 columns has them
blanked (``pipeline.registers.sanitize``); see ``_archive_sanitized``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import Location, ZhibuError
from pipeline.fs.files import atomic_write_bytes, unique_path
from pipeline.ingest import read_input
from pipeline.ingest.legacy import LEGACY_SUFFIXES
from pipeline.ingest.sheets import RegisterResult, matching_meetings, signin_sheets
from pipeline.records.archived import MeetingRow
from pipeline.records.calendar import Term
from pipeline.records.meeting import Meeting
from pipeline.records.register_rows import (
    ACHIEVEMENTS,
    DEVELOPMENT,
    KINDS,
    PLAN,
    ROSTER,
    SIGNIN,
    Member,
    SignInSheet,
    normalize_category,
    normalize_level,
)
from pipeline.registers.corrections import correction_name, correction_workbook
from pipeline.registers.development import file_development
from pipeline.registers.sanitize import sanitize_register

log = logging.getLogger("zhibu")

PLAN_TEXTS = "计划说明"


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _where(result: RegisterResult, where: dict | None, column: str | None = None) -> str:
    where = where or {}
    return Location(
        file=result.display_name, sheet=where.get("sheet"), row=where.get("row"), column=column
    ).describe()


@dataclass
class RegisterFiling:
    """What filing a register changes beyond its own rows."""

    replan: list[tuple[MeetingRow, Meeting]] = field(default_factory=list)  # filed minutes to render again
    roster: list[Member] | None = None  # the roster this filing makes active
    # Filed minutes without attendance counts: rendered again when the new roster gives them.
    waiting: list[tuple[MeetingRow, Meeting]] = field(default_factory=list)


@dataclass
class FilingContext:
    """The workspace as filing a register sees it."""

    store: object  # pipeline.store.Store, read inside the filing
    root: Path  # the workspace root
    failed: Path  # inbox/失败/
    config: object  # pipeline.config.Config


# --- where the original goes -----------------------------------------------------------------


_NAMED_DAY = re.compile(r"(20\d{2})\s*[-./年]\s*(\d{1,2})(?:\s*[-./月]\s*(\d{1,2}))?")


def roster_day(result: RegisterResult) -> dt.date | None:
    """A roster's own date: one written in its file name or title, else the latest 入党/转正
    date in it (a roster is as recent as its newest member)."""
    found = _NAMED_DAY.search(result.display_name)
    if found:
        year, month, day = int(found.group(1)), int(found.group(2)), int(found.group(3) or 1)
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    days = []
    for item in result.items.get(ROSTER, []):
        for key in ("joined", "confirmed"):
            text = (item.get(key) or "")[:10]
            try:
                days.append(dt.date.fromisoformat(text + "-01" if len(text) == 7 else text))
            except ValueError:
                continue
    return max(days) if days else None


def source_day(result, calendar) -> dt.date | None:
    """The day whose term files a register's original; None for notes (the Processor decides)."""
    if not isinstance(result, RegisterResult):
        return None
    days: list[dt.date] = [m.date for m in result.meetings]
    if ROSTER in result.items and not days:
        day = roster_day(result)
        if day:
            days.append(day)
    for kind in (ACHIEVEMENTS, SIGNIN):
        days += [i["date"] for i in result.items.get(kind, []) if i.get("date")]
    for item in result.items.get(PLAN, []) + result.items.get(PLAN_TEXTS, []):
        if item.get("term"):
            days.append(calendar.bounds(Term.parse(item["term"]))[0])
        elif item.get("year") and item.get("month"):
            days.append(dt.date(item["year"], item["month"], item.get("day") or 1))
    if not days:
        return None
    terms = Counter(calendar.term_of(d) for d in days)
    top = max(terms.values())
    term = max(t for t, n in terms.items() if n == top)  # a tie goes to the later term
    return min(d for d in days if calendar.term_of(d) == term)


# --- the extension -----------------------------------------------------------------------------


def file_register(ctx: FilingContext, result: RegisterResult, plan, outcome) -> RegisterFiling:
    """Add a register's rows to ``plan``; returns the filed minutes it changes."""
    filed = RegisterFiling()
    if result.is_empty:
        return filed  # only bad rows: the whole file goes to 失败 and nothing is stored
    items = result.items
    if ACHIEVEMENTS in items:
        _achievements(ctx, result, plan, outcome)
    if ROSTER in items:
        filed.roster = _roster(ctx, result, plan, outcome)
        if filed.roster is not None:
            filed.waiting = _waiting_for_roster(ctx)
    if PLAN in items:
        _plan(ctx, result, plan, outcome)
    if SIGNIN in items:
        filed.replan += _signins(ctx, result, plan, outcome)
    if DEVELOPMENT in items:
        file_development(ctx, result, plan, outcome)
    if result.bad_rows:
        target = ctx.failed / correction_name(result.display_name)
        atomic_write_bytes(target, correction_workbook(result))
        rel = target.relative_to(ctx.root).as_posix()
        outcome.warnings.append(
            f"有{len(result.bad_rows)}行未能处理，已另存到 {rel}（最后一列是错误原因）："
            "改正后只需把这个文件放回 inbox，已处理的行不必重放"
        )
    # Every register, whatever the reader saw: personal data may sit under any header, in any sheet.
    _archive_sanitized(plan, outcome)
    return filed


def _archive_sanitized(plan, outcome) -> None:
    """Archive the register with its sensitive columns blanked, never the values themselves.

    The blanked copy is what the commit archives; the inbox file itself is left as it is
    until the commit removes it.
    """
    report = sanitize_register(plan.inbox_file)
    if report is None:
        return
    plan.archived_data = report.data
    if report.data[:4] == b"PK\x03\x04" and plan.original_dest.suffix.lower() in LEGACY_SUFFIXES:
        # The blanked copy of an old-format sheet is an .xlsx workbook.
        plan.original_dest = unique_path(plan.original_dest.with_suffix(".xlsx"))
    outcome.warnings.append(report.message)


# --- achievements ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


def _achievements(ctx: FilingContext, result, plan, outcome) -> None:
    cfg = ctx.config
    section = cfg.achievements
    category_aliases, level_aliases = dict(section.category_aliases), dict(section.level_aliases)
    order = tuple(section.category_order)
    calendar = cfg.calendar
    existing: dict[tuple, dict] = {}
    for r in ctx.store.achievements():
        existing[(_fold(r["name"]), r["category"], _fold(r["authors"]), r["date"])] = r
    inserts, updates, same = [], [], 0
    seen: dict[tuple, int] = {}
    counts: Counter = Counter()
    for item in result.items[ACHIEVEMENTS]:
        where = item.get("where") or {}
        category, known = normalize_category(item["category_text"], category_aliases, order, item["name"])
        if not known:
            what = f"类别「{item['category_text']}」无法识别" if item["category_text"] else "没有填写类别"
            outcome.warnings.append(
                f"{_where(result, where, '类别')}：{what}，已归入「其他」（可用的类别：{'、'.join(order)}）"
            )
        level, level_known = normalize_level(item["level_text"], level_aliases)
        if not level_known:
            outcome.warnings.append(
                f"{_where(result, where, '级别')}：级别「{item['level_text']}」无法识别，已按原样保存"
                "（可在 zhibu.toml 的 achievements.level_aliases 中补充）"
            )
        day: dt.date | None = item["date"]
        row = {
            "name": item["name"],
            "category": category,
            "level": level,
            "authors": item["authors"],
            "date": day.isoformat() if day else None,
            "term": calendar.term_of(day).id if day else None,
            "issuer": item["issuer"],
            "evidence": item["evidence"],
            "note": item["note"],
            "sheet": where.get("sheet"),
            "row": where.get("row"),
        }
        key = (_fold(row["name"]), category, _fold(row["authors"]), row["date"])
        if key in seen:
            outcome.warnings.append(f"{_where(result, where)}：与第{seen[key]}行是同一项成果，已只登记一次")
            continue
        seen[key] = where.get("row") or 0
        old = existing.get(key)
        if old is None:
            inserts.append(row)
            counts[category] += 1
        elif any((old[k] or "") != (row[k] or "") for k in ("level", "issuer", "evidence", "note")):
            updates.append((old["id"], row))
        else:
            same += 1
    for category in sorted(counts, key=lambda c: order.index(c) if c in order else len(order)):
        outcome.counts[f"成果（{category}）"] = counts[category]
    if updates:
        outcome.warnings.append(f"{len(updates)}项成果此前已登记过，已按本表更新级别、单位等信息")
    if same:
        outcome.warnings.append(f"{same}项成果此前已登记过，内容相同，未重复添加")

    def write(store, source_id):
        store.insert_achievements(source_id, inserts)
        for old_id, r in updates:
            store.update_achievement(old_id, source_id, r)

    plan.index_writers.append(write)


# --- roster ------------------------------------------------------------------------------------


def _roster(ctx: FilingContext, result, plan, outcome) -> list[Member] | None:
    """The roster this register makes active; None when it changes nothing."""
    current = ctx.store.active_roster()
    members = [Member(**{k: v for k, v in item.items() if k != "where"}) for item in result.items[ROSTER]]
    if result.correction and current:
        fixed = {m.name: m for m in members}
        merged = [fixed.pop(m.name, m) for m in current]
        members = merged + list(fixed.values())
        outcome.warnings.append(f"这是待修正文件：已把改正的{len(result.items[ROSTER])}人并入现有名册")
    fields = Member.COLUMNS
    if current and [[getattr(m, f) for f in fields] for m in current] == [
        [getattr(m, f) for f in fields] for m in members
    ]:
        outcome.warnings.append("名册内容与当前名册相同，未作更改")
        return None
    formal = sum(1 for m in members if not m.is_probationary)
    outcome.counts["党员名册"] = len(members)
    note = f"党员名册已更新为{len(members)}人（正式党员{formal}人、预备党员{len(members) - formal}人）"
    if current:
        note += f"，原名册（{len(current)}人）保留为历史版本"
    outcome.warnings.append(note)
    plan.index_writers.append(lambda store, source_id: store.replace_roster(source_id, members))
    return members


def _waiting_for_roster(ctx: FilingContext) -> list[tuple[MeetingRow, Meeting]]:
    """Minutes filed before a roster said who should attend (their counts are unknown)."""
    found = []
    for row in ctx.store.minutes_without_counts():
        meeting = rebuild_meeting(ctx, row)
        if meeting is not None and not meeting.type.is_talk:
            found.append((row, meeting))
    return found


# --- plan --------------------------------------------------------------------------------------


def _plan(ctx: FilingContext, result, plan, outcome) -> None:
    calendar = ctx.config.calendar
    items = result.items.get(PLAN, [])
    texts = result.items.get(PLAN_TEXTS, [])
    # The term of items that do not say it: the one most dated items belong to, else today's.
    known = [i["term"] for i in items + texts if i.get("term")]
    known += [
        calendar.term_of(dt.date(i["year"], i["month"], i.get("day") or 1)).id
        for i in items
        if i.get("year") and i.get("month")
    ]
    fallback = Counter(known).most_common(1)[0][0] if known else None
    if fallback is None and (items or texts):
        fallback = calendar.term_of(dt.date.today()).id
        outcome.warnings.append(
            f"计划表没有写明学期（标题或文件名中写“2024—2025学年第一学期”即可），已按当前学期 {fallback} 处理"
        )
    rows = []
    for item in items:
        year, month, day = item.get("year"), item.get("month"), item.get("day")
        term = item.get("term")
        if month and not year:
            start = Term.parse(term or fallback).start_year
            year = start if month >= 9 else start + 1
        if not term:
            term = calendar.term_of(dt.date(year, month, day or 1)).id if month else fallback
        note = item["note"]
        if item.get("time_text"):
            note = f"时间：{item['time_text']}" + (f"；{note}" if note else "")
        rows.append(
            (
                term,
                f"{year:04d}-{month:02d}" if month else None,
                f"{year:04d}-{month:02d}-{day:02d}" if month and day else None,
                item["content"],
                item["category"],
                item["activity"],
                item["owner"],
                note,
            )
        )
    text_rows = [(t.get("term") or fallback, t["section"], t["body"]) for t in texts]
    terms = sorted({r[0] for r in rows} | {r[0] for r in text_rows})
    replace = not result.correction
    if rows:
        outcome.counts["工作计划（事项）"] = len(rows)
    if text_rows:
        outcome.counts["工作计划（说明）"] = len(text_rows)
    if replace and rows:
        old_items = ctx.store.count_plan_items(terms)
        if old_items:
            outcome.warnings.append(f"已用本表替换 {'、'.join(terms)} 学期原有的{old_items}条计划事项")
    plan.index_writers.append(
        lambda store, source_id: store.store_plan(source_id, terms, rows, text_rows, replace)
    )


# --- sign-in sheets ----------------------------------------------------------------------------


def _signins(ctx: FilingContext, result, plan, outcome) -> list[tuple[MeetingRow, Meeting]]:
    replan = []
    for sheet in signin_sheets(result.items[SIGNIN], result.display_name):
        label = f"{sheet.date.isoformat()} {sheet.meeting_type}"
        outcome.counts[f"签到表（{label}）"] = len(sheet.entries)
        plan.index_writers.append(
            lambda store, source_id, sheet=sheet: store.replace_signins(source_id, sheet)
        )
        if matching_meetings(result.meetings, sheet):
            continue  # its meeting is in this very workbook and was rendered with it
        filed = _filed_minutes(ctx, sheet)
        if not filed:
            outcome.warnings.append(
                f"签到表（{label}）已保存；还没有这次会议的记录，"
                "会议笔记放入收件箱后会自动按签到表填写到会情况"
            )
            continue
        for row in filed:
            meeting = rebuild_meeting(ctx, row)
            if meeting is None:
                outcome.warnings.append(
                    f"签到表（{label}）已保存，但找不到这次会议的原始笔记，无法重新生成会议记录；"
                    "请把会议笔记重新放入收件箱"
                )
                continue
            meeting.signin = sheet
            replan.append((row, meeting))
            outcome.warnings.append(f"已按签到表重新生成 {label} 的会议记录（更正稿），原稿移到历史版本")
    return replan


def _filed_minutes(ctx: FilingContext, sheet: SignInSheet) -> list[MeetingRow]:
    rows = ctx.store.minutes_on(sheet.meeting_type, sheet.date.isoformat())
    if sheet.topic and len(rows) > 1:
        rows = [r for r in rows if sheet.topic in r.topic] or rows
    return rows


def rebuild_meeting(ctx: FilingContext, row: MeetingRow) -> Meeting | None:
    """The Meeting behind filed minutes, read again from its archived original.

    Minutes re-rendered for a sign-in sheet or a roster have that register as their source; the
    meeting's own source is then found along the versions they replaced.
    """
    current: MeetingRow | None = row
    for _ in range(100):
        if current is None:
            break
        src = ctx.store.source(current.source_id)
        if src is not None and src.kind not in (SIGNIN, ROSTER) and src.archived_path:
            found = _meetings_in(ctx.root / src.archived_path, src.original_name, src.kind)
            same = [m for m in found if m.type.name == row.type and m.date == row.date]
            if same:
                best = [m for m in same if m.topic == row.topic] or same
                best[0].source_name = src.original_name
                return best[0]
        current = ctx.store.replaced_version(current.id)
    return None


def _meetings_in(path: Path, name: str, kind: str) -> list[Meeting]:
    hint = kind if kind in KINDS else None
    if not path.is_file():
        return []
    try:
        return read_input(path, display_name=name, kind_hint=hint).meetings
    except ZhibuError as err:
        log.info("cannot re-read %s: %s", path, err)
        return []
