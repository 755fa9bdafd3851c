"""Values that are personal data whatever column they are in: ID numbers and mobile numbers.

The second line of defence behind the sensitive column labels (``header.is_sensitive_label``):
a register may carry an ID number under a header we do not know, in a column without a header,
or in a 备注. Every copy zhibu keeps of a register (the archived original, the correction file)
has such cells blanked.

* A mainland resident ID number: 17 digits and a check character (0-9 or X) that is correct
  under GB 11643 (ISO 7064 MOD 11-2). 18 digits with a wrong check digit are not an ID number.
* A mainland mobile number: 1[3-9] and 9 more digits, optionally after +86/0086/86, with
  spaces or dashes between groups (138 1234 5678, 138-1234-5678, +86 13812345678).
"""

from __future__ import annotations

import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[\s\-]*)?(1[3-9]\d(?:[\s\-]?\d){8})(?!\d)")
_MOBILE_WITH_PREFIX = re.compile(r"(?:(?:\+|00)?86[\s\-]*)?(?<!\d)1[3-9]\d(?:[\s\-]?\d){8}(?!\d)")


def valid_id_number(text: str) -> bool:
    """An 18-character mainland ID number with a correct check character."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == text[17].upper()


def _as_text(value) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e19 else None
    if isinstance(value, str):
        return value
    return None


BLANKED = "（已隐去）"


def blank_numbers(text: str) -> tuple[str, int]:
    """``text`` with every ID number (correct check character) and mobile number replaced by
    ``BLANKED``, and how many were replaced (the values themselves are never returned)."""
    found = 0

    def ident(m: re.Match) -> str:
        nonlocal found
        if not valid_id_number(m.group(1)):
            return m.group(0)
        found += 1
        return BLANKED

    def mobile(m: re.Match) -> str:
        nonlocal found
        found += 1
        return BLANKED

    if len(text) < 11:
        return text, 0
    text = _ID.sub(ident, text)
    text = _MOBILE_WITH_PREFIX.sub(mobile, text)
    return text, found


def looks_sensitive(value) -> bool:
    """A cell value that holds an ID number or a mobile number (alone or inside a text)."""
    text = _as_text(value)
    if not text or len(text) < 11:
        return False
    if any(valid_id_number(m.group(1)) for m in _ID.finditer(text)):
        return True
    return _MOBILE.search(text) is not None
