"""Benchmark: one LibreOffice start per document versus zhibu's chunked conversion.

    python benchmarks/pdf.py [--docs 30] [--chunk-size 20] [--volume]

Makes realistic Chinese minutes (.docx, 1–3 pages each) with python-docx, then converts them

1. the naive way: ``soffice --convert-to pdf`` once per document (with one private profile,
   made beforehand, so only the start-up cost is counted, not the profile's creation), and
2. through :func:`pipeline.printing.convert_to_pdf` (fresh profile, one start per chunk),

and prints both times and the ratio. ``--volume`` also times a bound volume of the documents.
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

from pipeline.printing import VolumeEntry, build_volume, convert_to_pdf, find_soffice  # noqa: E402
from pipeline.printing.convert import _fontconfig_file, _new_profile, _soffice_env  # noqa: E402
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
        date = start + dt.timedelta(days=4 * i)
        path = write_sample_minutes(
            folder / f"{i + 1:02d}-{title}.docx", title=title, date=date, paragraphs=2 + (i % 3) * 3
        )
        entries.append(VolumeEntry(title, date, path))
    return entries


def naive(docs: list[Path], out: Path, work: Path) -> float:
    soffice = find_soffice()
    profile = _new_profile(work, 99)
    env = _soffice_env(_fontconfig_file(work))
    base = [
        str(soffice),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
    ]
    # Create the profile first, so that the loop measures plain starts.
    subprocess.run([*base, str(docs[0])], env=env, capture_output=True, check=True)
    t0 = time.perf_counter()
    for doc in docs:
        subprocess.run([*base, str(doc)], env=env, capture_output=True, check=True, timeout=120)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=30)
    ap.add_argument("--chunk-size", type=int, default=20)
    ap.add_argument("--volume", action="store_true", help="also time a bound volume of the documents")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        tmp = Path(tmp)
        entries = make_documents(tmp / "docs", args.docs)
        docs = [e.docx for e in entries]

        t_naive = naive(docs, tmp / "naive", tmp)
        t0 = time.perf_counter()
        pdfs = convert_to_pdf(docs, tmp / "chunked", chunk_size=args.chunk_size)
        t_chunked = time.perf_counter() - t0
        assert len(pdfs) == len(docs) and len(list((tmp / "naive").glob("*.pdf"))) == len(docs)

        starts = -(-len(docs) // args.chunk_size)
        print(f"documents:                     {len(docs)}")
        print(f"one LibreOffice start per doc: {t_naive:6.2f} s  ({len(docs)} starts)")
        print(
            f"convert_to_pdf (chunked):      {t_chunked:6.2f} s  ({starts} starts, chunk size {args.chunk_size})"
        )
        print(f"speed-up:                      {t_naive / t_chunked:6.1f}x")
        if args.volume:
            t0 = time.perf_counter()
            result = build_volume(
                entries,
                tmp / "卷册.pdf",
                branch="中共某某大学某某学院教工第一党支部",
                term_label="2024—2025学年第一学期",
                volume_name="组织活动记录",
            )
            print(
                f"bound volume:                  {time.perf_counter() - t0:6.2f} s  "
                f"({result.page_count} pages, {(tmp / '卷册.pdf').stat().st_size // 1024} KiB)"
            )


if __name__ == "__main__":
    main()
