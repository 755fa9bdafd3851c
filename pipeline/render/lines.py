"""The lines a rendered document carries, as a reader sees them (for `zhibu check`).

Paragraphs in order, tables row by row (cells joined by two spaces); the invisible mark where the
activity photos are placed is no line. A label whose value was left for hand filling
("地　　点：") is returned as it is: the caller says it is blank.
"""

from __future__ import annotations

import io

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.render.minutes import PHOTO_MARK


def document_lines(docx: bytes) -> list[str]:
    document = Document(io.BytesIO(docx))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split("\n")).strip()
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                lines.append("  ".join(cells))
    cleaned = (line.replace(PHOTO_MARK, "").rstrip() for line in lines)
    return [line for line in cleaned if line.strip()]


def is_blank_field(line: str) -> bool:
    """ "地　　点：" or "记 录 人：\\t": a label whose value is left for hand filling (a signature
    line is filled by hand anyway)."""
    if "签字" in line or "签名" in line:
        return False
    return line.replace("\t", "").replace("\u3000", "").rstrip().endswith(("：", ":"))
