"""The bad-input corpus through `zhibu run` (issue 8): each case handled, no original lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docx import Document

from pipeline.archive.failures import reason_name
from tests.corpus import CASES


def _run_corpus(ws):
    inbox = ws.root / "inbox"
    for case in CASES:
        case.make(inbox / case.file)
    result = ws.run()
    return result


def _archived_originals(root: Path) -> list[str]:
    con = sqlite3.connect(root / ".zhibu" / "index.sqlite3")
    try:
        return [r[0] for r in con.execute("SELECT original_name FROM sources")]
    finally:
        con.close()


def test_corpus_has_forty_distinct_cases():
    assert len(CASES) >= 40
    assert len({c.file for c in CASES}) == len(CASES)


def test_every_bad_input_is_handled_and_nothing_is_lost(ws):
    result = _run_corpus(ws)
    assert result.exit_code == 1, result.output          # some failed, none crashed the run
    failed_dir = ws.root / "inbox" / "失败"
    archived = set(_archived_originals(ws.root))
    problems = []
    for case in CASES:
        in_failed = (failed_dir / case.file).exists() or (failed_dir / case.file).is_symlink()
        if case.expect == "failed":
            reason_file = failed_dir / reason_name(case.file)
            if not in_failed or not reason_file.exists():
                problems.append(f"{case.name}: not in 失败/ ({case.file in archived=})")
                continue
            reason = reason_file.read_text(encoding="utf-8-sig")
            if case.reason not in reason or case.file not in reason:
                problems.append(f"{case.name}: reason lacks {case.reason!r}: {reason}")
        else:
            if case.file not in archived:
                problems.append(f"{case.name}: not filed; failed={in_failed}")
    assert not problems, "\n".join(problems)
    # Nothing left in the inbox but the failed folder: every input accounted for.
    leftovers = [p for p in (ws.root / "inbox").iterdir() if p.name != "失败"]
    assert leftovers == []
    # Every produced document opens; hostile text stayed literal; everything is inside outbox.
    outbox = (ws.root / "outbox").resolve()
    for doc in (ws.root / "outbox").rglob("*.docx"):
        assert doc.resolve().is_relative_to(outbox)
        Document(str(doc))
    jinja = [d for d in ws.outputs() if "for x in y" in d.name or "主持人" in d.name]
    assert jinja and "{{ ''.__class__ }} {%p if 1 %}" in "\n".join(p.text for p in Document(str(jinja[0])).paragraphs)


def test_symlink_target_outside_the_inbox_is_untouched(ws):
    _run_corpus(ws)
    outside = ws.root / "outside-note.txt"
    assert outside.exists() and "链接目标" in outside.read_text(encoding="utf-8")
