"""A table of contents, and the page number of each heading as printed.

The contents are a TOC field whose shown result zhibu writes itself: Word and WPS rebuild the
field (they offer to when the document opens); LibreOffice keeps the written entries when it
converts for printing. The page numbers come from printing the document once through
LibreOffice and finding each heading on the pages (``toc_page_numbers``).
"""

from __future__ import annotations

import logging
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt

from pipeline.wordkit.ooxml import AFTER_UPDATE_FIELDS, child, field_runs
from pipeline.wordkit.styles import FIELD, TITLE, TOC_STYLES
from pipeline.wordkit.text import paragraph

log = logging.getLogger("zhibu")


def _update_fields_on_open(doc: DocxDocument) -> None:
    """Word then offers to update the fields (the TOC's page numbers) when the document opens."""
    child(doc.settings.element, "w:updateFields", AFTER_UPDATE_FIELDS).set(qn("w:val"), "true")


def toc(
    doc: DocxDocument, entries: Sequence[tuple[int, str]], page_numbers: dict[str, int] | None = None
) -> None:
    """目录 on a page of its own: ``entries`` are (level 0 or 1, heading text as printed); the
    page number of a heading is written when ``page_numbers`` knows it."""
    _update_fields_on_open(doc)
    p = paragraph(doc, "目　　录", TITLE)
    p.paragraph_format.space_after = Pt(0)
    paragraph(doc, "", FIELD)
    page_numbers = page_numbers or {}
    pars = [
        (paragraph(doc, "", TOC_STYLES[min(level, 1)]), text) for level, text in entries or [(0, "（无）")]
    ]
    first, last = pars[0][0], pars[-1][0]
    runs = field_runs(first, 'TOC \\o "1-2" \\h \\z \\u', "")
    end_run = runs[-1]
    # Move the "end" fldChar after the last entry; keep begin/instr/separate before the first.
    for r in (runs[3]._r, end_run._r):
        parent = r.getparent()
        if parent is not None:  # a run that field_runs just added is always in its paragraph
            parent.remove(r)
    for par, text in pars:
        par.add_run(text)
        if text in page_numbers:
            par.add_run("\t" + str(page_numbers[text]))
    last._p.append(end_run._r)
    doc.add_page_break()


_PAGE_FOOTER = re.compile(r"—\s*(\d+)\s*—")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def heading_pages(pages: Sequence[str], headings: Sequence[str], after: int) -> dict[str, int]:
    """The printed page number of each heading, from the text of the PDF's pages.

    ``after`` is the index of the last page not to search (the TOC, which lists every heading);
    headings are found in order, each on or after the page of the one before. The printed
    number is read from the page's "— n —" footer, else counted from the first searched page.
    """
    found: dict[str, int] = {}
    start = after + 1
    for heading in headings:
        key = _squeeze(heading)
        for i in range(start, len(pages)):
            if key in _squeeze(pages[i]):
                numbers = _PAGE_FOOTER.findall(pages[i])
                found[heading] = int(numbers[-1]) if numbers else i - after + 1
                start = i
                break
    return found


def toc_page_numbers(data: bytes, headings: Sequence[str]) -> dict[str, int]:
    """Print the document once through LibreOffice and read where each heading landed.

    Empty when LibreOffice is not installed or the conversion fails: the TOC then has no page
    numbers until Word or WPS updates the field (they offer to when the document opens).
    """
    from pypdf import PdfReader

    from pipeline.errors import ZhibuError
    from pipeline.office.convert import convert_documents, find_soffice

    try:
        find_soffice()
    except ZhibuError:
        return {}
    with tempfile.TemporaryDirectory(prefix="zhibu-toc-") as tmp:
        src = Path(tmp) / "toc.docx"
        src.write_bytes(data)
        try:
            result = convert_documents([src], Path(tmp) / "pdf", stall=60, retries=0)
            pdf = result.pdfs.get(src)
            if pdf is None:
                return {}
            pages = [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
        except Exception:  # noqa: BLE001 - page numbers are a nicety; the document stands without them
            log.exception("目录页码：LibreOffice 打印失败，目录暂不写页码")
            return {}
    toc_page = next((i for i, text in enumerate(pages) if "目录" in _squeeze(text)), 0)
    return heading_pages(pages, headings, toc_page)
