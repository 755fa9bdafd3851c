"""Notes in the shapes the third set of published records showed (docs/notes-patterns.md, the entries
marked ³): attendance read only as an exact count of the members at this meeting, and the other
shapes read to the value they state, never to one they do not. Names and places are invented."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import NoteFormatError
from pipeline.ingest.dates import find_month_day
from pipeline.ingest.notes.counts import field_count
from pipeline.ingest.notes.scan import scan
from tests.notes_corpus.harness import run_part, summary
from tests.test_notes_published import parsed

OPENING = "2024年3月12日下午，机电系党支部在求是楼B206召开支部党员大会，"

COUNTS = [
    # stated exactly
    ("应到会有表决权的正式党员27名，实到25名", 27, 25),
    ("支部共有正式党员29名，到会22名", 29, 22),
    ("23名党员及12名发展对象参加", None, 23),  # the guests are counted apart
    ("支部共有党员20名，除2名外出学习外，其余18名党员参加了会议", 20, 18),
    ("支部全体党员教师16人参加", 16, 16),
    ("出席会议的党员有23名", None, 23),
    # approximate
    ("约35名党员参加", None, None),
    ("近25名党员参加了会议", None, None),
    ("二十余名党员参加", None, None),
    # one item of a list, or members with others in one figure
    ("副书记汤雨禾及21名党员同志参加", None, None),
    ("支部党员、积极分子、发展对象共28人参加", None, None),
    ("17名党员、2名预备党员参加", None, None),
    ("参会正式党员13名、预备党员4名", None, None),
    # what members did besides attending, or several branches
    ("全院5个党支部共86名党员参加了民主测评", None, None),
    ("有40名党员参加了植树活动", None, None),
    # a sum the text does not write; a body larger than the branch
    ("此次会议共十一人参加，一人因病缺席", None, 11),
    ("本次大会到会28人。学院党委共有党员356名", None, 28),
    # the branch's name is no guest ("学生第一党支部")
    ("学生第一党支部共有党员11名，实到会党员11人", 11, 11),
]


@pytest.mark.parametrize(("sentence", "expected", "present"), COUNTS)
def test_counts_are_exact_member_counts_of_this_meeting(sentence, expected, present):
    m = parsed(f"{OPENING}{sentence}。会议由支部书记任晓岚主持。")
    assert (m.expected, m.present) == (expected, present)


def test_separate_voting_figures_keep_the_total_blank_but_the_voting_figures():
    m = parsed(f"{OPENING}应到会正式党员20名，实到会正式党员18名，预备党员3名。")
    assert (m.expected, m.present, m.voting_expected, m.voting_present) == (None, None, 20, 18)


@pytest.mark.parametrize(
    ("value", "key", "read"),
    [
        ("12人", "present", (12, True)),
        ("12人（其中预备党员2人）", "expected", (12, True)),
        ("十二人", "present", (12, True)),
        ("30余人", "present", (None, False)),
        ("正式党员10人，预备党员2人", "present", (None, False)),
        ("应到12人，实到11人", "present", (11, True)),
        ("全体党员", "present", (None, True)),
    ],
)
def test_a_count_line_is_one_exact_number(value, key, read):
    assert field_count(value, key) == read


def test_a_count_line_with_several_numbers_is_left_blank_and_named():
    m = parsed(
        "会议类型：支部党员大会\n时间：2024年6月18日 15:00\n主持人：滕若谷\n实到人数：正式党员10人，预备党员2人\n"
    )
    assert m.present is None
    assert "实到人数：未能确定，请核对" in m.warnings
    with pytest.raises(NoteFormatError, match="应为人数"):
        parsed("会议类型：支部党员大会\n时间：2024年6月18日\n实到人数：全体党员")


def test_a_stated_count_wins_over_the_length_of_a_list():
    m = parsed(
        "会议类型：支部党员大会\n时间：2024年6月18日\n主持人：滕若谷\n出席人员：滕若谷、邝小满、房远舟\n"
        "支部应到党员7人，实到6人，另有3名同志作了发言。"
    )
    assert (m.expected_count(), m.present_count()) == (7, 6)


def test_a_range_of_days_is_dated_by_its_first_day():
    assert find_month_day("5月16—17日，内科第一党支部开展主题党日")[:2] == (5, 16)
    assert find_month_day("5月16日至17日")[:2] == (5, 16)
    m = parsed("发布时间：2024-05-20 10:31\n5月16—17日，内科第一党支部开展“重温井冈足迹”主题党日活动。")
    assert str(m.date) == "2024-05-16"


def test_a_byline_run_onto_the_first_sentence_is_split():
    text = "桃源社区党支部开展主题党日\n发布日期：2025-03-07 信息来源：桃源社区 阅读量：26次为弘扬雷锋精神，3月5日，桃源社区党支部开展主题党日活动。"
    s = scan(text, "笔记.txt")
    assert s.bylines == ["发布日期：2025-03-07 信息来源：桃源社区 阅读量：26次"]
    assert s.prose == ["为弘扬雷锋精神，3月5日，桃源社区党支部开展主题党日活动。"]
    assert str(parsed(text).date) == "2025-03-05"
    # A byline alone stays one line, however long its credits.
    assert scan(
        "发布日期：2021年03月26日 11:19   来源：后勤保障部机关   作者：肖文杰   点击量：", "x"
    ).bylines


def test_a_talk_with_a_group_described_but_not_named_is_filed_with_the_partner_blank():
    m = parsed(
        "2024年10月15日晚，化学系本科生党支部在博雅楼2楼党建活动室组织高年级党员同2024级递交入党申请书的新生"
        "进行谈话。本次谈话由邬乐天同志主持。"
    )
    assert (m.type.name, m.talk_partner, m.chair) == ("谈心谈话", "", "邬乐天")
    assert "谈话对象：未能确定，请核对" in m.warnings
    with pytest.raises(NoteFormatError, match="谈话对象"):
        parsed("会议类型：谈心谈话\n时间：2024年10月15日\n谈话人：邬乐天\n谈话内容：了解思想情况。")


def test_several_branches_meetings_in_one_report_are_refused():
    with pytest.raises(NoteFormatError, match="几个支部各自召开"):
        parsed(
            "3月21日、22日，我院行政第一党支部、行政第二党支部、后勤党支部分别组织召开党员大会。\n2024年3月25日"
        )
    # One branch that elected several committees is one meeting.
    m = parsed("2024年5月31日上午，离退休党支部召开换届选举党员大会，分别选举产生了三个支部的委员会。")
    assert m.type.name == "支部党员大会"


THEMES = [
    (
        "2024年4月2日，三个支部在烈士陵园开展了“追思先烈 砥砺初心”主题党日活动。书记为与会党员上了一堂题为"
        "《做忠诚干净担当的机关干部》的专题党课。",
        "追思先烈 砥砺初心",
    ),
    ("2024年6月30日，青禾小学党支部召开了“奋进新征程 建功新时代”七一主题党日活动。", "奋进新征程 建功新时代"),
    ("青禾小学开展“七一”主题党日活动\n2024年7月1日上午，青禾小学党支部组织全体党员重温入党誓词。", ""),
]


@pytest.mark.parametrize(("text", "topic"), THEMES)
def test_the_theme_given_to_this_meeting(text, topic):
    assert parsed(text).topic == topic


LECTURERS = [
    ("2024年12月26日，处党委副书记林可以“建强支部班子”为题，为修缮科党支部全体党员讲授专题党课。", "林可"),
    ("2024年12月20日下午，监测中心党支部召开会议，请中心党委副书记慕远山同志为全体党员讲党课。", "慕远山"),
]


@pytest.mark.parametrize(("text", "lecturer"), LECTURERS)
def test_the_lecturer_named_before_the_title_or_asked_to_lecture(text, lecturer):
    m = parsed(text)
    assert (m.type.name, m.lecturer) == ("党课", lecturer)


def test_a_venue_after_the_meetings_name_and_a_chair_in_a_clause():
    m = parsed(
        "2024年12月5日下午，伴随着主持人蓝思远老师的开场白，机电技师学院学生党员支部成立大会在C307教室拉开了帷幕。"
    )
    assert (m.type.name, m.place, m.chair) == ("支部党员大会", "C307教室", "蓝思远")


def test_a_conversion_meeting_is_a_members_meeting():
    m = parsed("2024年3月27日下午三点，康复学院党支部在实训楼412教室召开了预备党员转正会议。")
    assert (m.type.name, m.time.hour) == ("支部党员大会", 15)


def test_a_value_on_an_ambiguous_field_is_neither_right_nor_invented(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "两处地点.txt").write_text(
        "会议类型：主题党日\n时间：2024年4月13日\n地点：青石镇红色教育基地\n主持人：宁书瑶\n",
        encoding="utf-8",
    )
    entry = {
        "outcome": "filed",
        "fields": {"会议类型": "主题党日", "日期": "2024年4月13日", "主持人": "宁书瑶"},
        "ambiguous": {"地点": "two venues"},
    }
    (folder / "manifest.json").write_text(
        json.dumps({"两处地点.txt": entry}, ensure_ascii=False), encoding="utf-8"
    )
    results, _ = run_part(folder, tmp_path / "ws")
    s = summary(results)
    assert (s["fields"], s["fields_ok"], s["wrong"], s["invented"], s["ambiguous"]) == (3, 3, 0, 0, 1)
    assert results[0].ambiguous == ["地点「青石镇红色教育基地」"] and not results[0].misses
    strict, _ = run_part(folder, tmp_path / "ws2", count_ambiguous=True)
    assert strict[0].invented == ["地点「青石镇红色教育基地」"] and not strict[0].ambiguous
