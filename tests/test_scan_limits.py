"""The bounds of OCR: pixels, page size and time per page are settings; the worker that runs the
engine is killed with its children when it takes too long; nothing is downloaded at run time."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from pipeline.errors import InputError
from pipeline.scan.worker import OcrJob, read_result, run_ocr, worker_command
from tests.support import scans

SAMPLE_LINES = ["汽车运用工程系党支部支委会会议记录", "会议名称：研究发展党员工作", "时间：2024年10月15日"]


def _printed_page() -> Image.Image:
    """A clean page of printed Chinese lines at 200 dpi, drawn here (no LibreOffice needed)."""
    from PIL import ImageDraw, ImageFont

    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(scans.CJK_FONT, 56)
    for i, text in enumerate(SAMPLE_LINES):
        draw.text((180, 260 + 120 * i), text, fill=0, font=font)
    return page


def _png_1bit(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height), 1).save(out, "PNG")
    return out.getvalue()


def _setting(ws, old: str, new: str) -> None:
    config = ws.root / "zhibu.toml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


def test_images_too_large_or_too_small_fail_before_any_ocr(ws):
    ws.drop("巨幅.png", _png_1bit(9000, 8000))  # 72 megapixels, the limit is 60
    ws.drop("缩略图.png", _png_1bit(300, 400))
    ws.run(ok=False)
    failed = ws.root / "inbox" / "失败"
    reason = (failed / "巨幅.png.原因.txt").read_text(encoding="utf-8-sig")
    assert "9000×8000 像素，超过了上限（60 百万像素）" in reason and "max_megapixels" in reason
    reason = (failed / "缩略图.png.原因.txt").read_text(encoding="utf-8-sig")
    assert "太小" in reason and "找不到对应的会议笔记" in reason


def test_the_pixel_limit_is_a_setting(ws):
    _setting(ws, "max_megapixels = 60", "max_megapixels = 5")
    ws.drop("扫描.png", _png_1bit(2480, 3508))  # A4 at 300 dpi: 8.7 megapixels
    ws.run(ok=False)
    reason = (ws.root / "inbox" / "失败" / "扫描.png.原因.txt").read_text(encoding="utf-8-sig")
    assert "超过了上限（5 百万像素）" in reason


def test_a_wrong_engine_name_is_a_config_error(ws):
    _setting(ws, 'engine = "rapidocr"', 'engine = "paddle"')
    ws.drop("扫描.png", _png_1bit(1000, 1400))
    result = ws.run()
    assert result.exit_code == 3 and "scan.engine" in result.output and "rapidocr" in result.output


def _ocr_children(job_dir: Path) -> list[int]:
    """Processes still running for a job (their command line names its folder)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(job_dir).encode() in (proc / "cmdline").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


@pytest.mark.slow
def test_a_worker_past_its_time_is_killed_with_its_children(tmp_path):
    page = tmp_path / "page.png"
    _printed_page().save(page)
    job = OcrJob([page], tmp_path / "job", 0.5, 60.0, 70, start_up_seconds=1.0)
    job.work.mkdir()
    with pytest.raises(InputError) as err:
        run_ocr(job, 1)
    assert (
        "超过了 2 秒（每页 0.5 秒），已停止" in err.value.render()
        and "seconds_per_page" in err.value.render()
    )
    assert _ocr_children(job.work) == []


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["rapidocr", "tesseract"])
def test_both_engines_read_with_the_network_closed(tmp_path, engine):
    """The worker in a network namespace of its own (no interface but loopback, down): the
    engine's models come from the installed packages, never from a download."""
    page = tmp_path / "page.png"
    _printed_page().save(page)
    job = OcrJob([page], tmp_path / "job", 60.0, 60.0, 70, engine)
    job.work.mkdir()
    command, env = worker_command(job)
    unshare = shutil.which("unshare")
    assert unshare, "util-linux unshare is needed to close the network"
    done = subprocess.run([unshare, "--net", *command], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    reading = read_result(job)
    text = "".join(w.text for line in reading.pages[0].lines for w in line if w.conf >= 70)
    assert "研究发展党员工作" in text and "2024年10月15日" in text
    layer = scans.pdftotext(reading.pdf)
    assert "研究发展党员工作" in "".join(layer.split())
    assert json.loads((job.work / "job.json").read_text(encoding="utf-8"))["pages"] == [str(page)]
    assert os.path.getsize(reading.pdf) > 0


def test_without_tesseract_the_reason_says_what_to_install(tmp_path, monkeypatch):
    page = tmp_path / "page.png"
    _printed_page().save(page)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no tesseract, no gs for the worker
    job = OcrJob([page], tmp_path / "job", 60.0, 60.0, 70)
    job.work.mkdir()
    with pytest.raises(InputError) as err:
        run_ocr(job, 1)
    said = err.value.render()
    assert "Tesseract（含中文语言包）和 Ghostscript" in said and "tesseract-ocr-chi-sim" in said
