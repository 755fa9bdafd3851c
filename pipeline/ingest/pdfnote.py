"""Read the text layer of a PDF (exported from Word/WPS, or made by OCR) as the note parser reads
a .docx: lines in reading order, a ruled table row as ``字段：值``, wrapped lines of a paragraph
joined again, page numbers dropped.

pdfplumber gives each character with its position. A line is rebuilt from its characters: a
gap wider than one and a half characters separates two fields (``主持人：甲　　记录人：乙``); the
narrow gaps a word processor leaves between Chinese and digits (``2024 年 10 月``) and inside
spaced labels (``时 间``) are dropped, so the text reads as a secretary would type it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.docxnote import rows_to_lines
from pipeline.ingest.pdfguard import PdfLimits, check_pdf

# Characters a PDF must hold to count as one with a text layer (a scanner's stamp has fewer).
MIN_TEXT_CHARS = 20
FIELD_GAP = "\u3000\u3000"
_PAGE_NUMBER = re.compile(r"^[\s—－\-–]*\d{1,4}[\s—－\-–]*$|^第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?$")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[）)])"
)
_LABEL = re.compile(r"^\s*[\u4e00-\u9fff][\u4e00-\u9fff\s]{0,9}[：:]")
_SENTENCE_END = "。！？；：:;!?"


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    table: bool = False


_LAST: dict[tuple, str] = {}


def pdf_text(path: Path, limits: PdfLimits | None = None) -> str:
    """The text of a PDF's text layer, ``""`` when it has none (a scan). The last file read is
    remembered while it is unchanged: an input is asked whether it is a scan, a finished record
    or a note, and one reading (checked against the first caller's limits) answers all three."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _LAST:
        check_pdf(path, limits or PdfLimits())
        text = "\n".join(read_pages(path))
        _LAST.clear()
        _LAST[key] = text if count_text_chars(text) >= MIN_TEXT_CHARS else ""
    return _LAST[key]


def count_text_chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def read_pages(path: Path) -> list[str]:
    """Each page's text (pdfplumber), lines joined back into paragraphs. A page whose fonts
    pdfminer cannot map to text (the CJK fonts some OCR tools embed) is read by PDFium instead."""
    import pdfplumber
    import pypdfium2

    from pipeline.errors import UnreadableFileError

    try:
        with pdfplumber.open(path) as pdf:
            pages = [_page_text(page) for page in pdf.pages]
        document = pypdfium2.PdfDocument(path)
        try:
            for i, text in enumerate(pages):
                other = document[i].get_textpage().get_text_range()
                if _cjk(other) > 2 * _cjk(text) + 10:
                    pages[i] = _pdfium_text(other)
        finally:
            document.close()
        return pages
    except Exception as exc:  # pdfminer and PDFium raise many types for damaged files
        raise UnreadableFileError(
            f"PDF 文件已损坏或不完整，无法读取其中的文字（{type(exc).__name__}）",
            hint="请用 PDF 阅读器打开原文件确认能正常显示，再重新导出或扫描。",
        ) from None


def _cjk(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _pdfium_text(text: str) -> str:
    """PDFium's lines, with the spaces OCR text layers put around every word taken out between
    Chinese characters and punctuation (``地 点 :行政 楼`` → ``地点:行政楼``)."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = re.sub(r"(?<=[^\x00-\x7f]) +|(?<=[:：]) +| +(?=[^\x00-\x7f:：])", "", line.strip())
        if line and not _PAGE_NUMBER.match(line):
            lines.append(line)
    return "\n".join(lines)


def _page_text(page) -> str:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    lines = [
        line
        for line in (_rebuild(raw) for raw in page.extract_text_lines(return_chars=True))
        if line is not None and not _inside(line, boxes)
    ]
    for table in tables:
        rows = [[" ".join((c or "").split()) for c in row if c is not None] for row in table.extract()]
        text = "\n".join(rows_to_lines(rows))
        lines.append(_Line(text, table.bbox[0], table.bbox[2], table.bbox[1], 0, table=True))
    lines.sort(key=lambda ln: ln.top)
    lines = [ln for ln in lines if ln.table or not _PAGE_NUMBER.match(ln.text)]
    return "\n".join(join_wrapped(lines))


def _inside(line: _Line, boxes) -> bool:
    middle = line.top + line.size / 2
    return any(
        x0 - 1 <= line.x0 and line.x1 <= x1 + 1 and top <= middle <= bottom for x0, top, x1, bottom in boxes
    )


def _rebuild(raw: dict) -> _Line | None:
    """A line's text from its characters: wide gaps become a field separator, narrow ones vanish
    except between two Latin letters or digits (``PDF A``, ``14 00`` keep their space)."""
    chars = [c for c in raw["chars"] if c["text"].strip()]
    if not chars:
        return None
    size = sorted(c["size"] for c in chars)[len(chars) // 2]
    out = [chars[0]["text"]]
    for prev, ch in zip(chars, chars[1:], strict=False):
        gap = ch["x0"] - prev["x1"]
        if gap > 0.8 * size:
            out.append(FIELD_GAP)
        elif gap > 0.2 * size and prev["text"].isascii() and ch["text"].isascii():
            out.append(" ")
        out.append(ch["text"])
    return _Line("".join(out), chars[0]["x0"], chars[-1]["x1"], raw["top"], size)


def join_wrapped(lines: list[_Line]) -> list[str]:
    """Join the lines a word processor wrapped at the right margin: a line that reaches the margin
    goes on in the next one, unless that starts a field, a heading or an indented paragraph."""
    text_lines = [ln for ln in lines if not ln.table]
    if not text_lines:
        return [ln.text for ln in lines]
    right = max(ln.x1 for ln in text_lines)
    left = min(ln.x0 for ln in text_lines)
    out: list[str] = []
    joining = False
    for i, line in enumerate(lines):
        if joining:
            out[-1] += line.text
        else:
            out.append(line.text)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        joining = bool(
            nxt is not None
            and not line.table
            and not nxt.table
            and line.x1 >= right - 1.2 * line.size
            and nxt.x0 <= left + 0.5 * line.size
            and not line.text.endswith(tuple(_SENTENCE_END))
            and not _LABEL.match(nxt.text)
            and not _HEADING.match(nxt.text)
            and FIELD_GAP not in line.text
        )
    return out
