"""Benchmark: would a Chinese NLP library read notes better than the hand rules?

Runs the notes corpus (and any ``--external`` folders of real records) three ways in one run and
prints, side by side, the notes ending correctly, the stated fields right, the wrong and the
invented values, and the time per note with its ratio to the hand rules:

* ``rules``  — the parser as shipped: a person is a plausible name by the surname list
  (pipeline.ingest.names.plausible_name), a place ends as places end (室, 厅, 馆 …);
* ``jieba-names`` — a person is what jieba's part-of-speech tagger tags ``nr`` (person name);
* ``jieba-places`` — the rules, plus an outing's place ("前往浙江嘉兴南湖") accepted when jieba tags
  every word of it as a place name (``ns``).

jieba is not a dependency of zhibu: this script needs ``pip install jieba`` and says so.

    python benchmarks/notes_nlp.py heldout heldout2 --external /path/to/records
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.ingest import names  # noqa: E402
from pipeline.ingest.notes import phrases, prose  # noqa: E402
from tests.notes_corpus.harness import run_part, summary  # noqa: E402


def _jieba():
    try:
        import jieba
        import jieba.posseg as pseg
    except ImportError:
        sys.exit("这个基准需要 jieba：pip install jieba")
    jieba.setLogLevel(60)
    return pseg


@contextlib.contextmanager
def jieba_names(pseg):
    """Person names as jieba tags them, in place of the surname list."""

    def tagged_name(text: str) -> bool:
        words = list(pseg.cut(names.normalize_name(text)))
        return len(words) == 1 and words[0].flag in ("nr", "nrfg", "nrt")

    saved = names.plausible_name, prose.plausible_name
    names.plausible_name = prose.plausible_name = tagged_name
    try:
        yield
    finally:
        names.plausible_name, prose.plausible_name = saved


@contextlib.contextmanager
def jieba_places(pseg):
    """The rules, plus an outing's place that jieba tags as place names only."""
    rules = phrases.place
    outing = re.compile(r"(?:赴|前往)(?P<place>[^，。；;、\s]{2,16}?)[，,]?(?:开展|参观|举行)")

    def place(text: str) -> str:
        found = rules(text)
        if found:
            return found
        for m in outing.finditer(text):
            words = list(pseg.cut(m.group("place")))
            if words and all(w.flag == "ns" for w in words):
                return m.group("place")
        return ""

    phrases.place = place
    try:
        yield
    finally:
        phrases.place = rules


def parse_only(parts: list, variant, rounds: int = 5) -> float:
    """Seconds per note spent in parse_note alone (no rendering, no filing)."""
    from pipeline.errors import ZhibuError
    from pipeline.ingest.note import parse_note
    from tests.notes_corpus.harness import _folder, _note_text, manifest

    texts = [(name, _note_text(_folder(part) / name)) for part in parts for name in manifest(part)]
    started = time.perf_counter()
    with variant:
        for _ in range(rounds):
            for name, text in texts:
                with contextlib.suppress(ZhibuError):
                    parse_note(text, name)
    return (time.perf_counter() - started) / (rounds * len(texts))


def measure(label: str, parts: list, variant) -> dict:
    totals = {"notes": 0, "outcomes_ok": 0, "fields": 0, "fields_ok": 0, "wrong": 0, "invented": 0}
    started = time.perf_counter()
    with variant:
        for part in parts:
            with tempfile.TemporaryDirectory() as tmp:
                results, _ = run_part(part, Path(tmp) / "ws")
            for key, value in summary(results).items():
                if key in totals:
                    totals[key] += value
    totals["seconds"] = time.perf_counter() - started
    totals["label"] = label
    return totals


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", default=["heldout", "heldout2"])
    parser.add_argument("--external", action="append", type=Path, default=[], metavar="DIR")
    args = parser.parse_args(argv)
    pseg = _jieba()
    list(pseg.cut("预热"))  # load the dictionary once, outside the timed runs
    parts = [*args.parts, *(p.resolve() for p in args.external)]
    variants = [
        ("rules", contextlib.nullcontext),
        ("jieba-names", lambda: jieba_names(pseg)),
        ("jieba-places", lambda: jieba_places(pseg)),
    ]
    rows = []
    for label, make in variants:
        row = measure(label, parts, make())
        row["parse"] = parse_only(parts, make())
        rows.append(row)
    base, base_parse = rows[0]["seconds"] / rows[0]["notes"], rows[0]["parse"]
    print(
        f"{'方法':14}{'结果正确':>10}{'字段正确':>12}{'错误':>6}{'编造':>6}{'整个运行/份':>12}{'比':>6}{'解析/份':>10}{'比':>6}"
    )
    for r in rows:
        per = r["seconds"] / r["notes"]
        print(
            f"{r['label']:14}{r['outcomes_ok']:>6}/{r['notes']:<4}{r['fields_ok']:>7}/{r['fields']:<5}"
            f"{r['wrong']:>6}{r['invented']:>6}{per * 1000:>10.1f}ms{per / base:>6.2f}"
            f"{r['parse'] * 1000:>8.2f}ms{r['parse'] / base_parse:>6.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
