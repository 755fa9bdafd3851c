"""File-system primitives of the archive: atomic writes and Windows-safe names.

Two ways to write a file, both "temporary file in the target folder → fsync → rename":

* ``atomic_write_bytes``/``write_temp`` (temporary names end in ``TMP_SUFFIX``): the filing
  protocol's prepare phase, always under the workspace lock; start-up recovery deletes every
  such file it finds.
* :func:`publish`: every other writer (PDFs, the bound volume, term outputs). Its temporary
  names end in ``PARTIAL_SUFFIX`` and carry the writer's process id, so the start-up sweep
  (``pipeline.fs.leftovers``) removes only those whose process is gone: a ``zhibu print``
  running beside ``zhibu watch`` keeps its half-written PDF.

A crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import sys
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pathvalidate import sanitize_filename

from pipeline.errors import ArchiveError

TMP_SUFFIX = ".zhibu-tmp"
PARTIAL_SUFFIX = ".zhibu-partial"
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


def owner_tag() -> str:
    """``<pid>-<random>``: names a temporary file or folder after the process that owns it."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


def partial_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name[:60]}.{owner_tag()}{PARTIAL_SUFFIX}")


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; NTFS journals renames itself)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish(
    target: Path,
    *,
    data: bytes | None = None,
    source: Path | None = None,
    write: Callable[[BinaryIO], None] | None = None,
    before_replace: Callable[[], None] | None = None,
    durable: bool = True,
) -> Path:
    """Put a file in place atomically: a reader never sees half of it, a crash leaves no half.

    The content is ``data``, a copy of the file ``source``, or whatever ``write(fh)`` writes.
    It goes to a temporary file in the target folder, is fsynced, then renamed over
    ``target`` (and the folder fsynced). ``before_replace`` runs between the two (e.g. to keep
    the old version). On any error the temporary file is removed and the error raised.
    ``durable=False`` skips the fsyncs, for intermediate files in a temporary folder.
    """
    if sum(x is not None for x in (data, source, write)) != 1:
        raise ValueError("publish needs exactly one of data, source, write")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_path_for(target)
    try:
        with open(tmp, "wb") as fh:
            if data is not None:
                fh.write(data)
            elif source is not None:
                with open(source, "rb") as src:
                    shutil.copyfileobj(src, fh, 1024 * 1024)
            elif write is not None:
                write(fh)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(target.parent)
    return target


@functools.lru_cache(maxsize=4096)  # pure; a term's paths repeat their folder names thousands of times
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


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """(size, mtime in ns, inode) of a file, None if it is gone. Changes whenever it is rewritten."""
    try:
        st = path.lstat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def make_dirs(folder: Path) -> list[Path]:
    """``mkdir -p``; returns the folders it created (their entries need an fsync of their parent)."""
    created = []
    probe = folder
    while not probe.exists() and probe.parent != probe:
        created.append(probe)
        probe = probe.parent
    folder.mkdir(parents=True, exist_ok=True)
    return created


def fsync_dirs(folders: Iterable[Path]) -> None:
    """Make the renames, creations and deletions done in ``folders`` durable.

    Best effort where the platform cannot open a folder (Windows: NTFS journals metadata itself).
    """
    if os.name == "nt":
        return
    for folder in set(folders):
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
