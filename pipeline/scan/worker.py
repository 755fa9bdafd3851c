"""OCR in a separate process with a time limit, so that a hanging engine cannot stop ``zhibu watch``.

``run_ocr`` (the parent's side) writes the job as JSON, starts ``python -m pipeline.scan``
in a session of its own and waits at most the job's time limit (seconds per page times pages,
plus start-up); past it the whole process group (Tesseract included) is killed. The worker
puts the pages into one PDF (images fitted to A4, EXIF rotation applied, transparency
flattened), and OCRmyPDF makes the searchable PDF/A of it: pages turned upright, deskewed,
the engine of ``pipeline.scan.engines`` reading.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError
from pipeline.scan.words import Page, from_json

LANGUAGE = "chi_sim"
ROTATE_THRESHOLD = 3.0
INSTALL_HINT = (
    "Windows：安装 Tesseract（安装时勾选 Chinese Simplified 语言包）和 Ghostscript，并把它们加入 PATH；"
    "Debian/Ubuntu：sudo apt install tesseract-ocr tesseract-ocr-chi-sim ghostscript。装好后把文件放回收件箱。"
)


@dataclass
class OcrJob:
    pages: list[Path]  # image files, or one PDF
    work: Path  # a folder of the caller's, empty
    seconds_per_page: float
    max_megapixels: float
    min_confidence: int
    engine: str = "rapidocr"  # or "tesseract" (pipeline.scan.engines)
    start_up_seconds: float = 20.0  # Python, OCRmyPDF and the engine starting, the PDF/A written


@dataclass
class OcrReading:
    pdf: Path  # the searchable PDF/A
    pages: list[Page]


def worker_command(job: OcrJob) -> tuple[list[str], dict[str, str]]:
    """The job written down in its folder: the worker's command line and environment."""
    words = job.work / "words"
    words.mkdir(parents=True, exist_ok=True)
    spec = job.work / "job.json"
    spec.write_text(
        json.dumps(
            {
                "pages": [str(p) for p in job.pages],
                "work": str(job.work),
                "output": str(job.work / "searchable.pdf"),
                "seconds_per_page": job.seconds_per_page,
                "max_megapixels": job.max_megapixels,
            }
        ),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "ZHIBU_OCR_WORDS": str(words),
        "ZHIBU_OCR_MIN_CONF": str(job.min_confidence),
        "ZHIBU_OCR_ENGINE": job.engine,
    }
    env.setdefault("OMP_THREAD_LIMIT", "1")  # one core per Tesseract: the machine is shared
    return [sys.executable, "-m", "pipeline.scan", str(spec)], env


def read_result(job: OcrJob) -> OcrReading:
    """What a finished worker left in the job's folder."""
    words = job.work / "words"
    pages = [from_json(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(words.glob("*.json"))]
    return OcrReading(job.work / "searchable.pdf", pages)


def run_ocr(job: OcrJob, page_count: int) -> OcrReading:
    """Run the job in a worker process; InputError when it fails or takes too long."""
    command, env = worker_command(job)
    limit = job.start_up_seconds + job.seconds_per_page * page_count
    log = job.work / "worker.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
            env=env,
            **_own_group(),
        )
        try:
            code = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise InputError(
                f"识别这份扫描件超过了 {limit:.0f} 秒（每页 {job.seconds_per_page:g} 秒），已停止",
                hint="请确认扫描件清晰、页数不多；确需更长时间时，在 zhibu.toml 的 [scan] 中调大 seconds_per_page。",
            ) from None
    if code != 0 or not (job.work / "searchable.pdf").is_file():
        raise _failure(job.work, code)
    return read_result(job)


def _own_group() -> dict:
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill(proc: subprocess.Popen) -> None:
    try:
        if sys.platform == "win32":
            proc.kill()
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


def _failure(work: Path, code: int) -> InputError:
    reason = work / "reason.txt"
    said = reason.read_text(encoding="utf-8").strip() if reason.is_file() else ""
    if said.startswith("MissingDependencyError"):
        return InputError(
            "识别扫描件要用到 Tesseract（含中文语言包）和 Ghostscript，这台电脑上没有找到",
            hint=INSTALL_HINT,
        )
    kind = said.split(":", 1)[0] or f"识别程序退出码 {code}"
    return InputError(
        f"无法识别这份扫描件（{kind}）", hint="请确认扫描件能用图片查看器正常打开，再重新扫描或拍照。"
    )


# --- the worker process ------------------------------------------------------------------------


def _combined_pdf(pages: list[Path], work: Path, max_megapixels: float) -> Path:
    """The pages as one PDF: a PDF is used as it is; images are fitted to A4 pages."""
    if len(pages) == 1 and pages[0].suffix.lower() == ".pdf":
        return pages[0]
    import img2pdf
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = int(max_megapixels * 1_000_000)
    ready = []
    for i, page in enumerate(pages):
        with Image.open(page) as im:
            upright = ImageOps.exif_transpose(im)
            if upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGBA") if "A" in upright.mode or upright.mode == "P" else upright
                flat = Image.new("RGB", upright.size, (255, 255, 255))
                flat.paste(upright, mask=upright.getchannel("A") if upright.mode == "RGBA" else None)
                upright = flat
            target = work / f"page{i + 1:04d}.png"
            upright.save(target, dpi=(300, 300))
            ready.append(str(target))
    layout = img2pdf.get_layout_fun(
        (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)), fit=img2pdf.FitMode.into, auto_orient=True
    )
    combined = work / "pages.pdf"
    combined.write_bytes(img2pdf.convert(ready, layout_fun=layout))
    return combined


def work(spec: dict) -> None:
    import ocrmypdf

    folder = Path(spec["work"])
    source = _combined_pdf([Path(p) for p in spec["pages"]], folder, spec["max_megapixels"])
    ocrmypdf.ocr(
        source,
        spec["output"],
        language=[LANGUAGE],
        rotate_pages=True,
        # Tesseract's orientation guess is less sure on Chinese pages than on Latin ones: a page
        # turned 90° scores about 5-15 where OCRmyPDF's default asks for 14.
        rotate_pages_threshold=ROTATE_THRESHOLD,
        deskew=True,
        mode="force",
        output_type="pdfa",
        jobs=1,
        progress_bar=False,
        tesseract_timeout=spec["seconds_per_page"],
        max_image_mpixels=spec["max_megapixels"],
        plugins=["pipeline.scan.engines"],
    )


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    try:
        work(spec)
    except Exception as exc:  # the parent reads the reason; nothing is shown to the user raw
        (Path(spec["work"]) / "reason.txt").write_text(f"{type(exc).__name__}: {exc}"[:500], encoding="utf-8")
        raise
    return 0
