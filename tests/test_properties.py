"""Property tests (hypothesis) for the parsers and the file-name sanitizer."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.errors import DateFormatError
from pipeline.fs.files import render_path, safe_name
from pipeline.ingest.dates import parse_date, parse_datetime
from pipeline.ingest.names import _NONE_WORDS as NONE_WORDS
from pipeline.ingest.names import ROLE_WORDS, is_role, split_absences, split_names

WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
FORMATS = [
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: unicodedata.normalize("NFKC", f"{d.year}年{d.month}月{d.day}日").translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
    ),  # full-width digits
]


@given(dates, st.sampled_from(FORMATS), st.sampled_from(["", " ", "（星期一）", "　"]))
def test_every_typed_form_of_a_date_round_trips(day, fmt, suffix):
    assert parse_date(fmt(day) + suffix) == day


@given(dates, st.integers(0, 23), st.integers(0, 59))
def test_dates_with_times(day, hour, minute):
    parsed_day, start, _ = parse_datetime(f"{day.year}年{day.month}月{day.day}日 {hour}:{minute:02d}")
    assert parsed_day == day and start == dt.time(hour, minute)


@given(st.integers(1990, 2099), st.integers(1, 12), st.integers(1, 31))
def test_impossible_dates_are_rejected_not_shifted(year, month, day):
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    try:
        assert parse_date(f"{year}年{month}月{day}日") == real
    except DateFormatError:
        assert real is None


@given(st.text(max_size=60))
def test_date_parser_never_crashes(text):
    try:
        parse_date(text)
    except DateFormatError:
        pass


# A role word alone (入党积极分子、吴婷, 支部书记 陈某) belongs to the name after it, so it is no name
# of its own here.
NAME = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=4
).filter(lambda n: n not in NONE_WORDS and n not in ROLE_WORDS and not is_role(n))
SEPARATOR = st.sampled_from(["、", "，", ",", "；", ";", " ", "　", "、 "])


@given(st.lists(NAME, min_size=1, max_size=12, unique=True), st.data())
def test_name_lists_split_on_every_separator(names, data):
    text = names[0]
    for name in names[1:]:
        text += data.draw(SEPARATOR) + name
    assert split_names(text) == names


@given(
    st.lists(
        st.tuples(NAME, st.sampled_from(["", "病假", "事假", "出差", "公出"])),
        min_size=1,
        max_size=8,
        unique_by=lambda t: t[0],
    ),
    st.data(),
)
def test_absences_keep_each_reason(pairs, data):
    parts = [f"{n}（{r}）" if r else n for n, r in pairs]
    text = parts[0]
    for part in parts[1:]:
        text += data.draw(SEPARATOR) + part
    assert [(a.name, a.reason) for a in split_absences(text)] == pairs


@given(st.text(max_size=300), st.integers(20, 120))
@settings(max_examples=300)
def test_any_string_gives_a_safe_name_within_the_limit(text, limit):
    name = safe_name(text, limit)
    assert 0 < len(name) <= limit
    assert not (set(name) & WINDOWS_FORBIDDEN)
    assert name == name.strip() and not name.endswith(".")
    assert name not in (".", "..")
    assert name.split(".")[0].upper() not in RESERVED


@given(st.text(max_size=120), st.text(max_size=120))
def test_paths_from_titles_never_leave_the_archive(title, kind):
    assume(title != kind)
    rel = render_path(
        "{学年}/{学期}/会议记录/{类型}/{日期} {类型} {主题}.docx",
        {"学年": "2024-2025学年", "学期": "第一学期", "日期": "2024-10-08", "类型": kind, "主题": title},
    )
    assert not rel.is_absolute() and ".." not in rel.parts
    assert rel.parts[:3] == ("2024-2025学年", "第一学期", "会议记录")
    assert len(rel.parts) == 5 and rel.suffix == ".docx"


@given(st.lists(st.text(min_size=1, max_size=50), min_size=2, max_size=20))
def test_unique_paths_for_distinct_meetings(tmp_path_factory, titles):
    from pipeline.fs.files import unique_path

    root = tmp_path_factory.mktemp("u")
    taken: set = set()
    for title in titles:
        target = unique_path(root / (safe_name(title, 40) + ".docx"), taken)
        assert target not in taken
        taken.add(target)
