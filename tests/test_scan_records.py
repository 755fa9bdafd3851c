"""Scans and photos of paper records, end to end: OCR'd into searchable PDFs, filed, and found by
``status``, ``search``, the ledger and the bound volume like any other record.

One workspace is filled once (OCR takes seconds a page) with scans made from records zhibu
rendered itself: a phone photo turned 90°, a two-page folder whose second page is handwritten,
an image-only PDF, a handwritten page named by its folder, and one named by nothing. The
"handwriting" is a scrawl drawn here (``scans.scrawl``), tilted enough that the engine cannot
read it with confidence; neater hands are partly read, see README.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess

import openpyxl
import pytest

from tests.conftest import Zhibu
from tests.support import scans

pytestmark = pytest.mark.slow

TERM = ("--term", "2024-2025-1", "--date", "2025-02-20")
HANDWRITTEN = ["十月八日下午支委会在行政楼开会", "讨论确定发展对象", "主持缪巧军记录", "大家同意报党委备案"]


@pytest.fixture(scope="module")
def filed(tmp_path_factory):
    from pipeline.config import demo_config_text

    tmp = tmp_path_factory.mktemp("scans")
    pdfs = scans.filed_record_pdfs(tmp / "source", tmp / "printed")
    root = tmp / "ws"
    ws = Zhibu(root)
    ws("init", root, ok=True)
    (root / "zhibu.toml").write_text(demo_config_text(), encoding="utf-8")
    page = {kind: scans.rasterise(pdf, 200)[0] for kind, pdf in pdfs.items()}
    ws.drop("手机拍的.jpg", scans.jpeg(scans.phone_photo(page["支委会"]), 70))
    ws.drop("党课记录/1.jpg", scans.jpeg(scans.spoil(page["党课"], skew=1.2), 60))
    ws.drop("党课记录/2.jpg", scans.jpeg(scans.scrawl(HANDWRITTEN, seed=5, tilt=35), 80))
    ws.drop(
        "大会扫描.pdf",
        scans.image_pdf([scans.spoil(scans.rasterise(pdfs["支部党员大会"], 300)[0], skew=-0.7)], 300),
    )
    ws.drop("2019-10-08 支委会/扫描.jpg", scans.jpeg(scans.scrawl(HANDWRITTEN, tilt=35), 80))
    ws.drop("潦草.jpg", scans.jpeg(scans.scrawl(HANDWRITTEN, seed=9, tilt=35), 80))
    run = ws.run()
    return ws, run.output


def _rows(ws):
    con = sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3")
    try:
        return {
            r[0]: r
            for r in con.execute(
                "SELECT date, meeting_type, topic, place, chair, path, body_text FROM outputs "
                "WHERE kind = 'minutes' AND active = 1"
            )
        }
    finally:
        con.close()


def test_each_scan_is_filed_as_a_searchable_pdf_with_its_facts_marked(filed):
    ws, output = filed
    rows = _rows(ws)
    assert sorted(rows) == ["2019-10-08", "2024-10-15", "2024-11-20", "2024-12-06"]
    date, mtype, topic, place, chair, path, _ = rows["2024-10-15"]
    assert (mtype, topic, place, chair) == (
        "支委会",
        "研究秋季学期党员发展工作",
        "实训楼四楼会议室",
        "柯景行",
    )
    assert path.endswith(".pdf")
    assert "识别自扫描件，请核对：会议类型（支委会）、日期（2024-10-15）" in output
    # The photo was turned upright: the archived PDF's text layer reads the record.
    text = scans.pdftotext(ws.root / path)
    assert "研究秋季学期党员发展工作" in text and "实训楼四楼会议室" in "".join(text.split())
    assert rows["2024-11-20"][1:5] == ("支部党员大会", "学习党的二十届三中全会精神", "图书馆报告厅", "柯景行")
    assert rows["2024-12-06"][1] == "党课"


def test_the_originals_are_kept_and_the_archive_is_pdfa(filed):
    ws, output = filed
    originals = ws.root / "outbox" / "2024-2025学年" / "第一学期" / "原始材料"
    assert (originals / "手机拍的.jpg").is_file() and (originals / "大会扫描.pdf").is_file()
    assert (originals / "1.jpg").is_file() and (originals / "1 其余各页" / "2.jpg").is_file()
    path = _rows(ws)["2024-11-20"][5]
    info = subprocess.run(["pdfinfo", "-meta", str(ws.root / path)], capture_output=True, text=True).stdout
    assert "pdfaid:part" in info  # PDF/A, as OCRmyPDF makes it
    left = [
        p.relative_to(ws.root / "inbox").as_posix() for p in (ws.root / "inbox").rglob("*") if p.is_file()
    ]
    assert sorted(left) == ["失败/潦草.jpg", "失败/潦草.jpg.原因.txt"]


def test_a_handwritten_page_adds_nothing_garbled(filed):
    ws, output = filed
    path = _rows(ws)["2024-12-06"][5]
    pages = subprocess.run(["pdfinfo", str(ws.root / path)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+2$", pages, re.M)
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(ws.root / path), "-"], capture_output=True, text=True
    ).stdout
    assert second.strip() == ""  # the handwritten page: no text layer rather than garbage
    assert "扫描件共2页，其中1页没有识别出文字" in output


def test_a_handwritten_record_is_filed_by_its_folder_name(filed):
    ws, output = filed
    date, mtype, topic, place, chair, path, body = _rows(ws)["2019-10-08"]
    assert (mtype, place, chair) == ("支委会", "", "")
    assert "2019-2020学年" in path and path.endswith(".pdf")
    assert "没有识别出来" in output and "已按文件名归档为2019-10-08 支委会" in output
    assert "十月" not in body and "发展对象" not in body  # nothing read, nothing invented
    found = ws("search", "-w", ws.root, "支委会", "--term", "2019-2020-1", ok=True)
    assert "2019-10-08" in found.output


def test_a_scan_named_by_nothing_fails_with_how_to_name_it(filed):
    ws, output = filed
    reason = (ws.root / "inbox" / "失败" / "潦草.jpg.原因.txt").read_text(encoding="utf-8-sig")
    assert "没有识别出来" in reason and "「2019-10-08 支委会.jpg」" in reason


def test_scans_count_in_status_search_ledger_and_volume(filed, tmp_path):
    ws, _ = filed
    status = ws("status", "-w", ws.root, "--term", "2024-2025-1", "--date", "2025-01-15", "--json", ok=True)
    assert json.loads(status.output)["counts"] == {"支委会": 1, "支部党员大会": 1, "党课": 1}
    found = ws("search", "-w", ws.root, "三名入党积极分子", ok=True)
    assert "研究秋季学期党员发展工作" in found.output
    ws("batch", "-w", ws.root, *TERM, ok=True)
    ledger = next((ws.root / "outbox").rglob("*台账*.xlsx"))
    cells = [
        str(c.value) for s in openpyxl.load_workbook(ledger).worksheets for r in s.iter_rows() for c in r
    ]
    assert any("学习党的二十届三中全会精神" in c for c in cells)
    result = ws("print", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    volume = ws.root / result.output.strip().splitlines()[-1]
    flat = "".join(scans.pdftotext(volume).split())
    assert "图书馆报告厅" in flat and "实训楼四楼会议室" in flat
    shutil.copy(volume, tmp_path / "volume.pdf")  # kept for a look: pdftoppm -r 60 -png
