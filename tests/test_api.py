"""The library apart from the CLI: pipeline.api returns reports and raises, the commands print
them; the log on the console with -v/-vv; the index rebuilt without rendering a document."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import threading

import pytest

import pipeline.filing.planner as planner_mod
from pipeline import api
from pipeline.errors import ExitCode, WorkspaceLockedError
from pipeline.filing.outcome import Outcome, Status
from pipeline.ingest.sheets.sensitive import valid_id_number
from pipeline.logs import configure, workspace_log
from tests.conftest import REPO
from tests.support.docs import docx_text, note
from tests.support.registers import roster_workbook
from tests.support.watch import env, wait_until

GOOD = note(
    会议类型="支委会",
    会议主题="讨论确定发展对象",
    时间="2024年10月8日 14:30",
    主持人="沈轶娜",
    记录人="缪巧军",
    参会人员="沈轶娜、夏渊、缪巧军",
    会议内容="夏渊介绍了培养考察情况。",
)
BAD = "只有一句话，没有日期也没有会议类型。\n"


def test_statuses_carry_their_chinese_labels():
    assert [(s.value, s.label) for s in Status] == [
        ("processed", "已处理"),
        ("duplicate", "重复"),
        ("failed", "失败"),
        ("partial", "部分失败"),
        ("retry", "未处理"),
    ]
    assert Outcome("a.txt", "failed").status is Status.FAILED  # text given is the same status
    assert {s for s in Status if s.needs_attention} == {Status.FAILED, Status.PARTIAL, Status.RETRY}


def test_run_report_has_what_a_page_shows_and_the_json_of_the_command(ws):
    ws.drop("支委会.txt", GOOD)
    ws.drop("坏笔记.txt", BAD)
    calls = []
    report = api.run(ws.root, progress=lambda done, total, what: calls.append((done, total, what)))
    assert calls[0] == (0, 2, "") and [c[0] for c in calls] == [0, 1, 2]
    assert {c[2] for c in calls[1:]} == {"支委会.txt", "坏笔记.txt"}
    by_name = {o.name: o for o in report.outcomes}
    good, bad = by_name["支委会.txt"], by_name["坏笔记.txt"]
    assert good.status is Status.PROCESSED and good.error is None and not good.failed_path
    (doc,) = good.outputs
    assert doc.startswith("outbox/") and "夏渊介绍了培养考察情况" in docx_text(ws.root / doc)
    assert bad.status is Status.FAILED and bad.failed_path == "inbox/失败/坏笔记.txt"
    assert "坏笔记.txt" in bad.error and "处理办法" in bad.error
    assert (ws.root / "inbox/失败/坏笔记.txt.原因.txt").read_text(encoding="utf-8").count("处理办法") == 1
    assert report.counts[Status.PROCESSED] == 1 and report.documents == 1 and report.stopped is None
    assert report.exit_code is ExitCode.INPUT_FAILED
    # The command prints the same report: its --json is the report's dict.
    ws.drop("支委会.txt", GOOD)  # the same content again: a duplicate
    printed = json.loads(ws("run", "-w", ws.root, "--json").output)
    assert printed == {"recovered": 0, "inputs": [printed["inputs"][0]]}
    assert printed["inputs"][0]["status"] == "duplicate" and printed["inputs"][0]["name"] == "支委会.txt"


def test_a_second_filing_session_is_refused_with_the_callers_words(ws):
    with api.watching(ws.root, settle=0.1, polling=True, rescan=1000):
        with pytest.raises(WorkspaceLockedError) as refused:
            api.run(ws.root)
    assert "另一个 zhibu 程序" in str(refused.value)


def test_watching_hands_each_outcome_to_the_caller(ws):
    seen: list[Outcome] = []
    started = threading.Event()
    watchers = []

    def watch():  # the session (index connection, lock) belongs to the thread that opens it
        hooks = {"on_outcome": seen.append, "on_started": lambda w: started.set(), "echo": lambda line: None}
        with api.watching(ws.root, settle=0.1, polling=True, rescan=0.5, **hooks) as watcher:
            watchers.append(watcher)
            watcher.run()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        assert started.wait(60)
        ws.drop("支委会.txt", GOOD)
        wait_until(lambda: seen, 60, what="the watcher's outcome")
    finally:
        if watchers:
            watchers[0].request_stop()
        thread.join(60)
    assert [(o.name, o.status) for o in seen] == [("支委会.txt", Status.PROCESSED)]
    assert seen[0].outputs and (ws.root / seen[0].outputs[0]).is_file()


def _index_rows(root) -> list[tuple]:
    con = sqlite3.connect(root / ".zhibu" / "index.sqlite3")
    try:
        outputs = con.execute(
            "SELECT o.path, o.kind, o.meeting_type, o.date, o.title, o.active, o.expected, o.present,"
            " o.body_text, s.original_name, s.kind FROM outputs o JOIN sources s ON s.id = o.source_id"
            " ORDER BY o.path"
        ).fetchall()
        members = con.execute("SELECT name FROM members ORDER BY name").fetchall()
        return outputs + members
    finally:
        con.close()


def test_rebuild_gives_back_the_index_without_rendering_a_document(ws, monkeypatch):
    (ws.root / "inbox" / "党员名册.xlsx").write_bytes(roster_workbook())
    ws.drop("支委会.txt", GOOD)
    ws.run(ok=True)
    ws.drop("支委会.txt", GOOD.replace("夏渊介绍了培养考察情况。", "夏渊介绍了培养考察情况，大家一致同意。"))
    ws.run(ok=True)  # a correction: the first version goes to 历史版本
    before = _index_rows(ws.root)
    assert any(not row[5] for row in before[:3]), "a retired version is part of the index"
    documents = {p: p.read_bytes() for p in (ws.root / "outbox").rglob("*.docx")}

    def no_render(*args, **kwargs):
        raise AssertionError("zhibu doctor rendered a document")

    monkeypatch.setattr(planner_mod, "render_docx", no_render)
    (ws.root / ".zhibu" / "index.sqlite3").unlink()
    report = api.rebuild(ws.root)
    assert (report.sources, report.documents, report.history) == (3, 2, 1)
    assert not report.unreadable and not report.missing and report.backup is None
    assert _index_rows(ws.root) == before
    assert {p: p.read_bytes() for p in (ws.root / "outbox").rglob("*.docx")} == documents
    assert not list((ws.root / ".zhibu").glob("rebuild-*"))
    assert api.diagnose(ws.root).problems == []


def test_an_unexpected_error_is_one_chinese_line_and_exit_code_3(ws, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "status", broken)
    result = ws("status", "-w", ws.root)
    assert result.exit_code == ExitCode.WORKSPACE
    assert "程序内部错误（RuntimeError: boom）" in result.output and "Traceback" not in result.output


def _zhibu(root, *args):
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args, "-w", str(root)],
        cwd=REPO,
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_verbose_shows_zhibu_lines_in_chinese_and_other_libraries_stay_quiet(ws):
    ws.drop("支委会.txt", GOOD)
    ws.drop("坏笔记.txt", BAD)
    quiet = _zhibu(ws.root, "run", "--json")
    assert quiet.returncode == ExitCode.INPUT_FAILED and quiet.stderr == ""
    assert sorted(i["status"] for i in json.loads(quiet.stdout)["inputs"]) == ["failed", "processed"]
    ws.drop("支委会2.txt", GOOD.replace("讨论确定发展对象", "研究主题党日"))
    verbose = _zhibu(ws.root, "run", "-v", "--json")
    assert json.loads(verbose.stdout)["inputs"][0]["status"] == "processed"  # stdout stays JSON
    assert (
        "收件箱里有 1 个文件等待处理" in verbose.stderr and "已归档「支委会2.txt」→ outbox/" in verbose.stderr
    )
    assert "读取「" not in verbose.stderr  # a debug line
    ws.drop("支委会3.txt", GOOD.replace("讨论确定发展对象", "研究党课安排"))
    debug = _zhibu(ws.root, "run", "-vv")
    lines = debug.stderr.splitlines()
    assert any(line.startswith("读取「支委会3.txt」：note，会议 1 次") for line in lines), debug.stderr
    assert any(line.startswith("「支委会3.txt」的归档计划：文档 1 份") for line in lines)
    assert not any(
        word in debug.stderr for word in ("filelock", "charset_normalizer", "Attempting", "Traceback")
    )
    support = (ws.root / ".zhibu" / "zhibu.log").read_text(encoding="utf-8")
    assert "DEBUG 读取「支委会2.txt」" in support  # the support log keeps every level, whatever -v


def test_no_log_line_keeps_an_id_or_mobile_number(tmp_path):
    body = "11010519491231002"
    person_id = next(body + c for c in "0123456789X" if valid_id_number(body + c))
    log_path = tmp_path / "zhibu.log"
    configure(0)
    log = logging.getLogger("zhibu.test")
    with workspace_log(log_path):
        log.info("名册第3行：%s，电话 139 0217 0001", person_id)
        log.warning("无法读取", exc_info=ValueError(f"单元格 {person_id}"))
        log.info("普通的一行：2024-10-08 支委会")
    text = log_path.read_text(encoding="utf-8")
    assert person_id not in text and "0217" not in text
    assert text.count("（此行含有身份证号或手机号，已隐去）") == 2 and "普通的一行：2024-10-08 支委会" in text


def test_rebuild_keeps_a_finished_record_as_is_and_photos_with_their_note(ws, tmp_path):
    from PIL import Image

    from tests.support.learn_forms import LAYOUTS

    ws.drop("原样归档/研究工作.docx", LAYOUTS["两栏表格"](tmp_path / "研究工作.docx").read_bytes())
    folder = ws.root / "inbox" / "2024-10-25 主题党日"
    ws.drop("2024-10-25 主题党日/笔记.txt", GOOD.replace("支委会", "主题党日"))
    Image.new("RGB", (400, 300), (200, 30, 30)).save(folder / "01-参观展馆.jpg")
    ws.run(ok=True)
    before = _index_rows(ws.root)
    assert {row[-1] for row in before} >= {"原样归档", "note"}
    (ws.root / ".zhibu" / "index.sqlite3").unlink()
    report = api.rebuild(ws.root)
    assert report.unreadable == [] and (report.sources, report.documents) == (2, 2)
    # The same rows, the finished record still one (batch --rerender leaves it be); the inbox folder
    # an input came in is not on disk, so its name is the file's own.
    assert [r[:9] + r[10:] for r in _index_rows(ws.root)] == [r[:9] + r[10:] for r in before]
