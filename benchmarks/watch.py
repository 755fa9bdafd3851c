"""Benchmark: `zhibu watch` drop-to-filed latency, and a burst of notes.

    python benchmarks/watch.py [--settle S] [--drops N] [--burst N] [--members N] [--polling] [--profile N]

Starts a real ``python -m pipeline watch`` on a fresh workspace (made by ``python -m pipeline
init``, with a 党员名册 of ``--members`` members, default 300, filed by ``python -m pipeline
run`` first, so every note's attendance is checked against the roster as in real use), then

1. **latency**: drops N notes one at a time (written beside the inbox, then renamed in, so
   the moment the file is complete is exact) and measures until the inbox copy is gone, which
   is the last step of a filing (outputs are in place before). Reports p50/p95/max, and the
   same beyond the settle delay, which is waiting by design;
2. **burst**: writes N notes straight into the inbox as fast as it can, waits until they are
   all handled, stops the watcher with SIGTERM and counts: filed (exactly one archived
   original and one active minutes document), failed, lost (nowhere) and duplicated (more than
   once anywhere). Also checks there is no temporary file and no pending journal entry.

``--profile N`` instead profiles ``file_input`` in-process on N notes and prints where
the time goes. Exit status 1 when a target is missed: p50 beyond settle > 0.5 s, or the burst
not entirely filed with 0 lost and 0 duplicated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # runs from a checkout without installing the package

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workspace_data import member_names, write_roster  # noqa: E402

TOKEN = re.compile(r"内容(\d+)号")
NAMES = member_names(3)  # the roster's first members: its 书记, 组织委员 and 宣传委员


def note_text(i: int) -> str:
    day = dt.date(2024, 9, 2) + dt.timedelta(days=i % 240)
    host, organizer, recorder = NAMES
    return (
        f"会议类型：支委会\n会议主题：第{i}次\n时间：{day.year}年{day.month}月{day.day}日\n"
        f"主持人：{host}\n记录人：{recorder}\n参会人员：{host}、{organizer}、{recorder}\n会议内容：\n内容{i}号\n"
    )


def file_roster(ws: Path, members: int) -> None:
    """The roster filed by one `python -m pipeline run` before the watcher starts."""
    if members <= 0:
        return
    write_roster(ws / "inbox" / "名册" / "党员名册.xlsx", members)
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(ws)],
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    if f"新增 {members} 条" not in out:
        sys.exit(f"the roster was not filed:\n{out[-2000:]}")


def env() -> dict:
    e = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def rows(ws: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(ws / ".zhibu" / "index.sqlite3", timeout=30)
    try:
        return db.execute(sql).fetchall()
    except sqlite3.Error:
        return []
    finally:
        db.close()


def handled(ws: Path) -> int:
    r = rows(ws, "SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM failures)")
    return r[0][0] if r else 0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def start_watcher(ws: Path, settle: float, polling: bool, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "pipeline", "watch", "-w", str(ws), "--settle", str(settle)]
    if polling:
        cmd.append("--polling")
    out = open(log, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=out, stderr=subprocess.STDOUT)
    end = time.monotonic() + 120
    while "正在监视收件箱" not in log.read_text(encoding="utf-8", errors="replace"):
        if proc.poll() is not None or time.monotonic() > end:
            sys.exit(f"the watcher did not start:\n{log.read_text(encoding='utf-8', errors='replace')}")
        time.sleep(0.05)
    return proc


def latency(ws: Path, outside: Path, n: int, first: int) -> list[float]:
    outside.mkdir(parents=True, exist_ok=True)
    results = []
    for k in range(n):
        i = first + k
        staged = outside / f"延迟 {i:05d}.txt"
        staged.write_text(note_text(i), encoding="utf-8")
        target = ws / "inbox" / staged.name
        t0 = time.perf_counter()
        os.rename(staged, target)
        while target.exists():
            if time.perf_counter() - t0 > 120:
                sys.exit(f"{target.name} was not filed within 120 s")
            time.sleep(0.002)
        results.append(time.perf_counter() - t0)
        time.sleep(0.1)
    return results


def burst(ws: Path, n: int, first: int, already: int) -> tuple[float, float, bool]:
    inbox = ws / "inbox"
    t0 = time.perf_counter()
    for k in range(n):
        (inbox / f"批量 {first + k:05d}.txt").write_text(note_text(first + k), encoding="utf-8")
    written = time.perf_counter() - t0
    last, last_change, complete = -1, time.monotonic(), False
    while True:
        done = handled(ws) - already
        if done != last:
            last, last_change = done, time.monotonic()
        if done >= n and not any(p.is_file() for p in inbox.glob("批量 *")):
            complete = True
            break
        if time.monotonic() - last_change > 180:
            print(f"  no progress for 180 s at {done}/{n}; giving up")
            break
        time.sleep(0.1)
    return written, time.perf_counter() - t0, complete


def count(ws: Path, tokens: set[int]) -> dict:
    outbox, failed_dir = ws / "outbox", ws / "inbox" / "失败"
    originals = [p for p in outbox.rglob("*") if p.is_file() and "原始材料" in p.parts]
    failed = [p for p in failed_dir.glob("*") if p.is_file() and not p.name.endswith(".原因.txt")]
    waiting = [p for p in (ws / "inbox").rglob("*") if p.is_file() and "失败" not in p.parts]

    def token(p: Path) -> int | None:
        m = TOKEN.search(p.read_text(encoding="utf-8", errors="replace"))
        return int(m.group(1)) if m else None

    archived = Counter(token(p) for p in originals)
    rejected = Counter(token(p) for p in failed)
    pending = Counter(token(p) for p in waiting)
    per_source = Counter(r[0] for r in rows(ws, "SELECT source_id FROM outputs WHERE active = 1"))
    names = Counter(r[0] for r in rows(ws, "SELECT original_name FROM sources"))
    everywhere = archived + rejected + pending
    return {
        "filed": sum(1 for t in tokens if archived[t] == 1 and rejected[t] == 0),
        "failed": sum(1 for t in tokens if rejected[t]),
        "still in inbox": sum(1 for t in tokens if pending[t]),
        "lost": sum(1 for t in tokens if everywhere[t] == 0),
        "duplicated": sum(1 for t in tokens if everywhere[t] > 1)
        + sum(1 for n in names.values() if n > 1)
        + sum(1 for n in per_source.values() if n > 1),
        "temporary files": len(list(ws.rglob("*.zhibu-tmp"))),
        "journal entries": (rows(ws, "SELECT count(*) FROM journal") or [(0,)])[0][0],
    }


def profile(n: int, members: int) -> None:
    import cProfile
    import pstats

    from pipeline.filing.run import file_input
    from pipeline.filing.session import Session
    from pipeline.new_workspace import init_workspace

    with tempfile.TemporaryDirectory(prefix="zhibu-watch-profile-") as tmp:
        ws, _ = init_workspace(Path(tmp) / "ws")
        file_roster(ws.root, members)
        for i in range(n):
            (ws.inbox / f"笔记 {i:05d}.txt").write_text(note_text(i), encoding="utf-8")
        with Session(ws) as session:
            files = session.inputs()
            prof = cProfile.Profile()
            t0 = time.perf_counter()
            prof.enable()
            for path in files:
                file_input(session, path)
            prof.disable()
            took = time.perf_counter() - t0
        print(f"file_input: {n} notes in {took:.2f} s = {1000 * took / n:.1f} ms per note (profiled)")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(18)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--settle",
        type=float,
        default=1.0,
        help="settle delay given to the watcher (default 1.0, the config default)",
    )
    ap.add_argument("--drops", type=int, default=40, help="notes dropped one by one for the latency figures")
    ap.add_argument("--burst", type=int, default=1000, help="notes written at once")
    ap.add_argument("--members", type=int, default=300, help="members in the roster filed first (0: none)")
    ap.add_argument("--polling", action="store_true", help="run the watcher with --polling")
    ap.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile file_input on N notes and exit"
    )
    ap.add_argument("--keep", action="store_true", help="keep the workspace (its path is printed)")
    args = ap.parse_args()
    if args.profile:
        profile(args.profile, args.members)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="zhibu-watch-bench-"))
    ws = tmp / "ws"
    subprocess.run(
        [sys.executable, "-m", "pipeline", "init", str(ws)],
        cwd=ROOT,
        env=env(),
        check=True,
        capture_output=True,
    )
    file_roster(ws, args.members)
    log = tmp / "watch.out"
    print(
        f"zhibu watch benchmark — settle {args.settle:g} s, {'polling' if args.polling else 'native events'}, "
        f"roster of {args.members} members, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    proc = start_watcher(ws, args.settle, args.polling, log)
    failed = False
    try:
        lat = latency(ws, tmp / "outside", args.drops, first=0)
        beyond = [x - args.settle for x in lat]
        print(f"latency, drop to filed ({len(lat)} single drops):")
        print(
            f"  total        p50 {statistics.median(lat):.3f} s   p95 {pct(lat, 0.95):.3f} s   max {max(lat):.3f} s"
        )
        print(
            f"  beyond settle p50 {statistics.median(beyond):.3f} s   p95 {pct(beyond, 0.95):.3f} s   "
            f"max {max(beyond):.3f} s   (target: p50 ≤ 0.5 s)"
        )
        failed |= statistics.median(beyond) > 0.5

        written, took, complete = burst(ws, args.burst, first=100_000, already=handled(ws))
        print(
            f"burst of {args.burst} notes: written in {written:.2f} s, all handled after {took:.1f} s "
            f"({args.burst / took:.1f} notes/s, {1000 * took / args.burst:.0f} ms per note)"
            + ("" if complete else " — INCOMPLETE")
        )
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        code = proc.wait(120)
    counts = count(ws, set(range(args.drops)) | set(range(100_000, 100_000 + args.burst)))
    print(f"watcher stopped with SIGTERM, exit status {code}")
    print(
        "accounting over all "
        + f"{args.drops + args.burst} inputs: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    target_ok = (
        counts["filed"] == args.drops + args.burst
        and counts["lost"] == 0
        and counts["duplicated"] == 0
        and counts["temporary files"] == 0
        and counts["journal entries"] == 0
    )
    print("burst target (all filed, 0 lost, 0 duplicated): " + ("met" if target_ok else "MISSED"))
    failed |= not target_ok or code != 0
    if args.keep:
        print(f"workspace kept: {ws}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
