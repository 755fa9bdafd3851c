"""Gallery: the first page of every kind of document zhibu writes, as PNG, for review by eye.

    python benchmarks/gallery.py [--out benchmarks/gallery] [--all-pages] [--dpi 60]

Makes a fresh workspace in a temporary folder, runs ``zhibu init``, ``zhibu demo``,
``zhibu batch --term 2024-2025-1`` and ``zhibu profile --docx`` on it, prints one document of each
kind through LibreOffice (each meeting type, the 谈心谈话 record, the 成果汇编, the 学期工作计划,
the 三会一课台账, the 党组织简介, the bound volume of ``zhibu print``) and renders its first page
(or all pages) to PNG in the output folder, which git ignores. A second workspace holds the test
suite's 发展党员登记表 (every stage): its 发展对象公示 and a 发展党员进度表 are printed too.
Prints the page count and the smallest font size of each document, so a short record that runs to
two pages, or text below 9 pt, shows.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.layout_pdf import font_sizes, page_texts, to_pdf, to_png  # noqa: E402

TERM = "2024-2025-1"


def zhibu(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, check=True, capture_output=True)


def demo_documents(ws: Path) -> dict[str, Path]:
    """One document of each kind from a demo workspace, by a short ASCII-free label."""
    zhibu("init", str(ws))
    subprocess.run([sys.executable, "-m", "pipeline", "demo", "-w", str(ws)], cwd=ROOT, capture_output=True)
    zhibu("batch", "-w", str(ws), "--term", TERM)
    zhibu("profile", "-w", str(ws), "--docx", "--as-of", "2025-01-31")
    term = ws / "outbox" / "2024-2025学年" / "第一学期"
    found: dict[str, Path] = {}
    for path in sorted((term / "会议记录").rglob("*.docx")):
        kind = path.parent.name
        found.setdefault(kind, path)
        found[path.stem] = path
    for path in sorted(term.glob("*.docx")) + sorted(term.glob("*.xlsx")):
        found[path.stem.removeprefix("2024-2025学年第一学期")] = path
    found["党组织简介"] = ws / "outbox" / "党组织简介.docx"
    return found


def development_documents(ws: Path) -> dict[str, Path]:
    """The 发展对象公示 and the first 发展党员进度表 of the test register's workspace."""
    from pipeline.config import demo_config_text
    from tests.support.development_data import TODAY, minutes_notes, register_workbook

    zhibu("init", str(ws))
    (ws / "zhibu.toml").write_text(demo_config_text(), encoding="utf-8")
    (ws / "inbox" / "发展党员登记表.xlsx").write_bytes(register_workbook())
    for name, text in minutes_notes().items():
        (ws / "inbox" / name).write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline", "run", "-w", str(ws)], cwd=ROOT, capture_output=True)
    zhibu("batch", "-w", str(ws), "--term", "2025-2026-1", "--date", TODAY)
    papers = sorted((ws / "outbox").rglob("发展党员/*.docx"))
    found = {}
    for path in papers:
        label = "发展对象公示" if "公示" in path.stem else "发展党员进度表"
        found.setdefault(label, path)
    return found


def smallest_size(pdf: Path) -> float:
    """The smallest font size of upright text in the PDF (rotated page stamps aside)."""
    return round(min(font_sizes(pdf), default=0.0), 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "gallery")
    parser.add_argument("--all-pages", action="store_true")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        docs = demo_documents(Path(tmp) / "ws") | development_documents(Path(tmp) / "dev")
        unique = {}
        for label, path in docs.items():
            unique.setdefault(path, label)
        pdfs = to_pdf(list(unique), Path(tmp) / "pdf")
        # The bound volume (zhibu print) is a PDF already: its cover and contents pages.
        ws = Path(tmp) / "ws"
        zhibu("print", "-w", str(ws), "--term", TERM)
        for volume in (ws / "outbox").rglob("*组织活动记录卷.pdf"):
            pdfs[volume] = volume
            unique[volume] = "组织活动记录卷"
        for path, label in sorted(unique.items(), key=lambda item: item[1]):
            pdf = pdfs[path]
            shutil.copyfile(pdf, args.out / f"{label}.pdf")
            pngs = to_png(pdf, args.out / label, first_only=not args.all_pages, dpi=args.dpi)
            print(
                f"{label}: {len(page_texts(pdf))} 页，最小字号 {smallest_size(pdf)} 磅 → "
                f"{', '.join(p.name for p in pngs)}"
            )


if __name__ == "__main__":
    main()
