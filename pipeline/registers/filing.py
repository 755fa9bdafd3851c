"""Filing registers: the Processor's hooks for issue 3.

* ``enrich_attendance`` (a MEETING_ENRICHER) completes every meeting before it is rendered:
  its sign-in sheet (from the same workbook, or stored earlier) and the active roster
  (``pipeline.registers.attendance``).
* ``file_register`` (a FILING_EXTENSION) adds a register's rows to the filing's transaction
  (achievements, a new roster version, plan items, sign-ins), the per-category counts of the
  run summary, the 待修正 workbook for bad rows, and re-renders minutes already filed when
  their sign-in sheet arrives (the corrected version replaces the old one, which goes to
  历史版本 as for any corrected meeting).
* ``source_day`` picks the day whose term files the original (``{学年}/{学期}/原始材料``):
  the term most of the rows belong to, the plan's term, or today for a roster.

Sensitive columns: the archived copy of a register with 身份证号/联系电话 columns has them
blanked (``pipeline.registers.sanitize``); see ``_archive_sanitized``.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import unicodedata
from collections import Counter

from pipeline.archive.files import atomic_write_bytes
from pipeline.errors import Location, ZhibuError
from pipeline.ingest.sheets import SIGNIN_ATTRIBUTE, RegisterResult, matching_meetings, signin_sheets
from pipeline.records.calendar import Term
from pipeline.records.registers import (
    ACHIEVEMENTS,
    KINDS,
    PLAN,
    ROSTER,
    SIGNIN,
    Member,
    SignInSheet,
    normalize_category,
    normalize_level,
)
from pipeline.registers import attendance, store
from pipeline.registers.corrections import correction_name, correction_workbook
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


# --- the enricher ------------------------------------------------------------------------------


def enrich_attendance(processor, meeting) -> None:
    db = processor.index.db
    sheet = getattr(meeting, SIGNIN_ATTRIBUTE, None)
    if sheet is None and not meeting.type.is_talk:
        sheet = store.signin_for(db, meeting.type.name, meeting.date)
    attendance.apply(
        meeting, signin=sheet, members=store.active_roster(db), config_committee=processor.ws.config.committee
    )


# --- where the original goes -----------------------------------------------------------------


def source_day(result, calendar) -> dt.date | None:
    """The day whose term files a register's original; None for notes (the Processor decides)."""
    if not isinstance(result, RegisterResult):
        return None
    days: list[dt.date] = [m.date for m in result.meetings]
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


def file_register(processor, result, plan, outcome) -> None:
    if not isinstance(result, RegisterResult) or result.is_empty:
        return  # notes; or only bad rows: the whole file goes to 失败 and nothing is stored
    items = result.items
    if ACHIEVEMENTS in items:
        _achievements(processor, result, plan, outcome)
    if ROSTER in items:
        _roster(processor, result, plan, outcome)
    if PLAN in items:
        _plan(processor, result, plan, outcome)
    if SIGNIN in items:
        _signins(processor, result, plan, outcome)
    if result.bad_rows:
        target = processor.ws.failed / correction_name(result.display_name)
        atomic_write_bytes(target, correction_workbook(result))
        rel = target.relative_to(processor.ws.root).as_posix()
        outcome.warnings.append(
            f"有{len(result.bad_rows)}行未能处理，已另存到 {rel}（最后一列是错误原因）："
            "改正后只需把这个文件放回 inbox，已处理的行不必重放"
        )
    # Every register, whatever the reader saw: personal data may sit under any header, in any sheet.
    _archive_sanitized(processor, plan, outcome)


def _archive_sanitized(processor, plan, outcome) -> None:
    """Archive the register with its sensitive columns blanked, never the values themselves.

    The blanked copy is what the commit archives; the inbox file itself is left as it is
    until the commit removes it.
    """
    report = sanitize_register(plan.inbox_file)
    if report is None:
        return
    plan.archived_data = report.data
    outcome.warnings.append(report.message)


