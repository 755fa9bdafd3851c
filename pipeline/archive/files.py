"""File-system primitives of the archive: atomic writes and Windows-safe names.

Every document zhibu writes goes through ``atomic_write_bytes``: the bytes go to a temporary
file in the target folder, are flushed to disk, then renamed over the target. A crash leaves
either the old file or the new one, never half of one. Temporary files carry the
``TMP_SUFFIX`` so that start-up recovery can find and remove orphans.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path, PurePosixPath

from pathvalidate import sanitize_filename

from pipeline.errors import ArchiveError

TMP_SUFFIX = ".zhibu-tmp"
UNNAMED = "未命名"


def temp_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name[:60]}.{uuid.uuid4().hex[:8]}{TMP_SUFFIX}")


def write_temp(target: Path, data: bytes) -> Path:
    """Write ``data`` to a fresh temporary file beside ``target`` and fsync it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(target)
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def atomic_write_bytes(target: Path, data: bytes) -> None:
    tmp = write_temp(target, data)
    try:
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(target: Path, text: str) -> None:
    # UTF-8 with BOM: Windows Notepad of every version shows it correctly.
    atomic_write_bytes(target, text.encode("utf-8-sig"))


def safe_name(text: str, max_length: int = 80) -> str:
    """A file or folder name that is valid on Windows, macOS and Linux.

    pathvalidate removes characters Windows forbids (``\\ / : * ? " < > |``, control
    characters), trailing dots and spaces, and renames reserved device names (CON, NUL, COM1…).
    We cap the length in characters (Windows counts UTF-16 units, not bytes) and never return
    an empty or dot-only name.
    """
    text = re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()
    text = text[:max_length]
    cleaned = sanitize_filename(text, platform="windows", max_len=4 * max_length + 8)
    cleaned = cleaned.strip(" .")
    if not cleaned or set(cleaned) <= {"."}:
        return UNNAMED
    return cleaned


def safe_file_name(stem: str, suffix: str, max_length: int = 80) -> str:
    return safe_name(stem, max_length - len(suffix)) + suffix


def render_path(pattern: str, values: dict[str, str], max_length: int = 80) -> PurePosixPath:
    """Fill a path pattern such as ``{学年}/{学期}/会议记录/{类型}/{日期} {类型} {主题}.docx``.

    Values are inserted first and each path component is made safe afterwards, so a title
    containing ``/``, ``\\``, ``..`` or ``C:`` can never add a folder or leave the archive.
    """
    protected = {k: str(v).replace("/", "／").replace("\\", "＼") for k, v in values.items()}
    components = [c for c in pattern.replace("\\", "/").split("/") if c.strip()]
    safe_parts = []
    for i, component in enumerate(components):
        try:
            part = component.format(**protected)
        except (KeyError, IndexError, ValueError) as exc:
            raise ArchiveError(
                f"归档路径模板「{pattern}」中的占位符 {exc} 无法识别",
                hint=f"可用的占位符：{'、'.join('{' + k + '}' for k in values)}。请修改 zhibu.toml 的 [archive] 设置。",
            ) from None
        # A value that is empty never removes a folder level: the component becomes 未命名.
        if i == len(components) - 1 and "." in part:
            stem, _, ext = part.rpartition(".")
            safe_parts.append(safe_file_name(stem, "." + safe_name(ext, 10), max_length))
        else:
            safe_parts.append(safe_name(part, max_length))
    return PurePosixPath(*safe_parts)


def unique_path(target: Path, taken: set[Path] | None = None) -> Path:
    """``target`` or, if it exists (or is already planned), ``name (2).ext``, ``name (3).ext`` …"""
    taken = taken or set()
    candidate = target
    n = 2
    # lexists: a dangling link (or a file we may not stat) takes its name as much as a file does.
    while os.path.lexists(candidate) or candidate in taken:
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        n += 1
    return candidate


def inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False
