"""Crash at every step of a filing, then recover: each input exactly once, index ↔ disk.

A crash is simulated by raising a BaseException (like kill -9, nothing after it runs in the
filing) at a chosen step; the filing session is then dropped and a new one opened, which runs
the start-up recovery exactly as a restarted `zhibu watch` would.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pipeline.archive.commit as commit_mod
import pipeline.archive.failures as failures_mod
import pipeline.filing.reading as reading_mod
from pipeline.filing.run import file_inbox, file_input
from pipeline.filing.session import Session
from pipeline.new_workspace import init_workspace
from pipeline.store import Store
from pipeline.workspace import Workspace
from tests.support.watch import check_invariants, db_rows, docx_text, note_text


class Crash(BaseException):
    """The process dies here."""


class CrashingOs:
    """``os`` for pipeline.archive.commit whose n-th ``replace`` dies before doing anything."""

    def __init__(self, at: int):
        self.at, self.calls = at, 0

    def __getattr__(self, name):
        return getattr(os, name)

    def replace(self, src, dst):
        self.calls += 1
        if self.calls == self.at:
            raise Crash(f"replace #{self.at}")
        return os.replace(src, dst)


@pytest.fixture
def ws(tmp_path) -> Workspace:
    ws, _ = init_workspace(tmp_path / "ws")
    return ws


def drop(ws: Workspace, name: str, text: str) -> Path:
    path = ws.inbox / name
    path.write_text(text, encoding="utf-8")
    return path


def crash_processing(ws: Workspace, path: Path) -> None:
    session = Session(ws).__enter__()
    try:
        with pytest.raises(Crash):
            file_input(session, path)
    finally:
        session.__exit__(Crash, None, None)  # the OS closes the index and drops the lock


def recover_and_run(ws: Workspace) -> list:
    with Session(ws) as session:
        return file_inbox(session)[0]


# --- a correction: the new version takes the old one's path, the old one goes to history -----

CORRECTION_STEPS = ["replace1", "replace2", "replace3", "inbox", "journal", "applied"]


@pytest.mark.parametrize("step", CORRECTION_STEPS)
def test_crash_while_filing_a_correction(ws, monkeypatch, step):
    first = drop(ws, "支委会.txt", note_text(1))
    with Session(ws) as session:
        assert file_input(session, first).status == "processed"
    (old_doc,) = [ws.root / r[0] for r in db_rows(ws.root, "SELECT path FROM outputs")]
    # Same meeting (type, date, topic, file name), corrected content: replaces the first one.
    second = drop(ws, "支委会.txt", note_text(1).replace("内容1号", "内容2号"))

    if step.startswith("replace"):
        monkeypatch.setattr(commit_mod, "os", CrashingOs(int(step[-1])))
    elif step == "inbox":
        monkeypatch.setattr(commit_mod, "sha256_file", lambda p: (_ for _ in ()).throw(Crash("inbox")))
    elif step == "journal":
        monkeypatch.setattr(Store, "delete_journal", lambda self, i: (_ for _ in ()).throw(Crash()))
    elif step == "applied":
        monkeypatch.setattr(
            commit_mod, "apply_entry", lambda *a: (_ for _ in ()).throw(Crash("after commit"))
        )
    crash_processing(ws, second)
    monkeypatch.undo()

    recover_and_run(ws)
    check_invariants(ws.root, {1, 2})
    active = db_rows(ws.root, "SELECT path FROM outputs WHERE active = 1")
    inactive = db_rows(ws.root, "SELECT path FROM outputs WHERE active = 0")
    assert [r[0] for r in active] == [old_doc.relative_to(ws.root).as_posix()]
    assert "内容2号" in docx_text(old_doc)
    (history,) = [ws.root / r[0] for r in inactive]
    assert "历史版本" in history.parts and "内容1号" in docx_text(history)


# --- a rejected input: the failure row and the move into inbox/失败/ ---------------------


@pytest.mark.parametrize("step", ["reason", "move", "journal"])
def test_crash_while_moving_to_failed(ws, monkeypatch, step):
    bad = drop(ws, "缺日期.txt", note_text(5, valid=False))
    if step == "reason":  # reason file written, nothing committed
        real = failures_mod.atomic_write_text

        def write_then_die(path, text):
            real(path, text)
            raise Crash("after reason")

        monkeypatch.setattr(failures_mod, "atomic_write_text", write_then_die)
    elif step == "move":  # committed, not moved
        monkeypatch.setattr(commit_mod, "os", CrashingOs(1))
    else:  # moved, journal entry not yet deleted
        monkeypatch.setattr(Store, "delete_journal", lambda self, i: (_ for _ in ()).throw(Crash()))
    crash_processing(ws, bad)
    monkeypatch.undo()

    outcomes = recover_and_run(ws)
    assert [o.status for o in outcomes] == (["failed"] if step == "reason" else [])
    assert check_invariants(ws.root, {5}) == {"filed": 0, "failed": 1}


# --- before the commit point: nothing visible ----------------------------------------------


def test_crash_while_writing_temporary_files(ws, monkeypatch):
    path = drop(ws, "笔记.txt", note_text(7))
    real = commit_mod.write_temp
    calls = {"n": 0}

    def second_dies(target, data):
        calls["n"] += 1
        tmp = real(target, data)
        if calls["n"] == 2:
            raise Crash("half prepared")  # the temp just written is not cleaned up by anyone
        return tmp

    monkeypatch.setattr(commit_mod, "write_temp", second_dies)
    crash_processing(ws, path)
    monkeypatch.undo()
    assert list(ws.root.rglob("*.zhibu-tmp")), "the simulated crash should leave a temp behind"
    assert path.exists() and db_rows(ws.root, "SELECT count(*) FROM sources") == [(0,)]
    recover_and_run(ws)
    check_invariants(ws.root, {7})


# --- an input seen again ----------------------------------------------------------------------


def test_input_restored_after_filing_is_a_duplicate(ws):
    text = note_text(8)
    with Session(ws) as session:
        assert file_input(session, drop(ws, "笔记.txt", text)).status == "processed"
        # e.g. a phone sync folder restoring the file it saw deleted
        again = file_input(session, drop(ws, "笔记 (1).txt", text))
    assert again.status == "duplicate" and not (ws.inbox / "笔记 (1).txt").exists()
    check_invariants(ws.root, {8})


# --- the input changes or disappears while it is processed ----------------------------------


def test_file_saved_again_during_processing_is_not_filed(ws, monkeypatch):
    path = drop(ws, "笔记.txt", note_text(9))
    real = reading_mod.read_input

    def read_then_save_again(p, **kw):
        result = real(p, **kw)
        with open(p, "a", encoding="utf-8") as fh:
            fh.write("补充：又改了一句。\n")
        return result

    monkeypatch.setattr(reading_mod, "read_input", read_then_save_again)
    with Session(ws) as session:
        outcome = file_input(session, path)
    monkeypatch.undo()
    assert outcome.status == "retry" and outcome.failed_path is None
    assert "被修改" in outcome.error and "笔记.txt" in outcome.error
    assert path.exists() and db_rows(ws.root, "SELECT count(*) FROM sources") == [(0,)]
    assert not list(ws.root.rglob("*.zhibu-tmp"))
    recover_and_run(ws)  # the next pass files the final content
    check_invariants(ws.root, {9})
    (doc,) = [ws.root / r[0] for r in db_rows(ws.root, "SELECT path FROM outputs")]
    assert "又改了一句" in docx_text(doc)


def test_invalid_file_saved_again_during_processing_stays_in_the_inbox(ws, monkeypatch):
    path = drop(ws, "缺日期.txt", note_text(10, valid=False))
    real = reading_mod.read_input

    def read_then_fix(p, **kw):
        p.write_text(note_text(10), encoding="utf-8")  # the secretary adds the date meanwhile
        return real(p, **kw)

    monkeypatch.setattr(reading_mod, "read_input", read_then_fix)
    with Session(ws) as session:
        file_input(session, path)
    monkeypatch.undo()
    assert path.exists() and not list(ws.failed.iterdir())
    assert db_rows(ws.root, "SELECT count(*) FROM failures") == [(0,)]
    recover_and_run(ws)
    check_invariants(ws.root, {10})


def test_file_deleted_during_processing_is_reported_not_failed(ws, monkeypatch):
    path = drop(ws, "笔记.txt", note_text(11))
    real = reading_mod.read_input

    def read_then_delete(p, **kw):
        result = real(p, **kw)
        p.unlink()
        return result

    monkeypatch.setattr(reading_mod, "read_input", read_then_delete)
    with Session(ws) as session:
        outcome = file_input(session, path)
    assert outcome.status == "retry" and outcome.failed_path is None and "移走或删除" in outcome.error
    assert db_rows(ws.root, "SELECT count(*) FROM sources") == [(0,)]
    assert not list(ws.root.rglob("*.zhibu-tmp")) and not list(ws.failed.iterdir())
