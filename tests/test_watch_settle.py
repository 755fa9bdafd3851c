"""The settle tracker with a fake clock and a fake lock probe: when is a file complete?"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.fs.settle import BUSY, OK, SettleTracker, probe_open, signature


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, dt: float) -> None:
        self.t += dt


@pytest.fixture
def clock():
    return Clock()


def make(clock, **kw) -> SettleTracker:
    return SettleTracker(1.0, clock=clock, **kw)


def ready_after(tracker: SettleTracker) -> Path | None:
    tracker.poll()
    item = tracker.next_ready()
    return item[0] if item else None


def test_stable_file_becomes_ready_only_after_the_quiet_period(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock)
    t.observe(f, "created")
    clock.advance(0.9)
    assert ready_after(t) is None
    clock.advance(0.2)
    assert ready_after(t) == f
    assert ready_after(t) is None  # handed out once
    assert t.waiting == 0


def test_growing_file_restarts_the_quiet_period(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock)
    t.observe(f, None)
    for _ in range(5):
        clock.advance(0.6)
        with open(f, "a") as fh:
            fh.write("二")
        assert ready_after(t) is None  # no event: the check at the due time sees it by stat
    # A change seen only by stat is dated from when it was seen: ready within two periods.
    clock.advance(1.01)
    first = ready_after(t)
    clock.advance(1.01)
    assert (first or ready_after(t)) == f


def test_an_event_counts_as_a_change_even_if_stat_cannot_tell(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock)
    t.observe(f, None)
    clock.advance(0.8)
    t.observe(f, "modified")  # e.g. FAT: 2-second mtime, same size
    clock.advance(0.8)
    assert ready_after(t) is None
    clock.advance(0.3)
    assert ready_after(t) == f


def test_deleted_before_stable_is_forgotten(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock)
    t.observe(f, "created")
    f.unlink()
    t.observe(f, "deleted")
    assert t.waiting == 0
    clock.advance(5)
    assert ready_after(t) is None


def test_deleted_without_an_event_is_forgotten_at_the_check(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock)
    t.observe(f, "created")
    f.unlink()
    clock.advance(2)
    assert ready_after(t) is None and t.waiting == 0


def test_locked_file_waits_until_it_can_be_opened_and_is_reported_once(tmp_path, clock):
    f = tmp_path / "a.docx"
    f.write_bytes(b"PK")
    state = {"probe": BUSY}
    t = make(clock, probe=lambda p: state["probe"], busy_report_after=30)
    t.observe(f, "created")
    for _ in range(40):
        clock.advance(1.0)
        assert ready_after(t) is None
    assert t.busy_reports == [f]
    state["probe"] = OK
    clock.advance(2.0)
    assert ready_after(t) == f


def test_inotify_writer_that_pauses_is_waited_for_until_close(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock, track_writers=True, writer_grace=60)
    t.observe(f, "created")
    t.observe(f, "modified")
    clock.advance(10)  # long pause, file still open for writing
    assert ready_after(t) is None
    t.observe(f, "closed")
    assert ready_after(t) == f  # quiet long enough already


def test_writer_grace_covers_a_lost_close_event(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock, track_writers=True, writer_grace=20)
    t.observe(f, "modified")
    clock.advance(19)
    assert ready_after(t) is None
    clock.advance(2)
    assert ready_after(t) == f


def test_empty_file_waits_for_its_content(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_bytes(b"")
    t = make(clock, empty_grace=10)
    t.observe(f, "created")
    clock.advance(3)
    assert ready_after(t) is None
    f.write_text("内容")
    t.observe(f, "modified")
    clock.advance(1.1)
    assert ready_after(t) == f


def test_change_after_ready_is_caught_before_handing_out(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock)
    t.observe(f, None)
    clock.advance(1.1)
    t.poll()
    f.write_text("一二三")  # no event delivered yet
    assert t.next_ready() is None  # re-checked, back to settling
    clock.advance(1.1)
    assert ready_after(t) == f


def test_file_left_behind_is_held_not_retried_in_a_loop(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock, retry_after=60)
    t.observe(f, None)
    clock.advance(1.1)
    path, sig = ready_after(t), signature(f)
    t.done(path, sig)  # the processor could not move it
    for event in (None, "modified", "closed"):
        t.observe(f, event)
    clock.advance(5)
    assert ready_after(t) is None
    clock.advance(60)
    t.observe(f, None)  # the periodic rescan after retry_after
    clock.advance(1.1)
    assert ready_after(t) == f


def test_file_saved_again_while_processed_settles_again(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("一")
    t = make(clock)
    t.observe(f, None)
    clock.advance(1.1)
    path = ready_after(t)
    before = signature(f)
    f.write_text("一二")
    t.done(path, before)
    clock.advance(1.1)
    assert ready_after(t) == f


def test_probe_open_on_posix(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x")
    assert probe_open(f) == OK
    assert probe_open(tmp_path / "missing") == "missing"
    if os.name != "nt" and os.geteuid() != 0:
        f.chmod(0)
        assert probe_open(f) == OK  # a permission problem is its filing's to report
