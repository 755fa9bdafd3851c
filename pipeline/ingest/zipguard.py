"""Check an Office package (a zip file) before any parser touches it.

.docx and .xlsx files are zip archives. A corrupt or truncated one, or a "zip bomb" whose
entries expand to gigabytes, must be refused with a clear reason before python-docx or
openpyxl read it, because those libraries would either crash obscurely or exhaust memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.errors import UnreadableFileError, UnsupportedFileError
from pipeline.ingest.xlsxpackage import sheet_parts

MAX_ENTRIES = 10_000
MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024  # 300 MB: far beyond any real register or note
MAX_RATIO = 200  # real XML compresses ~10-30x, not hundreds
# Parts a parser loads whole into memory (python-docx: every XML part of a note; openpyxl in
# read-only mode: all but the worksheets, which are streamed) cost ~10x their size in memory:
# a 1 MB file whose part inflates to 150 MB at a "normal" ratio would take over 1 GB.
MAX_LOADED_PART = {"docx": 20 * 1024 * 1024, "xlsx": 16 * 1024 * 1024}
# The cell data of a workbook (its worksheets and shared strings, uncompressed). Reading and
# filing a register costs about 4x this in memory, and the archived copy with its sensitive
# columns blanked (openpyxl, every cell an object) about 11x: 20 MB keeps a run near 300 MB.
# 20 MB is some 28,000 rows of a 12-column roster; a real branch register has a few thousand.
MAX_SHEET_DATA = 20 * 1024 * 1024
# Cells bound the memory of short values (a shared-string cell is 25 bytes of XML): a run costs
# about 0.75 KB per cell at most, so 360,000 cells stay near 330 MB.
MAX_CELLS = 360_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.xls, and encrypted OOXML


def check_office_package(path: Path, kind: str) -> None:
    """Raise an InputError if ``path`` is not a sane Office Open XML package."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        raise UnsupportedFileError(
            f"这是一个旧版 Office 文件或加了密码的文件，不是真正的 .{kind}",
            hint=f"如果设置了打开密码，请在 Office/WPS 中取消密码；否则请用 Word/Excel/WPS 打开后"
            f"“另存为”.{kind} 格式，再放入收件箱。",
        )
    if not zipfile.is_zipfile(path):
        raise UnreadableFileError(
            f"文件已损坏或不是 .{kind} 文件（无法作为 Office 文档打开）",
            hint=f"请用 Word/Excel/WPS 打开原文件确认能正常显示，再重新“另存为”.{kind}。",
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_sizes(infos, kind)
            if kind == "xlsx":
                _check_sheet_data(zf, infos)
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names:
                raise UnreadableFileError(
                    f"文件不是有效的 .{kind} 文档（缺少内容类型清单）",
                    hint=f"请用 Word/Excel/WPS 重新“另存为”.{kind}。",
                )
            bad, cells = _verify(zf, infos)
            if bad:
                raise UnreadableFileError(
                    f"文件已损坏（内部部件「{bad}」校验失败）",
                    hint="请重新复制或重新保存原文件。",
                )
            if kind == "xlsx" and sum(n for n, _ in cells.values()) > MAX_CELLS:
                biggest = max(cells, key=lambda part: cells[part][0])
                _refuse_sheet(
                    zf, biggest, cells[biggest][1], f"约 {sum(n for n, _ in cells.values()):,} 个单元格"
                )
    except zipfile.BadZipFile as exc:
        raise UnreadableFileError(
            f"文件已损坏，无法解压（{exc}）", hint="请重新复制或重新保存原文件。"
        ) from None


def _check_sizes(infos: list[zipfile.ZipInfo], kind: str) -> None:
    """Refuse a package of too many parts, too large unpacked (a zip bomb), or with one part too large
    for the reader that loads it whole."""
    if len(infos) > MAX_ENTRIES:
        raise UnreadableFileError(
            f"文件内部包含 {len(infos)} 个部件，远超正常文档，已拒绝处理",
            hint="这可能是损坏或恶意构造的文件，请重新另存后再放入。",
        )
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_TOTAL_UNCOMPRESSED or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise UnreadableFileError(
            f"文件解压后大小异常（约 {total // (1024 * 1024)} MB），可能是“压缩炸弹”，已拒绝处理",
            hint="请确认文件来源，重新另存后再放入。",
        )
    loaded = [i for i in infos if _loaded_whole(kind, i.filename)]
    biggest = max(loaded, key=lambda i: i.file_size, default=None)
    if biggest is not None and biggest.file_size > MAX_LOADED_PART.get(kind, MAX_TOTAL_UNCOMPRESSED):
        raise UnreadableFileError(
            f"文件内部部件「{biggest.filename}」解压后约 {biggest.file_size // (1024 * 1024)} MB，"
            f"远超正常文档，可能是“压缩炸弹”，已拒绝处理",
            hint="请确认文件来源，重新另存后再放入。",
        )


def _loaded_whole(kind: str, name: str) -> bool:
    lower = name.lower()
    if not lower.endswith((".xml", ".rels")):
        return False  # images and other media are copied, never parsed
    return not (kind == "xlsx" and lower.startswith("xl/worksheets/"))


def _is_sheet_data(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".xml") and (lower.startswith("xl/worksheets/") or "sharedstrings" in lower)


def _check_sheet_data(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook whose cells would take more memory than a run may use."""
    data = [i for i in infos if _is_sheet_data(i.filename)]
    total = sum(i.file_size for i in data)
    if total <= MAX_SHEET_DATA:
        return
    sheets = [i for i in data if i.filename.lower().startswith("xl/worksheets/")]
    biggest = max(sheets, key=lambda i: i.file_size, default=None)
    _refuse_sheet(zf, biggest.filename if biggest else None, None, f"解压后约 {total // (1024 * 1024)} MB")


def _verify(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> tuple[str | None, dict]:
    """Inflate every part, checking its CRC (as ZipFile.testzip); count the worksheets' cells.

    Returns the first damaged part (or None) and {worksheet part: (cells, rows)}.
    """
    counts: dict[str, tuple[int, int]] = {}
    for info in infos:
        sheet = info.filename.lower().startswith("xl/worksheets/") and info.filename.lower().endswith(".xml")
        cells = rows = 0
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    if sheet:
                        cells += chunk.count(b"<c ") + chunk.count(b"<c>")
                        rows += chunk.count(b"<row ") + chunk.count(b"<row>")
        except zipfile.BadZipFile:
            return info.filename, counts
        if sheet:
            counts[info.filename] = (cells, rows)
    return None, counts


def _refuse_sheet(zf: zipfile.ZipFile, part: str | None, rows: int | None, size: str) -> None:
    """Refuse a workbook too big to read, naming its biggest sheet."""
    name = None
    if part is not None:
        try:
            name = {p: n for n, p in sheet_parts(zf)}.get(part)
        except Exception:  # the name only makes the message clearer
            name = None
    where = f"工作表「{name}」" if name else "工作簿"
    count = f"，约 {rows:,} 行" if rows else ""
    raise UnreadableFileError(
        f"{where}的数据太多（{size}{count}），超过一次能处理的上限"
        f"（{MAX_SHEET_DATA // (1024 * 1024)} MB 或 {MAX_CELLS:,} 个单元格，约两万多行），为免占满内存已拒绝处理",
        hint="支部的登记表一般只有几千行。请把表格按学年或类别拆成几个较小的文件"
        "（每个文件一万行以内），分别放入收件箱。",
    )
