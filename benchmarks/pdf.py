"""Benchmark: zhibu's PDF conversion against one plain ``soffice`` call, and the volume's speed-up.

    python benchmarks/pdf.py [--docs 30] [--print-docs 600] [--workers N] [--naive]

Makes realistic Chinese minutes (.docx, 1–3 pages each) with python-docx, then measures in one run:

1. **pdf**: the peer is one plain ``soffice --convert-to pdf --outdir OUT a.docx b.docx ...`` call
   with all files (its private profile made beforehand, so only the conversion is timed; LibreOffice
   7.4 silently stops after ~245 files in one call, so this peer is only fair for small jobs);
   zhibu is :func:`pipeline.office.convert.convert_documents` with its default workers (fresh
   profiles, isolated copies, every PDF checked).
2. **print** (``--print-docs``, 0 to skip): a bound volume of that many documents with one
   LibreOffice converter (``workers=1``) and with the default number of workers.
3. ``--naive``: one LibreOffice start per document, the way a script would loop.

The last line is ``vs one soffice call: R×`` (the plain call's time divided by zhibu's; ≥ 1 means
zhibu is no slower).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.office.convert import convert_documents, default_workers  # noqa: E402
from pipeline.office.soffice import find_soffice, fontconfig_file, new_profile, soffice_env  # noqa: E402
from pipeline.printing import VolumeEntry, build_volume  # noqa: E402
from pipeline.printing.sample import write_sample_minutes  # noqa: E402

TITLES = [
    "支部党员大会会议记录",
    "支委会会议记录",
    "党小组会记录",
    "主题党日活动记录",
    "党课讲稿",
    "谈心谈话记录",
]


def make_documents(folder: Path, count: int) -> list[VolumeEntry]:
    entries = []
    start = dt.date(2024, 9, 2)
    for i in range(count):
        title = f"{TITLES[i % len(TITLES)]}（第{i + 1}次）"
        date = start + dt.timedelta(days=i % 120)
        path = write_sample_minutes(
            folder / f"{i + 1:03d}-{title}.docx", title=title, date=date, paragraphs=2 + (i % 3) * 3
        )
        entries.append(VolumeEntry(title, date, path))
    return entries


def _soffice(work: Path, out: Path) -> tuple[list[str], dict]:
    profile = new_profile(work, 99)
    env = soffice_env(fontconfig_file(work))
    base = [str(find_soffice()), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    return [*base, "--convert-to", "pdf", "--outdir", str(out)], env


def one_call(docs: list[Path], out: Path, work: Path) -> float:
    """One plain soffice call with every file (profile created beforehand)."""
    cmd, env = _soffice(work, work / "warm-up")
    subprocess.run([*cmd, str(docs[0])], env=env, capture_output=True, check=True)
    cmd[-1] = str(out)
    t0 = time.perf_counter()
    subprocess.run([*cmd, *map(str, docs)], env=env, capture_output=True, check=True, timeout=1800)
    elapsed = time.perf_counter() - t0
    made = len(list(out.glob("*.pdf")))
    if made != len(docs):
        print(f"(the plain call made only {made} of {len(docs)} PDFs)")
    return elapsed


def naive(docs: list[Path], out: Path, work: Path) -> float:
    cmd, env = _soffice(work, out)
    subprocess.run([*cmd, str(docs[0])], env=env, capture_output=True, check=True)
    t0 = time.perf_counter()
    for doc in docs:
        subprocess.run([*cmd, str(doc)], env=env, capture_output=True, check=True, timeout=120)
    return time.perf_counter() - t0


def timed_volume(entries, dest: Path, workers: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    result = build_volume(
        entries,
        dest,
        branch="中共某某大学某某学院教工第一党支部",
        term_label="2024—2025学年第一学期",
        volume_name="组织活动记录",
        workers=workers,
    )
    return time.perf_counter() - t0, result.page_count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=30)
    ap.add_argument("--print-docs", type=int, default=600, help="documents in the volume (0: skip)")
    ap.add_argument("--workers", type=int, default=default_workers())
    ap.add_argument("--naive", action="store_true", help="also time one LibreOffice start per document")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        tmp = Path(tmp)
        docs = [e.docx for e in make_documents(tmp / "docs", args.docs)]
        print(f"machine: {default_workers()} LibreOffice workers by default; measuring with {args.workers}")

        t_call = one_call(docs, tmp / "call", tmp)
        t0 = time.perf_counter()
        result = convert_documents(docs, tmp / "zhibu", workers=args.workers)
        t_zhibu = time.perf_counter() - t0
        assert not result.failures and len(result.pdfs) == len(docs), result.failures
        print(f"pdf, {len(docs)} documents")
        print(f"  one plain soffice call:        {t_call:7.2f} s")
        print(f"  zhibu ({args.workers} workers, {result.starts} starts):  {t_zhibu:7.2f} s")
        if args.naive:
            t_naive = naive(docs, tmp / "naive", tmp)
            print(
                f"  one soffice start per doc:     {t_naive:7.2f} s  (zhibu {t_naive / t_zhibu:.1f}× faster)"
            )

        if args.print_docs:
            entries = make_documents(tmp / "volume-docs", args.print_docs)
            t_one, pages = timed_volume(entries, tmp / "one.pdf", 1)
            t_many, _ = timed_volume(entries, tmp / "many.pdf", args.workers)
            print(f"print, {args.print_docs} documents ({pages} pages)")
            print(f"  one converter:                 {t_one:7.2f} s")
            print(
                f"  {args.workers} converters:                  {t_many:7.2f} s  ({t_one / t_many:.2f}× faster)"
            )
        print(f"vs one soffice call: {t_call / t_zhibu:.2f}×")


if __name__ == "__main__":
    main()
