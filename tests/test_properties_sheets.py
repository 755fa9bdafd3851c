"""Property tests (hypothesis) for the spreadsheet header recognizer.

``pipeline.ingest.sheets.header.detect`` finds the header row of a register sheet and maps its
columns to fields; ``normalize_label`` and ``match_label`` read one header cell. Headers are
generated from the recognizer's own alias tables, typed the way secretaries type them (stray
and full-width spaces, full-width letters, required-field stars, notes in brackets, line
breaks), in any order, below title and blank rows, above data rows.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.ingest.sheets.header import (
    IGNORED,
    SCAN_ROWS,
    SENSITIVE,
    detect,
    is_sensitive_label,
    lookup,
    match_label,
    normalize_label,
)
from pipeline.kinds import KINDS as REGISTER_KINDS
from pipeline.kinds import by_name

KINDS = tuple(k.name for k in REGISTER_KINDS)
MEETINGS = "会议登记表"
LAYOUTS = {k.name: k.layouts[0] for k in REGISTER_KINDS}
KIND_SPECS = {name: layout.columns for name, layout in LAYOUTS.items()}
ALL_LAYOUTS = tuple(lay for k in REGISTER_KINDS for lay in k.layouts if lay.wanted is None)

FULL_WIDTH = {
    c: chr(ord(c) + 0xFEE0) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789()/"
}
SPACES = st.sampled_from(["", " ", "  ", "\u3000", "\xa0", "\t"])


@st.composite
def typed(draw, label: str) -> str:
    """``label`` as a secretary might type it: the same column to the recognizer."""
    chars = list(label)
    if draw(st.booleans()):  # a space (or a line break) between characters
        at = draw(st.integers(0, len(chars)))
        chars.insert(at, draw(st.sampled_from([" ", "\u3000", "\n"])))
    text = "".join(chars)
    if draw(st.booleans()):
        text = "".join(FULL_WIDTH.get(c, c) for c in text)
    star = draw(st.sampled_from(["", "*", "＊", "※"]))
    text = draw(st.sampled_from([star + text, text + star]))
    if draw(st.integers(0, 3)) == 0 and not any(b in label for b in "(（[【"):
        text += draw(st.sampled_from(["（必填）", "(必填)", "【选填】", "（单位：人）"]))
    return draw(SPACES) + text + draw(SPACES)


def data_row(width: int, i: int) -> list:
    """A row of values, never a header: it has a date and a number."""
    row: list = [f"值{i}-{j}" for j in range(width)]
    row[0] = dt.date(2024, 10, 1) + dt.timedelta(days=i)
    row[-1] = i + 1
    return row


def sheet(draw, labels: list[str]) -> tuple[list[tuple[int, list]], int]:
    """Rows (number, values) with the header somewhere in the first rows; returns the header row number."""
    rows: list[tuple[int, list]] = []
    number = 0
    for _ in range(draw(st.integers(0, 3))):  # title rows (one merged cell) and blank rows
        number += 1
        rows.append(
            (number, [draw(st.sampled_from(["汽车运用工程系党支部", "2024—2025学年第一学期", None])), None])
        )
    number += 1
    header_row = number
    rows.append((number, list(labels)))
    for i in range(draw(st.integers(0, 5))):
        number += 1
        rows.append((number, data_row(len(labels), i)))
    return rows, header_row


@st.composite
def register_header(draw, kind: str):
    """A header of ``kind``: its required columns and a random choice of the others, each under
    one of its aliases, shuffled, possibly with 序号 and 身份证号 columns."""
    spec = KIND_SPECS[kind]
    keys = [draw(st.sampled_from(group)) for group in spec.required]
    others = [f.key for f in spec.fields if f.key not in keys]
    keys += draw(
        st.lists(st.sampled_from(others), unique=True, min_size=max(0, spec.minimum - len(set(keys))))
    )
    keys = list(dict.fromkeys(keys))
    assume(len(keys) >= spec.minimum)
    columns = [(k, draw(st.sampled_from(spec.field(k).aliases))) for k in keys]
    if draw(st.booleans()):
        columns.append((IGNORED.key, draw(st.sampled_from(IGNORED.aliases[:4]))))
    if draw(st.booleans()):
        columns.append(
            (SENSITIVE.key, draw(st.sampled_from(["身份证号", "联系电话", "手机号码", "家庭住址"])))
        )
    columns = draw(st.permutations(columns))
    # Two aliases of different fields may be the same word (类别, 时间 …): then the column is read
    # as one of them and the header is ambiguous by nature; keep the headers that are not.
    table = lookup(spec)
    assume(all(table.get(normalize_label(label)) == key for key, label in columns))
    assume(not (kind == MEETINGS and sum(k == "date" for k, _ in columns) > 1))
    return columns


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KINDS), st.data())
def test_a_header_of_a_known_kind_is_found_and_every_column_mapped(kind, data):
    columns = data.draw(register_header(kind))
    labels = [data.draw(typed(label)) for _, label in columns]
    rows, header_row = sheet(data.draw, labels)
    found = detect(rows, layouts=(LAYOUTS[kind],))
    assert found is not None, labels
    assert found.kind == kind and found.first_row == found.last_row == header_row
    assert [c.key for c in found.columns] == [key for key, _ in columns], labels


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(KINDS), st.data())
def test_the_full_canonical_header_of_each_register_names_its_kind(kind, data):
    """Among all kinds, a header with every canonical column of a register is that register."""
    spec = KIND_SPECS[kind]
    labels = data.draw(st.permutations([f.label for f in spec.fields]))
    labels = [data.draw(typed(label)) for label in labels]
    rows, header_row = sheet(data.draw, labels)
    found = detect(rows, layouts=ALL_LAYOUTS)
    assert found is not None and found.kind == kind and found.first_row == header_row, labels


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KINDS), st.data())
def test_typing_variations_never_change_what_a_label_means(kind, data):
    spec = KIND_SPECS[kind]
    label = data.draw(st.sampled_from([a for f in spec.fields for a in f.aliases]))
    table = lookup(spec)
    variant = data.draw(typed(label))
    assert match_label(table, normalize_label(variant))[0] == match_label(table, normalize_label(label))[0]
    assert normalize_label(normalize_label(variant)) == normalize_label(variant)


@given(st.sampled_from(SENSITIVE.aliases), st.data())
def test_sensitive_labels_are_recognized_however_typed(label, data):
    assert is_sensitive_label(data.draw(typed(label)))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["日期", "会议日期", "召开日期", "活动日期"]),
    st.sampled_from(["时间", "会议时间", "开会时间"]),
    st.data(),
)
def test_a_time_column_beside_the_date_is_the_time_of_day(date_label, time_label, data):
    others = data.draw(st.lists(st.sampled_from(["地点", "主持人", "记录人"]), min_size=2, unique=True))
    named = data.draw(st.lists(st.sampled_from(["会议类型", "主题"]), min_size=1, unique=True))
    columns = data.draw(st.permutations([date_label, time_label, *named, *others]))
    found = detect([(1, columns), (2, data_row(len(columns), 0))], layouts=(by_name(MEETINGS).layouts[0],))
    assert found is not None
    keys = {c.label: c.key for c in found.columns}
    assert keys[date_label] == "date" and keys[time_label] == "time"


CELL = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-10, 10**6),
    st.floats(allow_nan=False),
    st.dates(),
    st.sampled_from(["日期", "姓名", "签到", "主题", "会议类型", "成果名称", "类别", "时间"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(CELL, max_size=8), max_size=30),
    st.lists(st.sampled_from(KINDS), min_size=1, unique=True),
    st.booleans(),
)
def test_detect_never_crashes_and_answers_within_the_sheet(values, kinds, relaxed):
    rows = list(enumerate(values, start=1))
    found = detect(rows, layouts=tuple(LAYOUTS[k] for k in kinds), relaxed=relaxed)
    if found is None:
        return
    assert found.kind in kinds
    nonblank = [n for n, v in rows if any(x is not None and (not isinstance(x, str) or x.strip()) for x in v)]
    assert found.first_row in nonblank[:SCAN_ROWS]
    assert found.last_row in (found.first_row, found.first_row + 1)
    width = max(len(v) for n, v in rows if n in (found.first_row, found.last_row))
    assert all(0 <= c.index < width for c in found.columns)
    assert found.by_key and all(k in {c.key for c in found.columns} for k in found.by_key)
