"""The comparable form of a cell or label: full-width folded (NFKC), no spaces, upper case."""

from __future__ import annotations

import unicodedata


def text_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()
