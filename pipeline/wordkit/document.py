"""A new GB/T 9704 document, and saving it: as it is (templates), or dated and byte-stable
(term and year documents, so that one made again from the same data is not a new version)."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt

from pipeline.fs.package import stable_package
from pipeline.wordkit.page import page_numbers, page_setup
from pipeline.wordkit.spec import GBT9704_MARGINS, TABLE_SIZE, Margins
from pipeline.wordkit.styles import add_styles


def new_document(
    *,
    title_bold: bool = True,
    numbered: bool = True,
    grid: bool = True,
    margins: Margins = GBT9704_MARGINS,
    table_size: Pt = TABLE_SIZE,
) -> DocxDocument:
    """An empty GB/T 9704 document with the whole style sheet.

    ``title_bold``: the title in bold (where 方正小标宋 is not installed, its fallback is a light
    face); ``numbered``: "— 1 —" page numbers; ``grid``: the 22-lines-a-page grid (off for pages
    laid out by hand, such as a volume's cover); ``table_size``: the size of table text.
    """
    doc = Document()
    # The default python-docx document starts with one empty paragraph; remove it.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    add_styles(doc, title_bold=title_bold, table_size=table_size)
    page_setup(doc, margins, grid=grid)
    if numbered:
        page_numbers(doc)
    core = doc.core_properties
    core.author = "zhibu"
    core.title = ""
    core.comments = ""
    core.revision = 1
    return doc


def save(doc: DocxDocument) -> bytes:
    """The document as .docx bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def save_dated(doc: DocxDocument, title: str, day: dt.date) -> bytes:
    """The document titled and dated ``day`` (created = modified), as byte-stable .docx bytes."""
    core = doc.core_properties
    core.title = title
    core.created = core.modified = dt.datetime.combine(day, dt.time())
    _date_comments(doc, core.created)
    return stable_package(save(doc))


def _date_comments(doc: DocxDocument, stamp: dt.datetime) -> None:
    """Comments dated like the document (python-docx stamps them with the moment they are added)."""
    if any(rel.reltype == RT.COMMENTS for rel in doc.part.rels.values()):
        for comment in doc.comments:
            comment._comment_elm.date = stamp  # python-docx has no setter for the date