# --- achievements ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


def _achievements(processor, result, plan, outcome) -> None:
    cfg = processor.ws.config
    section = cfg["achievements"]
    category_aliases, level_aliases = dict(section["category_aliases"]), dict(section["level_aliases"])
    order = tuple(section["category_order"])
    calendar = cfg.calendar
    db = processor.index.db
    existing: dict[tuple, sqlite3.Row] = {}
    for r in db.execute("SELECT * FROM achievements"):
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

    def write(db, source_id):
        columns = (
            "source_id",
            "name",
            "category",
            "level",
            "authors",
            "date",
            "term",
            "issuer",
            "evidence",
            "note",
            "sheet",
            "row",
        )
        db.executemany(
            f"INSERT INTO achievements ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [(source_id, *(r[c] for c in columns[1:])) for r in inserts],
        )
        for old_id, r in updates:
            db.execute(
                "UPDATE achievements SET level = ?, issuer = ?, evidence = ?, note = ?, source_id = ?, "
                "sheet = ?, row = ? WHERE id = ?",
                (r["level"], r["issuer"], r["evidence"], r["note"], source_id, r["sheet"], r["row"], old_id),
            )

    plan.index_writers.append(write)


# --- roster ------------------------------------------------------------------------------------


def _roster(processor, result, plan, outcome) -> None:
    db = processor.index.db
    current = store.active_roster(db)
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
        return
    formal = sum(1 for m in members if not m.is_probationary)
    outcome.counts["党员名册"] = len(members)
    note = f"党员名册已更新为{len(members)}人（正式党员{formal}人、预备党员{len(members) - formal}人）"
    if current:
        note += f"，原名册（{len(current)}人）保留为历史版本"
    outcome.warnings.append(note)

    def write(db, source_id):
        db.execute("UPDATE roster_versions SET active = 0 WHERE active = 1")
        version = db.execute(
            "INSERT INTO roster_versions (source_id, imported_at, active) VALUES (?, ?, 1)",
            (source_id, _now()),
        ).lastrowid
        db.executemany(
            f"INSERT INTO members (version_id, {', '.join(fields)}) VALUES (?{', ?' * len(fields)})",
            [(version, *(getattr(m, f) for f in fields)) for m in members],
        )

    plan.index_writers.append(write)


# --- plan --------------------------------------------------------------------------------------


def _plan(processor, result, plan, outcome) -> None:
    calendar = processor.ws.config.calendar
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
    db = processor.index.db
    if replace:
        marks = ",".join("?" * len(terms))
        old_items = db.execute(f"SELECT count(*) FROM plan_items WHERE term IN ({marks})", terms).fetchone()[
            0
        ]
        if old_items and rows:
            outcome.warnings.append(f"已用本表替换 {'、'.join(terms)} 学期原有的{old_items}条计划事项")

    def write(db, source_id):
        if replace:
            marks = ",".join("?" * len(terms))
            if rows:
                db.execute(f"DELETE FROM plan_items WHERE term IN ({marks})", terms)
            if text_rows:
                db.execute(f"DELETE FROM plan_texts WHERE term IN ({marks})", terms)
        db.executemany(
            "INSERT INTO plan_items (source_id, term, month, date, content, category, activity, owner, "
            "note) VALUES (?,?,?,?,?,?,?,?,?)",
            [(source_id, *r) for r in rows],
        )
        db.executemany(
            "INSERT INTO plan_texts (source_id, term, section, body) VALUES (?,?,?,?)",
            [(source_id, *r) for r in text_rows],
        )

    plan.index_writers.append(write)


# --- sign-in sheets ----------------------------------------------------------------------------


