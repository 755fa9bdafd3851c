"""Chaos: `zhibu watch` killed with SIGKILL at random moments during a 200-file run.

A real watcher (``python -m pipeline watch -w DIR --settle 0.2``) files a stream of notes:
valid notes, notes without a date (they go to ``inbox/失败/``), corrected notes (the same
meeting with new content: the old minutes go to ``历史版本``) and exact copies of filed notes
(dropped as duplicates). It is killed with SIGKILL many times, at a random moment each time
(during start-up and recovery, between files, in the middle of a filing) and restarted. After
most kills the workspace is recovered in-process (exactly what the next start does) and checked;
after the others the restarted watcher recovers it by itself. At the end a watcher finishes the
inbox, is stopped with SIGTERM, a final ``zhibu run`` runs on the empty inbox, and everything is
checked once more:

* every input dropped is accounted for exactly once: its archived original under
  ``outbox/**/原始材料`` (a row of ``sources``), or in ``inbox/失败/`` with a reason file
  (a row of ``failures``); a duplicate copy is gone and its original is filed once;
* no ``*.zhibu-tmp`` anywhere; the journal table is empty;
* no partial document: every .docx under outbox/ opens with python-docx and contains the
  unique marker of the note it was made from (history versions included);
* index rows ↔ files on disk, one to one: every ``outputs.path`` exists, every .docx under
  outbox/ is in ``outputs``; a corrected meeting has exactly one active document.

The seed is printed (``-s`` shows it; ``ZHIBU_CHAOS_SEED`` replays a run, ``ZHIBU_CHAOS_ROUNDS``
changes the number of kills). ``benchmarks/robustness.py`` runs more rounds through
``run_chaos``. Nothing here asserts on timing.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from tests.support.watch import (
    REPO,
    TOKEN,
    WatchProcess,
    db_rows,
    docx_text,
    env,
    failed_files,
    inbox_inputs,
    init_workspace,
    note_text,
    source_count,
    wait_until,
    write_atomically_outside,
)

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals and kill -9"),
    pytest.mark.filterwarnings("ignore:Callback with id:RuntimeWarning"),
]
# watchdog's recursive inotify watch warns when it sees a new folder twice (the kill switch's observer)
warnings.filterwarnings("ignore", message="Callback with id", category=RuntimeWarning)

FILES = 200
SUITE_ROUNDS = 12


# --- the inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Drop:
    token: int  # the marker 内容<token>号 in the body; the accounting key
    name: str  # file name in the inbox
    text: str
    kind: str  # valid | bad | correction | duplicate
    meeting: int | None  # the meeting (note_text index) a valid note or correction is for


def plan_inputs(rng: random.Random, files: int = FILES, batches: int = SUITE_ROUNDS) -> list[list[Drop]]:
    """``files`` inputs in ``batches + 1`` batches: 30 % before the first start, then one a round.

    About 8 % have no date (→ 失败), 8 % correct a meeting filed in an earlier batch, 3 % are
    byte-for-byte copies of an earlier valid note (→ duplicate). Tokens are unique except for
    duplicates, which carry their original's token (they must not add an input of their own).
    """
    n_bad, n_corr, n_dup = max(2, files * 8 // 100), max(2, files * 8 // 100), max(1, files * 3 // 100)
    n_valid = files - n_bad - n_corr - n_dup
    first = [Drop(i, f"笔记 {i:04d}.txt", note_text(i), "valid", i) for i in range(n_valid)]
    first += [
        Drop(1000 + i, f"缺日期 {1000 + i:04d}.txt", note_text(1000 + i, valid=False), "bad", None)
        for i in range(n_bad)
    ]
    rng.shuffle(first)
    cut = len(first) * 3 // 10
    out = [first[:cut]] + _split(rng, first[cut:], max(1, batches))
    # Corrections and duplicates refer to notes of the first batch: they come later.
    earlier = [d for d in out[0] if d.kind == "valid"]
    for k, target in enumerate(rng.sample(earlier, min(len(earlier), n_corr + n_dup))):
        if k < n_corr:
            token = 2000 + target.meeting
            text = target.text.replace(f"内容{target.token}号", f"内容{token}号") + "（更正稿）\n"
            drop = Drop(token, f"更正 {token:04d}.txt", text, "correction", target.meeting)
        else:
            drop = Drop(
                target.token, f"副本 {target.token:04d}.txt", target.text, "duplicate", target.meeting
            )
        rng.choice(out[1:]).append(drop)
    return out


def _split(rng: random.Random, items: list, parts: int) -> list[list]:
    cuts = sorted(rng.sample(range(1, len(items)), parts - 1)) if len(items) > parts else []
    return [items[a:b] for a, b in zip([0, *cuts], [*cuts, len(items)], strict=True)]


def drop_files(rng: random.Random, root: Path, batch: list[Drop]) -> None:
    """Write a batch: most files straight into the inbox, some renamed in from outside."""
    inbox = root / "inbox"
    for d in batch:
        if rng.random() < 0.3:
            write_atomically_outside(root.parent / "桌面", inbox / d.name, d.text)
        else:
            (inbox / d.name).write_text(d.text, encoding="utf-8")


# --- the checks -----------------------------------------------------------------------------


class Inconsistent(AssertionError):
    pass


def _token(text: str) -> int | None:
    m = TOKEN.search(text)
    return int(m.group(1)) if m else None


@dataclass
class DocCache:
    """Docs already opened and checked, by (inode, size, mtime): a move to 历史版本 keeps them."""

    seen: dict = field(default_factory=dict)

    def token(self, path: Path) -> int | None:
        st = path.stat()
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        if key not in self.seen:
            self.seen[key] = _token(docx_text(path))  # python-docx: raises on a partial .docx
        return self.seen[key]


def check_consistency(
    root: Path, dropped: list[Drop], cache: DocCache | None = None, *, final: bool = False
) -> dict:
    """The workspace after a recovery (no watcher running): raises Inconsistent, or returns counts.

    Inputs not yet handled may wait in the inbox unless ``final``.
    """
    cache = cache or DocCache()
    problems: list[str] = []

    def check(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    rel = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    temps = list(root.rglob("*.zhibu-tmp"))
    check(not temps, f"temporary files left: {temps[:5]}")
    check(db_rows(root, "SELECT count(*) FROM journal")[0][0] == 0, "journal not empty")

    outbox = root / "outbox"
    originals = [p for p in outbox.rglob("*") if p.is_file() and "原始材料" in p.parts]
    failed = failed_files(root)
    waiting = inbox_inputs(root)
    check(not (final and waiting), f"inputs left in the inbox: {waiting[:5]}")

    # Every input exactly once: archived or failed, or (not final) still waiting in the inbox.
    # A copy of a filed note waits as itself until it is dropped as a duplicate.
    read = lambda p: p.read_text(encoding="utf-8", errors="replace")  # noqa: E731
    settled = Counter(_token(read(p)) for p in originals + failed)
    waiting_tokens = Counter(_token(read(p)) for p in waiting)
    expected = {d.token for d in dropped}
    copies = {d.token for d in dropped if d.kind == "duplicate"}
    check(None not in settled and None not in waiting_tokens, "a file without its marker")
    twice = sorted(
        t
        for t in expected
        if settled[t] + waiting_tokens[t] > (1 if t not in copies else 2) or settled[t] > 1
    )
    check(not twice, f"inputs found more than once: {twice[:10]}")
    lost = sorted(t for t in expected if not settled[t] and not waiting_tokens[t])
    check(not lost, f"inputs lost: {lost[:10]}")
    extra = sorted(set(settled) - expected - {None})
    check(not extra, f"unexpected inputs: {extra[:10]}")
    kinds = {d.token: d.kind for d in dropped}
    check(all(kinds.get(_token(read(p))) == "bad" for p in failed), "a valid note ended in 失败/")
    check(all(kinds.get(_token(read(p))) != "bad" for p in originals), "a note without a date was filed")

    # Index ↔ disk, one to one.
    sources = db_rows(root, "SELECT id, archived_path FROM sources")
    check(sorted(r[1] for r in sources) == sorted(rel(p) for p in originals), "sources ≠ archived originals")
    docs = [p for p in outbox.rglob("*.docx") if "原始材料" not in p.parts]
    outputs = db_rows(root, "SELECT path, source_id, active, topic FROM outputs")
    check(sorted(r[0] for r in outputs) == sorted(rel(p) for p in docs), "outputs ≠ documents on disk")
    check(all((root / r[0]).is_file() for r in outputs), "an outputs.path that does not exist")
    fail_rows = db_rows(root, "SELECT failed_path FROM failures")
    check(sorted(Path(r[0]).name for r in fail_rows) == sorted(p.name for p in failed), "failures ≠ 失败/")
    for p in failed:
        check(p.with_name(p.name + ".原因.txt").is_file(), f"no reason file beside {p.name}")
    for reason in (root / "inbox" / "失败").glob("*.原因.txt"):
        stem = reason.with_name(reason.name[: -len(".原因.txt")])
        # (before its commit, a crash leaves the reason of an input that is still in the inbox)
        check(
            stem.exists() or (not final and (root / "inbox" / stem.name).exists()),
            f"orphan reason file {reason.name}",
        )

    # Every document whole, made from its own input; one active document a meeting.
    source_token = {sid: _token((root / path).read_text(encoding="utf-8")) for sid, path in sources}
    for path, source_id, active, _ in outputs:
        doc = root / path
        if not doc.is_file():
            continue
        try:
            token = cache.token(doc)
        except Exception as exc:  # a partial or broken .docx
            problems.append(f"{path} does not open: {exc!r}")
            continue
        check(token == source_token.get(source_id), f"{path} holds 内容{token}号, not its source's")
        check(active or "历史版本" in Path(path).parts, f"inactive {path} outside 历史版本")
    per_meeting = Counter(topic for _, _, active, topic in outputs if active)
    check(all(n == 1 for n in per_meeting.values()), "a meeting with two active documents")
    if problems:
        raise Inconsistent("; ".join(problems))
    return {
        "filed": len(originals),
        "failed": len(failed),
        "waiting": len(waiting),
        "documents": len(docs),
        "history": sum(1 for r in outputs if not r[2]),
    }


def recover_in_process(root: Path) -> int:
    """What the next `zhibu watch` does first: take the lock, re-apply the journal, drop temps."""
    from pipeline.filing.session import Session
    from pipeline.workspace import Workspace

    with Session(Workspace(root)) as session:
        return session.recovered


# --- the run --------------------------------------------------------------------------------


@dataclass
class ChaosReport:
    seed: int
    rounds: int = 0
    kills_mid_filing: int = 0  # kills after which temp files or journal entries were left
    recovered_entries: int = 0  # journal entries re-applied by the in-process recoveries
    checks: int = 0
    consistent_checks: int = 0
    final_consistent: bool = False
    survived: int = 0  # kills followed by a check that found the workspace consistent
    counts: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class KillOnFiling(FileSystemEventHandler):
    """SIGKILL the watcher a random few milliseconds after it creates its n-th temporary file.

    Every filing (and every move to 失败/, through its reason file) starts by writing
    ``*.zhibu-tmp`` files; killing shortly after lands in the prepare, commit or apply phase.
    """

    def __init__(self, pid: int, skip: int, delay: float):
        self.pid, self.skip, self.delay = pid, skip, delay
        self.seen = 0
        self.fired = threading.Event()

    def on_created(self, event) -> None:
        path = os.fsdecode(event.src_path)
        if self.fired.is_set() or not path.endswith(".zhibu-tmp"):
            return
        self.seen += 1
        if self.seen > self.skip:
            time.sleep(self.delay)
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.fired.set()


def _kill_round(
    root: Path,
    rng: random.Random,
    mode: str,
    while_running: bool,
    tag: str,
    handled: Callable[[], int],
    drop_next: Callable[[], None],
) -> None:
    """Start a watcher and SIGKILL it as ``mode`` says (early, after some progress, or while filing)."""
    w = WatchProcess(root, settle=0.2, tag=tag)
    observer = None
    try:
        if mode == "early":
            time.sleep(rng.uniform(0.05, 2.0))
        else:
            w.wait_ready()
            if mode == "filing":
                delay = rng.choice([0.0, rng.uniform(0, 0.005), rng.uniform(0, 0.03)])
                killer = KillOnFiling(w.proc.pid, rng.randint(0, 6), delay)
                observer = Observer()
                observer.schedule(killer, str(root), recursive=True)
                observer.start()
            if while_running:
                drop_next()
            goal = handled() + rng.randint(1, 16)
            end = time.monotonic() + 60
            while (
                w.proc.poll() is None and handled() < goal and inbox_inputs(root) and time.monotonic() < end
            ):
                time.sleep(0.02)
            if mode == "filing" and w.proc.poll() is None and inbox_inputs(root):
                killer.fired.wait(10)  # the goal was reached first: wait for the next filing
            if w.proc.poll() is not None and not (mode == "filing" and killer.fired.is_set()):
                raise AssertionError(f"watcher died by itself:\n{w.output}\n{w.errors}")
            time.sleep(rng.uniform(0, 0.15) if mode == "progress" else 0)
    finally:
        w.kill9()
        if observer is not None:
            observer.stop()
            observer.join(10)


def _finish(root: Path, deadline: float, report: ChaosReport) -> None:
    """The end: a watcher finishes the inbox and stops cleanly; a final run on the empty inbox."""
    w = WatchProcess(root, settle=0.2, tag="chaos-final")
    try:
        w.wait_ready()
        wait_until(lambda: not inbox_inputs(root), timeout=deadline, what="the inbox to empty")
        rc = w.stop(signal.SIGTERM)
        if rc != 0:
            report.errors.append(f"final watcher exit status {rc}: {w.errors[-2000:]}")
    finally:
        w.close()
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(root)],
        cwd=REPO,
        env=env(),
        capture_output=True,
        timeout=300,
    )
    if run.returncode != 0:
        report.errors.append(
            f"final zhibu run exit status {run.returncode}: {run.stderr.decode('utf-8')[-2000:]}"
        )


def run_chaos(
    root: Path, *, seed: int, rounds: int, files: int = FILES, say=print, deadline: float = 240.0
) -> ChaosReport:
    """Kill `zhibu watch` ``rounds`` times while it files ``files`` inputs; check after most rounds.

    Each round drops the next batch (while the watcher runs, or before it starts) and kills the
    watcher in one of three ways: ``early`` (a random time after the start: start-up, recovery,
    the first scan or the first files), ``progress`` (after a random number of files, plus up to
    0.15 s) or ``filing`` (at once, or a random 0–30 ms after the watcher created a temporary file).
    """
    rng = random.Random(seed)
    report = ChaosReport(seed)
    init_workspace(root)
    pending = plan_inputs(rng, files, rounds)
    dropped: list[Drop] = []
    cache = DocCache()
    unchecked = 0  # kills since the last check

    def handled() -> int:
        return source_count(root) + len(failed_files(root))

    def drop_next() -> None:
        if pending:
            batch = pending.pop(0)
            dropped.extend(batch)
            drop_files(rng, root, batch)

    drop_next()
    for round_ in range(1, rounds + 1):
        mode = rng.choices(["early", "progress", "filing"], weights=[1, 2, 2])[0]
        while_running = rng.random() < 0.6
        if not while_running:
            drop_next()
        _kill_round(root, rng, mode, while_running, f"chaos{round_}", handled, drop_next)
        report.rounds += 1
        unchecked += 1
        left_over = bool(list(root.rglob("*.zhibu-tmp"))) or _journal(root) > 0
        report.kills_mid_filing += left_over
        if while_running and mode == "early":
            drop_next()  # dropped while nothing runs
        label = f"killed ({mode}{', mid-filing' if left_over else ''})"
        if rng.random() < 0.75:  # otherwise the next watcher recovers by itself
            report.recovered_entries += recover_in_process(root)
            report.checks += 1
            try:
                counts = check_consistency(root, dropped, cache)
                report.consistent_checks += 1
                report.survived += unchecked
                say(
                    f"  round {round_:2d}: {label}; consistent: "
                    f"{counts['filed']} filed, {counts['failed']} failed, {counts['waiting']} waiting"
                )
            except Inconsistent as exc:
                report.errors.append(f"round {round_}: {exc}")
                say(f"  round {round_:2d}: {label}; INCONSISTENT: {exc}")
            unchecked = 0
        else:
            say(f"  round {round_:2d}: {label}; left to the next start to recover")
    while pending:
        drop_next()
    _finish(root, deadline, report)
    report.checks += 1
    try:
        report.counts = check_consistency(root, dropped, cache, final=True)
        report.consistent_checks += 1
        report.final_consistent = True
        report.survived += unchecked
    except Inconsistent as exc:
        report.errors.append(f"final: {exc}")
    report.counts["inputs"] = len({d.token for d in dropped})
    report.counts["dropped"] = len(dropped)
    return report


def _journal(root: Path) -> int:
    try:
        return db_rows(root, "SELECT count(*) FROM journal")[0][0]
    except Exception:
        return 0


# --- the test -------------------------------------------------------------------------------


# Slow: twelve kills of a watcher filing 200 inputs. The lane keeps the same guarantee on one burst
# (tests/test_watch.py::test_kill_9_during_a_burst_then_restart: three kills, every input once).
@pytest.mark.slow
def test_watch_killed_at_random_moments_loses_nothing(tmp_path):
    seed = int(os.environ.get("ZHIBU_CHAOS_SEED") or random.SystemRandom().randrange(10**6))
    rounds = int(os.environ.get("ZHIBU_CHAOS_ROUNDS") or SUITE_ROUNDS)
    print(
        f"\nchaos seed {seed} ({rounds} kills); replay: ZHIBU_CHAOS_SEED={seed} pytest tests/test_chaos.py -s"
    )
    report = run_chaos(tmp_path / "ws", seed=seed, rounds=rounds)
    print(
        f"chaos seed {seed}: {report.counts}; {report.kills_mid_filing} kills left a filing half done; "
        f"{report.recovered_entries} journal entries re-applied"
    )
    assert not report.errors, f"seed {seed}:\n" + "\n".join(report.errors)
    assert report.final_consistent and report.checks == report.consistent_checks
    inputs = report.counts["inputs"]
    assert report.counts["filed"] + report.counts["failed"] == inputs
    assert report.counts["history"] >= 1, "no correction replaced a document"


def test_consistency_check_catches_a_lost_input_and_a_partial_document(tmp_path):
    """The checker itself: it must fail on the damage it is meant to find."""
    root = init_workspace(tmp_path / "ws")
    drops = [Drop(i, f"笔记 {i:04d}.txt", note_text(i), "valid", i) for i in range(3)]
    for d in drops:
        (root / "inbox" / d.name).write_text(d.text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(root)],
        cwd=REPO,
        env=env(),
        capture_output=True,
        timeout=300,
        check=True,
    )
    assert check_consistency(root, drops, final=True)["filed"] == 3
    doc = next(p for p in (root / "outbox").rglob("*.docx") if "原始材料" not in p.parts)
    doc.write_bytes(doc.read_bytes()[:2000])
    with pytest.raises(Inconsistent, match="does not open"):
        check_consistency(root, drops, final=True)
    extra = [*drops, Drop(99, "x.txt", note_text(99), "valid", 99)]
    with pytest.raises(Inconsistent, match="lost"):
        check_consistency(root, extra)
