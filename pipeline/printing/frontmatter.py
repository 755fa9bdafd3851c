"""The pages zhibu adds to a volume: cover, 卷内目录 and the page-number stamps, as .docx.

They are made with the Word toolkit (``pipeline.wordkit``) and converted by the same LibreOffice
run as the documents, so their fonts are real, embedded CJK fonts chosen by the same fontconfig
rules (no PDF drawing library is needed). The numbers follow GB/T 9704: "— N —" in 4号 (14 pt)
digits of the 宋体 kind, an em dash each side. None of these pages carries a number of its own.
"""

from __future__ import annotations

import datetime as _dt
import re
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
    docx: Path  # the document (.docx, a legacy Word format, a PDF, or a workbook)
    responsible: str = ""  # 责任者
    sheets: tuple[str, ...] = ()  # a workbook: the sheets bound (all when empty)
    remark: str = ""  # 备注
    own_numbers: bool = False  # keeps its page numbers (its contents cite them); the volume's go on top


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
    doc.save(str(path))


def archive_date(day: _dt.date) -> str:
    """A date as a 卷内目录 gives it (GB/T 9705-2008: eight digits, 20241120)."""
    return day.strftime("%Y%m%d")


# Where an organisation's name may break: after 大学, 学院 …, and before 党支部, 党总支 ….
_ORG_BREAK = re.compile(r"(?<=大学)|(?<=学院)|(?<=学校)|(?<=医院)|(?<=公司)|(?=党(?:总支|支部|委|小组))")
RESPONSIBLE_CHARS = 7  # a 责任者 line of the 卷内目录 holds this many characters, or its longest part


def responsible_lines(name: str) -> str:
    """A 责任者 in lines of at most ``RESPONSIBLE_CHARS`` (or its longest part), broken only between
    the parts of the name: 汽车运用工程系 / 党支部, never inside a word."""
    parts = [p for p in _ORG_BREAK.split(name) if p]
    width = max([RESPONSIBLE_CHARS, *map(len, parts)])
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(lines)


# The columns of a 卷内目录 (GB/T 9705 文书档案案卷格式, without the 文号 a branch's papers lack).
TOC_HEADER = ("序号", "责任者", "文件题名", "日期", "页号", "备注")
TOC_ROW_MM = 12  # rows high enough to write a remark by hand
TOC_REMARK_CHARS = 3  # the 备注 column: room for a short remark by hand


def write_toc(path: Path, entries: Sequence[VolumeEntry], starts: Sequence[int], ends: Sequence[int]) -> None:
    """The 卷内目录 in 五号 (six columns): 责任者 and dates never broken, titles wrapped."""
    doc = wk.new_document(numbered=False, table_size=wk.SMALL_TABLE_SIZE)
    wk.title(doc, "卷内目录")
    wk.paragraph(doc, "", wk.FIELD)
    last = len(entries) - 1
    rows = [
        [
            str(i + 1),
            responsible_lines(entry.responsible),
            entry.title,
            archive_date(entry.date),
            f"{start}—{end}" if i == last and end > start else str(start),
            entry.remark,
        ]
        for i, (entry, start, end) in enumerate(zip(entries, starts, ends, strict=True))
    ]
    # Measured by their longest line; an empty 备注 keeps room for a remark written by hand.
    sizing = [
        [row[0], max(row[1].split("\n"), key=len), *row[2:5], row[5] or "\u3000" * TOC_REMARK_CHARS]
        for row in rows
    ]
    widths = wk.fit_widths(TOC_HEADER, sizing, size=wk.SMALL_TABLE_SIZE, nowrap=(0, 1, 3, 4))
    table = wk.table(doc, TOC_HEADER, rows, widths)
    wk.center_cells(table, [0, 1, 3, 4])
    wk.row_heights(table, TOC_ROW_MM)
    doc.save(str(path))


#: Stamp pages: A4, 20 mm side margins; each holds one number at the top of its text area.
STAMP_MARGIN_MM = 20.0


def write_stamps(path: Path, numbers: Sequence[int]) -> None:
    """One page per number, "— N —", right-aligned when N is odd, left-aligned when even."""
    doc = wk.new_document(numbered=False, grid=False, margins=Margins.even(STAMP_MARGIN_MM))
    for i, n in enumerate(numbers):
        align = WD_ALIGN_PARAGRAPH.RIGHT if n % 2 else WD_ALIGN_PARAGRAPH.LEFT
        p = wk.display_line(doc, f"— {n} —", font=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE, align=align)
        p.paragraph_format.page_break_before = i > 0
    doc.save(str(path))
