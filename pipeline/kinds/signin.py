"""签到表: who came to one meeting. The meeting (type, date) comes from the title rows, the
sheet name or the file name; the rows give 姓名, 签到 and 备注.

Sheets printed to fit a page often repeat the columns side by side (姓名 | 签到 | 姓名 | 签到):
every 姓名 column starts a group with the 签到/备注 columns to its right. A sheet gives the
attendance of its meeting: a meeting in the same workbook is rendered with it, minutes filed
before are rendered again (the corrected version replaces the old one), and minutes filed
later use the stored sheet.
"""

from __future__ import annotations

import re
import unicodedata

from openpyxl.styles import Alignment, Font

from pipeline.errors import DateFormatError
from pipeline.ingest.dates import find_date
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, words
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind
from pipeline.kinds.form import BORDER, DAY, Col, Form, FormEnv, lay_out, validation
from pipeline.records.archived import MeetingRow
from pipeline.records.meeting import Meeting
from pipeline.records.register_rows import SignIn, SignInSheet, Where
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type

NAME = "签到表"

COLUMNS = KindSpec(
    NAME,
    (
        S("name", "姓名", *words("党员姓名 名字 人员 参会人 参会人员")),
        S(
            "sign",
            "签到",
            *words(
                "签名 签字 本人签名 本人签字 签到情况 到会 到会情况 是否到会 出席 出席情况 签到签名 签到（签名） 参会情况 是否参加 考勤"
            ),
        ),
        S("note", "备注", *words("请假原因 缺席原因 原因 说明 请假事由"), weight=1),
    ),
    required=(("name",), ("sign",)),
    minimum=2,
    title_words=("签到",),
)

ABSENT_WORDS = tuple(
    words(
        "缺席 未到 请假 病假 事假 公假 公出 出差 外出 未签到 未参加 缺 否 × ✗ ✘ X x 0 无 未参会 不参加 休假 产假 培训 学习"
    )
)
REASON_WORDS = tuple(words("请假 病假 事假 公假 公出 出差 外出 休假 产假 培训 学习"))
PRESENT_WORDS = tuple(words("√ ✓ ✔ ☑ 是 到 已到 出席 已签 已签到 参加 1 Y y 迟到"))
_TOPIC = re.compile(r"(?:主题|会议名称|会议主题|活动主题)[:：]\s*(?P<topic>[^\s:：]+)")


def meeting_of(ctx: SheetContext, file_stem: str) -> tuple:
    """(meeting type, date, topic) from the title rows, then the sheet name, then the file name."""
    mtype = date = None
    topic = ""
    texts = [ctx.header.title, ctx.sheet or "", file_stem]
    for text in texts:
        if text and mtype is None:
            mtype = resolve_meeting_type(text)
        if text and date is None:
            try:
                found = find_date(text)
            except DateFormatError as err:
                raise ctx.sheet_error(err.message, err.hint) from None
            date = found[0] if found else None
    m = _TOPIC.search(unicodedata.normalize("NFKC", ctx.header.title))
    if m:
        topic = m.group("topic")
    return mtype, date, topic


def _state(ctx: SheetContext) -> dict:
    if "meeting" not in ctx.state:
        mtype, date, topic = meeting_of(ctx, ctx.stem)
        missing = [w for w, v in (("会议类型", mtype), ("日期", date)) if v is None]
        if missing:
            raise ctx.sheet_error(
                f"签到表没有写明{'和'.join(missing)}，无法对应到会议",
                hint="请在表格第一行写标题，例如「支委会签到表 2024年10月8日」，"
                "或把文件命名为「2024-10-08 支委会签到表.xlsx」。",
            )
        ctx.state["meeting"] = (mtype, date, topic)
        ctx.state["seen"] = {}
        ctx.info.context = f"{mtype.name}签到表 {date.year}年{date.month}月{date.day}日" + (
            f" 主题：{topic}" if topic else ""
        )
        ctx.state["groups"] = _groups(ctx)
    return ctx.state


def _groups(ctx: SheetContext) -> list[tuple[int, int | None, int | None]]:
    """(name column, sign column, note column) for each repeated block of columns."""
    names = ctx.header.by_key.get("name", [])
    signs = ctx.header.by_key.get("sign", [])
    notes = ctx.header.by_key.get("note", [])
    groups = []
    for n, start in enumerate(names):
        end = names[n + 1] if n + 1 < len(names) else 10**6
        sign = next((i for i in signs if start < i < end), None)
        note = next((i for i in notes if start < i < end), None)
        groups.append((start, sign, note))
    return groups


def attendance(mark, note: str) -> tuple[bool, str]:
    """(present?, reason or remark) from the 签到 cell and the 备注."""
    text = cells.folded(mark)
    if not text:
        reason = next((w for w in REASON_WORDS if w in note), "")
        return False, note or reason
    if text in PRESENT_WORDS or text.startswith("迟到"):
        return True, note
    if any(text == w or text.startswith(w) for w in ABSENT_WORDS):
        reason = note or (cells.one_line(mark) if any(w in text for w in REASON_WORDS) else "")
        return False, reason
    return True, note  # a signature


