"""Read the text of a note typed in Word/WPS (.docx), keeping paragraph and table order."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.errors import UnreadableFileError
from pipeline.ingest.zipguard import check_office_package


def docx_to_text(path: Path) -> str:
    """Paragraphs become lines; a table row of two or more cells becomes ``第一格：其余``.

    Secretaries often lay the header out as a two-column table (时间 | 2024年5月10日), so
    a row reads exactly like a ``字段：值`` line of a text note.
    """
    check_office_package(path, "docx")
    try:
        document = Document(str(path))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise UnreadableFileError(
            f"无法读取这个 Word 文档（{type(exc).__name__}）",
            hint="请用 Word/WPS 打开确认能正常显示，再“另存为” .docx。",
        ) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    return "\n".join(lines)


def _row_cells(row) -> list[str]:
    """The cells of a row, a merged cell once, empty cells kept (they hold a place)."""
    cells: list[str] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        # A value typed on two lines in one cell ("2024年12月12日", "下午4:00") is one value.
        cells.append(" ".join(cell.text.split("\n")).strip())
    return cells


def _is_label(text: str) -> bool:
    return 0 < len("".join(text.split())) <= 8 and not any(ch.isdigit() for ch in text)


def _table_lines(table: Table) -> list[str]:
    return rows_to_lines([_row_cells(row) for row in table.rows])


def rows_to_lines(rows: list[list[str]]) -> list[str]:
    """One ``字段：值`` line per label/value pair; an empty value cell stays empty, never
    borrowing the next cell (字段 | 值 | 字段 | 值 with blanks or merged cells). The rows of a
    Word table and of a table found in a PDF are read alike."""
    lines: list[str] = []
    for cells in rows:
        cells = list(cells)
        while cells and not cells[-1] and len(cells) % 2:
            cells.pop()
        filled = [c for c in cells if c]
        if not filled:
            continue
        if len(cells) >= 2 and len(cells) % 2 == 0 and all(_is_label(c) for c in cells[0::2]):
            lines.extend(f"{k}：{v}" for k, v in zip(cells[0::2], cells[1::2], strict=True))
        elif len(cells) >= 2 and _is_label(cells[0]):
            lines.append(f"{cells[0]}：{' '.join(c for c in cells[1:] if c)}")
        else:
            lines.extend(filled)
    return lines
