"""Benchmark: how well zhibu reads notes as secretaries write them.

Runs each part of tests/notes_corpus (``tuning``: the notes the parser was developed on;
``heldout``: written before any tuning and never tuned on) through `zhibu run` in a fresh
workspace and prints, per part, the notes that end correctly (filed, or refused for the
expected reason), the fields right in the filed minutes, and every miss.

    python benchmarks/notes_accuracy.py             # both parts
    python benchmarks/notes_accuracy.py heldout     # one part
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.notes_corpus.harness import PARTS, run_part, summary  # noqa: E402


def main(argv: list[str]) -> int:
    parts = argv or list(PARTS)
    for part in parts:
        with tempfile.TemporaryDirectory() as tmp:
            results, _ = run_part(part, Path(tmp) / "ws")
        s = summary(results)
        print(f"== {part}: {s['notes']} 份笔记")
        print(
            f"   结果正确（归档或按正确原因拒收）：{s['outcomes_ok']}/{s['notes']} = {s['outcomes_ok'] / s['notes']:.0%}"
        )
        print(
            f"   完全正确（结果和全部字段）：{s['notes_exact']}/{s['notes']} = {s['notes_exact'] / s['notes']:.0%}"
        )
        print(f"   字段正确：{s['fields_ok']}/{s['fields']} = {s['fields_ok'] / max(s['fields'], 1):.0%}")
        for r in results:
            for miss in r.misses:
                print(f"   ✗ {r.name}：{miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
