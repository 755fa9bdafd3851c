"""The watcher in-process: a dead observer is restarted, a failing file never stops the loop."""

from __future__ import annotations

import shutil
import sys
import threading

import pytest

import pipeline.watch.loop as loop_mod
from pipeline.filing.session import Session
from pipeline.new_workspace import init_workspace
from pipeline.watch import Watcher
from pipeline.watch.observer import HintHandler
from tests.support.watch import db_rows, note_text, wait_until


@pytest.fixture
def running(tmp_path):
    """Start a Watcher on a fresh workspace in a thread; yields (watcher, ws, lines)."""
    ws, _ = init_workspace(tmp_path / "ws")
    lines: list[str] = []
    state: dict = {}

    def start(**kw):
        made = threading.Event()

        def main():  # the session's SQLite connection belongs to the thread that runs it
            try:
                with Session(ws) as session:
                    state["watcher"] = Watcher(
                        session,
                        settle=kw.get("settle", 0.2),
                        polling=kw.get("polling", False),
                        rescan=kw.get("rescan", 1000.0),
                        echo=lines.append,
                        health_every=0.2,
                    )
                    made.set()
                    state["watcher"].run()
            finally:
                made.set()

        state["thread"] = thread = threading.Thread(target=main, daemon=True)
        thread.start()
        assert made.wait(60) and "watcher" in state
        assert state["watcher"].started.wait(60)
        return state["watcher"], ws, lines

    yield start
    if "watcher" in state:
        state["watcher"].request_stop()
        state["thread"].join(60)
        assert not state["thread"].is_alive()


def filed(ws) -> int:
    return db_rows(ws.root, "SELECT count(*) FROM sources")[0][0]


def test_dead_emitter_is_restarted_and_events_flow_again(running):
    watcher, ws, lines = running()
    for emitter in list(watcher.supervisor.observer.emitters):
        emitter.stop()  # the thread ends, while the observer thread itself stays alive
    wait_until(lambda: watcher.stats.restarts >= 1, 60, what="the observer restart")
    assert any("重新启动" in line for line in lines)
    # no rescan for 1000 s: only events can find this file
    (ws.inbox / "笔记 0001.txt").write_text(note_text(1), encoding="utf-8")
    wait_until(lambda: filed(ws) == 1, 60, what="the file to be filed after the restart")


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="inotify stops the emitter when its folder goes"
)
def test_inbox_deleted_while_watching_is_recreated(running):
    watcher, ws, lines = running()
    shutil.rmtree(ws.inbox)
    wait_until(lambda: watcher.stats.restarts >= 1 and ws.inbox.is_dir(), 60, what="the restart")
    wait_until(lambda: watcher.supervisor.healthy(), 60, what="a healthy observer")
    (ws.inbox / "笔记 0002.txt").write_text(note_text(2), encoding="utf-8")
    wait_until(lambda: filed(ws) == 1, 60, what="the file to be filed")


def test_error_in_one_file_does_not_stop_the_watcher(running, monkeypatch):
    real = loop_mod.file_input

    def flaky(session, path):
        if "坏" in path.name:
            raise RuntimeError("boom")
        return real(session, path)

    monkeypatch.setattr(loop_mod, "file_input", flaky)
    watcher, ws, lines = running()
    (ws.inbox / "坏 0003.txt").write_text(note_text(3), encoding="utf-8")
    wait_until(lambda: watcher.stats.errors == 1, 60, what="the error")
    (ws.inbox / "好 0004.txt").write_text(note_text(4), encoding="utf-8")
    wait_until(lambda: filed(ws) == 1, 60, what="the next file")
    assert any("出错" in line and "坏 0003.txt" in line for line in lines)
    assert (ws.inbox / "坏 0003.txt").exists()  # kept, retried later, never lost
    assert watcher.stats.errors == 1  # held: not retried in a loop


def test_polling_observer_files_a_dropped_file(running):
    watcher, ws, lines = running(polling=True)
    assert watcher.supervisor.mode == "polling" and not watcher.tracker.track_writers
    (ws.inbox / "笔记 0005.txt").write_text(note_text(5), encoding="utf-8")
    # The report line follows the commit: wait for both.
    wait_until(
        lambda: filed(ws) == 1 and any("已处理" in line and "笔记 0005.txt" in line for line in lines),
        60,
        what="the polled file and its report line",
    )


def test_missed_events_are_caught_by_the_rescan(running, monkeypatch):
    monkeypatch.setattr(HintHandler, "on_any_event", lambda self, event: None)  # events all lost
    watcher, ws, lines = running(rescan=0.5)
    (ws.inbox / "笔记 0006.txt").write_text(note_text(6), encoding="utf-8")
    wait_until(lambda: filed(ws) == 1, 60, what="the rescan to find the file")
