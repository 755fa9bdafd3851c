"""The bad-input corpus through `zhibu run` and through `zhibu watch`: each case handled
as it expects, none crashes the run, no original lost."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from docx import Document

from pipeline.config import demo_config_text
from tests.conftest import Zhibu
from tests.support.corpus import CASES, judge
from tests.support.watch import WatchProcess, inbox_inputs, init_workspace, wait_until
from tests.support.workspaces import new_workspace, process_state_kept

# The bytes of each case that is one regular file, made once: the zip bombs take seconds to deflate.
_MADE: dict[str, bytes] = {}


def build(inbox: Path, cases=CASES) -> None:
    for case in cases:
        path = inbox / case.file
        if case.name in _MADE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(_MADE[case.name])
            continue
        case.make(path)
        if stat.S_ISREG(path.lstat().st_mode) and path.lstat().st_size < 8 << 20:
            _MADE[case.name] = path.read_bytes()


def check_all(root: Path, output: str | None) -> None:
    verdicts = [judge(root, case, output) for case in CASES]
    problems = [f"{v.case.name} ({v.case.file}): {'; '.join(v.problems)}" for v in verdicts if not v.ok]
    assert not problems, "\n".join(problems)
    assert not any(v.lost for v in verdicts)
    # Nothing left in the inbox but the failed folder: every input accounted for.
    leftovers = [p for p in (root / "inbox").iterdir() if p.name != "失败"]
    assert leftovers == []
    # Every produced document opens and lies inside the outbox.
    outbox = (root / "outbox").resolve()
    for doc in (root / "outbox").rglob("*.docx"):
        assert doc.resolve().is_relative_to(outbox)
        Document(str(doc))


def test_corpus_has_forty_distinct_cases():
    assert len(CASES) >= 40
    assert len({c.file for c in CASES}) == len(CASES)
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.expect for c in CASES} == {"filed", "failed", "partial"}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    """The whole corpus dropped into one workspace and run once; the tests below read the result."""
    root = new_workspace(tmp_path_factory.mktemp("corpus") / "ws")
    (root / "zhibu.toml").write_text(demo_config_text(), encoding="utf-8")
    ws = Zhibu(root)
    build(root / "inbox")
    with process_state_kept():
        return ws, ws.run()


def test_every_bad_input_is_handled_and_nothing_is_lost(corpus_run):
    ws, result = corpus_run
    assert result.exit_code == 1, result.output  # some failed, none crashed the run
    assert "内部错误" not in result.output
    check_all(ws.root, result.output)
    # Hostile text stayed literal.
    jinja = [d for d in ws.outputs() if "for x in y" in d.name or "主持人" in d.name]
    assert jinja and "{{ ''.__class__ }} {%p if 1 %}" in "\n".join(
        p.text for p in Document(str(jinja[0])).paragraphs
    )


def test_symlink_target_outside_the_inbox_is_untouched(corpus_run):
    ws, _ = corpus_run
    outside = ws.root / "outside-note.txt"
    assert outside.exists() and "链接目标" in outside.read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="the watcher subprocess is stopped with SIGTERM")
def test_the_corpus_through_zhibu_watch(tmp_path):
    """The same accounting when the files arrive in a running watcher: half before it starts,
    half while it runs."""
    root = init_workspace(tmp_path / "ws")
    inbox = root / "inbox"
    half = len(CASES) // 2
    build(inbox, CASES[:half])
    w = WatchProcess(root, settle=0.2, tag="corpus")
    try:
        w.wait_ready()
        build(inbox, CASES[half:])
        wait_until(
            lambda: not inbox_inputs(root) and not (inbox / "链接.txt").is_symlink(),
            what="the watcher to handle the whole corpus",
        )
        assert w.stop() == 0, w.errors
    finally:
        w.close()
    assert "出错" not in w.output and "内部错误" not in w.output, w.output
    check_all(root, None)
    assert w.output.count("失败") >= sum(1 for c in CASES if c.expect == "failed")
