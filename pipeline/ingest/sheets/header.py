"""Find the header row of a register sheet and which register it is.

Secretaries' sheets have a title row or two above the header, headers merged over two rows
(人数 above 应到 | 实到), labels with notes in brackets (完成人（及排名）), required-field stars
and stray spaces. The detector looks at the first rows of a sheet, reads each as a one-row
header and, with the row below, as a two-row header (the upper row forward-filled, since
merged cells are empty in read-only mode), and scores every register kind by the columns it
recognizes. The best candidate that has a kind's required columns wins; a kind named by the
inbox folder (or by a correction file's marker) restricts the choice to that kind.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.columns import (  # noqa: F401 - the vocabulary, also read from here
    IGNORED,
    SCAN_ROWS,
    SENSITIVE,
    SENSITIVE_ENGLISH,
    SENSITIVE_PARTS,
    KindSpec,
    S,
    Spec,
)
from pipeline.ingest.sheets.layout import Layout, title_kind


def normalize_label(value) -> str:
    """A header cell for matching: NFKC, no spaces, no required-field stars or trailing colons."""
    if cells.is_blank(value) or not isinstance(value, str) or cells.unusable(value):
        return ""
    s = "".join(unicodedata.normalize("NFKC", value).split())
    s = s.strip("*＊※")
    return s


def _strip_brackets(label: str) -> str:
    return re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", label)


@functools.cache
def lookup(kind: KindSpec) -> dict[str, str]:
    """Normalized label -> field key of a register's columns (read-only: shared between calls)."""
    table: dict[str, str] = {}
    for spec in (*kind.fields, IGNORED, SENSITIVE):
        for alias in spec.aliases:
            table.setdefault(normalize_label(alias), spec.key)
    return table


_SENSITIVE = {normalize_label(a) for a in SENSITIVE.aliases}


def is_sensitive_label(value) -> bool:
    """身份证号, 联系电话 … (also 身份证号码（18位）, 手机号*, 手機號碼, ID No., E-mail)."""
    label = normalize_label(value)
    if not label or len(label) > 24 or re.search(r"\d{4}", label):  # a sentence or a number is no label
        return False
    bare = _strip_brackets(label).strip("*※")
    return (
        label in _SENSITIVE
        or bare in _SENSITIVE
        or any(len(a) >= 3 and a in label for a in _SENSITIVE)
        or any(part in bare for part in SENSITIVE_PARTS)
        or re.sub(r"[\W_]+", "", bare.casefold()) in SENSITIVE_ENGLISH
    )


def sensitive_columns(rows) -> tuple[int, set[int]] | None:
    """(label row number, 0-based columns) of the first row among ``rows`` that labels sensitive columns."""
    for number, values in rows:
        found = sensitive_labels(values)
        if found:
            return number, found
    return None


def sensitive_labels(values) -> set[int]:
    """0-based columns of ``values`` that are sensitive labels, when the row reads as a header
    (at least two cells filled, most of them short texts); empty otherwise."""
    filled = [v for v in values if not cells.is_blank(v)]
    if len(filled) < 2 and not (len(filled) == 1 and len(values) == 1):
        return set()
    texts = [v for v in filled if isinstance(v, str) and len(v.strip()) <= 24]
    if len(texts) * 2 < len(filled):
        return set()
    return {i for i, v in enumerate(values) if isinstance(v, str) and is_sensitive_label(v)}


def match_label(lookup: dict[str, str], label: str) -> tuple[str | None, bool]:
    """(field key, exact?) for a normalized label; contains-matches use the longest alias."""
    bare = _strip_brackets(label).strip("*※")  # 姓名*（必填） is 姓名
    if not label or ":" in bare or "：" in bare:
        # 会议类型：支委会 is a value line above the header, not a column (应到（单位：人） is one)
        return None, False
    if is_sensitive_label(label):
        return "_sensitive", True  # never read, whatever else the label resembles
    if label in lookup:
        return lookup[label], True
    if bare in lookup:
        return lookup[bare], True
    best = None
    for alias, key in lookup.items():
        if key == "member_type" and not any(word in bare for word in _MEMBER_TYPE_WORDS):
            continue
        if len(alias) >= 2 and alias in bare and (best is None or len(alias) > len(best[0])):
            best = (alias, key)
    return (best[1], False) if best else (None, False)


# A column whose label merely contains 类别 or 身份 (教育类别, 学历类别, 人员身份类别) is 党员类别
# only when the label says so: exact aliases (类别, 身份) match as they are.
_MEMBER_TYPE_WORDS = ("党", "正式", "预备")


@dataclass
class Column:
    index: int  # 0-based
    label: str  # as the secretary sees it (two-row headers joined: 人数/应到)
    key: str | None  # field, "_ignored", "_sensitive" or None (unknown column)
    short: str = ""  # the one label that was recognized (应到), for a one-row copy of the header


