"""The workspace's files as the pages see them, without zhibu's internals: which files may be
handed out, where a PDF view is cached, what is in inbox/失败/ and why, cached reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from pipeline.web import model
from pipeline.web.text import reason_body, split_advice

FAILED_DIR = "inbox/失败"
# Folders of the workspace whose files the pages may hand out: the archive, the rejected inputs
# and the blank forms. Never the index, the log or zhibu.toml (it holds the password hash).
DOWNLOADABLE = ("outbox", FAILED_DIR, "表格模板")
CORRECTION_SUFFIX = ".待修正.xlsx"


def scrub(text: str, root: Path) -> str:
    """A message without the machine's paths: the workspace folder is named as such."""
    for folder in sorted({str(root), os.path.realpath(root)}, key=len, reverse=True):
        text = text.replace(folder + os.sep, "").replace(folder, "工作区")
    return text


def workspace_file(root: Path, rel: str) -> Path | None:
    """The file ``rel`` names when the pages may hand it out, else None: inside one of the
    downloadable folders once every link is followed (``..`` and links out are refused)."""
    if not rel or "\x00" in rel or rel.startswith(("/", "\\")) or ":" in rel:
        return None
    real = (root / rel).resolve()
    if not any(real.is_relative_to((root / top).resolve()) for top in DOWNLOADABLE):
        return None
    return real if real.is_file() else None


def pdf_cache(root: Path, state: Path, source: Path) -> Path:
    """Where the PDF view of ``source`` is kept: named by the document's path, size and time, so
    that a document filed again gets a new one."""
    st = source.stat()
    key = f"{source.relative_to(root.resolve())}|{st.st_size}|{st.st_mtime_ns}"
    return state / "web-pdf" / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pdf")


def listed(root: Path, folders: list[Path], suffixes: tuple[str, ...]) -> list[model.Link]:
    """The files of ``folders`` (not their subfolders) with one of ``suffixes``, by name."""
    out = []
    for folder in folders:
        try:
            names = sorted(e.name for e in os.scandir(folder) if e.is_file() and not e.name.startswith("."))
        except OSError:
            continue
        out += [
            model.Link((folder / n).relative_to(root).as_posix(), n)
            for n in names
            if n.lower().endswith(suffixes)
        ]
    return out


def failures(root: Path, folder: Path, reason_suffix: str) -> list[model.Failure]:
    """The inputs now in inbox/失败/, newest first, each with what its reason file says."""
    try:
        entries = [e for e in os.scandir(folder) if not e.name.endswith(reason_suffix)]
    except OSError:
        return []
    stamped = sorted(((e.stat(follow_symlinks=False).st_mtime, e.name) for e in entries), reverse=True)
    out = []
    for mtime, name in stamped:
        if name.endswith(CORRECTION_SUFFIX):
            reason = ["表格中有错误的行，已另存为这个“待修正”文件，最后一列写明了原因。"]
            advice = ["按最后一列的原因改正后，把这个文件重新上传（或放回 inbox）即可。"]
        else:
            reason, advice = _reason(folder / (name + reason_suffix), root)
        when = dt.datetime.fromtimestamp(mtime).strftime("%Y-%m-%d %H:%M")
        out.append(model.Failure(name, f"{FAILED_DIR}/{name}", when, reason, advice))
    return out


def _reason(path: Path, root: Path) -> tuple[list[str], list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ["没有找到原因说明文件。"], ["请打开 inbox/失败/ 文件夹查看这个文件。"]
    return split_advice(scrub(reason_body(text), root))


class StatCache:
    """One value per key, read again when any of the watched files changed (time or size)."""

    def __init__(self):
        self._values: dict[object, tuple[tuple, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: object, watched: list[Path], read: Callable[[], object]):
        version = tuple(_stat(p) for p in watched)
        with self._lock:
            cached = self._values.get(key)
            if cached and cached[0] == version:
                return cached[1]
            value = read()
            self._values[key] = (version, value)
            return value


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return None
