"""`zhibu watch` end to end: a real watcher in a subprocess, real file writes.

Every wait is a polling wait with a generous deadline; nothing asserts on timing.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.watch import (
    REPO,
    WatchProcess,
    check_invariants,
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

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX signals and kill -9")


@pytest.fixture
def root(tmp_path) -> Path:
    return init_workspace(tmp_path / "ws")


@pytest.fixture
def watchers():
    started: list[WatchProcess] = []

    def start(root: Path, *args: str, **kw) -> WatchProcess:
        w = WatchProcess(root, *args, **kw)
        started.append(w)
        return w

    yield start
    for w in started:
        w.close()


def outputs_with(root: Path, token: int) -> list[Path]:
    rows = db_rows(
        root,
        "SELECT o.path FROM outputs o JOIN sources s ON s.id = o.source_id "
        f"WHERE o.active = 1 AND s.original_name LIKE '%{token:04d}%'",
    )
    return [root / r[0] for r in rows]


def test_slow_write_in_chunks_is_never_read_half(root, watchers):
    """Chunks with pauses shorter than the settle time: the minutes hold the LAST chunk."""
    w = watchers(root)
    w.wait_ready()
    target = root / "inbox" / "慢慢写入 0001.txt"
    text = note_text(1) + "".join(f"第{k}段补充记录。\n" for k in range(1, 9)) + "最后一段：散会。\n"
    data = text.encode("utf-8")  # chunks split in the middle of characters too
    step = max(1, len(data) // 10)
    chunks = [data[i : i + step] for i in range(0, len(data), step)]
    with open(target, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
            fh.flush()
            time.sleep(0.12)
    wait_until(lambda: not target.exists() and source_count(root) == 1, what="the slow file to be filed")
    (doc,) = outputs_with(root, 1)
    body = docx_text(doc)
    assert "最后一段：散会。" in body and "第8段补充记录。" in body
    assert w.stop() == 0
    check_invariants(root, {1})


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="relies on inotify's close-after-write event"
)
def test_writer_pausing_longer_than_settle_is_waited_for(root, watchers):
    """inotify: a writer that keeps the file open is waited for, however long it pauses."""
    w = watchers(root)
    w.wait_ready()
    target = root / "inbox" / "长停顿 0002.txt"
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(note_text(2))
        fh.flush()
        time.sleep(1.2)  # four settle periods with nothing written, file still open
        fh.write("补充：会后再议的事项已经落实。\n")
    wait_until(lambda: not target.exists(), what="the file to be filed")
    assert "会后再议的事项已经落实" in docx_text(outputs_with(root, 2)[0])
    assert w.stop() == 0
    check_invariants(root, {2})


# Slow: 200 notes through one watcher. The lane keeps the guarantee (a burst filed exactly once, the
# index matching the disk) with test_kill_9_during_a_burst_then_restart (132 notes, three kills).
@pytest.mark.slow
def test_burst_of_200_notes(root, watchers):
    w = watchers(root)
    w.wait_ready()
    inbox = root / "inbox"
    for i in range(200):
        (inbox / f"笔记 {i:04d}.txt").write_text(note_text(i), encoding="utf-8")
    wait_until(lambda: source_count(root) == 200 and not inbox_inputs(root), what="200 notes filed")
    assert w.stop() == 0
    assert check_invariants(root, set(range(200))) == {"filed": 200, "failed": 0}
    assert w.output.count("已处理") == 200


def test_moved_in_file_and_dropped_folder(root, watchers, tmp_path):
    w = watchers(root)
    w.wait_ready()
    inbox = root / "inbox"
    outside = tmp_path / "桌面"
    # a single file renamed in from outside the inbox (same file system)
    write_atomically_outside(outside, inbox / "移入 0010.txt", note_text(10))
    # a whole folder (with a subfolder) dropped in at once
    folder = outside / "十月的会"
    (folder / "第二周").mkdir(parents=True)
    for i, sub in ((11, ""), (12, ""), (13, "第二周")):
        (folder / sub / f"笔记 {i:04d}.txt").write_text(note_text(i), encoding="utf-8")
    os.rename(folder, inbox / "十月的会")
    # a file renamed inside the inbox (how editors save: temp name, then the real one)
    (inbox / "草稿.tmp").write_text(note_text(14), encoding="utf-8")
    os.rename(inbox / "草稿.tmp", inbox / "改名 0014.txt")
    wait_until(lambda: source_count(root) == 5 and not inbox_inputs(root), what="moved-in files filed")
    assert w.stop() == 0
    check_invariants(root, {10, 11, 12, 13, 14})
    names = {r[0] for r in db_rows(root, "SELECT original_name FROM sources")}
    assert "十月的会/第二周/笔记 0013.txt" in names


def test_lock_files_ignored_and_deleted_file_forgotten(root, watchers):
    w = watchers(root, settle=1.0)
    w.wait_ready()
    inbox = root / "inbox"
    locks = [inbox / "~$会议记录.docx", inbox / ".~lock.会议记录.docx#", inbox / "下载中.txt.part"]
    for lock in locks:
        lock.write_bytes(b"\x00lock")
    # a file that is deleted while it is still being written (never stable)
    doomed = inbox / "写了一半就删 0020.txt"
    with open(doomed, "w", encoding="utf-8") as fh:
        for k in range(8):
            fh.write(note_text(20) if k == 0 else f"补充{k}\n")
            fh.flush()
            time.sleep(0.1)
    doomed.unlink()
    # then a normal note, so we know the watcher went past all of the above
    (inbox / "正常 0021.txt").write_text(note_text(21), encoding="utf-8")
    wait_until(lambda: source_count(root) == 1 and not (inbox / "正常 0021.txt").exists(), what="the note")
    time.sleep(1.5)  # give a wrong watcher every chance to touch the lock files (not an assertion on time)
    assert w.stop() == 0
    assert all(lock.exists() for lock in locks), "lock files must be left alone"
    assert not failed_files(root)
    out = w.output
    assert "0020" not in out and "~$" not in out and ".~lock" not in out
    assert [r[0] for r in db_rows(root, "SELECT original_name FROM sources")] == ["正常 0021.txt"]


def test_second_watcher_and_run_are_refused(root, watchers):
    w = watchers(root)
    w.wait_ready()
    second = subprocess.run(
        [sys.executable, "-m", "pipeline", "watch", "-w", str(root), "--settle", "0.3"],
        cwd=REPO,
        env=env(),
        capture_output=True,
        timeout=120,
    )
    assert second.returncode != 0
    message = second.stderr.decode("utf-8")
    assert "另一个 zhibu 程序" in message and "zhibu watch" in message and str(root) in message
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(root)],
        cwd=REPO,
        env=env(),
        capture_output=True,
        timeout=120,
    )
    assert run.returncode != 0 and "另一个 zhibu 程序" in run.stderr.decode("utf-8")
    # the first one is unaffected
    (root / "inbox" / "笔记 0030.txt").write_text(note_text(30), encoding="utf-8")
    wait_until(lambda: source_count(root) == 1, what="the first watcher to file the note")
    assert w.stop() == 0
    check_invariants(root, {30})


def test_sigterm_finishes_current_file_and_stops_cleanly(root, watchers):
    w = watchers(root)
    w.wait_ready()
    inbox = root / "inbox"
    for i in range(40):
        (inbox / f"笔记 {i:04d}.txt").write_text(note_text(i), encoding="utf-8")
    wait_until(lambda: source_count(root) >= 5, what="a few notes filed")
    assert w.stop(signal.SIGTERM) == 0
    assert "已停止监视" in w.output
    assert db_rows(root, "SELECT count(*) FROM journal")[0][0] == 0
    assert not list(root.rglob("*.zhibu-tmp"))
    left = len(inbox_inputs(root))
    assert source_count(root) + left == 40  # nothing half done: filed, or untouched in the inbox
    # the lock was released: a run finishes the rest
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(root)],
        cwd=REPO,
        env=env(),
        capture_output=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr.decode("utf-8")
    check_invariants(root, set(range(40)))


def test_polling_mode(root, watchers):
    w = watchers(root, "--polling")
    w.wait_ready()
    assert "轮询" in w.output
    write_atomically_outside(root.parent / "u盘", root / "inbox" / "轮询 0040.txt", note_text(40))
    (root / "inbox" / "笔记 0041.txt").write_text(note_text(41), encoding="utf-8")
    wait_until(lambda: source_count(root) == 2 and not inbox_inputs(root), what="polled files filed")
    assert w.stop() == 0
    check_invariants(root, {40, 41})


def test_kill_9_during_a_burst_then_restart(root, watchers):
    """kill -9 three times in the middle of a burst; after the restarts every input is
    accounted for exactly once and the index matches the disk."""
    rng = random.Random(4)
    inbox = root / "inbox"
    valid = list(range(100, 220))
    invalid = list(range(300, 312))  # no date: these go to inbox/失败/
    w = watchers(root, tag="run0")
    w.wait_ready()
    order = [(i, True) for i in valid] + [(i, False) for i in invalid]
    rng.shuffle(order)
    for i, ok in order:
        (inbox / f"笔记 {i:04d}.txt").write_text(note_text(i, valid=ok), encoding="utf-8")
    total = len(order)
    for round_ in range(1, 4):
        done = source_count(root) + len(failed_files(root))
        goal = min(total - 5, done + rng.randint(8, 25))
        wait_until(lambda g=goal: source_count(root) + len(failed_files(root)) >= g, what=f"progress {goal}")
        time.sleep(rng.uniform(0, 0.2))  # land anywhere inside the processing of a file
        w.kill9()
        w = watchers(root, tag=f"run{round_}")
        w.wait_ready()
    wait_until(lambda: not inbox_inputs(root), what="the inbox to empty after the restarts")
    assert w.stop() == 0
    counts = check_invariants(root, set(valid) | set(invalid))
    assert counts == {"filed": len(valid), "failed": len(invalid)}