def read_row(ctx: SheetContext, rr: RowReader) -> list[SignIn]:
    """The people of one row (one per block); none when a cell of the row cannot be used."""
    state = _state(ctx)
    mtype, date, topic = state["meeting"]
    out: list[SignIn] = []
    for block, (name_col, sign_col, note_col) in enumerate(state["groups"]):

        def value(col):
            return rr.values[col] if col is not None and col < len(rr.values) else None

        raw_name, mark, raw_note = value(name_col), value(sign_col), value(note_col)
        broken = False
        for col, raw in ((name_col, raw_name), (sign_col, mark), (note_col, raw_note)):
            try:
                if col is not None:
                    cells.check_usable(raw)
            except cells.CellProblem as problem:
                rr.fail_column(ctx.header.columns[col].label, problem.message, problem.hint)
                broken = True
        if broken:
            continue
        name, note = cells.name(raw_name), cells.one_line(raw_note)
        if not name:
            if not cells.is_blank(mark) or note:
                rr.fail_column(
                    ctx.header.columns[name_col].label,
                    "姓名为空，但这一行填写了签到或备注",
                    hint="请补上姓名，或删除这一行。",
                )
            continue
        if sign_col is None:
            present, reason = (False, note) if any(w in note for w in ABSENT_WORDS) else (True, note)
        else:
            present, reason = attendance(mark, note)
        if name in state["seen"]:
            ctx.result.warnings.append(
                f"{ctx.location(rr.number).describe()}：「{name}」在第{state['seen'][name]}行已出现过，已只计一次"
            )
            continue
        state["seen"][name] = rr.number
        out.append(SignIn(mtype.name, date, name, present, reason, topic, Where(ctx.sheet, rr.number), block))
    return out if rr.ok else []


def signin_sheets(entries: list[SignIn], source: str = "") -> list[SignInSheet]:
    """Group sign-in lines by meeting (type, date, topic), keeping the order of the file."""
    sheets: dict[tuple, SignInSheet] = {}
    order: dict = {}
    for entry in entries:
        key = (entry.meeting_type, entry.date, entry.topic or "")
        sheet = sheets.get(key)
        if sheet is None:
            sheet = sheets[key] = SignInSheet(key[0], key[1], key[2], source=source)
        order.setdefault(entry.where.sheet, len(order))
        sheet.entries.append(entry)
    for sheet in sheets.values():
        # blocks printed side by side are read down the left block first, as a person does
        sheet.entries.sort(key=lambda e: (order[e.where.sheet], e.block, e.where.row or 0))
    return list(sheets.values())


def matching_meetings(candidates, sheet: SignInSheet) -> list:
    """Meetings a sign-in sheet is for: same type and date; its topic decides between several."""
    same = [m for m in candidates if m.type.name == sheet.meeting_type and m.date == sheet.date]
    if sheet.topic and len(same) > 1:
        same = [m for m in same if sheet.topic in m.topic] or same
    return same


def attach(result) -> None:
    """A workbook with meetings and their sign-in sheets: attach each sheet to its meeting."""
    if not result.meetings or NAME not in result.items:
        return
    for sheet in signin_sheets(result.items[NAME], result.display_name):
        for m in matching_meetings(result.meetings, sheet):
            m.signin = sheet


# --- filing ------------------------------------------------------------------------------------


def file(ctx, result, records, plan, outcome, filed) -> None:
    for sheet in signin_sheets(records[NAME], result.display_name):
        label = f"{sheet.date.isoformat()} {sheet.meeting_type}"
        outcome.counts[f"签到表（{label}）"] = len(sheet.entries)
        plan.index_writers.append(
            lambda store, source_id, sheet=sheet: store.replace_signins(source_id, sheet)
        )
        if matching_meetings(result.meetings, sheet):
            continue  # its meeting is in this very workbook and was rendered with it
        filed.replan += _replan(ctx, sheet, label, outcome)


def _replan(ctx, sheet: SignInSheet, label: str, outcome) -> list[tuple[MeetingRow, Meeting]]:
    """The filed minutes of the sheet's meeting, to be rendered again with its attendance."""
    rows = ctx.store.minutes_on(sheet.meeting_type, sheet.date.isoformat())
    if sheet.topic and len(rows) > 1:
        rows = [r for r in rows if sheet.topic in r.topic] or rows
    if not rows:
        outcome.warnings.append(
            f"签到表（{label}）已保存；还没有这次会议的记录，会议笔记放入收件箱后会自动按签到表填写到会情况"
        )
        return []
    replan = []
    for row in rows:
        meeting = ctx.rebuild_meeting(row)
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


def days(result, records, calendar) -> list:
    return [e.date for e in records[NAME]]


# --- zhibu forms -------------------------------------------------------------------------------


def build_form(wb, form: Form, env: FormEnv) -> None:
    """A sheet for one meeting: its type and date above the header, the roster's names filled in."""
    ws = wb.active
    ws.title = "签到表"
    lay_out(ws, f"{env.branch}会议签到表", form.columns_for(env), 4, form.help, list(env.names))
    types = tuple(t.name for t in MEETING_TYPES)
    for row, label in ((2, "会议类型："), (3, "日期：")):
        ws.cell(row, 1, label).font = Font(bold=True)
        ws.cell(row, 1).alignment = Alignment(horizontal="right")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.cell(row, 3).border = BORDER
    ws.cell(3, 3).number_format = DAY
    ws.cell(3, 3).alignment = Alignment(horizontal="left")
    ws.add_data_validation(validation(Col("会议类型", 0, choices=types), "C", 2, 2))


KIND = RegisterKind(
    name=NAME,
    folder_words=("签到", "考勤", "出勤"),
    precedence=1,
    layouts=(Layout(COLUMNS, ("name",), read_row, "姓名、签到、备注", blocks=True),),
    form=Form(
        "签到表.xlsx",
        (Col("序号", 6), Col("姓名", 14), Col("签到", 20), Col("备注", 24)),
        "每张签到表对应一次会议：请在上面填写会议类型和日期；到会的在「签到」栏签名或打 √，请假的在「备注」写原因",
        build=build_form,
    ),
    file=file,
    days=days,
    finish=attach,
)
