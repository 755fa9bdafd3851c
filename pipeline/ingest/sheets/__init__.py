"""Spreadsheet registers (issue 3): 会议登记表, 签到表, 成果登记表, 党员名册, 工作计划表.

``read_register`` reads a .xlsx/.xlsm/.csv file sheet by sheet. Each visible sheet is
recognized on its own from its header row (or, when the file was dropped into a typed inbox
subfolder such as ``inbox/成果/``, read as that kind); rows are streamed, and a bad row is
reported with its sheet, row and column while the good rows go on. Meetings come back as
``Meeting`` records exactly like notes; the other kinds as plain dicts in ``items``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from openpyxl.utils import get_column_letter

from pipeline.errors import SheetError
from pipeline.ingest.sheets import achievements, meetings, plan, roster, signin
from pipeline.ingest.sheets.base import (
    CORRECTION_MARK,
    PROPERTY_PREFIX,
    BadRow,
    RegisterResult,
    RowReader,
    SheetContext,
    SheetInfo,
    TimeContext,
    is_blank_row,
    is_footer_row,
)
from pipeline.ingest.sheets.header import KIND_SPECS, SCAN_ROWS, detect, sensitive_columns
from pipeline.ingest.sheets.workbook import Sheet, open_source
from pipeline.records.registers import (
    ACHIEVEMENTS,
    KINDS,
    MEETINGS,
    PLAN,
    ROSTER,
    SIGNIN,
    SignIn,
    SignInSheet,
    Where,
    kind_from_folder,
)

__all__ = ["read_register", "RegisterResult", "SUFFIXES"]

SUFFIXES = (".xlsx", ".xlsm", ".csv")
PLAN_TEXTS = "计划说明"

# Columns a recognized sheet must have to be processed at all.
NEEDED = {
    ACHIEVEMENTS: ("name", "date"),
    MEETINGS: ("date",),
    SIGNIN: ("name",),
    ROSTER: ("name",),
    PLAN: ("content",),
    PLAN_TEXTS: ("section", "body"),
}

KEY_COLUMNS = {
    MEETINGS: "日期、会议类型、主题、地点、主持人、记录人、应到、实到",
    SIGNIN: "姓名、签到、备注",
    ACHIEVEMENTS: "成果名称、类别、完成人、级别、时间、刊物或颁发单位",
    ROSTER: "姓名、性别、出生年月、学历、职称、党员类别、所在党小组、党内职务",
    PLAN: "时间/月份、工作内容、类别、责任人",
}


def read_register(path: Path, display_name: str, kind_hint: str | None = None) -> RegisterResult:
    """Read a register file. Raises an InputError when the file cannot be used at all."""
    folder_kind = kind_from_folder(kind_hint)
    result = RegisterResult(kind="登记表", display_name=display_name)
    stem = Path(display_name).stem
    unrecognized: list[str] = []
    hidden: list[str] = []
    with open_source(path, display_name) as source:
        marked = _marked_kind(source.properties)
        subject = source.properties.get("subject", "")
        result.correction = CORRECTION_MARK in stem or (
            subject.startswith(PROPERTY_PREFIX) and subject.endswith(CORRECTION_MARK)
        )
        forced = folder_kind or marked
        for sheet in source.sheets:
            if sheet.hidden:
                hidden.append(sheet.name)
                result.warnings.append(
                    f"工作表「{sheet.name}」是隐藏的，已跳过（如需处理，请在 Excel 中取消隐藏后重新放入）"
                )
                if sensitive_columns(itertools.islice(sheet.rows, SCAN_ROWS * 2)):
                    result.sensitive = True
                continue
            if not _read_sheet(sheet, result, display_name, stem, forced, marked):
                unrecognized.append(sheet.name)
    if not result.sheets:
        raise _nothing_found(display_name, forced, folder_kind, kind_hint, unrecognized, hidden)
    for name in unrecognized:
        result.warnings.append(f"工作表「{name}」没有找到可识别的登记表表头，已跳过")
    _attach_signins(result)
    result.kind = "+".join(result.kinds)
    return result


def _marked_kind(properties: dict) -> str | None:
    """The kind in the subject of a workbook zhibu wrote (a correction file or a blank form)."""
    subject = properties.get("subject", "")
    if subject.startswith(PROPERTY_PREFIX):
        kind = subject[len(PROPERTY_PREFIX) :].split(":")[0]
        return kind if kind in KINDS else None
    return None


def _nothing_found(display_name, forced, folder_kind, folder, unrecognized, hidden=()) -> SheetError:
    if hidden:  # the register may well be there: say so rather than "empty"
        names = "」「".join(hidden)
        return SheetError(
            f"可见的工作表里没有找到登记表，隐藏的工作表「{names}」没有读取",
            hint="如果登记表在隐藏的工作表里，请在 Excel/WPS 中右键工作表标签选择“取消隐藏”，保存后重新放入收件箱。",
        )
    if forced:
        where = f"（文件放在 inbox/{folder}/ 文件夹里）" if folder_kind else ""
        return SheetError(
            f"按「{forced}」读取{where}，但没有找到它的表头",
            hint=f"{forced}需要「{KEY_COLUMNS[forced]}」等列，表头要写在数据上方的一行（或两行）里；"
            "如果这不是" + forced + "，请把文件移到正确的文件夹或直接放在 inbox/ 下。",
        )
    kinds = "；".join(f"{k}（{v}）" for k, v in KEY_COLUMNS.items())
    what = "工作表都是空的" if not unrecognized else "没有找到可识别的登记表表头"
    return SheetError(
        f"{what}，无法判断这是哪种登记表",
        hint=f"登记表的表头应包含以下列名：{kinds}。也可以把文件放进 inbox/ 下对应的文件夹"
        "（会议、签到、成果、名册、计划），或在 zhibu forms 生成的表格模板里填写。",
    )


def _read_sheet(
    sheet: Sheet, result: RegisterResult, display_name: str, stem: str, forced: str | None, marked: str | None
) -> bool:
    """Read one sheet into ``result``. False when it is not empty but no header was found."""
    buffer: list = []
    nonempty = 0
    for number, values in sheet.rows:
        buffer.append((number, values))
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            nonempty += 1
        if nonempty > SCAN_ROWS or len(buffer) >= 500:
            break
    if not nonempty:
        return True  # an empty sheet (Sheet2, Sheet3): nothing to say
    if sensitive_columns(buffer):
        result.sensitive = True
    kinds = (forced,) if forced else KINDS
    if PLAN in kinds and (
        forced == PLAN or "计划" in (sheet.name or "") + stem or "说明" in (sheet.name or "")
    ):
        kinds = (*kinds, PLAN_TEXTS)
    header = detect(buffer, kinds=kinds, named=marked, relaxed=bool(forced))
    if header is None:
        return False
    time = TimeContext.from_texts(header.title, sheet.name, stem)
    info = SheetInfo(sheet.name, header.kind, header, context=header.title)
    ctx = SheetContext(display_name, sheet.name, header, result, info, time)
    result.sheets.append(info)
    _warn_duplicate_columns(header, sheet.name, result)
    missing = [
        KIND_SPECS[header.kind].field(k).label if header.kind in KIND_SPECS else k
        for k in NEEDED[header.kind]
        if k not in header.by_key
    ]
    sheet_error = None
    if missing:
        sheet_error = ctx.sheet_error(
            f"{_kind_name(header.kind)}缺少「{'」「'.join(missing)}」列，整张表无法处理",
            hint=f"请增加这些列后重新放入。{_kind_name(header.kind)}的常用列："
            f"{KEY_COLUMNS.get(header.kind, '栏目、内容')}。",
        )
        result.row_errors.append(sheet_error)
    rest = itertools.chain(buffer, sheet.rows)
    for number, values in rest:
        if number <= header.last_row or is_blank_row(ctx, values) or is_footer_row(ctx, values):
            continue
        info.rows += 1
        if sheet_error is not None:
            result.bad_rows.append(BadRow(sheet.name, number, values, sheet_error.message))
            continue
        rr = RowReader(ctx, number, values)
        try:
            _read_row(ctx, rr, stem)
        except SheetError as err:  # the sheet as a whole cannot be used (a sign-in without a meeting)
            sheet_error = err
            result.row_errors.append(err)
            result.bad_rows.append(BadRow(sheet.name, number, values, err.message))
            continue
        if rr.problems:
            result.row_errors.extend(rr.problems)
            result.bad_rows.append(
                BadRow(sheet.name, number, values, "；".join(p.message for p in rr.problems))
            )
        else:
            info.good += 1
    if not info.rows:
        result.warnings.append(
            f"工作表「{sheet.name or stem}」只有表头，没有数据行"
            if sheet.name
            else "表格只有表头，没有数据行"
        )
    return True


def _warn_duplicate_columns(header, sheet_name: str | None, result: RegisterResult) -> None:
    """Two columns read as the same field (日期 twice): only the first is read, and we say so."""
    if header.kind == SIGNIN:  # 姓名 | 签到 | 姓名 | 签到: blocks side by side, all read
        return
    where = f"工作表「{sheet_name}」" if sheet_name else "表格"
    for key, idx in header.by_key.items():
        if key.startswith("_") or len(idx) < 2:
            continue
        labels = "、".join(f"{get_column_letter(i + 1)}列「{header.columns[i].label}」" for i in idx)
        result.warnings.append(
            f"{where}有{len(idx)}列都是「{header.label_of(key)}」（{labels}），"
            f"只读取了第一列（{get_column_letter(idx[0] + 1)}列），其余的没有读取"
        )


def _kind_name(kind: str) -> str:
    return "工作计划说明" if kind == PLAN_TEXTS else kind


# Kinds whose every data row is one record of the register (the reader returns it or None).
ONE_RECORD_PER_ROW = {ACHIEVEMENTS: achievements.read_row, ROSTER: roster.read_row, PLAN: plan.read_row}


def _read_row(ctx: SheetContext, rr: RowReader, stem: str) -> None:
    kind = ctx.header.kind
    items = ctx.result.items
    if kind == MEETINGS:
        meeting = meetings.read_row(ctx, rr)
        if meeting:
            ctx.result.meetings.append(meeting)
    elif kind == SIGNIN:
        entries = signin.read_row(ctx, rr, stem)
        if rr.ok:
            items.setdefault(SIGNIN, []).extend(e.as_item() for e in entries)
    elif kind in ONE_RECORD_PER_ROW:
        record = ONE_RECORD_PER_ROW[kind](ctx, rr)
        if record:
            items.setdefault(kind, []).append(record.as_item())
    elif kind == PLAN_TEXTS:
        record = plan.read_text_row(ctx, rr)
        if record:
            items.setdefault(PLAN, [])  # the plan register, even with texts only
            items.setdefault(PLAN_TEXTS, []).append(record.as_item())


def signin_sheets(items: list[dict], source: str = "") -> list[SignInSheet]:
    """Group sign-in lines by meeting (type, date, topic), keeping the order of the file."""
    sheets: dict[tuple, SignInSheet] = {}
    order: dict = {}
    for item in items:
        key = (item["meeting_type"], item["date"], item.get("topic") or "")
        sheet = sheets.get(key)
        if sheet is None:
            sheet = sheets[key] = SignInSheet(key[0], key[1], key[2], source=source)
        where = item.get("where") or {}
        order.setdefault(where.get("sheet"), len(order))
        sheet.entries.append(
            SignIn(
                item["meeting_type"],
                item["date"],
                item["name"],
                bool(item["present"]),
                item.get("note") or "",
                key[2],
                Where(where.get("sheet"), where.get("row")),
                item.get("block", 0),
            )
        )
    for sheet in sheets.values():
        # blocks printed side by side are read down the left block first, as a person does
        sheet.entries.sort(key=lambda e: (order[e.where.sheet], e.block, e.where.row or 0))
    return list(sheets.values())


def _attach_signins(result: RegisterResult) -> None:
    """A workbook with meetings and their sign-in sheets: attach each sheet to its meeting."""
    if not result.meetings or SIGNIN not in result.items:
        return
    for sheet in signin_sheets(result.items[SIGNIN], result.display_name):
        for m in matching_meetings(result.meetings, sheet):
            m.signin = sheet


def matching_meetings(candidates, sheet: SignInSheet) -> list:
    """Meetings a sign-in sheet is for: same type and date; its topic decides between several."""
    same = [m for m in candidates if m.type.name == sheet.meeting_type and m.date == sheet.date]
    if sheet.topic and len(same) > 1:
        same = [m for m in same if sheet.topic in m.topic] or same
    return same
