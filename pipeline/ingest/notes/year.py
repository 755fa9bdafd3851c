"""The year of a date written without one ("3月26日下午"): from the file name or its folders.

Never from today's date. Accepted, innermost path part first: a full date (2024-03-26,
2024.3.26), a term id (2024-2025-1: months 9–12 in the first year, the rest in the second;
2024-2025-2: months 9–12 in the first year, the rest in the second), a school year
(2024-2025, 2024—2025学年) in the same way, and a plain year (2024年, 2024秋, 2024春, 2024).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.ingest.dates import find_date, normalize

_TERM = re.compile(r"(?<!\d)(20\d{2})\s*[-—–~至到]\s*(20\d{2})(?:\s*[-—–]\s*([12]))?(?!\d)")
# A year followed by one of these words, or by no Chinese at all: "2018硕", "2020届" name a cohort,
# and "2022年度" the year a review covers, not the year the meeting was held.
_YEAR = re.compile(
    r"(?<!\d)(20\d{2})(?!\d)(?!\s*年度)(?:\s*(年|秋|春|夏|冬|上|下|学年|级)|(?![\u4e00-\u9fff]))"
)


def year_from_path(name: str, month: int) -> tuple[int, str] | None:
    """(year, where it came from) for a month written without a year, or None."""
    parts = list(PurePosixPath(name.replace("\\", "/")).parts)
    if parts:
        parts[-1] = PurePosixPath(parts[-1]).stem
    for part in reversed(parts):
        text = normalize(part)
        where = "文件名" if part == parts[-1] else "文件夹名"
        try:
            full = find_date(text)
        except Exception:
            full = None
        if full:
            return full[0].year, f"{where}「{part}」"
        m = _TERM.search(text)
        if m and int(m.group(2)) == int(m.group(1)) + 1:
            first = int(m.group(1))
            return (first if month >= 9 else first + 1), f"{where}「{part}」"
        m = _YEAR.search(text)
        if m:
            year = int(m.group(1))
            if m.group(2) == "秋" and month <= 2:
                year += 1  # the autumn term runs into January and February
            return year, f"{where}「{part}」"
    return None
