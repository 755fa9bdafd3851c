"""Recall without losing precision (docs/notes-patterns.md, the entries marked ⁵): half-width punctuation,
online platforms, outings, meetings named by their number or business, the clock in the next clause,
a secretary's 党课, and the new refusals (a 请示 headline, a template, a series, a 党委's congress).
Each rule is tested with the shape it reads and with a shape next to it that it must leave alone.
Names and places are invented."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import NoteFormatError
from pipeline.ingest.names import plausible_name
from pipeline.ingest.notes import kinds, phrases, prose
from pipeline.ingest.notes.counts import counts
from pipeline.ingest.notes.scan import reading
from tests.test_notes_published import parsed

# --- reading the text ---------------------------------------------------------------------------


def test_half_width_punctuation_is_read_like_full_width_and_maps_back_one_for_one():
    text = "2024年5月8日下午,化工系党支部在实验楼(东)204召开会议;14:30开始"
    read = reading(text)
    assert len(read) == len(text)
    assert read == "2024年5月8日下午，化工系党支部在实验楼（东）204召开会议；14:30开始"
    m = parsed(
        "2024年5月8日下午,化工系党支部在实验楼204召开支部党员大会,会议由支部书记邝雨桐主持,应到党员15名,实到14名。"
    )
    assert (m.place, m.chair, m.expected, m.present) == ("实验楼204", "邝雨桐", 15, 14)


def test_a_values_punctuation_stays_as_written():
    m = parsed("2024年3月5日下午3点,2201党支部开展主题党日活动。活动主题为“党员在行动,守护有担当”。")
    assert m.topic == "党员在行动,守护有担当"


# --- which activity ----------------------------------------------------------------------------

TYPES = [
    ("2024年3月5日,青枫幼儿园党支部开展了党员固定日活动。", "主题党日"),
    ("2024年6月12日,药学院学生党支部召开预备党员吸收大会。", "支部党员大会"),
    ("2024年6月12日,药学院学生党支部召开纳新大会,讨论接收预备党员。", "支部党员大会"),
    ("2024年9月2日,城建系全体党员在系办公室召开了新学年第一次支部会议。", "支部党员大会"),
    (
        "2024年2月27日,经管第二学生党支部开展了本学期第一次会议。支部全体党员和预备党员参加了会议。",
        "支部党员大会",
    ),
]


@pytest.mark.parametrize(("text", "kind"), TYPES)
def test_meetings_named_by_their_number_or_business(text, kind):
    assert parsed(text).type.name == kind


def test_a_general_name_without_the_business_or_all_members_names_no_meeting():
    # A branch's "第一次会议" that gathers only its committee is no 支部党员大会.
    assert kinds.reported_in(["2024年2月27日,经管第二学生党支部开展了本学期第一次会议,支委参加。"]) is None
    # An enlarged meeting of a party committee gathering all members is no branch's 党员大会.
    assert kinds.reported_in(["2024年2月27日,学院党委召开扩大会议,全体党员参加。"]) is None


def test_the_branchs_formal_name_is_no_committee_meeting():
    with pytest.raises(NoteFormatError, match="无法确定会议类型"):
        parsed("2024年4月22日下午,中共青川第三医院支部委员会召开民主座谈会,讨论本年度发展对象。")
    assert parsed("2024年4月22日下午,青川医院党支部召开支部委员会,讨论发展对象。").type.name == "支委会"


def test_the_coming_meeting_named_as_the_subject_of_a_study_is_not_the_meeting():
    m = parsed(
        "柳湾幼儿园党支部开展2023年度组织生活会专题学习\n3月1日下午,柳湾幼儿园党支部召开全体党员大会。\n"
        "发布日期:2024-03-04 10:12:33"
    )
    assert m.type.name == "支部党员大会"
    assert kinds.named_in("召开2023年度组织生活会").name == "组织生活会"


def test_the_report_naming_this_meeting_further_down():
    assert (
        kinds.this_meeting(["会上学习了条例。", "通过本次主题党日学习活动,大家明确了要求。"]).name
        == "主题党日"
    )
    # Two different names, or none: nothing is read.
    assert kinds.this_meeting(["本次党课很生动。", "此次支委会研究了议题。"]) is None
    assert kinds.this_meeting(["本次学习收获很大。"]) is None


def test_lines_that_are_no_sentences_do_not_hide_the_report():
    m = parsed(
        "中秋话团圆\n社区党建 2024年1期\n关键词:中秋社区党员\n活动时间:2023年9月27日\n"
        "活动纪略:党支部在党员活动阵地组织开展以“月圆话初心”为主题的党日活动,居民代表一起观看了宣传片。"
    )
    assert (m.type.name, m.date) == ("主题党日", dt.date(2023, 9, 27))


# --- refused ------------------------------------------------------------------------------------

REFUSED = [
    (
        "水务站党支部换届选举请示\n我支部拟于12月6日召开党员大会进行换届选举。\n以上请示如无不妥,请批复。",
        "请示",
    ),
    (
        "转正大会议程参考\nXXXX党支部组织生活议程\n一、会议时间:\n二、会议议程\n1、党员投票表决。\n20xx.x.x",
        "空白模板",
    ),
    (
        "东港法庭开展系列活动迎接建党节\n书记讲党课。3月12日,法庭党支部书记给全体干警讲了党课。\n"
        "参观教育基地。4月9日,法庭组织干警参观了纪念馆。\n发布时间:2024-06-20",
        "一系列活动",
    ),
    (
        "2024年9月20日下午,中国共产党青岚中学党员大会在学校报告厅召开。大会选举新一届的党委委员。",
        "党委（或党总支）的党员大会",
    ),
]


@pytest.mark.parametrize(("text", "said"), REFUSED)
def test_records_of_no_branch_meeting_are_refused_with_what_was_found(text, said):
    with pytest.raises(NoteFormatError, match=said):
        parsed(text)


def test_what_looks_like_them_but_is_a_branchs_record_is_filed():
    # A dated report with an anonymised branch is no template.
    assert parsed("2024年10月9日,××党支部在行政楼302召开支委会。").type.name == "支委会"
    # A headline naming one of the eight inside a series.
    assert (
        parsed("机电系开展七一系列活动之主题党日\n2024年7月1日,机电系党支部开展主题党日活动。").type.name
        == "主题党日"
    )
    # A branch's 党员大会 that elects its delegates is the branch's.
    m = parsed("2024年9月20日,机关第一党支部召开党员大会,选举出席校第三次党代会的代表。")
    assert m.type.name == "支部党员大会"


# --- when ---------------------------------------------------------------------------------------


def test_the_clock_in_the_clause_after_a_date_standing_alone():
    m = parsed("2024年7月1日,上午8时,在桂园社区党员活动室,召开主题党日动员会。")
    assert (m.date, m.time, m.place) == (dt.date(2024, 7, 1), dt.time(8, 0), "桂园社区党员活动室")


def test_the_clock_opening_the_next_sentence_only_when_the_date_says_none():
    m = parsed("2023年10月27日,数理学院教工党支部开展观影主题党日活动。18:30,党员们在大礼堂集合。")
    assert m.time == dt.time(18, 30)
    m = parsed("2023年10月27日下午,数理学院教工党支部开展主题党日活动。18:30,大家又观看了影片。")
    assert m.time is None  # 下午 said, no clock for it: the later clock is another part
    m = parsed("2023年10月27日,数理学院教工党支部开展主题党日活动。18:30以后,大家观看了影片。")
    assert m.time is None  # the clause says more than a clock


def test_page_stamps_after_the_headline_and_on_a_date_line():
    m = parsed("区档案馆党支部召开专题组织生活会 2024-01-22\n1月19日上午,区档案馆党支部召开专题组织生活会。")
    assert m.date == dt.date(2024, 1, 19)
    m = parsed(
        "信息科组织参观成就展\n日期: 2023年12月20日 09:13\n信息科党支部于12月13日组织开展主题党日活动。"
    )
    assert m.date == dt.date(2023, 12, 13)
    # A heading's date with no date in the report stays the meeting's.
    assert parsed("支委会 2024-03-06\n会议研究了发展对象。").date == dt.date(2024, 3, 6)


def test_the_year_of_a_series_and_of_a_numbered_meeting():
    m = parsed(
        "3月28日,办公室党支部开展主题党日活动。本次活动是办公室党支部2024年“再走红色路”主题系列党日活动首站。"
    )
    assert m.date == dt.date(2024, 3, 28)
    m = parsed("新媒体中心党支部2024年第一次全体党员大会\n3月29日,新媒体中心党支部召开全体党员大会。")
    assert m.date == dt.date(2024, 3, 29)
    with pytest.raises(NoteFormatError, match="没有写年份"):
        parsed("3月28日,办公室党支部开展“2024清明祭英烈”主题党日活动。")  # a campaign's name


# --- people -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "plausible"),
    [
        ("鱼晓峰", True),
        ("代雨晴", True),
        ("洪子墨", True),
        ("高加加", True),
        ("卓家豪", True),
        ("门党委", False),
        ("王大家", False),
        ("李主持", False),
        ("候选人", False),
    ],
)
def test_rare_surnames_and_given_names_that_look_like_words(name, plausible):
    assert plausible_name(name) == plausible


def test_a_lecturer_before_在_and_a_student_chair():
    m = parsed("2024年12月3日槐溪小学党支部书记卓家豪在为全体党员上了一堂生动的党课。")
    assert m.lecturer == "卓家豪"
    assert parsed("2024年2月27日,经管第二党支部召开支部党员大会,会议由滕若溪同学主持。").chair == "滕若溪"


def test_a_secretarys_lecture_names_the_secretary_when_there_is_one():
    text = "审计科开展支部书记讲党课。会上,苗景行书记围绕审计工作展开来讲。最后,苗书记强调要服务师生。"
    assert prose.lecturer(text)[0] == "苗景行"
    # Two secretaries named, or the one named chairing the 党课: no lecturer is read.
    assert prose.lecturer(text + "学院党委书记方以宁出席。")[0] == ""
    assert prose.lecturer("举行了支部书记讲党课活动。党课由党支部书记张典章同志主持,全体党员参加。")[0] == ""
    # 总书记 and a deputy are no branch secretary.
    assert (
        prose.lecturer("开展书记讲党课。支部书记秦明远首先以总书记的讲话开篇。副书记柯一帆作总结。")[0]
        == "秦明远"
    )


LECTURERS = [
    ("邀请马克思主义学院夏知远教授为全体党员讲授党课。", "夏知远"),  # a unit before the name
    ("主讲人为支部书记濮思源同志。", "濮思源"),  # the role after 主讲人为
    ("支部书记阚一鸣同志结合自身经历，为大家讲授了一堂生动的党课。", "阚一鸣"),  # the clause before
    ("会上，为大家讲授了一堂生动的党课。", ""),  # nobody named
]


@pytest.mark.parametrize(("text", "name"), LECTURERS)
def test_lecturers_after_a_unit_a_role_or_in_the_clause_before(text, name):
    assert prose.lecturer(text)[0] == name


def test_who_sat_in_is_the_name_before_作为():
    m = parsed(
        "2024年3月12日上午,教务处党支部召开组织生活会,会议由支部书记尹若川主持,"
        "宣传部部长葛长风作为职能部门党委委员列席会议。"
    )
    assert m.observers == ["葛长风"]


def test_attendees_listed_before_the_verb_and_a_list_that_goes_on_with_groups():
    names, counted = prose.attendees("党支部书记冉秋池老师以及支部成员葛云舒、池晓岚、卜星河参加此次会议。")
    assert (names, counted) == (["冉秋池", "葛云舒", "池晓岚", "卜星河"], False)
    assert prose.attendees("院党委副书记简书遥、组织员尤明远参加会议。") == ([], False)  # two: people of note
    assert prose.attendees("参加本次会议的有书记邹清源同志，多名教工党员，12名发展对象。") == ([], False)


# --- place --------------------------------------------------------------------------------------

PLACES = [
    ("2024年5月21日,机关第三党支部组织党员到青禾科技公司开展主题党日活动。", "青禾科技公司"),
    ("2024年2月20日晚,外语系党支部通过“钉钉”平台线上召开支部党员大会。", "钉钉"),
    ("2024年2月20日晚,外语系党支部在钉钉平台召开支部党员大会。", "钉钉平台"),
    ("2024年4月15日晚上7点,国贸研究生党支部通过腾讯会议在线召开党员大会。", "腾讯会议"),
    ("2024年3月4日上午10:00,线上党员大会在学习强国平台准时召开。", "学习强国平台"),
    ("2024年3月30日,体育系党支部开展党员活动日,开展QQ语音线上会议。", "QQ语音"),
    ("2024年3月29日,新媒体中心党支部通过星河云会召开全体党员大会。", "星河云会"),
    ("2024年11月14日,第二支部党员发展大会通过钉钉视频会议成功召开。", "钉钉视频会议"),
    (
        "2024年4月28日,执法支队党支部组织党员前往中共东湾支部旧址(望海钟楼)开展主题党日活动。",
        "中共东湾支部旧址(望海钟楼)",
    ),
    (
        "2025年3月17日,后勤党支部的党员们走进滨江区社会福利院养老中心,开展了一场主题党日活动。",
        "滨江区社会福利院养老中心",
    ),
    (
        "2024年9月9日上午,服务处党支部开展党日活动,组织全体党员参观云栖坞革命纪念室,学习革命精神。",
        "云栖坞革命纪念室",
    ),
    (
        "为庆祝建党节,中心第二党支部开展主题党日活动。2024年7月2日下午,支部全体党员来到城东献血点,排队献血。",
        "城东献血点",
    ),
    (
        "2024年12月12日下午,党委副书记邱晓帆来到眼科党支部在门诊9楼小教室宣讲全会精神。本次支部党员大会由谭亦舟主持。",
        "门诊9楼小教室",
    ),
]


@pytest.mark.parametrize(("text", "place"), PLACES)
def test_platforms_outings_and_sites_visited(text, place):
    assert parsed(text).place == place


NO_PLACES = [
    "2024年3月4日,研究生党支部以视频会议形式召开支部党员大会。",  # no platform named
    "2024年4月1日,机关党支部全体党员前往四行仓库纪念馆、一大会址参观学习,开展主题党日活动。",  # two sites
    "2024年5月22日,档案馆党支部赴深圳开展主题党日活动,参观了改革开放展览馆等处。",
    "2024年6月1日,机关党支部召开支部党员大会,组织全体党员参观校史馆,学习校史。",  # a visit is no venue of a 党员大会
    "2024年6月1日,机关党支部在全校开展主题党日活动。",  # the whole school is no venue
]


@pytest.mark.parametrize("text", NO_PLACES)
def test_no_place_where_the_report_names_none_or_several(text):
    assert parsed(text).place == ""


def test_a_platform_wins_over_the_bare_word_online():
    assert phrases.place("3月29日,支部通过星河云会召开党员大会,在线上开展学习。", outing=False) == (
        "星河云会",
        False,
    )
    assert not phrases.is_place("改革开放展览馆等处")
    assert phrases.is_place("中共东湾支部旧址（望海钟楼）") and not phrases.is_place("（望海钟楼）旧址")


# --- counts and topic ---------------------------------------------------------------------------

COUNTS = [
    ("由支部书记王晓笛同志主持,支部34党员参加。", None, 34),
    ("共有31名党员参与到学习活动中,其中有13名预备党员。", None, 31),
    ("应到党员18,实到16,符合规定。", 18, 16),
    ("应到18,实到20。", None, None),  # more came than were due: no pair
    ("2021级党员参加会议", None, None),  # a cohort is no count
]


@pytest.mark.parametrize(("text", "expected", "present"), COUNTS)
def test_counts_written_without_their_unit(text, expected, present):
    found = counts(reading(text))
    assert (found.get("expected"), found.get("present")) == (expected, present)


def test_the_quoted_theme_next_to_the_meetings_own_name_wins_over_a_campaign():
    m = parsed(
        "学校号召在清明节期间开展“2024清明祭英烈”宣传教育活动。外语系第一党支部于2024年4月16日下午,"
        "在文理楼309开展了“致敬英雄”清明节网络祭扫党日活动。"
    )
    assert m.topic == "致敬英雄"
    m = parsed("2024年3月30日,体育系党支部围绕 “守初心 抓落实”的活动主题,开展了党员活动日。")
    assert m.topic == "守初心 抓落实"
