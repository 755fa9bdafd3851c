"""`zhibu search`: full-text search over the archived minutes (FTS5 trigram, LIKE fallback)."""

from __future__ import annotations

import json

import pytest

from pipeline.store import Store
from pipeline.term.search import snippet
from tests.test_term_helpers import note, talk


@pytest.fixture
def filed(ws):
    ws.drop(
        "大会.txt",
        note("支部党员大会", "2024-09-10", "学习党的二十届三中全会精神", extra="沈轶娜同志领学了全会公报。"),
    )
    ws.drop(
        "支委会.txt", note("支委会", "2024-10-08", "研究确定发展对象", extra="同意将吴婷同志列为发展对象。")
    )
    ws.drop(
        "党课.txt", note("党课", "2025-03-12", "学习三中全会精神专题党课", extra="100% 的党员参加_学习。")
    )
    ws.drop("谈话.txt", talk("2024-11-05", "沈轶娜", "张伟"))
    ws.run(ok=True)
    return ws


def search(ws, *args: str) -> dict:
    result = ws("search", "-w", ws.root, *args, "--json", ok=True)
    return json.loads(result.output)


def test_this_python_has_fts5_trigram(tmp_path):
    with Store(tmp_path / "index.sqlite3") as store:
        assert store.trigram_available()


def test_search_finds_documents_with_date_type_title_path_and_snippet(filed):
    result = filed("search", "-w", filed.root, "三中全会", ok=True)
    out = result.output
    assert "找到 2 份" in out
    # Newest first: the 党课 of March 2025, then the 党员大会 of September 2024.
    assert out.index("2025-03-12  党课") < out.index("2024-09-10  支部党员大会")
    assert "outbox/2024-2025学年/第一学期/会议记录/支部党员大会/" in out
    assert "【三中全会】" in out
    data = search(filed, "三中全会")
    assert data["method"] == "fts5-trigram" and data["count"] == 2
    for hit in data["results"]:
        assert (filed.root / hit["path"]).is_file()
        assert "【三中全会】" in hit["snippet"]


def test_short_words_fall_back_to_like(filed):
    data = search(filed, "党课")
    assert data["method"] == "like"
    assert [h["type"] for h in data["results"]] == ["党课"]


def test_every_word_must_occur(filed):
    assert [h["date"] for h in search(filed, "发展对象", "吴婷")["results"]] == ["2024-10-08"]
    assert search(filed, "发展对象", "三中全会")["count"] == 0


def test_filters_by_type_and_term(filed):
    assert [h["type"] for h in search(filed, "三中全会", "--type", "党员大会")["results"]] == ["支部党员大会"]
    assert [h["date"] for h in search(filed, "三中全会", "--term", "2024-2025-2")["results"]] == [
        "2025-03-12"
    ]


def test_talk_records_are_searchable_by_name(filed):
    assert [h["type"] for h in search(filed, "张伟")["results"]] == ["谈心谈话"]


def test_special_characters_are_literal(filed):
    assert search(filed, "100%")["count"] == 1
    assert search(filed, "参加_学习")["count"] == 1
    assert search(filed, "%")["count"] == 1
    assert search(filed, '"三中全会"')["count"] == 0  # quotes are part of the text searched for
    assert search(filed, "不存在的词语")["count"] == 0


def test_no_result_message(filed):
    assert (
        "没有找到包含「不存在的词语」的文档"
        in filed("search", "-w", filed.root, "不存在的词语", ok=True).output
    )


def test_the_index_follows_new_filings_and_corrections(filed):
    assert search(filed, "发展对象")["count"] == 1
    filed.drop("支委会11月.txt", note("支委会", "2024-11-06", "发展对象政治审查"))
    filed.run(ok=True)
    assert search(filed, "发展对象")["count"] == 2
    # A corrected version of the October minutes replaces the first one: only the new text is found.
    filed.drop(
        "支委会-更正.txt",
        note("支委会", "2024-10-08", "研究确定发展对象", extra="同意将吴婷、周强同志列为发展对象。"),
    )
    filed.run(ok=True)
    hits = search(filed, "吴婷")["results"]
    assert len(hits) == 1 and "周强" in hits[0]["snippet"]
    assert (filed.root / hits[0]["path"]).is_file()


def test_snippet_marks_every_word_and_trims():
    text = "甲" * 50 + "三中全会精神" + "乙" * 50
    s = snippet(text, ["三中全会", "精神"], width=5)
    assert s == "…甲甲甲甲甲【三中全会】【精神】乙乙乙…"
