"""Benchmark: two local OCR engines on scans of records zhibu rendered itself.

    python benchmarks/ocr.py [--engines tesseract,rapidocr] [--thresholds 0,50,70,85,95]

Three invented meetings are filed by zhibu, their minutes printed to PDF by LibreOffice; each PDF
page is then scanned four ways (``tests/support/scans.py``): 150 dpi with a 1° skew and grain,
200 dpi JPEG at quality 35 with a 2° skew, 300 dpi image-only PDF, and a phone photo turned 90°.
Both engines read every scan, side by side in one run, through zhibu's own path (the worker
process, OCRmyPDF turning, deskewing and writing the PDF/A, ``pipeline.scan.engines``):

* **tesseract**: Tesseract 5 ``chi_sim`` (Debian's tesseract-ocr-chi-sim), a confidence per word;
* **rapidocr**: RapidOCR (``rapidocr_onnxruntime``, PP-OCRv4 ONNX models inside the wheel), a
  confidence per character.

Measured per engine: **character accuracy** (1 - edit distance / length, against the text layer
of the printed PDF, spaces ignored, NFKC), **fields**: of the facts zhibu reads from the printed
PDF (type, date, topic, place, chair, recorder, lecturer, counts, attendees, absentees), how
many the scan gives right, leaves blank, or gets WRONG (wrong is worse than blank), at each
confidence threshold; and **seconds per page** (the whole worker: start-up, OCR, PDF/A).
Needs ``pip install -e ".[bench]"`` (rapidfuzz for the edit distance).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.errors import InputError  # noqa: E402
from pipeline.ingest.pdfnote import pdf_text  # noqa: E402
from pipeline.learn import asis  # noqa: E402
from pipeline.scan.record import scan_text, scanned_meeting  # noqa: E402
from pipeline.scan.words import Page  # noqa: E402
from pipeline.scan.worker import OcrJob, run_ocr  # noqa: E402
from tests.support import scans  # noqa: E402

FIELDS = ("type", "date", "topic", "place", "chair", "recorder", "lecturer", "expected", "present")


@dataclass
class Tally:
    seconds: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    right: dict[int, int] = field(default_factory=dict)
    blank: dict[int, int] = field(default_factory=dict)
    wrong: dict[int, int] = field(default_factory=dict)
    wrong_examples: list[str] = field(default_factory=list)


def facts(meeting) -> dict:
    out = {k: getattr(meeting, k) for k in FIELDS}
    out["type"] = meeting.type.name
    out["attendees"] = tuple(meeting.attendees)
    out["absentees"] = tuple(a.name for a in meeting.absentees)
    # Spaces are layout, not content: a topic's gap is read as one or two spaces.
    return {
        k: "".join(v.split()) if isinstance(v, str) else v for k, v in out.items() if v not in ("", None, ())
    }


def flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("□", "")


def char_accuracy(read: str, truth: str) -> float:
    from rapidfuzz.distance import Levenshtein

    a, b = flat(read), flat(truth)
    return max(0.0, 1 - Levenshtein.distance(a, b) / max(len(b), 1))


def scan_inputs(pdf: Path, folder: Path) -> dict[str, Path]:
    """The four scans of one printed record."""
    made = {}
    low = [scans.spoil(p, skew=1.0, noise=14) for p in scans.rasterise(pdf, 150)]
    made["150dpi 倾斜1° 噪点"] = _save_jpeg(low[0], folder / "a.jpg", 85, 150)
    mid = [scans.spoil(p, skew=-2.0, noise=10, seed=2) for p in scans.rasterise(pdf, 200)]
    made["200dpi 倾斜2° JPEG35"] = _save_jpeg(mid[0], folder / "b.jpg", 35, 200)
    high = [scans.spoil(p, skew=0.5, noise=6, seed=3) for p in scans.rasterise(pdf, 300)]
    (folder / "c.pdf").write_bytes(scans.image_pdf(high, 300))
    made["300dpi 仅图像PDF"] = folder / "c.pdf"
    made["手机照片 转90°"] = _save_jpeg(scans.phone_photo(mid[0]), folder / "d.jpg", 70, 200)
    return made


def _save_jpeg(image, path: Path, quality: int, dpi: int) -> Path:
    path.write_bytes(scans.jpeg(image, quality, dpi))
    return path


def ocr_pages(source: Path, work: Path, engine: str) -> list[Page]:
    """zhibu's own path: the worker process, OCRmyPDF and the engine's plugin."""
    work.mkdir()
    pages = 1 if source.suffix != ".pdf" else len(scans.rasterise(source, 10))
    return run_ocr(OcrJob([source], work, 120.0, 60.0, 0, engine), pages).pages


def score(tally: Tally, pages: list[Page], truth_text: str, truth: dict, thresholds, label: str) -> None:
    tally.accuracy.append(char_accuracy(scan_text(pages, 0).text, truth_text))
    for t in thresholds:
        try:
            got = facts(scanned_meeting(scan_text(pages, t), f"{label}.jpg"))
        except InputError:
            got = {}
        for key, value in truth.items():
            if key not in got:
                tally.blank[t] = tally.blank.get(t, 0) + 1
            elif got[key] == value:
                tally.right[t] = tally.right.get(t, 0) + 1
            else:
                tally.wrong[t] = tally.wrong.get(t, 0) + 1
                if t == thresholds[-1] and len(tally.wrong_examples) < 6:
                    tally.wrong_examples.append(f"{label} {key}: {value!r} → {got[key]!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="tesseract,rapidocr")
    ap.add_argument("--thresholds", default="0,50,70,85,95")
    args = ap.parse_args()
    engines = args.engines.split(",")
    thresholds = [int(t) for t in args.thresholds.split(",")]
    tallies = {e: Tally() for e in engines}
    with tempfile.TemporaryDirectory(prefix="zhibu-ocr-bench-") as tmp:
        root = Path(tmp)
        pdfs = scans.filed_record_pdfs(root / "ws", root / "printed")
        for kind, pdf in pdfs.items():
            truth_text = pdf_text(pdf)
            truth = facts(asis.parse_record(truth_text, pdf.name, pdf.stem))
            folder = root / kind
            folder.mkdir()
            for variant, source in scan_inputs(pdf, folder).items():
                label = f"{kind}/{variant}"
                for engine in engines:
                    work = folder / f"{engine}-{source.stem}"
                    started = time.perf_counter()
                    pages = ocr_pages(source, work, engine)
                    tallies[engine].seconds.append(time.perf_counter() - started)
                    score(tallies[engine], pages, truth_text, truth, thresholds, label)
                    print(
                        f"  {label:<28} {engine:<10} 字符准确率 {tallies[engine].accuracy[-1]:6.1%}",
                        flush=True,
                    )
    report(tallies, thresholds)


def report(tallies: dict[str, Tally], thresholds: list[int]) -> None:
    print()
    print(
        "| 引擎 | 字符准确率（平均） | 秒/页 | "
        + " | ".join(f"字段 对/空/错 @{t}" for t in thresholds)
        + " |"
    )
    print("|---|---|---|" + "---|" * len(thresholds))
    for engine, t in tallies.items():
        cells = [f"{t.right.get(k, 0)}/{t.blank.get(k, 0)}/{t.wrong.get(k, 0)}" for k in thresholds]
        print(
            f"| {engine} | {statistics.mean(t.accuracy):.1%} | {statistics.mean(t.seconds):.1f} | "
            + " | ".join(cells)
            + " |"
        )
    for engine, t in tallies.items():
        for example in t.wrong_examples:
            print(f"  {engine} 错字段：{example}")


if __name__ == "__main__":
    main()
