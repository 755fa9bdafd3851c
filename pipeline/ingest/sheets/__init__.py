"""Spreadsheet registers: 会议登记表, 签到表, 成果登记表, 党员名册, 工作计划表, 发展党员登记表 ….

``read_register`` reads a .xlsx/.xlsm/.csv file sheet by sheet. Each visible sheet is
recognized on its own from its header row (or, when the file was dropped into a typed inbox
subfolder such as ``inbox/成果/``, read as that kind); rows are streamed, and a bad row is
reported with its sheet, row and column while the good rows go on. The register kinds are
handed in by the caller (``pipeline.kinds``), each with its layouts and row readers: meetings
come back as ``Meeting`` records exactly like notes, the other kinds as their typed records in
``items``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

from openpyxl.utils import get_column_letter

from pipeline.errors import SheetError
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
from pipeline.ingest.sheets.digest import refuse_unchanged
from pipeline.ingest.sheets.header import SCAN_ROWS, detect, sensitive_columns
from pipeline.ingest.sheets.layout import Layout, SheetKind, by_precedence, kind_from_folder
from pipeline.ingest.sheets.workbook import Sheet, open_source

__all__ = ["read_register", "RegisterResult", "SUFFIXES"]

SUFFIXES = (".xlsx", ".xlsm", ".csv")


def read_register(
    path: Path, display_name: str, kind_hint: str | None = None, *, kinds: Sequence[SheetKind]
) -> RegisterResult:
    """Read a register file as one of ``kinds``. Raises an InputError when the file cannot be used at all."""
    found = kind_from_folder(kind_hint, kinds)
    folder_kind = found.name if found else None
    result = RegisterResult(kind="登记表", display_name=display_name)
    stem = Path(display_name).stem
    unrecognized: list[str] = []
    hidden: list[str] = []
    reading = _Reading(kinds)
    with open_source(path, display_name) as source:
        marked = _marked_kind(source.properties, kinds)
        subject = source.properties.get("subject", "")
        result.correction = CORRECTION_MARK in stem or (
            subject.startswith(PROPERTY_PREFIX) and subject.endswith(CORRECTION_MARK)
        )
        forced = folder_kind or marked
        for sheet in source.sheets:
            if sheet.hidden:
                hidden.append(sheet.name or display_name)
                result.warnings.append(
                    f"工作表「{sheet.name}」是隐藏的，已跳过（如需处理，请在 Excel 中取消隐藏后重新放入）"
                )
                if sensitive_columns(itertools.islice(sheet.rows, SCAN_ROWS * 2)):
                    result.sensitive = True
                continue
            if not _read_sheet(sheet, result, display_name, stem, forced, marked, reading):
                unrecognized.append(sheet.name or display_name)  # a CSV file has no sheet name
    if not result.sheets:
        raise _nothing_found(display_name, forced, folder_kind, kind_hint, unrecognized, hidden, kinds)
    for name in unrecognized:
        result.warnings.append(f"工作表「{name}」没有找到可识别的登记表表头，已跳过")
    for kind in kinds:
        if kind.finish is not None:
            kind.finish(result)
    if result.correction and result.is_empty and result.bad_rows:
        refuse_unchanged(path, display_name, [b.reason for b in result.bad_rows])
    result.kind = "+".join(result.kinds)
    return result


class _Reading:
    """The kinds of one read, looked up by name."""

    def __init__(self, kinds: Sequence[SheetKind]):
        self.kinds = tuple(kinds)
        self.order = tuple(k.name for k in by_precedence(kinds))
        self.by_layout = {lay.key: (k, lay) for k in kinds for lay in k.layouts}

    def layouts(self, forced: str | None, sheet_name: str, stem: str) -> tuple[Layout, ...]:
        chosen = [k for k in self.kinds if forced is None or k.name == forced]
        return tuple(
            lay
            for k in chosen
            for lay in k.layouts
            if lay.wanted is None or lay.wanted(sheet_name, stem, forced)
        )


def _marked_kind(properties: dict, kinds: Sequence[SheetKind]) -> str | None:
    """The kind in the subject of a workbook zhibu wrote (a correction file or a blank form)."""
    subject = properties.get("subject", "")
    if subject.startswith(PROPERTY_PREFIX):
        kind = subject[len(PROPERTY_PREFIX) :].split(":")[0]
        return kind if any(k.name == kind for k in kinds) else None
    return None


def _key_columns(kind: SheetKind) -> str:
    return kind.layouts[0].key_columns


def _nothing_found(
    display_name, forced, folder_kind, folder, unrecognized, hidden, kinds: Sequence[SheetKind]
) -> SheetError:
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
            hint=f"{forced}需要「{_key_columns(next(k for k in kinds if k.name == forced))}」等列，"
            "表头要写在数据上方的一行（或两行）里；"
            "如果这不是" + forced + "，请把文件移到正确的文件夹或直接放在 inbox/ 下。",
        )
    listed = "；".join(f"{k.name}（{_key_columns(k)}）" for k in kinds)
    folders = "、".join(k.folder_words[0] for k in kinds)
    what = "工作表都是空的" if not unrecognized else "没有找到可识别的登记表表头"
    return SheetError(
        f"{what}，无法判断这是哪种登记表",
        hint=f"登记表的表头应包含以下列名：{listed}。也可以把文件放进 inbox/ 下对应的文件夹"
        f"（{folders}），或在 zhibu forms 生成的表格模板里填写。",
    )


def _head(sheet: Sheet) -> tuple[list, int]:
    """The first rows of a sheet, enough to find its header, and how many of them are not empty."""
    buffer: list = []
    nonempty = 0
    for number, values in sheet.rows:
        buffer.append((number, values))
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            nonempty += 1
        if nonempty > SCAN_ROWS or len(buffer) >= 500:
            break
    return buffer, nonempty


def _read_sheet(
    sheet: Sheet,
    result: RegisterResult,
    display_name: str,
    stem: str,
    forced: str | None,
    marked: str | None,
    reading: _Reading,
) -> bool:
    """Read one sheet into ``result``. False when it is not empty but no header was found."""
    buffer, nonempty = _head(sheet)
    if not nonempty:
        return True  # an empty sheet (Sheet2, Sheet3): nothing to say
    if sensitive_columns(buffer):
        result.sensitive = True
    layouts = reading.layouts(forced, sheet.name or "", stem)
    header = detect(buffer, layouts=layouts, named=marked, relaxed=bool(forced), title_order=reading.order)
    if header is None:
        return False
    kind, layout = reading.by_layout[header.kind]
    time = TimeContext.from_texts(header.title, sheet.name, stem)
    info = SheetInfo(sheet.name, header.kind, header, context=header.title, register=layout.register)
    ctx = SheetContext(display_name, sheet.name, header, result, info, time)
    result.sheets.append(info)
    if not layout.blocks:  # 姓名 | 签到 | 姓名 | 签到: blocks side by side, all read
        _warn_duplicate_columns(header, sheet.name, result)
    missing = [layout.columns.field(k).label for k in layout.needed if k not in header.by_key]
    sheet_error = None
    if missing:
        sheet_error = ctx.sheet_error(
            f"{layout.label}缺少「{'」「'.join(missing)}」列，整张表无法处理",
            hint=f"请增加这些列后重新放入。{layout.label}的常用列：{layout.key_columns}。",
        )
        result.row_errors.append(sheet_error)
    _read_rows(ctx, itertools.chain(buffer, sheet.rows), kind, layout, sheet_error)
    if not info.rows:
        result.warnings.append(
            f"工作表「{sheet.name or stem}」只有表头，没有数据行"
            if sheet.name
            else "表格只有表头，没有数据行"
        )
    return True


def _read_rows(
    ctx: SheetContext, rows, kind: SheetKind, layout: Layout, sheet_error: SheetError | None
) -> None:
    """The data rows under the header: good rows into records, bad rows with their reasons."""
    result, info, name = ctx.result, ctx.info, ctx.sheet
    for number, values in rows:
        if number <= ctx.header.last_row or is_blank_row(ctx, values) or is_footer_row(ctx, values):
            continue
        info.rows += 1
        if sheet_error is not None:
            result.bad_rows.append(BadRow(name, number, values, sheet_error.message))
            continue
        rr = RowReader(ctx, number, values)
        try:
            _read_row(ctx, rr, kind, layout)
        except SheetError as err:  # the sheet as a whole cannot be used (a sign-in without a meeting)
            sheet_error = err
            result.row_errors.append(err)
            result.bad_rows.append(BadRow(name, number, values, err.message))
            continue
        if rr.problems:
            result.row_errors.extend(rr.problems)
            result.bad_rows.append(BadRow(name, number, values, "；".join(p.message for p in rr.problems)))
        else:
            info.good += 1


def _warn_duplicate_columns(header, sheet_name: str | None, result: RegisterResult) -> None:
    """Two columns read as the same field (日期 twice): only the first is read, and we say so."""
    where = f"工作表「{sheet_name}」" if sheet_name else "表格"
    for key, idx in header.by_key.items():
        if key.startswith("_") or len(idx) < 2:
            continue
        labels = "、".join(f"{get_column_letter(i + 1)}列「{header.columns[i].label}」" for i in idx)
        result.warnings.append(
            f"{where}有{len(idx)}列都是「{header.label_of(key)}」（{labels}），"
            f"只读取了第一列（{get_column_letter(idx[0] + 1)}列），其余的没有读取"
        )


def _read_row(ctx: SheetContext, rr: RowReader, kind: SheetKind, layout: Layout) -> None:
    """The records of one row go to the result: meetings apart, the others by layout."""
    found = layout.read_row(ctx, rr)  # a row with problems may still give a record (filed, and reported)
    if found is None:
        return
    records = found if isinstance(found, list) else [found]
    if kind.meetings:
        ctx.result.meetings.extend(records)
        return
    items = ctx.result.items
    items.setdefault(layout.register, [])  # the register, even with another layout's rows only
    items.setdefault(layout.key, []).extend(records)
