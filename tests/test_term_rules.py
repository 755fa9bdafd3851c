"""Rules as data: frequencies, exempt months, quorum, 党小组 groups and 谈心谈话 coverage, through
zhibu.toml and `zhibu status --json`."""

from __future__ import annotations

import re

import pytest

from pipeline.config import DEFAULT_CONFIG_TEXT, parse_config
from pipeline.errors import ConfigError
from pipeline.records.rules import DEFAULT_RULES, load_rules
from tests.support.docs import docx_text
from tests.support.term import AFTER_TERM, insert_rows, note, status_json, talk


def configure(ws, extra: str) -> None:
    path = ws.root / "zhibu.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + extra + "\n", encoding="utf-8")


def checks(data: dict, rule: str) -> dict[str, dict]:
    return {
        c["period"] + (f"/{c['group']}" if c["group"] else ""): c for c in data["checks"] if c["rule"] == rule
    }


def test_defaults_follow_the_regulation():
    rules = {r.key: r for r in DEFAULT_RULES}
    assert (rules["支委会"].per, rules["支委会"].count) == ("month", 1)
    assert rules["支部党员大会"].per == "quarter" and "第十一条" in rules["支部党员大会"].source
    assert rules["党小组会"].scope == "group"
    assert rules["组织生活会"].per == rules["民主评议党员"].per == "year"
    assert rules["谈心谈话"].pairs


def test_the_commented_examples_in_the_default_config_are_valid():
    text = re.sub(r'^# (\[rules\.\w+\]|"[^"]+" = .*)$', r"\1", DEFAULT_CONFIG_TEXT, flags=re.M)
    rules = load_rules(parse_config(text))
    by_key = {r.key: r for r in rules.rules}
    assert by_key["党课"].per == "term" and "民主评议党员" not in by_key
    assert by_key["主题党日"].exempt is False


@pytest.mark.parametrize(
    "entry, key, words",
    [
        ('"党课" = { per = "fortnight" }', "rules.frequencies.党课.per", "month / quarter"),
        ('"支部委员会" = { count = "1" }', "rules.frequencies.支部委员会.count", "整数"),
        ('"党员活动" = { per = "month" }', "rules.frequencies.党员活动", "不是已知的活动名称"),
        ('"党课" = { every = "month" }', "rules.frequencies.党课.every", "未知的规则字段"),
        ('"党小组会" = { scope = "department" }', "rules.frequencies.党小组会.scope", "branch"),
    ],
)
def test_a_wrong_rule_is_reported_in_chinese_with_its_key(entry, key, words):
    with pytest.raises(ConfigError) as info:
        parse_config(DEFAULT_CONFIG_TEXT + "\n[rules.frequencies]\n" + entry + "\n")
    assert f"配置项「{key}」" in str(info.value) and words in str(info.value)


def test_a_wrong_quorum_is_reported_with_its_key():
    with pytest.raises(ConfigError, match=r"rules\.quorum\.支委会\.fraction.*0 到 1"):
        parse_config(DEFAULT_CONFIG_TEXT + '\n[rules.quorum]\n"支委会" = { fraction = 1.5 }\n')


def test_status_reports_a_broken_rules_table(ws):
    configure(ws, '[rules.frequencies]\n"党课" = { per = "weekly" }')
    result = ws("status", "-w", ws.root, ok=False)
    assert "rules.frequencies.党课.per" in result.output


def test_party_lectures_per_term_instead_of_per_quarter(ws):
    configure(ws, '[rules.frequencies]\n"党课" = { per = "term" }')
    ws.drop("党课.txt", note("党课", "2024-11-20", "专题党课"))
    ws.run(ok=True)
    data = status_json(ws, "--date", AFTER_TERM)
    lectures = checks(data, "党课")
    assert list(lectures) == ["2024-2025-1"] and lectures["2024-2025-1"]["status"] == "done"
    assert lectures["2024-2025-1"]["source"] == "本支部设置（zhibu.toml）"


def test_exempt_months_are_a_setting(ws):
    assert checks(status_json(ws, "--date", AFTER_TERM), "支委会")["2025-01"]["status"] == "exempt"
    configure(ws, "")
    text = (
        (ws.root / "zhibu.toml")
        .read_text(encoding="utf-8")
        .replace("exempt_months = [1, 2, 7, 8]", "exempt_months = [2, 7, 8]")
    )
    (ws.root / "zhibu.toml").write_text(text, encoding="utf-8")
    data = status_json(ws, "--date", AFTER_TERM)
    assert ("支委会", "2025-01") in {(m["activity"], m["period"]) for m in data["missing"]}


