"""Check an Office package (a zip file) before any parser touches it.

.docx and .xlsx files are zip archives. A corrupt or truncated one, or a "zip bomb" whose
entries expand to gigabytes, must be refused with a clear reason before python-docx or
openpyxl read it, because those libraries would either crash obscurely or exhaust memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.errors import UnreadableFileError, UnsupportedFileError

MAX_ENTRIES = 10_000
MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024  # 300 MB: far beyond any real register or note
MAX_RATIO = 200  # real XML compresses ~10-30x, not hundreds
# Parts a parser loads whole into memory (python-docx: every XML part of a note; openpyxl in
# read-only mode: all but the worksheets, which are streamed) cost ~10x their size in memory:
# a 1 MB file whose part inflates to 150 MB at a "normal" ratio would take over 1 GB.
MAX_LOADED_PART = {"docx": 20 * 1024 * 1024, "xlsx": 50 * 1024 * 1024}

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
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names:
                raise UnreadableFileError(
                    f"文件不是有效的 .{kind} 文档（缺少内容类型清单）",
                    hint=f"请用 Word/Excel/WPS 重新“另存为”.{kind}。",
                )
            bad = zf.testzip()
            if bad:
                raise UnreadableFileError(
                    f"文件已损坏（内部部件「{bad}」校验失败）",
                    hint="请重新复制或重新保存原文件。",
                )
    except zipfile.BadZipFile as exc:
        raise UnreadableFileError(
            f"文件已损坏，无法解压（{exc}）", hint="请重新复制或重新保存原文件。"
        ) from None


def _loaded_whole(kind: str, name: str) -> bool:
    lower = name.lower()
    if not lower.endswith((".xml", ".rels")):
        return False  # images and other media are copied, never parsed
    return not (kind == "xlsx" and lower.startswith("xl/worksheets/"))
