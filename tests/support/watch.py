"""Helpers for the watcher tests: real workspaces, a real `zhibu watch` subprocess, invariants.

(No tests in here; the file name only keeps it in the watcher's namespace.)
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from docx import Document

from tests.support.workspaces import new_workspace

REPO = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r"内容(\d+)号")
DEADLINE = 180.0  # generous: a loaded 2-core CI machine


def env() -> dict:
    e = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    e["PYTHONPATH"] = str(REPO) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def init_workspace(root: Path) -> Path:
    """A new workspace at ``root`` (a copy of the session's one `zhibu init`)."""
    return new_workspace(root)


def note_text(i: int, *, valid: bool = True, extra: str = "") -> str:
    """A distinct meeting per i (date and topic vary); its body carries the token 内容<i>号."""
    day = dt.date(2024, 9, 2) + dt.timedelta(days=i % 240)
    date_line = f"时间：{day.year}年{day.month}月{day.day}日\n" if valid else ""
    return (
        f"会议类型：支委会\n会议主题：第{i}次\n{date_line}主持人：沈轶娜\n记录人：缪巧军\n"
        f"参会人员：沈轶娜、夏渊、缪巧军\n会议内容：\n内容{i}号{extra}\n"
    )


def write_atomically_outside(outside: Path, target: Path, text: str) -> None:
    """Write next to the inbox, then rename in: how a 'move into the inbox' looks."""
    outside.mkdir(parents=True, exist_ok=True)
    tmp = outside / target.name
    tmp.write_text(text, encoding="utf-8")
    os.rename(tmp, target)


def wait_until(predicate, timeout: float = DEADLINE, interval: float = 0.05, what: str = "condition"):
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class WatchProcess:
    """`python -m pipeline watch -w ROOT --settle S` in a subprocess, output in files."""

    def __init__(self, root: Path, *args: str, settle: float = 0.3, tag: str = "watch"):
        self.root = root
        self.out_path = root.parent / f"{tag}.{time.monotonic_ns()}.out"
        self.err_path = self.out_path.with_suffix(".err")
        self._out = open(self.out_path, "wb")
        self._err = open(self.err_path, "wb")
        cmd = [sys.executable, "-m", "pipeline", "watch", "-w", str(root), "--settle", str(settle), *args]
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=self._out, stderr=self._err)

    @property
    def output(self) -> str:
        return self.out_path.read_text(encoding="utf-8", errors="replace")

    @property
    def errors(self) -> str:
        return self.err_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout: float = DEADLINE) -> None:
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"watcher exited early ({self.proc.returncode}):\n{self.output}\n{self.errors}"
                )
            return "正在监视收件箱" in self.output

        wait_until(ready, timeout, what="the watcher to start")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = DEADLINE) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        finally:
            self.close()

    def kill9(self) -> None:
        self.proc.kill()  # SIGKILL on POSIX: no cleanup of any kind
        self.proc.wait(60)
        self.close()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(60)
        self._out.close()
        self._err.close()


def inbox_inputs(root: Path) -> list[Path]:
    inbox = root / "inbox"
    return [
        p
        for p in inbox.rglob("*")
        if p.is_file()
        and p.relative_to(inbox).parts[0] != "失败"
        and not p.name.startswith(("~$", ".~lock", "."))
    ]


def db_rows(root: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(root / ".zhibu" / "index.sqlite3", timeout=30)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def source_count(root: Path) -> int:
    try:
        return db_rows(root, "SELECT count(*) FROM sources")[0][0]
    except sqlite3.Error:
        return 0


def failed_files(root: Path) -> list[Path]:
    failed = root / "inbox" / "失败"
    return (
        [p for p in failed.iterdir() if p.is_file() and not p.name.endswith(".原因.txt")]
        if failed.exists()
        else []
    )


def token_of(path: Path) -> int | None:
    m = TOKEN.search(path.read_text(encoding="utf-8", errors="replace"))
    return int(m.group(1)) if m else None


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def check_invariants(root: Path, expected: set[int], *, check_texts: bool = True) -> dict:
    """After the watcher stopped: every input exactly once, filed or failed; index ↔ disk.

    ``expected`` are the tokens of every input dropped. Returns {"filed": n, "failed": n}.
    """
    rel = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    # No leftovers of a prepare phase, no pending journal entries, nothing waiting in the inbox.
    assert not list(root.rglob("*.zhibu-tmp")), "temporary files left behind"
    assert db_rows(root, "SELECT count(*) FROM journal")[0][0] == 0, "journal not empty"
    assert not inbox_inputs(root), f"inputs left in the inbox: {inbox_inputs(root)}"

    outbox = root / "outbox"
    originals = [p for p in outbox.rglob("*") if p.is_file() and "原始材料" in p.parts]
    failed = failed_files(root)
    seen = Counter(token_of(p) for p in originals + failed)
    assert None not in seen, "an archived or failed file without its token"
    duplicated = {t: n for t, n in seen.items() if n > 1}
    lost = expected - set(seen)
    assert not duplicated, f"inputs found more than once: {sorted(duplicated)[:20]}"
    assert not lost, f"inputs lost: {sorted(lost)[:20]}"
    assert set(seen) == expected

    # Index ↔ disk, one to one.
    sources = db_rows(root, "SELECT id, archived_path, original_name FROM sources")
    assert sorted(r[1] for r in sources) == sorted(rel(p) for p in originals)
    docs = [p for p in outbox.rglob("*.docx") if "原始材料" not in p.parts]
    active = db_rows(root, "SELECT path, source_id FROM outputs WHERE active = 1")
    inactive = db_rows(root, "SELECT path FROM outputs WHERE active = 0")
    assert sorted([r[0] for r in active] + [r[0] for r in inactive]) == sorted(rel(p) for p in docs)
    fail_rows = db_rows(root, "SELECT failed_path FROM failures")
    assert sorted(Path(r[0]).name for r in fail_rows) == sorted(p.name for p in failed)
    for p in failed:
        assert p.with_name(p.name + ".原因.txt").is_file(), f"no reason file beside {p}"
    for reason in (root / "inbox" / "失败").glob("*.原因.txt"):
        assert reason.with_name(reason.name[: -len(".原因.txt")]).exists(), f"orphan reason file {reason}"

    # Every document is whole, and each was made from the complete input.
    by_source = {r[0]: r for r in sources}
    token_by_source = {sid: token_of(root / path) for sid, path, _ in sources}
    for doc in docs:
        Document(str(doc))  # raises on a partial .docx
    for path, source_id in active if check_texts else []:
        text = docx_text(root / path)
        assert f"内容{token_by_source[source_id]}号" in text, (
            f"{path} not made from {by_source[source_id][2]}"
        )
    return {"filed": len(originals), "failed": len(failed)}
