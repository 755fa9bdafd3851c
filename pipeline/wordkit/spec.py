"""The measures of a GB/T 9704-2012 page, in one place: paper, margins, fonts, sizes, the line grid.

GB/T 9704-2012 §5.2: A4, top margin 37 mm, binding (left) margin 28 mm, text block 156 × 225 mm;
§7.1: body in 3号 仿宋, 22 lines of 28 characters; title in 2号 小标宋; page numbers in 4号
half-width digits with a dash each side, 7 mm below the text block (§7.5).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from docx.shared import Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"
#: The language of the East-Asian text: Word and WPS apply the Chinese line-breaking rules by it.
EAST_ASIAN_LANGUAGE = "zh-CN"

BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
COVER_TITLE_SIZE = Pt(36)  # 小初: the one word on a cover page
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四: readable beside the 三号 body
SMALL_TABLE_SIZE = Pt(10.5)  # 五号: for tables of six or more columns
NOTE_SIZE = Pt(14)  # 四号: remarks printed under the body text

MM = 72 / 25.4  # points per millimetre
# 22 lines in a 225 mm text block: 225 mm / 22 = 28.99 pt per line (579 twips).
LINE_PITCH_TWIPS = 579
LINE_SPACING = Pt(LINE_PITCH_TWIPS / 20)
# Space after the title and before the signatures: half a line, so a short record fits a page.
HALF_LINE = Pt(LINE_PITCH_TWIPS / 40)
TEXT_WIDTH_MM = 156
# One character of 三号 in twips: indents are given in characters and also in twips, since
# LibreOffice and older WPS ignore the *Chars attributes.
CHAR_TWIPS = 320
# Field labels are four characters and a colon ("会议名称："): a long value wraps under itself.
LABEL_CHARS = 5
# The page number line: 7 mm below the text block; odd pages one character in from the right.
PAGE_NUMBER_GAP_MM = 7.0
PAGE_NUMBER_INDENT_PT = 14.0  # one 4号 character
# File names of 方正小标宋 (the title font); where it is not installed the title is set in bold,
# since the fallback serif is a light face and the title would barely stand out.
TITLE_FONT_FILES = ("FZXBSJW", "FZXiaoBiaoSong", "方正小标宋")


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres."""

    top: float
    bottom: float
    left: float
    right: float

    @classmethod
    def even(cls, mm: float) -> Margins:
        return cls(mm, mm, mm, mm)


GBT9704_MARGINS = Margins(top=37, bottom=35, left=28, right=26)


def title_font_installed() -> bool:
    """Whether 方正小标宋 is installed on this computer (Windows, macOS or Linux font folders)."""
    folders = [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts", Path.home() / ".fonts"]
    if os.environ.get("LOCALAPPDATA"):
        folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    folders += [Path("/Library/Fonts"), Path.home() / "Library" / "Fonts", Path.home() / ".local/share/fonts"]
    folders += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    for folder in folders:
        try:
            for path in folder.rglob("*"):
                if any(key.lower() in path.name.lower() for key in TITLE_FONT_FILES):
                    return True
        except OSError:
            continue
    return False


def text_width(text: str) -> float:
    """Width of a text in em as Word and LibreOffice set it: CJK and full-width characters 1,
    digits and Latin about 0.55, plus the fifth of an em they insert between CJK and digits/Latin.
    Characters of ambiguous width (— “ ” … ·) are set in the East-Asian font (``w:hint``), so 1."""
    width, previous = 0.0, None
    for ch in str(text):
        wide = unicodedata.east_asian_width(ch) in "WFA"
        width += 1.0 if wide else 0.55
        if previous is not None and wide != previous and not ch.isspace():
            width += 0.2
        previous = wide
    return width