def _signins(processor, result, plan, outcome) -> None:
    sheets = signin_sheets(result.items[SIGNIN], result.display_name)
    taken = {o.path for o in plan.outputs}
    for sheet in sheets:
        label = f"{sheet.date.isoformat()} {sheet.meeting_type}"
        outcome.counts[f"签到表（{label}）"] = len(sheet.entries)

        def write(db, source_id, sheet=sheet):
            db.execute(
                "DELETE FROM signins WHERE meeting_type = ? AND date = ?",
                (sheet.meeting_type, sheet.date.isoformat()),
            )
            db.executemany(
                "INSERT INTO signins (source_id, meeting_type, date, name, present, note) "
                "VALUES (?,?,?,?,?,?)",
                [
                    (source_id, sheet.meeting_type, sheet.date.isoformat(), e.name, int(e.present), e.note)
                    for e in sheet.entries
                ],
            )

        plan.index_writers.append(write)
        if matching_meetings(result.meetings, sheet):
            continue  # its meeting is in this very workbook and was rendered with it
        filed = _filed_minutes(processor.index.db, sheet)
        if not filed:
            outcome.warnings.append(
                f"签到表（{label}）已保存；还没有这次会议的记录，"
                "会议笔记放入收件箱后会自动按签到表填写到会情况"
            )
            continue
        for row in filed:
            _rerender(processor, row, sheet, plan, outcome, taken)


def _filed_minutes(db, sheet: SignInSheet) -> list[sqlite3.Row]:
    rows = db.execute(
        "SELECT * FROM outputs WHERE active = 1 AND kind = 'minutes' AND meeting_type = ? AND date = ?"
        " ORDER BY id",
        (sheet.meeting_type, sheet.date.isoformat()),
    ).fetchall()
    if sheet.topic and len(rows) > 1:
        rows = [r for r in rows if sheet.topic in (r["topic"] or "")] or rows
    return rows


def _rerender(processor, row, sheet: SignInSheet, plan, outcome, taken: set) -> None:
    """Render filed minutes again with the sign-in sheet; the old version goes to history."""
    meeting, source_name = rebuild_meeting(processor, row)
    label = f"{sheet.date.isoformat()} {sheet.meeting_type}"
    if meeting is None:
        outcome.warnings.append(
            f"签到表（{label}）已保存，但找不到这次会议的原始笔记，无法重新生成会议记录；"
            "请把会议笔记重新放入收件箱"
        )
        return
    setattr(meeting, SIGNIN_ATTRIBUTE, sheet)
    planned, warnings = processor.plan_meeting(meeting, source_name, taken)
    plan.outputs.append(planned)
    outcome.warnings.append(f"已按签到表重新生成 {label} 的会议记录（更正稿），原稿移到历史版本")
    outcome.warnings += warnings


def rebuild_meeting(processor, row) -> tuple:
    """The Meeting behind filed minutes, read again from its archived original.

    Minutes re-rendered for a sign-in sheet have that sheet as their source; the meeting's
    own source is then found along the versions they replaced.
    """
    from pipeline.ingest import read_input

    db = processor.index.db
    current = row
    for _ in range(100):
        src = db.execute("SELECT * FROM sources WHERE id = ?", (current["source_id"],)).fetchone()
        if src is not None and src["kind"] != SIGNIN and src["archived_path"]:
            path = processor.ws.root / src["archived_path"]
            hint = src["kind"] if src["kind"] in KINDS else None
            try:
                found = (
                    read_input(path, display_name=src["original_name"], kind_hint=hint).meetings
                    if path.is_file()
                    else []
                )
            except ZhibuError as err:
                log.info("cannot re-read %s: %s", path, err)
                found = []
            same = [
                m for m in found if m.type.name == row["meeting_type"] and m.date.isoformat() == row["date"]
            ]
            if same:
                best = [m for m in same if m.topic == (row["topic"] or "")] or same
                return best[0], src["original_name"]
        current = db.execute("SELECT * FROM outputs WHERE replaced_by = ?", (current["id"],)).fetchone()
        if current is None:
            break
    return None, None


ENRICHERS = [enrich_attendance]
EXTENSIONS = [file_register]
