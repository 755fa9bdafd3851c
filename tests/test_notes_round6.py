"""Round 6 (docs/notes-patterns.md, the entries marked ⁶): shapes of published reports read by an
outside reader's sixth set. Each rule is tested with the shape it reads and with the shape next to it
that it must leave alone. Names and places are invented."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import NoteFormatError
from pipeline.ingest.names import plausible_name
from pipeline.ingest.notes import garbled, kinds, phrases
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


# --- who came, as a group ----------------------------------------------------------------------

GROUPS = [
    ("2024年9月26日,园艺系党支部开展主题党日活动。会议由书记范晨阳主持,全体党员参加了会议。", "全体党员"),
    (
        "2024年11月19日下午,青禾幼儿园党支部召开换届选举大会。会议由吴晓静主持,支部全体党员参加会议。",
        "支部全体党员",
    ),
    (
        "2024年4月9日,第二教工党支部组织生活会在B2-305召开,支部所有教工党员出席并参加了此次的组织生活会。",
        "支部所有教工党员",
    ),
    (
        "2024年1月12日上午,星星幼儿园党支部召开了换届选举党员大会,本次大会由周云红主持,全体党员参会。",
        "全体党员",
    ),
]


@pytest.mark.parametrize(("text", "group"), GROUPS)
def test_the_group_that_came_is_shown_as_written_and_never_counted(text, group):
    m = parsed(text)
    assert (m.attendee_group, m.attendees, m.present, m.expected) == (group, [], None, None)


def test_a_partys_audience_is_its_listeners():
    m = parsed(
        "2024年6月20日下午,农机系党支部在工程楼312室举行了专题党课,主讲人为支部副书记钱思齐同志,全体支部党员参加。"
    )
    assert (m.listeners, m.attendee_group) == ("全体支部党员", "全体支部党员")


NOT_GROUPS = [
    # Someone besides the group: the clause is no group.
    "2024年9月26日,园艺系党支部召开党员大会,学院党委书记范晨阳及全体党员参加了会议。",
    # What members did besides attending the meeting.
    "2024年9月26日,园艺系党支部召开党员大会。会后,全体党员参加了义务植树活动。",
    "2024年9月26日,园艺系党支部召开党员大会,全体党员参加了民主测评。",
    # A counted whole is a count (应到 = 实到), not a group.
    "2024年9月26日,园艺系党支部召开党员大会,支部全体22名党员参加。",
    # Two groups that differ: neither.
    "2024年9月26日,园艺系党支部召开党员大会,全体在职党员参加。会议第二项,全体退休党员参加了会议。",
]


@pytest.mark.parametrize("text", NOT_GROUPS)
def test_a_clause_that_is_not_wholly_the_group_coming_gives_no_group(text):
    assert parsed(text).attendee_group == ""


# --- several branches --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024年12月4日,我院本科生第三、四党支部于南湖校区8#306教室召开了学生党员接收及转正大会。",
        "2024年11月20日晚,研究生第一党支部、第二党支部、第三党支部全体支部委员在学苑楼218室共同参加了支委会。",
    ],
)
def test_a_meeting_of_several_branches_together_is_refused(text):
    with pytest.raises(NoteFormatError, match="多个支部一起开的会"):
        parsed(text)


def test_every_branch_holding_its_own_meeting_is_refused():
    with pytest.raises(NoteFormatError, match="多个支部：记的是几个支部各自召开的会议"):
        parsed("按照上级安排,院党委组织各党支部于2025年1月13日至17日召开2024年度民主评议党员会议。")


@pytest.mark.parametrize(
    "text",
    [
        # A joint 主题党日 is each branch's activity.
        "2024年5月22日下午,化工系第一党支部、材料系第二党支部在明德报告厅联合开展“红色记忆”主题党日活动。",
        # One branch's secretary and its committee members are no second branch.
        "2024年5月22日下午,化工系党支部召开支部党员大会,党支部书记和支部委员参加了会议。",
        # Another branch named in what was reported.
        "2024年5月22日下午,化工系第一党支部召开支部党员大会。会上通报了第一党支部和第二党支部合并的方案。",
    ],
)
def test_one_branchs_meeting_that_names_another_branch_is_filed(text):
    assert parsed(text).date == dt.date(2024, 5, 22)


# --- which activity ----------------------------------------------------------------------------

KINDS = [
    # The branch's formal name before 党员会议 in a headline is no 支委会; the body's 换届选举大会 is read.
    (
        "同心聚力 ——中共柳塘幼儿园支部委员会“公推直选”党员会议\n"
        "2024年11月21日下午,柳塘幼儿园党支部召开换届选举“公推直选”大会。",
        "支部党员大会",
    ),
    # A branch's 大会 of another name, counted against the quorum; a committee named later is not it.
    (
        "2025年1月16日,药学院教工第二党支部召开了2024年度工作总结及考核大会。本次大会共有21名党员出席,"
        "符合会议召开的规定人数。支部书记代表支委会作了报告。",
        "支部党员大会",
    ),
    ("2025年3月20日,后勤处教工党支部召开了2024年度党支部和党员民主测评。", "民主评议党员"),
    # 党员民主测评 held within a 组织生活会: the meeting named first.
    ("2025年3月20日,后勤处教工党支部召开组织生活会,开展党员民主测评。", "组织生活会"),
    ("2025年3月20日,后勤处党支部召开支部委员会会议,研究发展对象。", "支委会"),
]


@pytest.mark.parametrize(("text", "kind"), KINDS)
def test_meetings_named_by_the_branch_or_by_what_they_do(text, kind):
    assert parsed(text).type.name == kind


def test_a_big_meeting_without_the_members_or_of_a_party_committee_names_no_meeting():
    # No quorum, no members, no 党员大会 business: a 大会 alone is not read.
    assert kinds.reported_in(["2025年1月16日,药学院教工第二党支部召开了年度表彰大会。"]) is None
    # A 党委's 大会 that all members attend is no branch's meeting.
    assert (
        kinds.reported_in(["2025年1月16日,药学院党委召开了年度总结大会,全体党员参加,符合规定人数。"]) is None
    )
    # The 测评表 is no meeting.
    assert kinds.named_in("党员民主测评表") is None


# --- people ------------------------------------------------------------------------------------


def test_the_rare_surname_wu_is_a_name_and_the_word_around_it_is_not():
    assert (
        parsed("2024年11月29日,幼儿园党支部召开换届选举大会,大会由党支部书记兀雅琴主持。").chair == "兀雅琴"
    )
    assert not plausible_name("兀的")  # a function word is no given name


# --- a date that lost its 年 and 月 --------------------------------------------------------------

PAGE = "退休第二党支部召开组织生活会\n发布人:邵文清发稿时间:{stamp}浏览次数:31\n{date},退休第二党支部在205教室召开组织生活会。"


def test_a_date_that_lost_its_characters_is_read_when_one_reading_is_possible_and_the_page_confirms_it():
    m = parsed(PAGE.format(stamp="2024-06-05", date="2024319日上午930时"))
    assert (m.date, m.time) == (dt.date(2024, 3, 19), dt.time(9, 30))
    assert "日期「2024319日上午930时」缺了字，读作2024年3月19日 9:30，请核对" in m.warnings
    assert garbled.repair("2024年10月16日")[1] == ""  # a whole date is left as it is


@pytest.mark.parametrize(
    ("stamp", "date"),
    [
        ("2024-06-05", "2024112日上午"),  # 1月12日 or 11月2日
        ("2024-02-05", "2024319日上午"),  # published before the meeting it reports
        ("2023-06-05", "2024319日上午"),  # a page of another year
    ],
)
def test_a_date_that_lost_its_characters_is_not_read_when_two_readings_are_possible_or_unconfirmed(
    stamp, date
):
    with pytest.raises(NoteFormatError, match="缺少会议时间"):
        parsed(PAGE.format(stamp=stamp, date=date))


def test_a_clock_that_lost_its_colon_is_read_only_when_it_agrees_with_the_half_of_the_day():
    assert garbled.repair("发稿时间:2024-06-05 2024319日上午1530时,")[0].startswith(
        "发稿时间:2024-06-05 2024年3月19日上午1530时"
    )
    m = parsed(PAGE.format(stamp="2024-06-05", date="2024319日上午1530时"))
    assert (m.date, m.time) == (dt.date(2024, 3, 19), None)


def test_pinyin_a_page_printed_after_its_characters_is_dropped_and_other_brackets_stay():
    assert garbled.strip_pinyin("赴青山革命會(huì)議舊址,開展活動(dòng)") == "赴青山革命會議舊址,開展活動"
    assert garbled.strip_pinyin("在教学楼(A座)和党建室(dang)") == "在教学楼(A座)和党建室(dang)"
    m = parsed("2024年7月1日下午,公司黨支部組織黨員赴青山革命會(huì)議舊址紀念館,開展主題黨日活動(dòng)。")
    assert m.place == "青山革命會議舊址紀念館"


# --- a 党总支's meeting --------------------------------------------------------------------------


def test_the_election_of_a_general_branch_committee_is_no_branchs_meeting():
    with pytest.raises(NoteFormatError, match="党总支的会议（「总支部委员会选举大会」），非支部会议"):
        parsed(
            "2024年10月15日下午,在行政楼5楼会议室举行了中共青川职业学院机关总支部委员会选举大会,选举机关党总支委员。"
        )


@pytest.mark.parametrize(
    "text",
    [
        "2024年10月15日下午,机关第二党支部召开换届选举大会,党总支书记苗远志出席并讲话。",
        "2024年10月15日下午,机关党总支所属第三党支部召开换届选举大会,选举产生新一届支部委员会。",
    ],
)
def test_a_branchs_election_with_its_general_branch_named_is_filed(text):
    assert parsed(text).type.name == "支部党员大会"
