"""The register kinds (``pipeline.kinds``): one module each, one list, typed records end to end,
and one normalisation per concept (levels, 职称 levels, voting-only attendance, talk people)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from openpyxl import load_workbook

from pipeline.config import parse_config
from pipeline.config.schema import BranchSettings
from pipeline.ingest import read_input
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.columns import KindSpec, S
from pipeline.ingest.sheets.layout import Layout, kind_from_folder
from pipeline.kinds import KINDS, by_name
from pipeline.kinds.achievements import DATA as ACHIEVEMENTS
from pipeline.kinds.achievements import Achievement
from pipeline.kinds.base import RegisterKind
from pipeline.kinds.roster import DATA as MEMBERS
from pipeline.records.achievement_terms import normalize_level
from pipeline.records.calendar import Term
from pipeline.records.checks import check_meeting
from pipeline.records.meeting import Meeting
from pipeline.records.register_rows import Member
from pipeline.records.types import resolve_meeting_type
from pipeline.registers.profile import branch_profile
from pipeline.render.minutes import build_context
from pipeline.store import Store
from pipeline.term.compilation import statistics, term_achievements
from pipeline.term.data import Snapshot, load_snapshot
from pipeline.workspace import Workspace
from tests.support.term import AFTER_TERM, LEDGER, TERM, TERM_DIR, talk

BRANCH = BranchSettings("测试学院教工第一党支部", "测试大学", "测试学院")


def test_each_kind_is_declared_once_with_its_own_columns_and_form():
    names = [k.name for k in KINDS]
    assert names == [
        "会议登记表",
        "签到表",
        "成果登记表",
        "党员名册",
        "工作计划表",
        "发展党员登记表",
        "党费基数核算表",
        "党费收缴登记表",
        "考核细则",
    ]
    assert len({k.precedence for k in KINDS}) == len(KINDS)
    assert len({k.form.file for k in KINDS if k.form}) == len(KINDS)
    for kind in KINDS:
        assert all(layout.register == kind.name for layout in kind.layouts), kind.name
        assert by_name(kind.name) is kind
    assert [lay.key for lay in by_name("工作计划表").layouts] == ["工作计划表", "计划说明"]
    # Folder words, most specific first: a 会议签到 folder holds sign-in sheets, 党员 alone is the roster.
    assert kind_from_folder("会议签到", KINDS).name == "签到表"
    assert kind_from_folder("入党积极分子名单", KINDS).name == "发展党员登记表"
    assert kind_from_folder("党员", KINDS).name == "党员名册"
    assert kind_from_folder("党员成果", KINDS).name == "成果登记表"
    assert kind_from_folder("党费", KINDS).name == "党费收缴登记表"
    assert kind_from_folder("党费收缴台账", KINDS).name == "党费收缴登记表"
    assert kind_from_folder("党费基数", KINDS).name == "党费基数核算表"


@dataclass
class Payment:
    name: str
    amount: str
    row: int | None = None


def _payment(ctx, rr) -> Payment | None:
    name, amount = rr.get("name", cells.name) or "", rr.text("amount")
    if not name:
        rr.fail("name", "没有填写姓名")
        return None
    return Payment(name, amount, rr.number)


def test_a_new_kind_is_read_by_the_reader_it_is_handed_to(tmp_path):
    """The reader knows no kind of its own: a kind handed in is recognized and read into its records."""
    columns = KindSpec(
        "测试收缴表",
        (S("name", "姓名", weight=1), S("amount", "金额", "交纳金额")),
        (("name",), ("amount",)),
        2,
        ("收缴",),
    )
    layout = Layout(columns, ("name", "amount"), _payment, "姓名、金额")
    toy = RegisterKind(name="测试收缴表", folder_words=("测试收缴",), precedence=9, layouts=(layout,))
    path = tmp_path / "2024年收缴.csv"
    path.write_text("2024年收缴登记\n姓名,交纳金额\n林初晴,45.00\n,12\n沈星河,四十五元\n", encoding="utf-8")
    result = read_input(path, kinds=(*KINDS, toy))
    assert result.kinds == ["测试收缴表"]
    assert result.items["测试收缴表"] == [Payment("林初晴", "45.00", 3), Payment("沈星河", "四十五元", 5)]
    assert [e.location.row for e in result.row_errors] == [4]
    assert kind_from_folder("测试收缴", (*KINDS[:-2], toy)) is toy


def _snapshot(*achievements: Achievement, members=()) -> Snapshot:
    return Snapshot(root=None, data={ACHIEVEMENTS.name: list(achievements), MEMBERS.name: list(members)})


def test_levels_have_one_normalisation_from_filing_to_the_compilation():
    """市级 counts as 省部级 and 院级 as 院系级 (README; domain §6), in the 成果汇编 as when filed; a level
    the register does not state stays blank (it was printed as 其他) and is counted apart, as 未注明级别."""
    assert normalize_level("市级") == ("省部级", True)
    assert normalize_level("院级") == ("院系级", True)
    config = parse_config("")
    day = dt.date(2024, 10, 1)
    snap = _snapshot(
        Achievement("甲论文", "论文", "市级", "林初晴", day),
        Achievement("乙项目", "课题/项目", "院级", "沈星河", day),
        Achievement("丙报道", "新闻报道", "", "简雨澄", day),
    )
    items = term_achievements(snap, Term.parse(TERM), config.calendar, config)
    assert [i.level for i in items] == ["省部级", "院系级", ""]
    stats = statistics(items, config, [])
    # Counted as 未注明级别 (as the 工作总结 writes it), not as 其他 (a level outside the order).
    assert stats.table[("新闻报道", "未注明级别")] == 1 and "其他" not in stats.levels


def test_title_levels_have_one_reading_in_the_profile():
    """高级职称 counts 正高 and 副高 however the roster writes them, 助理研究员 is 中级 (domain §6)."""
    people = [
        Member("甲", title="主任医师"),
        Member("乙", title="高级教师"),
        Member("丙", title="一级教师"),
        Member("丁", title="助理研究员"),
        Member("戊", title="", title_level="副高"),
    ]
    text = branch_profile(people, (), "测试党支部")
    assert "高级职称3人、中级职称2人" in text


def test_voting_only_attendance_needs_both_voting_figures():
    """One rule for the minutes' sentence and the checks: only the voting members are counted when
    the note gives both voting figures and 实到 is theirs or not stated."""
    mtype = resolve_meeting_type("支部党员大会")
    unstated = Meeting(mtype, dt.date(2024, 12, 10), voting_expected=11)
    assert not unstated.voting_only  # the checks' former rule took this one for voting-only
    assert Meeting(mtype, dt.date(2024, 12, 10), voting_expected=11, voting_present=10).voting_only
    voting = Meeting(
        mtype, dt.date(2024, 12, 10), expected=12, present=10, voting_expected=11, voting_present=10
    )
    voting.absentees = []
    assert voting.voting_only
    context = build_context(voting, BRANCH, "2024—2025学年第一学期")
    assert context["缺席人数"] == ""
    assert "到会有表决权的正式党员10人" in context["到会情况"]
    assert not any("缺席名单" in w for w in check_meeting(voting))


def test_talk_people_are_stored_when_planned_and_read_back_without_the_document(ws):
    ws.drop("谈心谈话.txt", talk("2024-11-05", "沈轶娜", "张伟"))
    ws.run(ok=True)
    with Store(ws.root / ".zhibu" / "index.sqlite3") as store:
        (row,) = store.minutes(TERM)
    assert (row.talker, row.partner) == ("沈轶娜", "张伟")
    (ws.root / row.path).unlink()  # the term outputs read the index, not the archived document
    snap = load_snapshot(Workspace(ws.root))
    assert [(m.chair, m.partner) for m in snap.meetings] == [("沈轶娜", "张伟")]
    ws("batch", "-w", ws.root, "--term", TERM, "--date", AFTER_TERM, ok=True)
    sheet = load_workbook(ws.root / TERM_DIR / LEDGER)["谈心谈话"]
    assert any("张伟" in row and "沈轶娜" in row for row in sheet.iter_rows(values_only=True))


def test_talk_people_of_an_older_index_are_filled_once_from_the_documents(ws):
    ws.drop("谈心谈话.txt", talk("2024-11-05", "沈轶娜", "张伟"))
    ws.run(ok=True)
    index = ws.root / ".zhibu" / "index.sqlite3"
    # An index written before the columns were filled: the talk row has neither name.
    db = sqlite3.connect(index)
    db.execute("UPDATE outputs SET talker = NULL, partner = NULL")
    db.execute("PRAGMA user_version = 6")
    db.commit()
    db.close()
    with Store(index) as store:
        (row,) = store.minutes(TERM)
    assert (row.talker, row.partner) == ("沈轶娜", "张伟")
