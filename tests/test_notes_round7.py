"""Round 7 (docs/notes-patterns.md, the entries marked ⁷): shapes of published reports read from the
tuning half of an outside reader's sixth set. Each rule is tested with the shape it reads and with the
shape next to it that it must leave alone. Names and places are invented."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import NoteFormatError
from pipeline.ingest.notes import phrases
from tests.test_notes_published import parsed

# --- who came, as a group ----------------------------------------------------------------------

GROUPS = [
    # the branch's members as the subject of the meeting's verb: the group is the members
    ("2024年3月12日下午,青松学院第二党支部全体党员在图文楼405召开组织生活会。", "全体党员"),
    ("2024年3月9日晚,硕2203党支部召开了组织生活会。会议由邱言主持,支部党员参加了本次会议。", "支部党员"),
    (
        "2024年3月5日,南湖大桥项目召开2024年第一届支部党员大会。南湖项目全体党员参加此次会议。",
        "南湖项目全体党员",
    ),
    ("2021年3月17日下午,研究生党支部召开支部大会。会议由赵远主持,全体研究生党员参加会议。", "全体研究生党员"),
]


@pytest.mark.parametrize(("text", "group"), GROUPS)
def test_the_group_that_came_is_shown_as_written_and_never_counted(text, group):
    m = parsed(text)
    assert (m.attendee_group, m.attendees, m.present, m.expected) == (group, [], None, None)


NOT_GROUPS = [
    # someone added to the members, a part of them, members of another body: no group
    "2024年3月9日,硕2203党支部召开了组织生活会。书记邱言及支部党员参加了本次会议。",
    "2024年3月9日,硕2203党支部召开了组织生活会。部分支部党员参加了本次会议。",
    "2024年3月12日,青松学院党委全体党员在图文楼405召开大会,第二党支部召开支部党员大会。",
]


@pytest.mark.parametrize("text", NOT_GROUPS)
def test_a_clause_that_is_not_wholly_the_branch_gives_no_group(text):
    assert parsed(text).attendee_group == ""


def test_a_party_lectures_audience_is_the_group_it_was_given_to():
    m = parsed(
        "2024年11月28日下午,检验科党支部在门诊楼二楼示教室召开会议,"
        "邀请医院党委委员戚文澜同志给全体党员上了一堂专题党课。"
    )
    assert (m.type.name, m.lecturer, m.listeners, m.attendee_group) == ("党课", "戚文澜", "全体党员", "")


def test_a_lecture_to_all_members_inside_a_theme_day_names_no_audience():
    m = parsed("2024年11月28日下午,检验科党支部开展主题党日活动,邀请戚文澜同志给全体党员上了一堂专题党课。")
    assert (m.type.name, m.listeners, m.attendee_group) == ("主题党日", "", "")


# --- the year in the meeting's own name --------------------------------------------------------


def test_the_year_of_a_meetings_ordinal_name_dates_it():
    m = parsed("3月5日,南湖大桥项目党支部召开2024年第一届支部党员大会。全体党员参加此次会议。")
    assert m.date == dt.date(2024, 3, 5)
    assert any("会议名称「召开2024年第一届" in w for w in m.warnings)


def test_a_years_review_is_no_meetings_year():
    with pytest.raises(NoteFormatError, match="没有写年份"):
        parsed("3月5日,南湖大桥项目党支部召开2023年度第一届工作总结会。全体党员参加此次会议。")


def test_a_months_activity_named_with_its_year_dates_a_meeting_of_that_month():
    m = parsed(
        "根据校党委组织部《关于开展2024年3、4月份党支部主题党日活动的通知》,4月18日下午,"
        "机电学院教工第三支部在实训楼B205会议室开展3、4月份主题党日活动。"
    )
    assert m.date == dt.date(2024, 4, 18)
    assert any("活动名称「2024年3、4月份党支部主题党日」" in w for w in m.warnings)


@pytest.mark.parametrize(
    "text",
    [
        # the named months do not include the meeting's
        "根据《关于开展2023年12月份党支部主题党日活动的通知》,2月23日,教工第三支部开展主题党日活动。",
        # a month named in what was said, not an activity of the meeting's kind
        "1月10日,教工第三支部召开支部党员大会,总结了2023年1月份以来的工作。",
    ],
)
def test_a_month_named_with_a_year_elsewhere_gives_no_year(text):
    with pytest.raises(NoteFormatError, match="没有写年份"):
        parsed(text)


# --- the topic ---------------------------------------------------------------------------------


def test_a_lectures_stated_title_wins_over_the_headlines_slogan():
    m = parsed(
        "青苗幼儿园开展“喜迎七一”专题党课活动\n"
        "2024年6月28日,青苗幼儿园党支部开展专题党课学习活动。"
        "党支部书记岑雨同志开展了题为《守住教育初心》的党课。"
    )
    assert m.topic == "守住教育初心"


def test_two_lectures_with_two_titles_give_no_topic():
    m = parsed(
        "青苗幼儿园开展“喜迎七一”专题党课活动\n"
        "2024年6月28日,青苗幼儿园党支部开展专题党课学习活动。"
        "党支部书记岑雨同志开展了题为《守住教育初心》的党课。宣传委员骆青同志开展了题为《党章学习》的党课。"
    )
    assert m.topic == ""


def test_the_headlines_slogan_stays_the_topic_when_nothing_is_stated():
    m = parsed(
        "青苗幼儿园开展“喜迎七一”专题党课活动\n2024年6月28日,青苗幼儿园党支部书记岑雨为党员讲授专题党课。"
    )
    assert m.topic == "喜迎七一"


def test_a_quote_inside_a_longer_name_is_no_theme():
    text = "2024年3月15日,南屏研究所党支部召开学习领会党的“二十届三中全会”会议精神专题组织生活会。"
    assert parsed(text).topic == ""
    assert phrases.quoted_theme(text, ("组织生活会", "专题组织生活会")) == ""


def test_a_quote_before_the_meetings_own_name_is_still_its_theme():
    text = "2024年3月15日,南屏研究所党支部召开“学习二十届三中全会精神”专题组织生活会。"
    assert parsed(text).topic == "学习二十届三中全会精神"


def test_an_item_of_a_list_of_what_was_said_is_no_theme():
    text = (
        "2024年2月20日,城东供水项目党支部召开支部党员大会,会议由支部书记龚小川主持。"
        "会议从年度目标、“党建+安全生产”主题活动、宣传工作三个方面部署了全年工作。"
    )
    assert parsed(text).topic == ""


def test_a_theme_activity_of_its_own_keeps_its_theme():
    text = "2024年2月20日,城东供水项目党支部开展“党建+安全生产”主题活动,会议由支部书记龚小川主持。"
    assert phrases.quoted_theme(text, ("主题党日",)) == "党建+安全生产"


# --- whose meeting ------------------------------------------------------------------------------


def test_the_members_meeting_of_an_organisation_with_a_party_committee_is_refused():
    with pytest.raises(NoteFormatError, match="桂园社区党委的党员大会.*非支部会议"):
        parsed(
            "2024年12月18日下午,桂园社区召开年终党员大会,社区党员代表、居民代表参加会议。"
            "会议由社区第一党支部书记郑婉清主持。桂园社区党委书记曹立群代表社区党委作年度述职。"
        )


@pytest.mark.parametrize(
    "text",
    [
        # a village without a 党委 named: its 党员大会 is its branch's
        "2024年12月18日下午,南湖村召开党员大会,会议由村党支部书记郑婉清主持。",
        # a branch of the community convenes it
        "2024年12月18日下午,桂园社区第一党支部召开党员大会。社区党委书记曹立群出席。",
        # the branch is in the meeting's name
        "2024年12月18日,南湖大桥项目召开2024年第一届支部党员大会。南湖项目党委书记曹立群出席。",
    ],
)
def test_a_branchs_members_meeting_stays_filed(text):
    assert parsed(text).type.name == "支部党员大会"


# --- a date that lost its 年 and 月 --------------------------------------------------------------


def test_a_dropped_date_with_one_reading_is_read_when_the_report_has_no_other_date():
    m = parsed("2024415日下午,研究生第二党支部在明德楼C210召开支部大会,会议由支部书记樊景行主持。")
    assert m.date == dt.date(2024, 4, 15)
    assert "日期「2024415日下午」缺了字，读作2024年4月15日，请核对" in m.warnings


@pytest.mark.parametrize(
    "text",
    [
        "2024112日下午,研究生第二党支部在明德楼C210召开支部大会。",  # 1月12日 or 11月2日
        "研究生第二党支部召开支部大会\n发布日期:2023-05-06\n2024415日下午,研究生第二党支部在明德楼C210召开支部大会。",  # a byline of another year
    ],
)
def test_a_dropped_date_with_two_readings_or_a_contradicting_date_is_not_read(text):
    with pytest.raises(NoteFormatError):
        parsed(text)


def test_several_branches_each_meeting_are_refused_for_that_when_the_page_broke_the_date_over_lines():
    with pytest.raises(NoteFormatError, match="多个支部"):
        parsed(
            "按照学院党委工作部署,\n3月\n21日\n上午,化工系党总支教工第一党支部、教工第二党支部、"
            "学生第一党支部分别召开了专题组织生活会。各党支部书记分别主持会议。"
        )


def test_one_branch_after_a_broken_date_is_not_several():
    # one branch: not refused as several (the broken date is still not read as the meeting's)
    with pytest.raises(NoteFormatError, match="缺少会议时间"):
        parsed("按照学院党委工作部署,\n2024年3月\n21日\n上午,化工系教工第一党支部召开了专题组织生活会。")
