"""签到表: who came to one meeting. The meeting (type, date) comes from the title rows, the
sheet name or the file name; the rows give 姓名, 签到 and 备注.

Sheets printed to fit a page often repeat the columns side by side (姓名 | 签到 | 姓名 | 签到):
every 姓名 column starts a group with the 签到/备注 columns to its right.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.errors import DateFormatError
from pipeline.ingest.dates import find_date
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.records.register_rows import SignIn, Where
from pipeline.records.types import resolve_meeting_type

ABSENT_WORDS = (
    "缺席",
    "未到",
    "请假",
    "病假",
    "事假",
    "公假",
    "公出",
    "出差",
    "外出",
    "未签到",
    "未参加",
    "缺",
    "否",
    "×",
    "✗",
    "✘",
    "X",
    "x",
    "0",
    "无",
    "未参会",
    "不参加",
    "休假",
    "产假",
    "培训",
    "学习",
)
REASON_WORDS = ("请假", "病假", "事假", "公假", "公出", "出差", "外出", "休假", "产假", "培训", "学习")
PRESENT_WORDS = (
    "√",
    "✓",
    "✔",
    "☑",
    "是",
    "到",
    "已到",
    "出席",
    "已签",
    "已签到",
    "参加",
    "1",
    "Y",
    "y",
    "迟到",
)
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


def _state(ctx: SheetContext, file_stem: str) -> dict:
    if "meeting" not in ctx.state:
        mtype, date, topic = meeting_of(ctx, file_stem)
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


def read_row(ctx: SheetContext, rr: RowReader, file_stem: str) -> list[SignIn]:
    state = _state(ctx, file_stem)
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
    return out
