"""Faults a real PC produces, and what must hold under each (the figures of docs/robustness.md).

Each ``Fault`` builds a fresh workspace (``python -m pipeline init``), drops its inputs, sets up
its fault (a read-only or full disk, a name taken in 失败/, a file held open …), runs real zhibu
commands in subprocesses and judges the result with the same measures for every family:

* **lost inputs**: an input that is neither still in the inbox unchanged, nor in ``inbox/失败/``,
  nor archived (its SHA-256 in the index and its archived copy on disk). Must be 0.
* **leaked values**: personal data (ID numbers, phone numbers) found in any file zhibu wrote
  (outbox/, .zhibu/, reason and correction files) or in what it printed. Must be 0.
* **tracebacks**: a Python traceback printed to the user. Must be 0.
* **held**: all of the above, plus the fault's own ``check`` (the message is true, the input
  ended where it must).

``tests/test_faults.py`` runs every case; ``benchmarks/robustness.py`` prints the figures.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.support.workspaces import new_workspace

REPO = Path(__file__).resolve().parents[2]
TRACEBACK = "Traceback (most recent call last)"

NOTE = (
    "会议类型：支委会\n会议主题：{topic}\n时间：2024年10月{day}日 14:30\n主持人：沈轶娜\n记录人：缪巧军\n"
    "参会人员：沈轶娜、夏渊、缪巧军\n会议内容：\n讨论{topic}。\n"
)


def note(topic: str, day: int = 8) -> bytes:
    return NOTE.format(topic=topic, day=day).encode("utf-8")


def id_number(body17: str) -> str:
    """A mainland ID number with a correct check character (GB 11643)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(body17, weights, strict=True))
    return body17 + "10X98765432"[total % 11]


IDS = [
    id_number(f"3101151985{m:02d}{d:02d}{i:03d}") for i, (m, d) in enumerate([(3, 7), (11, 21), (6, 2)], 1)
]
PHONES = ["13902170001", "139-0217-0002", "+86 139 0217 0003"]
SECRETS = IDS + ["13902170001", "13902170002", "13902170003", "0217-0002", "0217 0003", "02170001"]


def env() -> dict:
    e = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    e["PYTHONPATH"] = str(REPO) + os.pathsep + e.get("PYTHONPATH", "")
    return e


@dataclass
class Ran:
    code: int
    out: str


OBEY_PERMISSIONS = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]


def zhibu(root: Path, *args: str, timeout: float = 300, prefix: list[str] = ()) -> Ran:
    """``python -m pipeline <args> -w root`` in a subprocess; what it printed, both streams."""
    proc = subprocess.run(
        [*prefix, sys.executable, "-m", "pipeline", *args, "-w", str(root)],
        cwd=REPO,
        env=env(),
        capture_output=True,
        timeout=timeout,
    )
    return Ran(
        proc.returncode, proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
    )


def init(root: Path) -> Path:
    """A new workspace at ``root`` (a copy of the session's one `zhibu init`)."""
    return new_workspace(root)


