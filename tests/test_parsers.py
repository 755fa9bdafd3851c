"""Unit tests of the note parsers: dates, name lists, encodings, note fields, meeting types."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import DateFormatError, NoteFormatError, UnknownMeetingTypeError, UnreadableFileError
from pipeline.ingest.dates import parse_date, parse_datetime
from pipeline.ingest.names import split_absences, split_names
from pipeline.ingest.note import parse_note
from pipeline.ingest.textfile import decode_text
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.checks import check_meeting
from pipeline.records.types import resolve_meeting_type


@pytest.mark.parametrize(
    "text",
    [
        "2024年5月10日",
        "2024-05-10",
        "2024.5.10",
        "2024/5/10",
        "２０２４年５月１０日",
        " 2024 年 5 月 10 日（星期五）",
        "20240510",
    ],
)
def test_dates_as_people_type_them(text):
    assert parse_date(text) == dt.date(2024, 5, 10)


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("2024年5月10日 14:30", dt.time(14, 30), None),
        ("2024年5月10日下午2:30", dt.time(14, 30), None),
        ("2024-05-10 下午2:30-4:00", dt.time(14, 30), dt.time(16, 0)),
        ("2024.5.10 上午9点", dt.time(9, 0), None),
        ("2024/5/10 14时30分", dt.time(14, 30), None),
        ("2024年5月10日（星期五）下午2点半", dt.time(14, 30), None),
        ("2024年5月10日", None, None),
    ],
)
def test_optional_times(text, start, end):
    day, t0, t1 = parse_datetime(text)
    assert (day, t0, t1) == (dt.date(2024, 5, 10), start, end)


def test_impossible_date_is_named():
    with pytest.raises(DateFormatError) as exc:
        parse_date("2024年2月30日")
    assert "2024年2月30日" in str(exc.value) and "不存在" in str(exc.value)


def test_unrecognizable_date():
    with pytest.raises(DateFormatError, match="无法识别日期"):
        parse_date("下周三")


@pytest.mark.parametrize(
    "text", ["张三、李四，王五;赵六 孙七", "张三,李四；王五 赵六、孙七", "张三　李四 王五、赵六;孙七。"]
)
def test_name_lists(text):
    assert split_names(text) == ["张三", "李四", "王五", "赵六", "孙七"]


def test_name_list_drops_counts_and_none():
    assert split_names("张三、李四（共2人）") == ["张三", "李四"]
    assert split_names("无") == []


def test_absences_with_reasons():
    absences = split_absences("张伟（出差）、李娜(病假)，王芳【公出】、刘洋")
    assert [(a.name, a.reason) for a in absences] == [
        ("张伟", "出差"),
        ("李娜", "病假"),
        ("王芳", "公出"),
        ("刘洋", ""),
    ]
    assert split_absences("无") == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gbk", "gb18030"])
def test_encodings_of_a_chinese_windows_pc(encoding):
    text = "会议类型：支委会\n时间：2024年10月8日\n会议内容：\n讨论发展对象，“双带头人”工作室。\n"
    assert decode_text(text.encode(encoding), "x.txt") == text


def test_binary_junk_is_not_a_note():
    with pytest.raises(UnreadableFileError):
        decode_text(bytes(range(256)) * 20, "junk.txt")
    with pytest.raises(UnreadableFileError, match="空"):
        decode_text(b"  \n", "empty.txt")


NOTE = """汽车运用工程系党支部会议记录
会议类型：支部委员会会议
会议主题：讨论发展对象
时间：2024年10月8日 下午2:30-4:00
地点：行政楼302
主持人：沈轶娜
记录人：缪巧军
应到人数：４
实到人数：3人
参会人员：沈轶娜、夏渊、缪巧军
缺席人员：张伟（出差）
列席人员：李明
议题：
1. 讨论确定发展对象
2、学习《支部工作条例》
（3）其他
会议内容：
沈轶娜传达了通知。
发言记录：
夏渊：同意。
决议：
同意李明同志为发展对象（赞成3票，反对0票，弃权0票）。
"""


def test_full_note():
    m = parse_note(NOTE, "n.txt")
    assert m.type.name == "支委会"
    assert m.date == dt.date(2024, 10, 8) and m.time == dt.time(14, 30) and m.end_time == dt.time(16, 0)
    assert (m.topic, m.place, m.chair, m.recorder) == ("讨论发展对象", "行政楼302", "沈轶娜", "缪巧军")
    assert m.attendees == ["沈轶娜", "夏渊", "缪巧军"] and m.observers == ["李明"]
    assert [(a.name, a.reason) for a in m.absentees] == [("张伟", "出差")]
    assert (m.expected, m.present) == (4, 3)
    assert m.agenda == ["讨论确定发展对象", "学习《支部工作条例》", "其他"]
    assert [s.title for s in m.sections] == ["会议内容", "发言记录", "决议"]
    assert m.sections[1].paragraphs == ("夏渊：同意。",)
    assert check_meeting(m) == []


def test_half_width_colons_and_markdown():
    m = parse_note(
        "## 记录\n- **会议类型**: 党课\n- **时间**: 2024-11-20\n- **主讲人**: 沈轶娜\n\n## 党课内容\n讲授内容。\n",
        "a.md",
    )
    # 主讲人 is the lecturer, not the chair.
    assert (m.type.name, m.date, m.lecturer, m.chair) == ("党课", dt.date(2024, 11, 20), "沈轶娜", "")
    assert m.sections[0].title == "党课内容"


def test_type_from_file_name_and_aliases():
    m = parse_note("时间：2024年9月3日\n会议内容：\n学习。\n", "2024-09-03 主题党日活动.txt")
    assert m.type.name == "主题党日"
    for alias, canonical in [
        ("党员大会", "支部党员大会"),
        ("支部大会", "支部党员大会"),
        ("小组会", "党小组会"),
        ("书记讲党课", "党课"),
        ("党日活动", "主题党日"),
        ("专题组织生活会", "组织生活会"),
        ("民主评议", "民主评议党员"),
        ("谈心", "谈心谈话"),
        ("支委会议", "支委会"),
    ]:
        assert resolve_meeting_type(alias, exact=True).name == canonical


def test_date_from_file_name_when_header_lacks_it():
    m = parse_note("会议类型：支委会\n会议内容：\n讨论。\n", "2024-10-08支委会.txt")
    assert m.date == dt.date(2024, 10, 8)


def test_missing_date_is_rejected_with_reason():
    with pytest.raises(NoteFormatError, match="缺少会议时间"):
        parse_note("会议类型：支委会\n主持人：沈轶娜\n", "记录.txt")


def test_missing_type_is_rejected_with_reason():
    with pytest.raises(NoteFormatError, match="无法确定会议类型"):
        parse_note("时间：2024年10月8日\n主持人：沈轶娜\n", "记录.txt")


def test_unknown_type_names_the_line():
    with pytest.raises(UnknownMeetingTypeError) as exc:
        parse_note("会议类型：茶话会\n时间：2024年10月8日\n", "x.txt")
    assert "茶话会" in str(exc.value) and "第1行" in str(exc.value)


def test_contradictory_fields():
    with pytest.raises(NoteFormatError, match="写了两次"):
        parse_note("会议类型：支委会\n时间：2024年10月8日\n时间：2024年10月9日\n", "x.txt")


def test_talk_record_fields():
    m = parse_note(
        "会议类型：谈心谈话\n谈话时间：2024年11月5日\n谈话人：沈轶娜\n谈话对象：张伟\n谈话内容：\n了解情况。\n",
        "t.txt",
    )
    assert (m.talker, m.talk_partner, m.title) == ("沈轶娜", "张伟", "沈轶娜与张伟谈话")


def test_quorum_warning_for_party_congress():
    m = parse_note(
        "会议类型：支部党员大会\n时间：2024年10月8日\n应到人数：12\n参会人员：甲、乙、丙、丁、戊、己\n",
        "x.txt",
    )
    warnings = check_meeting(m)
    assert any("未达到" in w and "法定人数" in w for w in warnings)  # 6 of 12 is not more than half


def test_committee_quorum_is_at_least_half():
    m = parse_note("会议类型：支委会\n时间：2024年10月8日\n应到人数：4\n参会人员：甲、乙\n", "x.txt")
    assert check_meeting(m) == []  # 2 of 4 is half: enough for 支委会


def test_terms_from_dates():
    cal = TermCalendar()
    assert cal.term_of(dt.date(2024, 9, 1)) == Term(2024, 1)
    assert cal.term_of(dt.date(2025, 1, 15)) == Term(2024, 1)
    assert cal.term_of(dt.date(2025, 3, 1)) == Term(2024, 2)
    assert cal.term_of(dt.date(2025, 8, 31)) == Term(2024, 2)
    assert Term.parse("2024-2025-1").label == "2024—2025学年第一学期"
    explicit = TermCalendar(explicit=(("2024-2025-2", dt.date(2025, 1, 20), dt.date(2025, 7, 10)),))
    assert explicit.term_of(dt.date(2025, 1, 25)) == Term(2024, 2)
