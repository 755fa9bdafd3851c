"""Notes as secretaries write them: labels, prose, Chinese dates, years, tables, blanks."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.chinese import cn_date, cn_ordinal, cn_to_int, digits_in_dates, section_number, to_simplified
from pipeline.config.schema import BranchSettings
from pipeline.errors import NoteFormatError, ZhibuError
from pipeline.ingest import read_input
from pipeline.ingest.names import split_names
from pipeline.ingest.note import parse_note
from pipeline.records.checks import check_meeting
from pipeline.render.minutes import MINUTES_VARIABLES, build_context

BRANCH = BranchSettings("测试党支部")


def context(text: str, name: str = "n.txt") -> dict:
    return build_context(parse_note(text, name), BRANCH, "2024—2025学年第一学期")


def test_chinese_helpers():
    assert cn_to_int("二十三") == 23 and cn_to_int("两") == 2 and cn_to_int("二〇二四") == 2024
    assert cn_to_int("主持") is None
    assert digits_in_dates("二〇二四年三月十五日下午两点半") == "2024年3月15日下午2点半"
    assert digits_in_dates("会议一致认为十分重要") == "会议一致认为十分重要"
    assert to_simplified("支委會") == "支委会"
    assert cn_date(dt.date(2024, 5, 10)) == "2024年5月10日"
    assert (cn_ordinal(12), cn_ordinal(20), section_number(3)) == ("十二", "二十", "三、")


def test_label_spellings_with_spaces_are_one_field():
    m = parse_note(
        "支委会记录\n时  间：2024年4月9日 15:00\n会议地点　：致远楼\n主 持 人：甲乙丙\n记　录　员：丁戊\n"
        "主持人：甲乙丙　　记录人：丁戊\n",
        "x.txt",
    )
    assert (m.place, m.chair, m.recorder, m.time) == ("致远楼", "甲乙丙", "丁戊", dt.time(15, 0))


def test_unknown_header_line_is_kept_and_reading_goes_on():
    c = context("会议类型：党小组会\n天  气：晴\n时间：2024年5月20日\n地点：信息楼417\n")
    assert c["其他"] == [{"标签": "天气", "内容": "晴"}]
    assert c["地点"] == "信息楼417"


def test_chinese_numeral_date_and_spoken_time():
    m = parse_note("党小组会\n时间：二〇二四年十一月五日（星期二）下午两点半\n", "x.txt")
    assert (m.date, m.time) == (dt.date(2024, 11, 5), dt.time(14, 30))


def test_prose_report():
    m = parse_note(
        "某系党支部召开专题党员大会\n\n2024年3月12日下午，某系党支部在明德楼305会议室召开支部党员大会，"
        "会议由支部书记郑雨航主持，应到党员18名，实到15人，钱晓岚因病请假，孔令博因公出差，柏春燕事假。"
        "组织委员邬建国担任记录。\n",
        "x.txt",
    )
    assert (m.type.name, m.date, m.place, m.chair, m.recorder) == (
        "支部党员大会",
        dt.date(2024, 3, 12),
        "明德楼305会议室",
        "郑雨航",
        "邬建国",
    )
    assert (m.expected, m.present) == (18, 15)
    assert [(a.name, a.reason) for a in m.absentees] == [
        ("钱晓岚", "病假"),
        ("孔令博", "出差"),
        ("柏春燕", "事假"),
    ]
    assert m.topic == "专题党员大会"


def test_byline_is_never_the_meeting_date_but_may_give_the_year():
    m = parse_note(
        "某支部召开组织生活会\n发布时间：2024-01-20　来源：某系\n1月16日下午，某支部在501会议室召开组织生活会。\n",
        "x.txt",
    )
    assert m.date == dt.date(2024, 1, 16)
    assert any("年份2024取自发布日期" in w for w in m.warnings)


def test_year_from_folder_is_stated():
    m = parse_note("会议类型：支委会\n时间：3月26日下午2:30\n", "2024秋/支委会.txt")
    assert m.date == dt.date(2024, 3, 26)
    assert "笔记只写了3月26日，年份2024取自文件夹名「2024秋」，请核对" in m.warnings
    assert parse_note("会议类型：党课\n时间：1月7日\n", "2024-2025-1/党课.txt").date == dt.date(2025, 1, 7)


def test_missing_year_is_refused_with_what_was_found():
    with pytest.raises(NoteFormatError) as exc:
        parse_note("会议类型：支委会\n时间：3月26日下午\n", "支委会.txt")
    text = exc.value.render()
    assert "写了3月26日，但没有写年份" in text and "inbox/2024秋/" in text


def test_voting_figures_kept_for_the_quorum():
    m = parse_note(
        "支部党员大会记录\n时间：2024年1月18日\n支部共有党员12人，其中正式党员11人，预备党员1人。"
        "到会有表决权的正式党员5人，孔令博因出差请假。\n",
        "x.txt",
    )
    # Whether the 预备党员 came is not stated: 实到 stays blank, the voting figures are kept.
    assert (m.expected, m.present, m.voting_expected, m.voting_present) == (12, None, 11, 5)
    assert any("有表决权的正式党员11人、实到5人" in w for w in check_meeting(m))


def test_unknown_counts_are_blank_never_zero():
    c = context("会议类型：支委会\n时间：2024年9月3日\n主持人：甲乙\n")
    assert (c["应到"], c["实到"], c["缺席人数"], c["出席人员"], c["到会情况"]) == ("", "", "", "", "")
    assert c["缺席人员"] == ""
    assert "应到人数、实到人数不详" in " ".join(
        check_meeting(parse_note("会议类型：支委会\n时间：2024年9月3日\n", "x"))
    )


def test_present_without_names_leaves_attendees_blank_not_none():
    c = context("会议类型：支委会\n时间：2024年9月3日\n应到：5\n实到：5\n")
    assert (c["应到"], c["实到"], c["出席人员"], c["缺席人员"]) == ("5", "5", "", "无")
    # No chair named: the counts are stated, who announced them is not.
    assert c["到会情况"].startswith("本次会议应到5人，实到5人")
    named = context("会议类型：支委会\n时间：2024年9月3日\n主持人：甲乙\n应到：5\n实到：5\n")
    assert named["到会情况"].startswith("主持人甲乙宣布：本次会议应到5人，实到5人")


def test_list_without_absences_does_not_invent_expected():
    c = context("会议类型：支委会\n时间：2024年9月3日\n出席人员：甲乙、丙丁\n")
    assert (c["实到"], c["应到"], c["到会情况"]) == ("2", "", "")


def test_role_words_stay_with_the_name():
    assert split_names("入党积极分子、吴婷") == ["入党积极分子吴婷"]
    assert split_names("发展对象 晏小琪、入党积极分子 柯一帆") == ["发展对象晏小琪", "入党积极分子柯一帆"]


def test_lecturer_is_not_the_chair():
    c = context("党课记录\n授课时间：2024年5月14日\n主讲人：孔令博\n主持人：郑雨航\n听课人员：全体党员\n")
    assert (c["主讲人"], c["主持人"], c["听课人员"]) == ("孔令博", "郑雨航", "全体党员")
    assert {"主讲人", "听课人员", "其他"} <= MINUTES_VARIABLES


def test_traditional_note_is_recognised_and_kept_as_written():
    m = parse_note("支委會會議記錄\n會議時間：2024年6月18日\n會議地點：圖書館三樓\n", "x.txt")
    assert (m.type.name, m.place) == ("支委会", "圖書館三樓")


def test_blank_form_and_non_meeting_are_refused_as_such():
    with pytest.raises(NoteFormatError, match="空白记录表"):
        parse_note("××党支部会议记录\n会议时间：　　年　　月　　日\n地点：\n主持人：××\n记录人：\n", "x.txt")
    with pytest.raises(NoteFormatError, match="不是会议或活动记录"):
        parse_note("2024年度个人工作总结\n\n本年度承担3门课程的教学工作。\n", "x.txt")


def test_docx_four_column_table_with_empty_cells(tmp_path):
    doc = Document()
    doc.add_paragraph("党员大会记录")
    rows = [["时间", "2024年11月5日下午3:00", "地点", ""], ["主持人", "方志诚", "记录人", "韦一凡"]]
    table = doc.add_table(rows=2, cols=4)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    merged = doc.add_table(rows=1, cols=4)
    merged.cell(0, 0).text = "缺席人员"
    merged.cell(0, 1).merge(merged.cell(0, 3)).text = "龚书琴（病假）"
    path = tmp_path / "n.docx"
    doc.save(str(path))
    m = read_input(path).meetings[0]
    assert (m.place, m.chair, m.recorder, m.time) == ("", "方志诚", "韦一凡", dt.time(15, 0))
    assert [(a.name, a.reason) for a in m.absentees] == [("龚书琴", "病假")]


def test_run_with_default_template_leaves_unknown_counts_blank(ws):
    ws.drop(
        "2024秋/10月22日主题党日.txt",
        "10月22日下午，某支部在校史馆开展“重温入党誓词”主题党日活动，由支部书记桑梓萱主持。\n",
    )
    result = ws.run(ok=True)
    assert "年份2024取自文件夹名「2024秋」" in result.output
    assert "应到人数、实到人数不详" in result.output
    [out] = ws.outputs()
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "校史馆" in text and "桑梓萱" in text and "2024年10月22日" in text
    assert "0人" not in text and "本次会议应到" not in text and "出席人员：无" not in text


def test_speaker_lines_after_the_header_are_body_not_header():
    m = parse_note(
        "会议类型：支委会\n时间：2024年1月2日\n参会人员：夏渊、张伟\n天气：晴\n夏渊：同意。\n", "x.txt"
    )
    assert m.extra == [("天气", "晴")]
    assert m.sections[0].paragraphs == ("夏渊：同意。",)


def test_headline_mentioning_a_notice_is_a_report_not_a_notice():
    m = parse_note("支部召开党员大会传达学习上级通知\n2024年3月1日，支部在A楼101召开党员大会。\n", "x.txt")
    assert (m.type.name, m.place, m.topic) == ("支部党员大会", "A楼101", "传达学习上级通知")
    with pytest.raises(NoteFormatError, match="会议通知"):
        parse_note("关于召开支部党员大会的通知\n定于2024年10月17日下午召开支部党员大会。\n", "x.txt")


def test_voting_figures_in_the_attendance_sentence():
    c = context(
        "支部党员大会记录\n时间：2024年1月18日\n主持人：郑雨航\n支部共有党员12人，其中正式党员11人，预备党员1人。"
        "到会有表决权的正式党员10人，孔令博因出差请假。\n"
    )
    # 实到 of all 12 is not stated (did the 预备党员 come?): blank; the sentence says what is stated.
    assert (c["应到"], c["实到"], c["缺席人数"]) == ("12", "", "")
    assert c["到会情况"] == (
        "主持人郑雨航宣布：支部共有党员12人，其中有表决权的正式党员11人，到会有表决权的正式党员10人，"
        "请假：孔令博（出差），到会人数符合规定，会议有效。"
    )


FRAGMENTS = [
    "时间：",
    "时  间：",
    "3月26日",
    "二〇二四年",
    "十一月五日",
    "下午两点半",
    "14:30—16:00",
    "（星期五）",
    "主 持 人：",
    "记录：",
    "应到：",
    "实到人数：十二",
    "缺席人员：",
    "入党积极分子、",
    "张三（病假）",
    "××",
    "　年　月　日",
    "召开支部党员大会",
    "支委會",
    "主持",
    "全部参会",
    "由书记李四主持，",
    "在A楼101召开",
    "发布时间：2024-01-20",
    "“主题”主题党日",
    "与王五进行了谈心谈话",
    "\n",
    "，",
    "。",
    "：",
    "2024年2月30日",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=25),
    st.sampled_from(["x.txt", "2024秋/x.txt", "2024-2025-1/a.txt"]),
)
def test_any_mix_of_note_fragments_is_parsed_or_refused_with_a_reason(parts, name):
    try:
        m = parse_note("".join(parts), name)
    except ZhibuError as err:
        assert err.hint and "x" in err.render()  # names the file and says how to fix it
        return
    c = build_context(m, BRANCH, "学期")
    assert "0人" not in c["到会情况"] or m.expected_count() == 0 or m.present_count() == 0
    assert c["出席人员"] != "无"


def test_voting_only_count_raises_no_false_absence_warning():
    m = parse_note(
        "民主评议党员记录\n时间：2024年1月18日\n主持人：郑雨航\n记录人：邬建国\n地点：A楼\n"
        "支部共有党员12人，其中正式党员11人，预备党员1人。到会有表决权的正式党员10人，孔令博因出差请假。\n",
        "x.txt",
    )
    warnings = check_meeting(m)
    assert not any("缺席名单" in w or "法定人数" in w for w in warnings)
    assert warnings == ["实到人数不详（笔记、签到表和名册都没有给出），会议记录中留空，请手工填写"]
