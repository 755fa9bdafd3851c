"""One activity, one record: two records of one activity on one day are warned about when filed,
counted once and shown in ``status`` and the ledger until a correction (a file named 更正)
replaces them; start times that differ confirm two activities."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from pipeline.records.archived import MeetingRow
from pipeline.records.same_day import clashes, one_per_activity, same_activity
from tests.support.term import AFTER_TERM, LEDGER, TERM_DIR, status_json


def lecture(place: str, recorder: str, absent: str, time: str = "", topic: str = "专题党课") -> str:
    when = f"2024年11月20日 {time}".strip()
    return (
        f"会议类型：党课\n会议主题：{topic}\n时间：{when}\n地点：{place}\n主讲人：沈轶娜\n"
        f"记录人：{recorder}\n应到人数：28\n缺席人员：{absent}\n党课内容：\n讲授理想信念。\n"
    )


def row(id_: int, **facts) -> MeetingRow:
    base = dict(type="党课", date=dt.date(2024, 11, 20), term="2024-2025-1", title=f"党课{id_}", topic="")
    base |= dict(chair="", place="", expected=None, present=None, warnings=[], path=f"outbox/{id_}.docx")
    return MeetingRow(id=id_, source_name=f"{id_}.txt", **(base | facts))


def test_the_rule_of_one_activity():
    a = row(1, place="报告厅", recorder="夏渊", absentees=("郑浩",))
    b = row(2, place="图书馆报告厅", recorder="缪巧军", absentees=("唐亮",), start_time="14:30")
    (found,) = clashes([a, b])
    assert found.facts == ("地点（报告厅／图书馆报告厅）", "记录人（夏渊／缪巧军）", "缺席人员（郑浩／唐亮）")
    assert one_per_activity([a, b]) == [a]
    # Differing start times: two activities of the day.
    assert not same_activity(row(1, start_time="09:00"), row(2, start_time="14:30"))
    # A fact left blank by one record is no conflict; nothing conflicting, no clash.
    assert same_activity(row(1, place="报告厅"), row(2)) and clashes([row(1, place="报告厅"), row(2)]) == []
    # Other groups, other talk partners, other days: other activities.
    group = dict(type="党小组会")
    assert not same_activity(
        row(1, party_group="第一党小组", **group), row(2, party_group="第二党小组", **group)
    )
    talk = dict(type="谈心谈话", chair="沈轶娜")
    assert not same_activity(row(1, partner="张伟", **talk), row(2, partner="李娜", **talk))
    assert same_activity(
        row(1, partner="张伟", **talk), row(2, talker="张伟", chair="", type="谈心谈话", partner="沈轶娜")
    )
    assert not same_activity(row(1), row(2, date=dt.date(2024, 11, 21)))


def test_two_records_of_one_lecture_are_warned_counted_once_and_replaced_by_a_correction(ws):
    ws.drop("2024-11-20 党课.txt", lecture("报告厅", "夏渊", "郑浩（病假）"))
    ws.run(ok=True)
    second = ws.drop(
        "书记讲党课.txt", lecture("图书馆报告厅", "缪巧军", "唐亮（外出培训）", "14:30", "书记讲党课")
    )
    checked = ws("check", "-w", ws.root, second).output.replace("\n", "").replace(" ", "")
    assert "2024-11-20党课有两份记录" in checked  # zhibu check says what zhibu run will say
    out = ws.run(ok=True).output.replace("\n", "").replace(" ", "")
    assert "2024-11-20党课有两份记录" in out and "已归档的「outbox/" in out
    assert "地点（报告厅／图书馆报告厅）、记录人（夏渊／缪巧军）、缺席人员（郑浩／唐亮）不一致" in out
    assert len(ws.outputs("**/党课/*.docx")) == 2

    data = status_json(ws, "--date", AFTER_TERM)
    assert data["counts"]["党课"] == 1 and data["total"] == 1  # counted once until resolved
    (same,) = data["same_day"]
    assert same["date"] == "2024-11-20" and len(same["paths"]) == 2
    assert any("2024-11-20 党课有两份记录" in n and "更正" in n for n in data["notes"])

    result = ws("batch", "-w", ws.root, "--term", "2024-2025-1", "--date", AFTER_TERM, ok=True)
    assert "党课有两份记录" in result.output
    sheet = load_workbook(ws.root / TERM_DIR / LEDGER)["党课"]
    header = [c.value for c in sheet[2]]
    assert header[:5] == ["序号", "日期", "主题", "主讲人", "主持人"]
    notes = [sheet.cell(r, header.index("提醒") + 1).value or "" for r in (3, 4)]
    assert all("可能是同一次活动" in n for n in notes)
    assert [sheet.cell(r, 4).value for r in (3, 4)] == ["沈轶娜", "沈轶娜"]  # 主讲人

    # The secretary writes the right record once, in a file named 更正: it replaces both.
    corrected = lecture("图书馆报告厅", "缪巧军", "唐亮（外出培训）", "14:30", "书记讲党课：坚定理想信念")
    ws.drop("2024-11-20 党课 更正.txt", corrected)
    out = ws.run(ok=True).output
    assert "两份记录" not in out
    assert len(ws.outputs("**/党课/*.docx")) == 1
    assert len(list((ws.root / TERM_DIR / "历史版本").glob("*党课*.docx"))) == 2
    data = status_json(ws, "--date", AFTER_TERM)
    assert data["same_day"] == [] and data["counts"]["党课"] == 1


def test_start_times_that_differ_confirm_two_activities(ws):
    ws.drop("上午.txt", lecture("报告厅", "夏渊", "郑浩（病假）", "9:00", "上午的党课"))
    ws.drop("下午.txt", lecture("图书馆报告厅", "缪巧军", "唐亮（外出培训）", "14:30", "下午的党课"))
    assert "两份记录" not in ws.run(ok=True).output
    data = status_json(ws, "--date", AFTER_TERM)
    assert data["same_day"] == [] and data["counts"]["党课"] == 2


def test_a_correction_is_the_same_text_apart_from_dates():
    from pipeline.records.corrections import same_apart_from_date, undated

    head = "2024年12月10日（星期二）下午14:30-16:00\n党员活动室\n沈轶娜\n"
    assert undated(head) == ["党员活动室", "沈轶娜"]
    assert undated("二〇二五年三月四日 下午2点半\n2025-03-04") == []
    title = "支部委员会会议\n"
    body = "一、通报积极分子的培养考察情况，三名积极分子均已结业。\n二、同意列为发展对象，报党总支备案。\n"
    moved = (
        title + head.replace("2024年12月10日（星期二）", "2025年3月4日（星期二）") + "于2025年3月4日" + body
    )
    assert same_apart_from_date(moved, title + head + "于2024年12月10日" + body, 4)
    # the same fields (title, place, people) with other content: another meeting
    other = "一、学习党章第三章。\n二、讨论支部下学期的主题党日安排。\n"
    assert not same_apart_from_date(title + head + other, title + head + body, 4)
    # no content at all: never taken for a correction
    assert not same_apart_from_date(title + head, title + head, 4)
