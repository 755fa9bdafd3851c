"""Print-ready output: Word documents to PDF, and the bound archive volume (卷册).

* :func:`convert_to_pdf` / :func:`convert_documents` (from ``pipeline.office``): LibreOffice
  headless in parallel workers, many files per start, private profiles, a no-progress watchdog
  and a retry, copies without external links, Chinese font substitutes on Linux.
* :func:`build_volume`: cover, 卷内目录 and the documents in one PDF, numbered "— N —" per
  GB/T 9704 (cover and 卷内目录 unnumbered; the documents numbered 1..N).

The API knows nothing of the workspace index: callers pass paths and titles.
"""

from pipeline.printing.convert import (
    BatchConversionError,
    ConversionResult,
    convert_documents,
    convert_to_pdf,
    find_soffice,
)
from pipeline.printing.sample import write_sample_minutes
from pipeline.printing.volume import VolumeEntry, VolumeResult, build_volume

__all__ = [
    "BatchConversionError",
    "ConversionResult",
    "VolumeEntry",
    "VolumeResult",
    "build_volume",
    "convert_documents",
    "convert_to_pdf",
    "find_soffice",
    "write_sample_minutes",
]
