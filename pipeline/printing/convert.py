"""Word documents to PDF: the LibreOffice converter of ``pipeline.office``, as printing uses it."""

from __future__ import annotations

from pipeline.office.convert import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_STALL,
    BatchConversionError,
    convert_documents,
    convert_to_pdf,
    default_workers,
)
from pipeline.office.inputs import sniff_input, valid_pdf_pages
from pipeline.office.soffice import (
    FONTS_CONF,
    INSTALL_HINT,
    SOFFICE_ENV,
    SOFFICE_LOCATIONS_ENV,
    find_soffice,
    fontconfig_file,
    new_profile,
    soffice_env,
)
from pipeline.office.workers import ConversionResult

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_STALL",
    "FONTS_CONF",
    "INSTALL_HINT",
    "SOFFICE_ENV",
    "SOFFICE_LOCATIONS_ENV",
    "BatchConversionError",
    "ConversionResult",
    "convert_documents",
    "convert_to_pdf",
    "default_workers",
    "find_soffice",
    "fontconfig_file",
    "new_profile",
    "sniff_input",
    "soffice_env",
    "valid_pdf_pages",
]
