"""The pages zhibu adds to a volume: cover, 卷内目录 and the page-number stamps, as .docx.

They are made with the Word toolkit (``pipeline.wordkit``) and converted by the same LibreOffice
run as the documents, so their fonts are real, embedded CJK fonts chosen by the same fontconfig
rules (no PDF drawing library is needed). The numbers follow GB/T 9704: "— N —" in 4号 (14 pt)
digits of the 宋体 kind, an em dash each side. None of these pages carries a number of its own.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from pipeline import wordkit as wk
from pipeline.chinese import cn_date
from pipeline.wordkit.spec import PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, Margins


@dataclass(frozen=True)
class VolumeEntry:
    """One document of the volume, in archive order."""

    title: str
    date: _dt.date
    docx: Path


# --- cover, 卷内目录 and the number stamps ---------------------------------------------------


def date_range(entries: Sequence[VolumeEntry]) -> str:
    first = min(e.date for e in entries)
    last = max(e.date for e in entries)
    return cn_date(first) if first == last else f"{cn_date(first)}—{cn_date(last)}"


def write_cover(
    path: Path, *, branch: str, term_label: str, volume_name: str, dates: str, count: int, pages: int
) -> None:
    doc = wk.new_document(numbered=False)
    facts = [("起止日期", dates), ("本卷件数", f"{count}件"), ("本卷页数", f"{pages}页")]
    wk.cover_page(doc, branch, volume_name, term_label, facts=facts)
    doc.save(path)


TOC_HEADER = ("序号", "文件题名", "日期", "页号", "备注")
TOC_ROW_MM = 12  # rows high enough to write a remark by hand


def write_toc(path: Path, entries: Sequence[VolumeEntry], starts: Sequence[int], ends: Sequence[int]) -> None:
    doc = wk.new_document(numbered=False)
    wk.title(doc, "卷内目录")
    wk.paragraph(doc, "", wk.FIELD)
    last = len(entries) - 1
    rows = [
        [
            str(i + 1),
            entry.title,
            cn_date(entry.date),
            f"{start}—{end}" if i == last and end > start else str(start),
            "",
        ]
        for i, (entry, start, end) in enumerate(zip(entries, starts, ends, strict=True))
    ]
    table = wk.table(doc, TOC_HEADER, rows, nowrap=(0, 2, 3))
    wk.center_cells(table, [0, 2, 3, 4])
    wk.row_heights(table, TOC_ROW_MM)
    doc.save(path)


#: Stamp pages: A4, 20 mm side margins; each holds one number at the top of its text area.
STAMP_MARGIN_MM = 20.0


def write_stamps(path: Path, numbers: Sequence[int]) -> None:
    """One page per number, "— N —", right-aligned when N is odd, left-aligned when even."""
    doc = wk.new_document(numbered=False, grid=False, margins=Margins.even(STAMP_MARGIN_MM))
    for i, n in enumerate(numbers):
        align = WD_ALIGN_PARAGRAPH.RIGHT if n % 2 else WD_ALIGN_PARAGRAPH.LEFT
        p = wk.display_line(doc, f"— {n} —", font=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE, align=align)
        p.paragraph_format.page_break_before = i > 0
    doc.save(path)