@dataclass
class Trial:
    """One case's workspace, its inputs (by SHA-256) and everything it printed."""

    root: Path
    prefix: list[str] = field(default_factory=list)  # command that runs zhibu (setpriv …)
    inputs: dict[str, str] = field(default_factory=dict)  # sha256 -> name as dropped
    runs: list[Ran] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # problems the case found itself
    cleanups: list[Callable[[], None]] = field(default_factory=list)  # after judging (unmounts)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def output(self) -> str:
        return "\n".join(r.out for r in self.runs)

    def drop(self, name: str | bytes, data: bytes) -> Path:
        path = Path(
            os.fsdecode(
                os.path.join(os.fsencode(self.inbox), name if isinstance(name, bytes) else name.encode())
            )
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.inputs[hashlib.sha256(data).hexdigest()] = os.fsdecode(name) if isinstance(name, bytes) else name
        return path

    def run(self, *args: str, **kw) -> Ran:
        kw.setdefault("prefix", self.prefix)
        ran = zhibu(self.root, *(args or ("run",)), **kw)
        self.runs.append(ran)
        return ran


@dataclass
class Verdict:
    fault: Fault
    lost: int
    leaked: int
    tracebacks: int
    problems: list[str]

    @property
    def held(self) -> bool:
        return not (self.lost or self.leaked or self.tracebacks or self.problems)


@dataclass
class Fault:
    family: str
    name: str
    act: Callable[[Trial], None]  # drop inputs, set up the fault, run zhibu
    check: Callable[[Trial], list[str]] = lambda t: []  # what else must hold
    secrets: tuple[str, ...] = ()
    needs_root: bool = False  # mounts a file system, or runs zhibu as another user
    # Run zhibu as root without the right to override file permissions (setpriv), so that
    # a folder with mode 000 cannot be read, as for an ordinary user.
    obey_permissions: bool = False
    slow: bool = False  # takes more than a few seconds (many runs or a watcher)

    def try_it(self, base: Path) -> Verdict:
        trial = Trial(init(base / "ws"), prefix=OBEY_PERMISSIONS if self.obey_permissions else [])
        try:
            try:
                self.act(trial)
                problems = trial.notes + self.check(trial)
            except Exception as exc:  # the case itself could not be judged: it did not hold
                problems = [f"{type(exc).__name__}: {exc}"]
            return Verdict(
                self,
                lost=len(lost_inputs(trial)),
                leaked=len(leaks(trial, self.secrets)),
                tracebacks=trial.output.count(TRACEBACK),
                problems=problems,
            )
        finally:
            for cleanup in reversed(trial.cleanups):
                cleanup()


def _sha(path: Path) -> str | None:
    if path.is_symlink() or not path.is_file():  # a pipe would block the reader forever
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def lost_inputs(trial: Trial) -> list[str]:
    """Inputs found nowhere: not in the inbox (or 失败/) with their content, not archived."""
    present: set[str] = set()
    for dirpath, _dirs, files in os.walk(trial.inbox):
        for name in files:
            sha = _sha(Path(dirpath) / name)
            if sha:
                present.add(sha)
    index = trial.root / ".zhibu" / "index.sqlite3"
    if index.exists():
        try:
            con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
            for sha, archived in con.execute("SELECT sha256, archived_path FROM sources"):
                if archived and (trial.root / archived).is_file():
                    present.add(sha)
            con.close()
        except sqlite3.Error:
            pass
    return [name for sha, name in trial.inputs.items() if sha not in present]


def leaks(trial: Trial, secrets) -> list[str]:
    """Secrets in what zhibu wrote or printed (the input itself, moved to 失败/, is the secretary's)."""
    if not secrets:
        return []
    found = [f"printed {s}" for s in secrets if s in trial.output]
    input_shas = set(trial.inputs)
    for folder in ("outbox", ".zhibu", "inbox/失败"):
        for path in (trial.root / folder).rglob("*"):
            if not path.is_file() or (folder == "inbox/失败" and _sha(path) in input_shas):
                continue
            text = file_text(path)
            found += [f"{path.relative_to(trial.root)}: {s}" for s in secrets if s in text]
    return found


def file_text(path: Path) -> str:
    """Every byte of a file as text, Office packages unzipped."""
    import zipfile

    data = path.read_bytes()
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts = [zf.read(n).decode("utf-8", "replace") for n in zf.namelist()]
        except zipfile.BadZipFile:
            return data.decode("utf-8", "replace")
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                wb = load_workbook(io.BytesIO(data), read_only=True)
                parts += [
                    str(v)
                    for ws in wb.worksheets
                    for row in ws.iter_rows(values_only=True)
                    for v in row
                    if v is not None
                ]
                wb.close()
            except Exception:  # a damaged copy: its raw parts were searched
                pass
        return "\n".join(parts)
    return data.decode("utf-8-sig", "replace")


def xlsx(sheets: list[tuple[str, list[list], bool]]) -> bytes:
    """A workbook of (title, rows, hidden) sheets."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows, hidden in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def roster_rows(labels: tuple[str, str], *, values=None) -> list[list]:
    """A small 党员名册 with two extra columns labelled ``labels`` holding an ID and a phone."""
    names = ["沈轶娜", "夏渊", "缪巧军"]
    values = values or list(zip(IDS, PHONES, strict=True))
    head = ["序号", "姓名", "性别", "党员类别", labels[0], labels[1], "所在党小组"]
    body = [
        [i, n, "女" if i % 2 else "男", "正式", a, b, "第一党小组"]
        for i, (n, (a, b)) in enumerate(zip(names, values, strict=True), 1)
    ]
    return [head, *body]


def archived_copies(trial: Trial) -> list[Path]:
    return [p for p in (trial.root / "outbox").rglob("*") if p.is_file() and "原始材料" in p.parts]


def mount_tmpfs(trial: Trial, folder: Path, size: str = "1m") -> Path:
    """A small real file system at ``folder`` (root only), unmounted after the case is judged."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    trial.cleanups.append(lambda: subprocess.run(["umount", "-l", str(folder)], check=False))
    return folder


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Write a filler file into ``folder`` until its file system is full."""
    with open(folder / "占满磁盘.bin", "wb", buffering=0) as fh:
        for size in (65536, 4096, 512, 1):
            try:
                while fh.write(b"\0" * size):
                    pass
            except OSError:
                pass


def in_inbox_unchanged(trial: Trial) -> list[str]:
    """Every input still in the inbox (not in 失败/) with its content."""
    here = {}
    for path in trial.inbox.rglob("*"):
        if path.is_file() and "失败" not in path.relative_to(trial.inbox).parts:
            here[_sha(path)] = path
    return [f"{name} not in the inbox unchanged" for sha, name in trial.inputs.items() if sha not in here]


def failure_rows(trial: Trial) -> list[tuple]:
    con = sqlite3.connect(f"file:{trial.root / '.zhibu' / 'index.sqlite3'}?mode=ro", uri=True)
    try:
        return con.execute("SELECT original_name, failed_path FROM failures ORDER BY id").fetchall()
    finally:
        con.close()
