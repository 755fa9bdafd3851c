"""党费 rules and reading, without a workspace: the bands and their boundaries, retirees, fixed
amounts, decisions, the cap and the rounding modes; amounts and months as people type them; the
account's runs of unpaid months, reasons, exemptions and history across the year boundary; where a
预备党员's first month comes from; the [dues] settings. Every expected amount is worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from pipeline.chinese import cn_amount
from pipeline.config import DEFAULT_CONFIG_TEXT, parse_config
from pipeline.errors import CellProblem, ConfigError
from pipeline.ingest.sheets.cells import money
from pipeline.kinds.dues_payments import month_span
from pipeline.records.archived import MeetingRow
from pipeline.records.dues import (
    DuesBase,
    DuesPayment,
    Rules,
    assess,
    base_from_parts,
    months_text,
    normalize_category,
    parse_rate,
    ym,
)
from pipeline.records.dues_account import ALERT, NOTE, WARNING, Facts, allocate, build
from pipeline.records.register_rows import Member
from pipeline.term.data import Snapshot
from pipeline.term.dues import accepted_in_minutes, facts_of

RULES = Rules()


@pytest.mark.parametrize(
    ("category", "base", "due", "rate"),
    [
        ("在职", "2999.99", "15.00", "0.5"),  # 14.99995 → 15.00
        ("在职", "3000.00", "15.00", "0.5"),  # the upper bound belongs to the lower band
        ("在职", "3000.01", "30.00", "1"),  # the whole amount at 1%: 30.0001
        ("在职", "4500.00", "45.00", "1"),
        ("在职", "5000.00", "50.00", "1"),
        ("在职", "5000.01", "75.00", "1.5"),  # 75.00015
        ("在职", "10000.00", "150.00", "1.5"),
        ("在职", "10000.01", "200.00", "2"),  # 200.0002
        ("离退休", "4999.99", "25.00", "0.5"),  # 24.99995
        ("离退休", "5000.00", "25.00", "0.5"),
        ("离退休", "5000.01", "50.00", "1"),
        ("在职", "60000.00", "1000.00", "2"),  # 1200.00, capped at 1000 a month
    ],
)
def test_bands_apply_to_the_whole_base_with_inclusive_upper_bounds(category, base, due, rate):
    found = assess(category, D(base), RULES)
    assert found.amount == D(due) and found.rate == D(rate)


def test_band_text_rounding_modes_fixed_amounts_and_unknown_bases():
    assert assess("在职", D("3000.01"), RULES).rule_text == "计算基数3000元以上至5000元（含），交纳比例1%"
    assert assess("在职", D("3000.00"), RULES).band == "3000元及以下"
    assert assess("在职", D("10000.01"), RULES).band == "10000元以上"
    assert assess("在职", D("60000"), RULES).capped
    # 4562.50 × 1% = 45.625: 四舍五入 45.63, 舍去 45.62, 进位 45.63; 3000.01 × 1% = 30.0001: 进位 30.01
    section = parse_config('[dues]\nrounding = "舍去"\n').dues
    assert assess("在职", D("4562.50"), RULES).amount == D("45.63")
    assert assess("在职", D("4562.50"), Rules.from_config(section)).amount == D("45.62")
    up = Rules.from_config(parse_config('[dues]\nrounding = "进位"\n').dues)
    assert assess("在职", D("3000.01"), up).amount == D("30.01")
    assert assess("学生", None, RULES).amount == D("0.20")
    assert assess("其他", D("8000"), RULES).amount == D("0.20")  # no fixed income: the fixed amount
    assert assess(
        "学生", None, Rules.from_config(parse_config("[dues]\nfixed_amount = 0.5\n").dues)
    ).amount == D("0.50")
    assert assess("在职", None, RULES).amount is None  # no base: not a guess


def test_the_base_from_salary_components_leaves_out_bonus_and_reform_allowances():
    parts = {
        "岗位工资": D("2890.00"),
        "薪级工资": D("1234.50"),
        "基础性绩效工资": D("2100.00"),
        "津贴补贴": D("156.60"),
        "奖励性绩效工资": D("1800.00"),
        "改革性补贴": D("600.00"),
        "个人所得税": D("85.37"),
        "养老保险": D("523.24"),
        "医疗保险": D("130.81"),
        "失业保险": D("32.70"),
        "住房公积金": D("784.86"),
        "职业年金": D("261.62"),
    }
    # 6381.10 − 1818.60
    assert base_from_parts(parts, RULES) == D("4562.50")
    no_annuity = Rules.from_config(
        parse_config(
            '[dues]\ndeductions = ["个人所得税", "养老保险", "医疗保险", "失业保险", "住房公积金"]\n'
        ).dues
    )
    assert base_from_parts(parts, no_annuity) == D("4824.12")  # 4562.50 + 261.62
    assert base_from_parts({"个人所得税": D(100)}, RULES) is None


def test_categories_and_rates_as_typed():
    assert [
        normalize_category(t) for t in ("在职教师", "退休", "离休干部", "研究生", "低保", "", "访问学者")
    ] == [
        "在职",
        "离退休",
        "离退休",
        "学生",
        "其他",
        "",
        None,
    ]
    assert [parse_rate(t) for t in ("1%", "1.5 %", "0.015", "百分之一", "2", "约1%")] == [
        D(1),
        D("1.5"),
        D("1.500"),
        D(1),
        D(2),
        None,
    ]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        (45, "45.00"),
        (45.0, "45.00"),
        ("45.00", "45.00"),
        ("￥45", "45.00"),
        ("¥ 45.00", "45.00"),
        ("45元", "45.00"),
        ("四十五元", "45.00"),
        ("肆拾伍元整", "45.00"),
        ("二十四元零六分", "24.06"),
        ("五角", "0.50"),
        ("１３５．３９", "135.39"),
        ("1,200.50", "1200.50"),
        (0, "0.00"),
        (30.000000001, "30.00"),  # a float as Excel saves it
    ],
)
def test_amounts_as_people_type_them(typed, amount):
    assert money(typed, "金额") == D(amount)


def test_blank_is_no_amount_and_words_are_refused_with_the_column():
    assert money(None, "金额") is None and money("  ", "金额") is None
    for typed in ("免交", "√", "-5", "四十五个"):
        with pytest.raises(CellProblem, match="金额"):
            money(typed, "金额")
    assert cn_amount("一千零五十元") == D(1050) and cn_amount("张三") is None


def test_months_as_typed():
    def year(_m):
        return 2024

    assert month_span("2024年1-3月", "所属月份", year) == (ym(2024, 1), ym(2024, 3))
    assert month_span("2024.10-12", "所属月份", year) == (ym(2024, 10), ym(2024, 12))
    assert month_span("2024年11月至2025年2月", "所属月份", year) == (ym(2024, 11), ym(2025, 2))
    assert month_span("11-2月", "所属月份", year) == (ym(2024, 11), ym(2025, 2))
    assert month_span("3月", "所属月份", year) == (ym(2024, 3), ym(2024, 3))
    assert month_span(dt.date(2024, 5, 1), "所属月份", year) == (ym(2024, 5), ym(2024, 5))
    assert month_span("2024-03-05", "所属月份", year) == (ym(2024, 3), ym(2024, 3))  # a day: its month
    assert month_span("2024年3月5日", "所属月份", year) == (ym(2024, 3), ym(2024, 3))
    with pytest.raises(CellProblem, match="年份"):
        month_span("3月", "所属月份", lambda _m: None)
    with pytest.raises(CellProblem, match="不存在"):
        month_span("2024年13月", "所属月份", year)
    assert (
        months_text([ym(2024, 4), ym(2024, 5), ym(2024, 6), ym(2024, 9), ym(2025, 1)])
        == "2024年4月至6月、9月、2025年1月"
    )


def test_a_payment_for_several_months_is_spread_over_them():
    assert allocate(D("135.39"), [D("45.13")] * 3) == [D("45.13")] * 3
    assert allocate(D("100.00"), [D("45.00")] * 3) == [D("33.33"), D("33.33"), D("33.34")]
    assert allocate(D("2.40"), [None] * 12) == [D("0.20")] * 12


def _base(name: str, year: int, due: str) -> DuesBase:
    return DuesBase(name, year, "在职", D(due), "按比例", "1%", "3000元以上至5000元（含）")


def _paid(name: str, first: str, last: str, amount: str) -> DuesPayment:
    return DuesPayment(name, first, last, D(amount), year=int(first[:4]))


def test_six_months_unpaid_across_the_year_end_is_an_alert_three_a_warning():
    bases = [_base(n, y, "45.00") for n in ("甲", "乙", "丙") for y in (2023, 2024)]
    payments = [
        _paid("甲", "2023-01", "2023-10", "450.00"),  # nothing from November 2023
        _paid("乙", "2023-01", "2023-12", "540.00"),
        _paid("乙", "2024-01", "2024-03", "135.00"),  # April–June unpaid, then paid
        _paid("乙", "2024-07", "2024-12", "270.00"),
        _paid("丙", "2023-01", "2023-12", "540.00"),
        DuesPayment("丙", "2024-01", "2024-12", mark="免交", year=2024),  # waived by the branch
    ]
    acc = build(RULES, bases, payments, {}, ym(2024, 1), ym(2024, 12), ym(2024, 4))
    runs = {f.name: f for f in acc.findings if f.kind == "run"}
    assert runs["甲"].level == ALERT and runs["甲"].months == tuple(range(ym(2023, 11), ym(2024, 5)))
    assert "2023年11月至2024年4月连续6个月" in runs["甲"].text and "党章第九条" in runs["甲"].text
    assert "乙" not in runs and "丙" not in runs  # 乙: April only, up to the end of April
    later = build(RULES, bases, payments, {}, ym(2024, 1), ym(2024, 12), ym(2024, 6))
    runs = {f.name: f for f in later.findings if f.kind == "run"}
    assert runs["乙"].level == WARNING and "2024年4月至6月连续3个月" in runs["乙"].text
    [c] = [m for m in later.members if m.name == "丙"]
    assert c.due(ym(2024, 1), ym(2024, 12)) == D(0) and c.unpaid(ym(2024, 1), ym(2024, 6)) == []


def test_a_recorded_reason_turns_the_alert_into_a_note():
    bases = [_base("丁", 2024, "45.00")]
    payments = [
        _paid("丁", "2024-01", "2024-02", "90.00"),
        DuesPayment(
            "丁", "2024-03", "2024-08", mark="原因", note="出国访学，经支委会同意回国后补交", year=2024
        ),
    ]
    acc = build(RULES, bases, payments, {}, ym(2024, 1), ym(2024, 12), ym(2024, 8))
    [run] = [f for f in acc.findings if f.kind == "run"]
    assert run.level == NOTE and "已记录原因：出国访学" in run.text
    unrelated = [
        _paid("丁", "2024-01", "2024-02", "90.00"),
        DuesPayment("丁", "2024-01", "2024-12", mark="原因", note="3月起调入"),
    ]
    acc = build(RULES, bases, unrelated, {}, ym(2024, 1), ym(2024, 12), ym(2024, 8))
    assert [f.level for f in acc.findings if f.kind == "run"] == [ALERT]  # a note without a reason is none


def test_months_are_owed_from_joining_to_the_transfer_out_and_only_once_ended():
    bases = [_base("戊", 2024, "38.12"), _base("己", 2024, "90.65")]
    payments = [_paid("戊", "2024-02", "2024-05", "152.48"), _paid("己", "2024-01", "2024-07", "634.55")]
    facts = {
        "戊": Facts(
            "戊", start=ym(2024, 3), start_day="2024年3月20日", start_from="发展党员登记表", in_roster=True
        ),
        "己": Facts("己", end=ym(2024, 6), in_roster=True),
    }
    acc = build(RULES, bases, payments, facts, ym(2024, 1), ym(2024, 12), ym(2024, 9))
    e, f = acc.members
    assert e.due(ym(2024, 1), ym(2024, 9)) == D("38.12") * 7  # March to September
    assert e.unpaid(ym(2024, 1), ym(2024, 9)) == list(range(ym(2024, 6), ym(2024, 10)))
    assert f.due(ym(2024, 1), ym(2024, 12)) == D("90.65") * 6 and f.unpaid(ym(2024, 1), ym(2024, 12)) == []
    texts = [x.text for x in acc.findings if x.kind == "outside"]
    assert any(
        "戊：登记了2024年2月的党费，但2024年3月20日才被接收为预备党员（发展党员登记表）" in t for t in texts
    )
    assert any("己：登记了2024年7月的党费，但已于2024年6月转出组织关系" in t for t in texts)
    # A year with no 收缴登记表 has no unpaid months (nothing recorded is not nothing paid).
    acc = build(RULES, bases, [], facts, ym(2024, 1), ym(2024, 12), ym(2024, 9))
    assert all(m.unpaid(ym(2024, 1), ym(2024, 9)) == [] for m in acc.members)


def _meeting(day: dt.date, kind: str, body: str) -> MeetingRow:
    return MeetingRow(1, kind, day, "", "", "", "", "", None, None, [], "", "", body)


def test_the_first_month_of_a_probationary_member_register_then_minutes_then_roster():
    minutes = [
        _meeting(dt.date(2024, 5, 10), "支委会", "讨论接收庚为预备党员的材料"),
        _meeting(dt.date(2024, 5, 28), "支部党员大会", "表决：同意接收庚同志为中共预备党员（赞成15票）。"),
        _meeting(dt.date(2025, 5, 30), "支部党员大会", "讨论庚同志预备党员转正"),
    ]
    assert accepted_in_minutes(minutes, "庚") == dt.date(2024, 5, 28)
    roster = [
        Member("庚", joined="2024-06-02", member_type="预备"),
        Member("辛", joined="2024-04", member_type="预备"),
        Member("壬", joined="2003-07-01", transferred_out="2024-06-18"),
    ]
    snap = Snapshot(root=None, meetings=minutes, data={"members": roster})
    facts = facts_of(snap)
    assert (facts["庚"].start, facts["庚"].start_from) == (ym(2024, 5), "会议记录")
    assert (facts["辛"].start, facts["辛"].start_from, facts["辛"].start_day) == (
        ym(2024, 4),
        "党员名册",
        "2024年4月",
    )
    assert facts["壬"].end == ym(2024, 6) and not facts["壬"].probationary


def test_dues_settings_are_checked_with_chinese_messages():
    section = parse_config(DEFAULT_CONFIG_TEXT).dues
    assert Rules.from_config(section) == Rules()  # zhibu.toml's defaults are the rules' defaults
    for text, words in (
        ("working_rates = [0.5, 1, 1.5]", "多一项"),
        ("working_limits = [5000, 3000, 10000]", "从低到高"),
        ('rounding = "银行家"', "四舍五入"),
        ('income_parts = ["岗位工资", "年终奖"]', "年终奖"),
        ("alert_unpaid_months = 2", "warn_unpaid_months"),
    ):
        with pytest.raises(ConfigError, match=words):
            parse_config(f"[dues]\n{text}\n")


def test_the_yearly_amount_holds_from_the_fixing_month_and_large_payments_are_named():
    march = Rules.from_config(parse_config("[dues]\nfixing_month = 3\n").dues)
    bases = [_base("癸", 2023, "40.00"), _base("癸", 2024, "45.00")]
    acc = build(march, bases, [], {}, ym(2024, 1), ym(2024, 12), ym(2024, 12))
    # January and February 2024 still at 2023's amount, March to December at 2024's
    assert acc.members[0].due(ym(2024, 1), ym(2024, 12)) == D("40.00") * 2 + D("45.00") * 10
    payments = [_paid("癸", "2024-05", "2024-05", "3000.00")]
    acc = build(RULES, bases, payments, {}, ym(2024, 1), ym(2024, 12), ym(2024, 12))
    [large] = [f for f in acc.findings if f.kind == "large"]
    assert "一笔交纳3000.00元，超过每月1000.00元" in large.text and "大额党费" in large.text
    marked = [
        DuesPayment("癸", amount=D("3000.00"), mark="大额", paid_on=dt.date(2024, 5, 4), note="大额党费")
    ]
    acc = build(RULES, bases, marked, {}, ym(2024, 1), ym(2024, 12), ym(2024, 12))
    assert acc.members[0].large == marked and acc.members[0].paid(ym(2024, 1), ym(2024, 12)) == D(0)
