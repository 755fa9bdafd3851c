"""Notes in the shapes of published meeting reports (docs/notes-patterns.md): each catalogued
phrasing read to the value it states, never to a value it does not; and a 组织生活会 held as the
民主评议党员 too, filed once and counted for both. Names and places are invented."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from openpyxl import load_workbook

from pipeline.errors import NoteFormatError
from pipeline.ingest.names import normalize_name, plausible_name, split_names
from pipeline.ingest.note import parse_note
from tests.support.term import AFTER_TERM, LEDGER, TERM, TERM_DIR


def parsed(text: str, name: str = "笔记.txt"):
    return parse_note(text.strip() + "\n", name)


# --- who -------------------------------------------------------------------------------------------

CHAIRS = [
    ("2024年3月28日下午，建工系党支部召开支部党员大会，支书滕雨桐同志主持。", "滕雨桐"),
    ("2024年9月26日，物流系党支部召开支委会，严可期支部书记主持。", "严可期"),
    ("2024年9月24日，第三党小组召开学习会，会议由樊一诺担任主持。", "樊一诺"),
    ("2024年10月15日，在综合楼612召开支委会，主持人郝明川宣读了通知。", "郝明川"),
    ("2024年5月9日，会议由宣传委员付雨琦主持，支部党员参加。党员大会讨论了工作。", "付雨琦"),
    ("2024年5月9日，支部召开党员大会，主持人宣布会议开始。", ""),  # no name: blank, never "宣布会"
]


@pytest.mark.parametrize(("text", "chair"), CHAIRS)
def test_the_chair_is_a_name_next_to_the_verb_or_blank(text, chair):
    m = parsed(text)
    assert m.chair == chair
    if not chair:
        assert "主持人：未能确定，请核对" in m.warnings


LECTURERS = [
    (
        "2024年5月30日，支部书记欧阳岚以《在教学一线践行初心使命》为题讲授专题党课。",
        "欧阳岚",
        "在教学一线践行初心使命",
    ),
    (
        "2024年11月6日14:00，财会系党支部组织党课学习，由冉子期同志讲授，题目为“廉洁从教的底线与高线”。",
        "冉子期",
        "廉洁从教的底线与高线",
    ),
    (
        "2024年4月25日下午，藝術系黨支部舉行黨課。支部書記林曉嵐為大家上了一堂生動的黨課，主題是“以美育人”。",
        "林曉嵐",
        "以美育人",
    ),
    ("2024年6月4日，校组织部长蒲文远为建工系全体党员师生上专题党课。", "蒲文远", ""),
]


@pytest.mark.parametrize(("text", "lecturer", "topic"), LECTURERS)
def test_the_lecturer_is_never_a_function_word(text, lecturer, topic):
    m = parsed(text)
    assert m.type.name == "党课"
    assert m.lecturer == lecturer
    assert m.topic == topic


def test_recorder_in_prose():
    m = parsed("2024年10月15日上午10:00，在综合楼612召开支委会。主持人郝明川宣读通知，委员俞晓棠作记录。")
    assert (m.chair, m.recorder) == ("郝明川", "俞晓棠")


def test_talk_with_several_partners():
    m = parsed("2024年7月5日下午，支部书记宁秋白在系办公室对晏书航等3名同志进行了谈心谈话。")
    assert (m.type.name, m.talker, m.talk_partner, m.place) == (
        "谈心谈话",
        "宁秋白",
        "晏书航等3名同志",
        "系办公室",
    )


# --- names -----------------------------------------------------------------------------------------


def test_names_copied_from_wechat_are_one_person_each():
    assert normalize_name("\u200b夏\u3000渊\ufeff") == "夏渊"
    assert split_names("夏 渊、\u200b单\u2060瑶，季　川") == ["夏渊", "单瑶", "季川"]
    assert split_names("学院党委组织员 陈卫东、宣传委员 邹宁") == ["学院党委组织员陈卫东", "宣传委员邹宁"]
    m = parsed(
        "会议类型：支委会\n时间：2024年9月10日\n主持人：\u200b单 瑶\n出席人员：\u200b单 瑶、季\u3000川\n列席：学院党委组织员 陈卫东"
    )
    assert (m.chair, m.attendees, m.observers) == ("单瑶", ["单瑶", "季川"], ["学院党委组织员陈卫东"])


@pytest.mark.parametrize("word", ["为大家", "党的基层", "宣布本", "师生", "全体党员", "主持人", "会的7名"])
def test_words_that_are_no_names(word):
    assert not plausible_name(word)


# --- counts ----------------------------------------------------------------------------------------


def test_a_group_with_its_counts_in_brackets():
    m = parsed("会议类型：支部党员大会\n时间：2024年4月18日\n参加人员：支部全体党员（应到14人，实到13人）")
    assert (m.expected, m.present, m.attendees, m.attendee_group) == (14, 13, [], "支部全体党员")


@pytest.mark.parametrize(
    ("sentence", "expected", "present"),
    [
        ("应到党员 40 名，实到 37 名", 40, 37),
        ("支部29名党员，出席会议23人", 29, 23),
        ("共有14名党员参加了本次活动", None, 14),  # 14 came: the branch's size is not stated
        ("近60人参加，其中有入党积极分子", None, None),  # approximate: no count
        ("50余名党员参加", None, None),
        ("此次会议共十三人参加，一人因病缺席", None, 13),  # 14 is a sum the text does not write
    ],
)
def test_counts_in_running_text(sentence, expected, present):
    m = parsed(f"2024年3月12日下午，机电系党支部召开党员大会，{sentence}。")
    assert (m.expected, m.present) == (expected, present)


# --- when ------------------------------------------------------------------------------------------


def test_a_publication_stamp_gives_the_year_never_the_time():
    m = parsed(
        "第六党支部召开成立大会\n\n2023-11-02 15:26\n\n10月30日上午，第六党支部召开支部成立大会。会议由蓝星河主持。"
    )
    assert (m.type.name, m.date, m.time, m.chair) == ("支部党员大会", dt.date(2023, 10, 30), None, "蓝星河")


def test_a_year_in_the_meetings_name_but_never_a_review_year():
    m = parsed(
        "外语系党支部召开2023年下半年支部党员大会\n12月14日下午，外语系党支部在博文楼外二支部党员活动室召开大会。"
    )
    assert (m.date, m.place) == (dt.date(2023, 12, 14), "博文楼外二支部党员活动室")
    with pytest.raises(NoteFormatError, match="没有写年份"):
        parsed("3月16日下午，园林系党支部召开2023年度组织生活会，支部书记晏可馨主持会议。")


def test_a_date_in_a_quoted_speech_is_not_the_meetings():
    with pytest.raises(NoteFormatError, match="没有写年份"):
        parsed("3月12日下午，园艺系党支部召开党员大会。书记闵小禾指出：“2019年10月1日那天我们看阅兵。”")


def test_mixed_zero_year_and_evening_hours():
    m = parsed("二0二三年十月二十六日晚7点，老干部党支部在镇文化站二楼活动室开展主题党日活动。")
    assert (m.date, m.time, m.place) == (dt.date(2023, 10, 26), dt.time(19, 0), "镇文化站二楼活动室")
    assert parsed("会议类型：支委会\n时间：2024年6月20日晚6:00").time == dt.time(18, 0)


# --- which meeting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2024年5月16日，数学系学生党支部召开预备党员转正大会。此前支委会已审查材料。", "支部党员大会"),
        ("2023年10月30日，社区党支部召开党员大会，进行了党支部委员会换届选举。", "支部党员大会"),
        ("2023年11月28日，化工系学生第二党支部召开发展讨论大会。", "支部党员大会"),
        ("2024年4月1日，新设的第九党支部召开支部成立大会。", "支部党员大会"),
        ("会议名称：支委及党小组组长会议\n时间：2024年3月4日", "支委会"),
        ("2019年11月4日，财经委党支部开展“开展谈心谈话 沟通从心开始”主题党日活动。", "主题党日"),
    ],
)
def test_meeting_names_of_published_records(text, kind):
    assert parsed(text).type.name == kind


def test_a_notice_is_refused():
    with pytest.raises(NoteFormatError, match="会议通知"):
        parsed("各位党员：\n定于2024年12月5日下午3:00在明德楼201召开支部党员大会，请准时参加。")


# --- both types --------------------------------------------------------------------------------------

JOINT = """
2024年12月17日上午，电子信息系党支部在实训楼六楼会议室召开2024年度组织生活会暨民主评议党员大会。
会议由支部书记葛振川主持，应到党员19人，实到18人，樊若冰同志因病请假。
"""


def test_a_joint_meeting_is_read_as_both():
    m = parsed(JOINT)
    assert (m.type.name, m.also_types) == ("组织生活会", ("民主评议党员",))
    assert parsed("会议类型：组织生活会暨民主评议党员\n时间：2024年12月17日").also_types == ("民主评议党员",)
    assert parsed("2024年12月17日，支部召开组织生活会，传达文件。").also_types == ()


def test_a_joint_meeting_is_filed_once_and_counted_for_both(ws):
    ws.drop("组织生活会暨民主评议.txt", JOINT)
    ran = ws.run(ok=True)
    docs = [p for p in (ws.root / "outbox").rglob("*.docx") if "原始材料" not in p.parts]
    assert len(docs) == 1 and "组织生活会" in docs[0].parts, ran.output
    with sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3") as db:
        assert db.execute("SELECT meeting_type, also_types FROM outputs WHERE kind='minutes'").fetchall() == [
            ("组织生活会", "民主评议党员")
        ]
    status = json.loads(
        ws("status", "-w", ws.root, "--term", TERM, "--date", AFTER_TERM, "--json", ok=True).output
    )
    assert status["counts"] == {"组织生活会": 1, "民主评议党员": 1} and status["total"] == 1
    assert not {m["activity"] for m in status["missing"]} & {"组织生活会", "民主评议党员"}
    ws("batch", "-w", ws.root, "--term", TERM, "--date", AFTER_TERM, ok=True)
    wb = load_workbook(ws.root / TERM_DIR / LEDGER)
    for sheet in ("组织生活会", "民主评议党员"):
        cells = [str(c.value) for row in wb[sheet].iter_rows() for c in row if c.value]
        assert any("2024-12-17" in c or "2024年12月17日" in c for c in cells), sheet


def test_check_shows_every_line_the_document_carries(ws, tmp_path):
    note = tmp_path / "2024 党课.txt"
    note.write_text(LECTURERS[0][0] + "\n", encoding="utf-8")
    shown = ws("check", "-w", ws.root, note, ok=True).output
    assert "主 讲 人：欧阳岚" in shown and "会议名称：在教学一线践行初心使命" in shown
    assert "地　　点：（空白，需手填）" in shown  # a line left for the pen is named as such
    lines = json.loads(ws("check", "-w", ws.root, "--json", note, ok=True).output)["files"][0]["documents"][
        0
    ]["lines"]
    assert "主 讲 人：欧阳岚" in lines


def test_phrasings_met_again_in_records_from_other_branches():
    # A cohort in the file name is no year; the byline gives it.
    m = parsed(
        "发布时间：2019-10-24\n10月15日，化院2018硕第二党支部开展“青春心向党”主题党日活动。",
        "2018硕第二党支部主题党日.txt",
    )
    assert (m.date, m.topic) == (dt.date(2019, 10, 15), "青春心向党")
    # 担任主持人; a place after 我校; a theme quoted before 的主题党日.
    m = parsed("2017年10月20日下午，全体党员参加党支部换届选举会议，由集团公司党委书记祁望舒担任主持人。")
    assert (m.type.name, m.chair) == ("支部党员大会", "祁望舒")
    assert (
        parsed("2024年5月12日晚，学生第四党支部于我校东校区清源楼B201召开支委会。").place
        == "东校区清源楼B201"
    )
    m = parsed(
        "经常性开展谈心谈话是组织生活的重要形式。2019年11月4日，财经委党支部进行了一次“沟通从心开始”的主题党日活动。"
    )
    assert (m.type.name, m.topic) == ("主题党日", "沟通从心开始")
