"""The OCR engines, as an OCRmyPDF plugin: OCRmyPDF rotates, deskews and writes the PDF/A, the
engine reads, and the words with their confidences are kept for zhibu.

* ``rapidocr`` (the default, ``benchmarks/ocr.py``): RapidOCR, PP-OCR models run by ONNX
  Runtime, shipped inside the ``rapidocr_onnxruntime`` wheel (nothing is downloaded); a
  confidence for every character. Page orientation and skew are Tesseract's (its OSD).
* ``tesseract``: Tesseract ``chi_sim`` as OCRmyPDF runs it; a confidence for every word.

For each page the words go as JSON to ``ZHIBU_OCR_WORDS``, and the text layer keeps only those
read with confidence (``ZHIBU_OCR_MIN_CONF``); on a page not recognised (handwriting) none at
all. So the archived PDF's text holds what was read with confidence, never garbage characters.
The engine is chosen by ``ZHIBU_OCR_ENGINE``: this module runs inside the OCR worker process.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

from lxml import etree
from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine
from ocrmypdf.hocrtransform import BoundingBox, OcrClass, OcrElement

from pipeline.scan.words import Page, Word, title_values, to_json

_LINE_CLASSES = {"ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"}


def _min_conf() -> int:
    return int(os.environ.get("ZHIBU_OCR_MIN_CONF", "70"))


def _save(page: Page, number: int) -> None:
    folder = os.environ.get("ZHIBU_OCR_WORDS")
    if folder:
        target = Path(folder) / f"{number:06d}.json"
        target.write_text(json.dumps(to_json(page), ensure_ascii=False), encoding="utf-8")


# --- Tesseract ----------------------------------------------------------------------------------


class TesseractKeepingSure(TesseractOcrEngine):
    """Tesseract, keeping only the words it is sure of in the text layer."""

    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options):
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        page = filter_hocr(Path(output_hocr), _min_conf())
        _save(page, _page_number(Path(output_hocr).name))


def _page_number(name: str) -> int:
    """The page number OCRmyPDF puts at the start of a page's file name (000003_ocr_hocr.hocr)."""
    found = re.match(r"\d+", name)
    if found is None:
        raise ValueError(f"no page number in {name!r}")
    return int(found.group(0))


def filter_hocr(path: Path, min_conf: int) -> Page:
    """Read the page's words from the hOCR file, then empty the unsure ones in it, in place."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    page, elements = Page(), []
    for el in tree.iter("{*}span"):
        if el.get("class") not in _LINE_CLASSES:
            continue
        line = []
        for word in el.iter("{*}span"):
            box, conf = title_values(word.get("title", ""))
            text = "".join(t for t in word.itertext() if isinstance(t, str))  # str for a parsed file
            if word.get("class") == "ocrx_word" and box is not None and text.strip():
                line.append(Word(text, conf or 0, box))
                elements.append((line[-1], word))
        if line:
            page.lines.append(line)
    keep_any = page.recognised(min_conf)
    for word, element in elements:
        if not keep_any or word.conf < min_conf:
            for child in list(element):
                element.remove(child)
            element.text = ""
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    return page


# --- RapidOCR -----------------------------------------------------------------------------------


@functools.cache
def _rapidocr():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


class RapidOcrKeepingSure(TesseractOcrEngine):
    """RapidOCR reads; Tesseract's OSD turns and deskews the page first."""

    def __str__(self):
        return "RapidOCR (PP-OCRv4, ONNX Runtime)"

    @staticmethod
    def creator_tag(options):
        return "OCRmyPDF + RapidOCR (PP-OCRv4)"

    @staticmethod
    def supports_generate_ocr() -> bool:
        return True

    @staticmethod
    def generate_ocr(input_file: Path, options, page_number: int = 0) -> tuple[OcrElement, str]:
        from PIL import Image

        with Image.open(input_file) as im:
            width, height = im.size
            dpi = float(im.info.get("dpi", (300, 300))[0])
        found, _ = _rapidocr()(str(input_file), return_word_box=True)
        page = rapid_page(found or [])
        _save(page, page_number + 1)
        return text_layer(page, width, height, dpi, page_number, _min_conf()), ""


def rapid_page(found: list) -> Page:
    """RapidOCR's text boxes (box, text, score, character boxes, characters, their scores) as
    lines of one-character words, each with its own confidence. Boxes side by side on the page
    (``时`` and ``间：2024年…`` of a spaced label) are one line."""
    rows: list[list[Word]] = []
    for item in sorted(found, key=lambda f: _box(f[0])[1]):
        boxes, chars, scores = item[3], item[4], item[5]
        words = [
            Word(ch, round(float(score) * 100), _box(box))
            for box, ch, score in zip(boxes, chars, scores, strict=False)
            if ch.strip()
        ]
        if not words:
            continue
        top, bottom = min(w.box[1] for w in words), max(w.box[3] for w in words)
        middle = (top + bottom) / 2
        row = next((r for r in rows if r[0].box[1] <= middle <= r[0].box[3]), None)
        if row is None:
            rows.append(words)
        else:
            row.extend(words)
    return Page([sorted(row, key=lambda w: w.box[0]) for row in rows])


def _box(points) -> tuple[int, int, int, int]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))


def text_layer(page: Page, width: int, height: int, dpi: float, number: int, min_conf: int) -> OcrElement:
    """The page for OCRmyPDF's renderer: each run of sure characters one word; unsure ones left
    out, and everything when the page is not recognised."""
    lines = []
    if page.recognised(min_conf):
        for line in page.lines:
            runs, run = [], []
            for w in line:
                if w.conf >= min_conf:
                    run.append(w)
                elif run:
                    runs.append(run)
                    run = []
            if run:
                runs.append(run)
            words = [_element(OcrClass.WORD, "".join(w.text for w in r), r) for r in runs]
            if words:
                lines.append(_element(OcrClass.LINE, "", [w for r in runs for w in r], children=words))
    return OcrElement(
        ocr_class=OcrClass.PAGE,
        bbox=BoundingBox(left=0, top=0, right=width, bottom=height),
        dpi=dpi,
        page_number=number,
        children=lines,
    )


def _element(kind: str, text: str, words: list[Word], children=None) -> OcrElement:
    box = BoundingBox(
        left=min(w.box[0] for w in words),
        top=min(w.box[1] for w in words),
        right=max(w.box[2] for w in words),
        bottom=max(w.box[3] for w in words),
    )
    return OcrElement(ocr_class=kind, bbox=box, text=text, children=children or [], language="chi_sim")


ENGINES = {"tesseract": TesseractKeepingSure, "rapidocr": RapidOcrKeepingSure}


@hookimpl
def get_ocr_engine(options):
    return ENGINES[os.environ.get("ZHIBU_OCR_ENGINE", "rapidocr")]()
