"""Benchmark: how well zhibu reads notes as secretaries write them.

Runs each part of tests/notes_corpus (``tuning``: the notes the parser was developed on;
``heldout``: written before any tuning and never tuned on; ``fresh``, ``patterns``, ``heldout2``,
``round2`` to ``round7``: later batches, see the README) through `zhibu run` in a fresh workspace and prints,
per part, the notes that end correctly (filed, or refused for the expected reason), the stated
fields right in the filed minutes, the **wrong values** (printed, but not what the note states)
and the **invented values** (printed for a field the note does not state), and every miss.

    python benchmarks/notes_accuracy.py                      # every committed part
    python benchmarks/notes_accuracy.py heldout              # one part
    python benchmarks/notes_accuracy.py --external DIR       # notes kept outside the repository
    python benchmarks/notes_accuracy.py --external DIR --quiet   # figures only, no misses shown
    python benchmarks/notes_accuracy.py --external DIR --count-ambiguous   # as scored before round 3

``--external`` takes a folder with notes and a ``manifest.json`` of the same form as the corpus
(see tests/notes_corpus/harness.py): real published records must never be committed, so they are
scored from outside; ``--quiet`` keeps an unseen evaluation set unseen (no miss is printed).
A value printed for a field the manifest marks ``ambiguous`` (the record reads two ways there) is
neither right nor invented: it is counted apart, or as invented with ``--count-ambiguous``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.notes_corpus.harness import PARTS, run_part, summary  # noqa: E402


def report(label: str, part: str | Path, quiet: bool, count_ambiguous: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        results, _ = run_part(part, Path(tmp) / "ws", count_ambiguous)
    s = summary(results)
    n = s["notes"]
    print(f"== {label}: {n} 份笔记")
    print(f"   结果正确（归档或按正确原因拒收）：{s['outcomes_ok']}/{n} = {s['outcomes_ok'] / n:.1%}")
    print(f"   完全正确（结果和全部字段）：{s['notes_exact']}/{n} = {s['notes_exact'] / n:.1%}")
    print(f"   写明的字段正确：{s['fields_ok']}/{s['fields']} = {s['fields_ok'] / max(s['fields'], 1):.1%}")
    print(f"   错误的值（填了，但不是笔记写的）：{s['wrong']}")
    print(f"   编造的值（笔记没写，却填了）：{s['invented']}")
    if not count_ambiguous:
        print(f"   有歧义的栏目上填了的值（不计为对错）：{s['ambiguous']}")
    if not quiet:
        for r in results:
            for miss in r.misses:
                print(f"   ✗ {r.name}：{miss}")
            for value in r.ambiguous:
                print(f"   ? {r.name}：有歧义的栏目 {value}")
    return s


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help=f"parts of the committed corpus ({', '.join(PARTS)})")
    parser.add_argument("--external", action="append", type=Path, default=[], metavar="DIR")
    parser.add_argument("--quiet", action="store_true", help="figures only, no miss printed")
    parser.add_argument(
        "--count-ambiguous", action="store_true", help="count values printed on ambiguous fields as invented"
    )
    args = parser.parse_args(argv)
    for folder in args.external:
        report(str(folder), folder.resolve(), args.quiet, args.count_ambiguous)
    for part in args.parts or ([] if args.external else list(PARTS)):
        report(part, part, args.quiet, args.count_ambiguous)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
