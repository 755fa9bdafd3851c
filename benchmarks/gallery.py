"""Gallery: the first page of every kind of document zhibu writes, as PNG, for review by eye.

    python benchmarks/gallery.py [--out benchmarks/gallery] [--all-pages] [--dpi 60]

Makes a fresh workspace in a temporary folder, runs ``zhibu init``, ``zhibu demo``,
``zhibu batch --term 2024-2025-1`` and ``zhibu profile --docx --as-of 2025-01-31`` on it, prints
one document of each kind through LibreOffice (each meeting type, the 谈心谈话 record, the 成果汇编,
the 学期工作计划, the 三会一课台账, the 党组织简介, the bound volume of ``zhibu print``), and the
发展党员 papers of the test register (tests/support/development_data.py: a 发展对象公示, two 进度表,
the 发展党员台账 and 问题清单 sheets of its ledger), the demo's 2024年考核 papers and the 党费 year
papers of tests/support/dues_data.py (every page of those) and renders its first page
(or all pages) to PNG in the output folder, which git ignores. Prints the page count and the
smallest font size of each document, so a short record that runs to two pages, or text below 9 pt,
shows.
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


def zhibu(*args: str, check: bool = True) -> None:
    subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, check=check, capture_output=True)


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
    # The year's 考核 papers, after the volume is bound (the 支撑材料目录 gives its 卷内页码).
    zhibu("print", "-w", str(ws), "--term", TERM)
    zhibu("assess", "-w", str(ws), "--year", "2024")
    for path in sorted((ws / "outbox" / "2024年考核").glob("*.docx")):
        found[path.stem] = path
    return found


def dues_documents(ws: Path) -> dict[str, Path]:
    """The 党费 year papers of the test registers (tests/support/dues_data.py), year 2024."""
    from pipeline.config import demo_config_text
    from tests.support import dues_data

    zhibu("init", str(ws))
    (ws / "zhibu.toml").write_text(demo_config_text(), encoding="utf-8")  # the branch's name set
    (ws / "inbox" / "党员名册.xlsx").write_bytes(dues_data.roster_workbook())
    zhibu("run", "-w", str(ws))
    registers = {
        "发展党员登记表.xlsx": dues_data.development_workbook,
        "2024年度党费基数核算表.xlsx": dues_data.base_workbook,
        "2024年党费收缴登记表.xlsx": dues_data.months_workbook,
        "党费交纳明细.xlsx": dues_data.payments_workbook,
    }
    for name, make in registers.items():
        (ws / "inbox" / name).write_bytes(make())
    zhibu("run", "-w", str(ws), check=False)
    zhibu("batch", "-w", str(ws), "--year", "2024-2025", "--date", dues_data.TODAY, check=False)
    folder = ws / "outbox" / "2024-2025学年" / "党费"
    return {p.stem: p for p in sorted(folder.glob("2024*")) if p.suffix in (".docx", ".xlsx")}


def development_documents(ws: Path) -> dict[str, Path]:
    """The 发展党员 papers of the test register, its minutes and roster (term 2025-2026-1)."""
    from openpyxl import load_workbook

    from pipeline.config import demo_config_text
    from tests.support.development_data import TODAY, minutes_notes, register_workbook, roster_workbook

    zhibu("init", str(ws))
    config = demo_config_text().replace('publicity_contact = ""', 'publicity_contact = "组织委员 夏渊"')
    (ws / "zhibu.toml").write_text(config.replace('publicity_phone = ""', 'publicity_phone = "021-69581234"'))
    (ws / "inbox" / "党员名册.xlsx").write_bytes(roster_workbook())
    zhibu("run", "-w", str(ws))
    for name, text in minutes_notes().items():
        (ws / "inbox" / name).write_text(text, encoding="utf-8")
    (ws / "inbox" / "发展党员登记表.xlsx").write_bytes(register_workbook())
    zhibu("run", "-w", str(ws), check=False)  # the register has rows to correct, on purpose
    zhibu("batch", "-w", str(ws), "--term", "2025-2026-1", "--date", TODAY)
    term = ws / "outbox" / "2025-2026学年" / "第一学期"
    ledger = load_workbook(term / "2025-2026学年第一学期三会一课台账.xlsx")
    for sheet in list(ledger):
        if not sheet.title.startswith("发展党员"):
            ledger.remove(sheet)
    sheets = ws / "发展党员台账.xlsx"
    ledger.save(sheets)
    papers = term / "发展党员"
    return {
        "发展对象公示": papers / "2025-09-26 发展对象公示.docx",
        "发展党员进度表（逾期、未登记）": papers / "发展党员进度表 陆子衿.docx",
        "发展党员进度表（步骤齐全）": papers / "发展党员进度表 程晓岚.docx",
        "发展党员台账": sheets,
    }


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
        docs = demo_documents(Path(tmp) / "ws")
        development = development_documents(Path(tmp) / "dev")
        development |= dues_documents(Path(tmp) / "dues")
        development |= {label: path for label, path in docs.items() if "考核" in path.parent.name}
        docs |= development
        unique = {}
        for label, path in docs.items():
            unique.setdefault(path, label)
        pdfs = to_pdf(list(unique), Path(tmp) / "pdf")
        # The bound volume (zhibu print) is a PDF already: its cover and contents pages.
        ws = Path(tmp) / "ws"
        for volume in (ws / "outbox").rglob("*组织活动记录卷.pdf"):
            pdfs[volume] = volume
            unique[volume] = "组织活动记录卷"
        for path, label in sorted(unique.items(), key=lambda item: item[1]):
            pdf = pdfs[path]
            shutil.copyfile(pdf, args.out / f"{label}.pdf")
            every = args.all_pages or label in development
            pngs = to_png(pdf, args.out / label, first_only=not every, dpi=args.dpi)
            print(
                f"{label}: {len(page_texts(pdf))} 页，最小字号 {smallest_size(pdf)} 磅 → "
                f"{', '.join(p.name for p in pngs)}"
            )


if __name__ == "__main__":
    main()