def test_a_rule_can_be_switched_off(ws):
    configure(ws, '[rules.frequencies]\n"民主评议党员" = false')
    data = status_json(ws, "--date", AFTER_TERM)
    assert not checks(data, "民主评议党员")
    assert "民主评议党员" not in {m["activity"] for m in data["missing"]}


def test_quorum_rules_are_settings(ws):
    ws.drop("大会.txt", note("支部党员大会", "2024-09-10", "学期工作部署", expected=12, present=6))
    ws.run(ok=True)
    assert [q["date"] for q in status_json(ws, "--date", AFTER_TERM)["quorum"]] == ["2024-09-10"]
    configure(ws, '[rules.quorum]\n"支部党员大会" = { fraction = 0.5, strict = false }')
    assert status_json(ws, "--date", AFTER_TERM)["quorum"] == []  # 6 of 12 is "at least half"


def test_party_group_meetings_are_checked_per_group_when_the_roster_has_groups(ws):
    insert_rows(
        ws.root,
        "members",
        [
            {"name": "张伟", "party_group": "第一党小组"},
            {"name": "李娜", "party_group": "第一党小组"},
            {"name": "王芳", "party_group": "第二党小组"},
            {"name": "刘洋", "party_group": "第二党小组"},
        ],
        kind="党员名册",
    )
    ws.drop(
        "第一党小组学习 2024-10-15.txt", note("党小组会", "2024-10-15", "第一党小组学习党纪", chair="张伟")
    )
    # No group in the topic or file name: the host's group in the roster (王芳: 第二党小组).
    ws.drop("小组会 2024-10-16.txt", note("党小组会", "2024-10-16", "学习党纪", chair="王芳"))
    # Nothing tells the group: the host is in no group of the roster.
    ws.drop("小组会 2024-11-16.txt", note("党小组会", "2024-11-16", "学习党史", chair="沈轶娜"))
    ws.run(ok=True)
    data = status_json(ws, "--date", AFTER_TERM)
    groups = checks(data, "党小组会")
    assert groups["2024-10/第一党小组"]["status"] == "done"
    assert groups["2024-10/第二党小组"]["status"] == "done"
    assert groups["2024-11/第二党小组"]["status"] == "missing"
    assert [m["date"] for m in data["unattributed"]] == ["2024-11-16"]
    assert any("没有写明党小组名称" in n for n in data["notes"])
    # The record names its group in its title.
    (doc,) = ws.outputs("**/2024-10-16 党小组会*.docx")
    assert "第二党小组会议记录" in docx_text(doc)


def test_party_group_meetings_are_checked_per_branch_without_groups(ws):
    ws.drop("小组会 2024-10-16.txt", note("党小组会", "2024-10-16", "学习党纪", chair="王芳"))
    ws.run(ok=True)
    groups = checks(status_json(ws, "--date", AFTER_TERM), "党小组会")
    assert groups["2024-10"]["status"] == "done" and groups["2024-11"]["status"] == "missing"


def test_talks_report_committee_member_coverage(ws):
    insert_rows(
        ws.root,
        "members",
        [{"name": n} for n in ("沈轶娜", "夏渊", "缪巧军", "张伟", "李娜", "王芳")],
        kind="党员名册",
    )
    ws.drop("谈话1.txt", talk("2024-10-05", "沈轶娜", "张伟"))
    ws.drop("谈话2.txt", talk("2024-11-05", "夏渊", "李娜"))
    ws.drop("谈话3.txt", talk("2024-11-06", "沈轶娜", "夏渊"))
    ws.run(ok=True)
    talks = checks(status_json(ws, "--date", AFTER_TERM), "谈心谈话")["2024"]
    assert (talks["required"], talks["held"]) == (3, 2)
    assert talks["status"] == "missing"
    assert "覆盖2/3人" in talks["note"] and "支委之间1/3对" in talks["note"] and "王芳" in talks["note"]


def test_the_secretarys_lecture_counts_only_lectures_the_secretary_gave(ws):
    ws.drop("党课1.txt", note("党课", "2024-10-20", "专题党课", chair="夏渊"))
    ws.run(ok=True)
    lecture = checks(status_json(ws, "--date", AFTER_TERM), "书记讲党课")["2024"]
    assert (lecture["held"], lecture["status"]) == (0, "missing")
    ws.drop("党课2.txt", note("党课", "2024-12-20", "书记讲党课", chair="沈轶娜"))
    ws.run(ok=True)
    assert checks(status_json(ws, "--date", AFTER_TERM), "书记讲党课")["2024"]["status"] == "done"
