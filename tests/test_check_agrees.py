"""`zhibu check` is `zhibu run` without writing: on every input of the test corpora, check
predicts exactly the documents, failures and meeting warnings that run then produces, and shows
every line each document then carries (主讲人, 听课人员, 其他 … included)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.render.lines import document_lines
from tests.conftest import REPO
from tests.support.corpus import CASES

SAMPLES = REPO / "pipeline" / "samples"


NOTES_CORPUS = REPO / "tests" / "notes_corpus"
# Notes in the shapes of published reports: a lecturer, a group written instead of names, a
# traditional-character record, a joint 组织生活会 and 民主评议党员.
PUBLISHED_SHAPES = [
    "heldout2/机械系教工党支部专题党课.txt",
    "heldout2/全体党员大会-括号人数.txt",
    "heldout2/黨課-為大家.txt",
    "heldout2/组织生活会暨民主评议党员.txt",
    "heldout2/谈心谈话-书记与多名党员.txt",
]


def _inputs(tmp: Path) -> list[Path]:
    """The bundled samples (roster first, as a run orders them), notes of published shapes and
    the bad-input corpus."""
    made = []
    samples = sorted(SAMPLES.iterdir(), key=lambda p: ("名册" not in p.name, "签到" not in p.name, p.name))
    for sample in samples:
        target = tmp / "samples" / sample.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample, target)
        made.append(target)
    for name in PUBLISHED_SHAPES:
        target = tmp / "published" / Path(name).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(NOTES_CORPUS / name, target)
        made.append(target)
    for i, case in enumerate(CASES):
        target = tmp / f"case{i:02d}" / case.file
        target.parent.mkdir(parents=True, exist_ok=True)
        case.make(target)
        made.append(target)
    return made


def _meeting_warnings(lines: list[str]) -> list[str]:
    """Warnings about one meeting start with its date and activity: "2024-10-08 支委会：…"."""
    return sorted(w for w in lines if len(w) > 11 and w[4] == "-" and w[10] == " ")


@pytest.mark.slow
def test_check_and_run_agree_on_every_input(ws, tmp_path):
    disagreements = []
    for path in _inputs(tmp_path / "inputs"):
        if path.is_symlink() or not path.exists():
            continue
        checked = ws("check", "-w", ws.root, "--json", path)
        predicted = json.loads(checked.output)["files"][0]
        target = ws.root / "inbox" / path.name
        shutil.copy(path, target)
        ran = json.loads(ws("run", "-w", ws.root, "--json").output)
        (outcome,) = [o for o in ran["inputs"] if o["name"] == path.name]
        problems = []
        if predicted["duplicate"] != (outcome["status"] == "duplicate"):
            problems.append(f"duplicate: check {predicted['duplicate']}, run {outcome['status']}")
        if bool(predicted["errors"]) != (outcome["status"] in ("failed", "partial")):
            problems.append(
                f"errors: check {predicted['errors']}, run {outcome['status']} {outcome['error']}"
            )
        planned = [d["path"] for d in predicted["documents"]]
        if outcome["status"] in ("processed", "partial") and not set(planned) <= set(outcome["outputs"]):
            problems.append(f"documents: check {planned}, run {outcome['outputs']}")
        for doc in predicted["documents"]:
            filed = ws.root / doc["path"]
            if filed.is_file() and document_lines(filed.read_bytes()) != doc["lines"]:
                problems.append(f"lines: check {doc['lines']}, run {document_lines(filed.read_bytes())}")
        if _meeting_warnings(predicted["warnings"]) != _meeting_warnings(
            w for w in outcome["warnings"] if not w.startswith("已按")
        ):
            problems.append(f"warnings: check {predicted['warnings']}, run {outcome['warnings']}")
        if problems:
            disagreements.append(f"{path.parent.name}/{path.name}: " + "; ".join(problems))
    assert not disagreements, "\n".join(disagreements)
