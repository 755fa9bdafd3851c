"""What the OCR engine read on a page, and how sure it was: pure functions, no I/O.

Tesseract reports each recognised word with a confidence (0-100). A word below the threshold
is not trusted: it is left out of the searchable PDF's text layer, and in the text handed to the
note parser it becomes ``UNSURE`` (one per character), so that a field holding it is left blank
rather than filled with a guess. A page on which too little is read with confidence
(handwriting, a photo of people) is "not recognised": none of its words are kept at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Stands for a character the engine could not read with confidence (the □ of 缺字 in transcripts).
UNSURE = "□"
FIELD_GAP = "\u3000\u3000"
# A page is recognised when at least this many characters, and this share of all it read, are sure.
MIN_SURE_CHARS = 20
MIN_SURE_SHARE = 0.6
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
_WCONF = re.compile(r"x_wconf (\d+)")


@dataclass(frozen=True)
class Word:
    text: str
    conf: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels


@dataclass
class Page:
    lines: list[list[Word]] = field(default_factory=list)

    def counts(self, min_conf: int) -> tuple[int, int]:
        """(characters read with confidence, all characters read)."""
        sure = total = 0
        for line in self.lines:
            for w in line:
                n = len(_visible(w.text))
                total += n
                sure += n if w.conf >= min_conf else 0
        return sure, total

    def recognised(self, min_conf: int) -> bool:
        sure, total = self.counts(min_conf)
        return sure >= MIN_SURE_CHARS and sure >= MIN_SURE_SHARE * total


def _visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def title_values(title: str) -> tuple[tuple[int, int, int, int] | None, int | None]:
    """The bbox and x_wconf of an hOCR element's ``title`` attribute."""
    box = _BBOX.search(title or "")
    conf = _WCONF.search(title or "")
    return (
        tuple(int(v) for v in box.groups()) if box else None,  # type: ignore[return-value]
        int(conf.group(1)) if conf else None,
    )


def line_text(words: list[Word], min_conf: int) -> str:
    """A line as the note parser reads it: unsure words as ``□``; a gap wider than about a
    character separates two fields; the narrow gaps between Chinese words vanish."""
    out: list[str] = []
    prev: Word | None = None
    for w in words:
        text = _visible(w.text)
        if not text:
            continue
        if w.conf < min_conf:
            text = UNSURE * len(text)
        if prev is not None:
            height = max(prev.box[3] - prev.box[1], w.box[3] - w.box[1], 1)
            gap = w.box[0] - prev.box[2]
            if gap > 1.2 * height:
                out.append(FIELD_GAP)
            elif gap > 0.25 * height and prev.text[-1:].isascii() and text[:1].isascii():
                out.append(" ")
        out.append(text)
        prev = w
    return "".join(out)


def page_text(page: Page, min_conf: int) -> str:
    return "\n".join(t for t in (line_text(line, min_conf) for line in page.lines) if t)


def to_json(page: Page) -> dict:
    return {"lines": [[[w.text, w.conf, list(w.box)] for w in line] for line in page.lines]}


def from_json(data: dict) -> Page:
    return Page([[Word(t, int(c), tuple(b)) for t, c, b in line] for line in data.get("lines", [])])