@dataclass
class Header:
    kind: str  # the layout's key: the register's name (or "计划说明")
    first_row: int  # row number of the (upper) header row
    last_row: int  # row number of the last header row
    columns: list[Column]
    title: str = ""  # text of the rows above the header
    score: int = 0
    by_key: dict[str, list[int]] = field(default_factory=dict)
    spec: KindSpec | None = None  # the layout's columns

    def __post_init__(self):
        for c in self.columns:
            if c.key:
                self.by_key.setdefault(c.key, []).append(c.index)

    def label_of(self, key: str) -> str:
        idx = self.by_key.get(key)
        if idx:
            return self.columns[idx[0]].label
        try:
            return self.spec.field(key).label if self.spec else key
        except StopIteration:
            return key

    @property
    def sensitive(self) -> list[int]:
        return self.by_key.get("_sensitive", [])

    @property
    def width(self) -> int:
        return len(self.columns)


def _display(value) -> str:
    """A cell as a label; a cell that cannot be used (#N/A, a formula without its result) is none."""
    return "" if cells.is_blank(value) or cells.unusable(value) else cells.one_line(value)


def _is_header_like(values: list) -> bool:
    filled = [v for v in values if not cells.is_blank(v) and not cells.unusable(v)]
    return len(filled) >= 1 and all(isinstance(v, str) and len(v.strip()) <= 30 for v in filled)


def _candidates(values: list, below: list | None):
    """Readings of a row as a header: alone, and over two rows with the row below.

    Each reading is a list with, per column, the label shown in messages and the options to
    match in order, as (normalized, shown) pairs.
    """
    yield [(_display(v), [(normalize_label(v), _display(v))]) for v in values], 1
    if below is None or not _is_header_like(below):
        return
    width = max(len(values), len(below))
    top = list(values) + [None] * (width - len(values))
    sub = list(below) + [None] * (width - len(below))
    filled_top: list = []
    last = None
    for i in range(width):
        if not cells.is_blank(top[i]):
            last = top[i]
            filled_top.append(top[i])
        else:
            # Merged across (empty in read-only mode): the upper label spans the cells that
            # have their own label below.
            filled_top.append(last if not cells.is_blank(sub[i]) else None)
    reading = []
    for t, s in zip(filled_top, sub, strict=True):
        if not cells.is_blank(s):
            shown = f"{_display(t)}/{_display(s)}" if t and _display(t) != _display(s) else _display(s)
            options = [(normalize_label(s), _display(s))]
            if t:
                options.append((normalize_label(t) + normalize_label(s), f"{_display(t)}{_display(s)}"))
            reading.append((shown, options))
        else:
            reading.append((_display(t), [(normalize_label(t), _display(t))]))
    yield reading, 2


def _score(
    kind: KindSpec, lookup: dict[str, str], reading, relaxed: bool = False
) -> tuple[int, list[str | None], list[str]]:
    keys: list[str | None] = []
    matched: list[str] = []
    seen: dict[str, int] = {}
    for shown, options in reading:
        key, exact, label = None, False, shown
        for option, option_shown in options:
            key, exact = match_label(lookup, option)
            if key:
                label = option_shown
                break
        keys.append(key)
        matched.append(label)
        if key and not key.startswith("_"):
            weight = kind.field(key).weight if exact else 1
            seen[key] = max(seen.get(key, 0), weight)
    required = kind.required[:1] if relaxed else kind.required
    if not all(any(k in seen for k in group) for group in required):
        return 0, keys, matched
    if len(seen) < (2 if relaxed else kind.minimum):
        return 0, keys, matched
    return sum(seen.values()), keys, matched


def detect(
    rows: list[tuple[int, list]],
    *,
    layouts: Sequence[Layout],
    named: str | None = None,
    relaxed: bool = False,
    title_order: Sequence[str] = (),
) -> Header | None:
    """The header among the first rows of a sheet, or None.

    ``layouts`` are the layouts to consider (those of one kind, when the inbox folder names it);
    on equal scores the first wins. ``named`` is a register named by the file (a correction
    file's marker) and breaks ties, as does a title row naming a register (``title_order``: the
    registers by precedence). ``relaxed`` (the kind is known from the folder) needs only the
    kind's main column and one more.
    """
    best: tuple | None = None
    scan = [(n, v) for n, v in rows if any(not cells.is_blank(x) for x in v)][:SCAN_ROWS]
    for pos, (number, values) in enumerate(scan):
        strings = sum(1 for v in values if isinstance(v, str) and v.strip())
        if strings < 2:
            continue
        below = scan[pos + 1][1] if pos + 1 < len(scan) and scan[pos + 1][0] == number + 1 else None
        title = " ".join(_display(v) for _, vs in scan[:pos] for v in vs if _display(v))
        mentioned = title_kind(title, layouts, title_order) or named
        for reading, height in _candidates(values, below):
            for layout in layouts:
                spec = layout.columns
                score, keys, matched = _score(spec, lookup(spec), reading, relaxed)
                if not score:
                    continue
                bonus = 3 if mentioned and mentioned == spec.kind else 0
                # Prefer higher scores, then the one-row reading, then earlier rows.
                rank = (score + bonus, -height, -pos)
                if best is None or rank > best[0]:
                    if layout.fix_keys is not None:
                        keys = layout.fix_keys(keys, matched)
                    columns = [
                        Column(i, reading[i][0] or "", keys[i], matched[i] or "") for i in range(len(keys))
                    ]
                    header = Header(layout.key, number, number + height - 1, columns, title, score, spec=spec)
                    best = (rank, header)
    return best[1] if best else None
