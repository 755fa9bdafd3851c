"""Scans and photos of paper records: OCR into a searchable PDF, read like a finished record.

An image-only PDF, or images dropped without a note (``pipeline.ingest.images``), are OCR'd in a
worker process with time, page and pixel limits (``pipeline.scan.worker``): OCRmyPDF turns the
pages upright, deskews them and makes a PDF/A with a text layer, RapidOCR reading (or Tesseract
``chi_sim``, [scan] engine; ``benchmarks/ocr.py`` compares them). The searchable PDF is filed in place of a
rendering, the scan itself kept among the originals; the recognised text becomes the record's
facts (``pipeline.scan.record``), each marked for checking, the unsure ones left blank.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config.schema import ScanSettings
from pipeline.fs.leftovers import OCR_PREFIX, owned_temp_dir
from pipeline.ingest.images import check_image, is_image, scan_pages
from pipeline.ingest.pdfguard import PdfLimits, check_pdf
from pipeline.ingest.pdfnote import pdf_text
from pipeline.ingest.result import IngestResult
from pipeline.learn import asis
from pipeline.scan.record import scan_text, scanned_meeting
from pipeline.scan.worker import OcrJob, run_ocr


def pdf_limits(settings: ScanSettings) -> PdfLimits:
    return PdfLimits(settings.max_pages, settings.max_megapixels)


def read_if_scanned(path: Path, name: str, inbox: Path, settings: ScanSettings) -> IngestResult | None:
    """The reading of a scanned record, or None when the input is no scan (a PDF with a text
    layer, a note, a sheet). InputError when the scan cannot be read or filed. ``settings``:
    zhibu.toml [scan]."""
    from pipeline.errors import UnsupportedFileError

    suffix = path.suffix.lower()
    if suffix == ".pdf":
        if pdf_text(path, pdf_limits(settings)):
            return None
        pages, count = [path], check_pdf(path, pdf_limits(settings))
    elif is_image(path):
        pages = scan_pages(path, inbox)
        count = len(pages)
        if count > settings.max_pages:
            raise UnsupportedFileError(
                f"这份扫描件有 {count} 页，超过了一份记录的上限（{settings.max_pages} 页）",
                hint="请按会议分成几个文件夹再放入；确需更多页时，在 zhibu.toml 的 [scan] 中调大 max_pages。",
            )
        for page in pages:
            check_image(page, settings.max_megapixels)
    else:
        return None
    with owned_temp_dir(OCR_PREFIX) as work:
        job = OcrJob(
            pages,
            work,
            settings.seconds_per_page,
            settings.max_megapixels,
            settings.min_confidence,
            settings.engine,
        )
        reading = run_ocr(job, count)
        searchable = reading.pdf.read_bytes()
        text = scan_text(reading.pages, settings.min_confidence)
    filed = asis.as_filed(scanned_meeting(text, name), searchable, ".pdf")
    filed.pages = pages[1:]
    return IngestResult(kind=asis.ASIS_KIND, meetings=[filed])
