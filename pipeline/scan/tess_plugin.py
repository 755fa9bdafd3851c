"""An OCRmyPDF plugin: Tesseract as OCRmyPDF runs it, plus the words and their confidences.

After Tesseract writes a page's hOCR, the words are saved as JSON for zhibu (the directory is
``ZHIBU_OCR_WORDS``), and the hOCR is rewritten before OCRmyPDF renders the text layer from it:
words below the confidence threshold (``ZHIBU_OCR_MIN_CONF``) are taken out, and on a page that
is not recognised (handwriting) every word is. So the archived PDF's text layer holds only what
was read with confidence, never garbage characters.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from lxml import etree
from ocrmypdf import hookimpl
from ocrmypdf.builtin_plugins.tesseract_ocr import TesseractOcrEngine

from pipeline.scan.words import Page, Word, title_values, to_json

_LINE_CLASSES = {"ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"}


class ConfidenceKeepingEngine(TesseractOcrEngine):
    """Tesseract, keeping only the words it is sure of in the text layer."""

    @staticmethod
    def generate_hocr(input_file, output_hocr, output_text, options):
        TesseractOcrEngine.generate_hocr(input_file, output_hocr, output_text, options)
        folder = os.environ.get("ZHIBU_OCR_WORDS")
        if folder:
            min_conf = int(os.environ.get("ZHIBU_OCR_MIN_CONF", "70"))
            page = filter_hocr(Path(output_hocr), min_conf)
            number = int(re.match(r"\d+", Path(output_hocr).name).group(0))
            target = Path(folder) / f"{number:06d}.json"
            target.write_text(json.dumps(to_json(page), ensure_ascii=False), encoding="utf-8")


def filter_hocr(path: Path, min_conf: int) -> Page:
    """Read the page's words from the hOCR file, then drop the unsure ones from it in place."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    page = Page()
    words_of_lines = []
    for el in tree.iter("{*}span"):
        if el.get("class") not in _LINE_CLASSES:
            continue
        line, elements = [], []
        for word in el.iter("{*}span"):
            if word.get("class") != "ocrx_word":
                continue
            box, conf = title_values(word.get("title", ""))
            text = "".join(word.itertext())
            if box is not None and text.strip():
                line.append(Word(text, conf or 0, box))
                elements.append(word)
        if line:
            page.lines.append(line)
            words_of_lines.append(list(zip(line, elements, strict=True)))
    keep_any = page.recognised(min_conf)
    for pairs in words_of_lines:
        for word, element in pairs:
            if not keep_any or word.conf < min_conf:
                _remove(element)
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    return page


def _remove(element) -> None:
    """Empty a word: its text goes, the element stays so the hOCR structure stays valid."""
    for child in list(element):
        element.remove(child)
    element.text = ""


@hookimpl
def get_ocr_engine(options):
    if options is not None and getattr(options, "ocr_engine", "auto") not in ("auto", "tesseract"):
        return None
    return ConfidenceKeepingEngine()
