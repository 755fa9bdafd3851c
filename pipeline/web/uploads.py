"""Uploaded files into the inbox, placed as a dropped file is: what may be uploaded, and the upload
written under a hidden name, then renamed, never over an existing file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.archive.commit import place_new
from pipeline.errors import ZhibuError
from pipeline.fs.files import partial_path_for, publish, safe_name, unique_path
from pipeline.inbox import is_ignored
from pipeline.ingest import NOTE_SUFFIXES
from pipeline.ingest.legacy import LEGACY_SUFFIXES
from pipeline.ingest.sheets import SUFFIXES as SHEET_SUFFIXES
from pipeline.learn.photos import IMAGE_SUFFIXES
from pipeline.workspace import Workspace

_OLD = {kind: {s for s, (k, _) in LEGACY_SUFFIXES.items() if k == kind} for kind in ("docx", "xlsx")}
UPLOAD_KINDS = (  # what the inbox reads, as the upload page explains it
    ("会议笔记", sorted(NOTE_SUFFIXES | _OLD["docx"])),
    ("登记表", sorted(set(SHEET_SUFFIXES) | _OLD["xlsx"])),
    ("活动照片或纸质记录的扫描件、照片", sorted(IMAGE_SUFFIXES)),
)
UPLOAD_SUFFIXES = sorted(s for _, suffixes in UPLOAD_KINDS for s in suffixes)


def save_upload(ws: Workspace, name: str, copy: Callable[[object], None], size: int, limit: int) -> str:
    """Put one uploaded file into inbox/ as the watcher expects a dropped file: written beside its
    final name under a hidden temporary name, then renamed, never over an existing file. The
    normal inbox checks and the watcher take it from there. Returns its name in the inbox."""
    clean = safe_name(name.replace("\\", "/").rsplit("/", 1)[-1], 120)
    suffix = Path(clean).suffix.lower()
    if is_ignored(clean):
        raise ZhibuError(
            f"「{clean}」是 Word/WPS 或系统的临时文件，不是笔记或登记表", hint="请上传原来的文件。"
        )
    if suffix not in UPLOAD_SUFFIXES:
        raise ZhibuError(
            f"不能上传「{clean}」：不支持 {suffix or '没有扩展名'} 的文件",
            hint=f"可以上传的文件：{'、'.join(UPLOAD_SUFFIXES)}。",
        )
    if size > limit:
        raise ZhibuError(
            f"「{clean}」有 {size / 1048576:.1f} MB，超过了上传上限 {limit // 1048576} MB",
            hint="会议笔记和登记表通常只有几十 KB；照片请先压缩，或直接复制到工作区的 inbox 文件夹。",
        )
    for _attempt in range(20):
        target = unique_path(ws.inbox / clean)
        # Staged under a hidden name the inbox ignores and the start-up sweep removes if we die.
        staged = publish(partial_path_for(target), write=copy)
        try:
            place_new(staged, target)
            return target.name
        except FileExistsError:
            staged.unlink(missing_ok=True)
    raise ZhibuError(f"无法把「{clean}」放进收件箱（同名文件太多）", hint="请改一个文件名再上传。")
