"""Round 6 (docs/notes-patterns.md, the entries marked ⁶): shapes of published reports read by an
outside reader's sixth set. Each rule is tested with the shape it reads and with the shape next to it
that it must leave alone. Names and places are invented."""

from __future__ import annotations

from pipeline.ingest.notes import phrases
from tests.test_notes_published import parsed

# --- topic -------------------------------------------------------------------------------------


def test_a_quote_before_a_verb_in_the_headline_is_no_theme():
    # "“走读结合”开展主题党日": how the activity was held, not its theme; the body's theme is read.
    m = parsed(
        "青川小学退休支部“走读结合”开展主题党日活动\n"
        "2024年10月23日,青川小学退休党支部组织党员赴白鹭湾革命纪念馆,"
        "开展“银龄忆初心 同心向未来”主题党日活动。"
    )
    assert m.topic == "银龄忆初心 同心向未来"
    assert phrases.quoted_theme("青川小学退休支部“走读结合”开展主题党日活动", ("主题党日",)) == ""


def test_a_short_word_between_the_theme_and_the_name_still_gives_the_theme():
    m = parsed("2024年7月1日,药学系党支部召开了“奋进新征程 建功新时代”七一主题党日活动。")
    assert m.topic == "奋进新征程 建功新时代"
