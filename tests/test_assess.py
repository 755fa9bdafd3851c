"""zhibu assess end to end through the CLI, on an invented branch's 2024 built from notes and
registers (tests/support/assess_data.py) with known gaps. Every expected score below is worked out
by hand from the default 考核细则 (pipeline/records/assessment.py DEFAULT_ROWS) and those gaps,
never by the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document

from pipeline.config import demo_config_text
from pipeline.errors import AssessmentRuleError
from pipeline.records.assessment import DEFAULT_ROWS, parse_rule
from tests.conftest import Zhibu
from tests.support import assess_data as data
from tests.support.workspaces import copy_of, process_state_kept

TODAY = "2025-02-20"  # 2024 has ended
FOLDER = Path("outbox") / "2024年考核"  # a 自然年 spans two 学年: a folder of its own
# Each scored indicator (二级指标 -> score, lines), by hand:
EXPECTED = {
    "支委会": ("5", ["2024年5月、10月无支委会记录 −1.0"]),  # 6 − 2 × 0.5
    "支部党员大会": ("6", []),  # every quarter
    "党小组会": ("4", []),
    "工作计划": ("4", []),  # 2023—2024学年第二学期 and 2024—2025学年第一学期 both planned
    "组织生活会": ("4", []),
    "民主评议党员": ("4", []),
    "发展程序": ("7", ["周立新：派人谈话（收到入党申请书后一个月内）逾期（截止2024年4月15日） −1.0"]),
    "党课": ("4.5", ["2024年第二季度无党课记录 −1.5"]),
    "书记讲党课": ("2", []),  # 沈轶娜, the secretary, gave the three
    "主题党日": ("4", []),
    "谈心谈话": ("4", []),  # both members and the three committee pairs
    "党费收缴": ("5", ["王晓明2024年11月、12月未交党费 −1.0"]),
    "会议签到": (
        "4.5",
        [
            "2024年3月12日支委会记录无签到表 −0.5",
            "2024年4月15日党小组会记录无签到表 −0.5",
            "2024年6月5日主题党日记录无签到表 −0.5",
        ],
    ),
    "新闻报道": ("3", None),  # three in 2024 (the 2023 one does not count), 1 each, at most 6
    "获奖荣誉": ("1", None),
}
SELF = {"班子履职": "8", "培养教育": "4", "党员管理": "4", "台账资料": "6", "特色品牌": "4"}
MEASURED = "62"  # 5+6+4+4+4+4+7+4.5+2+4+4+5+4.5+3+1
PENDING = "26"  # 8+4+4+6+4


@pytest.fixture(scope="module")
def branch(tmp_path_factory, initialised_workspace) -> Zhibu:
    z = Zhibu(copy_of(initialised_workspace, tmp_path_factory.mktemp("assess") / "ws"))
    (z.root / "zhibu.toml").write_text(demo_config_text(), encoding="utf-8")
    with process_state_kept():
        data.drop_all(z)
    assert not list((z.root / "inbox" / "失败").glob("*.xlsx")) and not list((z.root / "inbox").glob("*.txt"))
    return z


def assess(z: Zhibu, *args: str) -> dict:
    out = z("assess", "-w", str(z.root), "--year", "2024", "--date", TODAY, "--json", *args, ok=True).output
    return json.loads(out)


def test_each_indicator_scored_by_hand(branch):
    report = assess(branch)
    got = {i["name"]: i for i in report["indicators"]}
    assert set(got) == {row[1] for row in DEFAULT_ROWS}
    for name, (score, lines) in EXPECTED.items():
        assert got[name]["score"] == score, (name, got[name])
        if lines is not None:
            assert got[name]["lines"] == lines, name
    assert len(got["新闻报道"]["lines"]) == 3 and all(x.endswith("+1.0") for x in got["新闻报道"]["lines"])
    assert "支部学习二十大精神" not in "".join(got["新闻报道"]["lines"])  # 2023
    for name in SELF:
        assert got[name]["score"] == "" and got[name]["lines"] == []
    assert report["measured"] == MEASURED and report["pending_points"] == PENDING
    assert report["total"] == "" and report["grade"] == ""  # not every indicator is scored
    assert report["projected"] == "88" and report["projected_grade"] == "良好"
    assert any("党员名册：党员5人" in f for f in got["党员管理"]["facts"])


def _table(path: Path) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in Document(str(path)).tables[0].rows]


def _comments(path: Path) -> list[str]:
    return [c.text for c in Document(str(path)).comments]


def test_self_assessment_table(branch):
    assess(branch)
    path = branch.root / FOLDER / "2024年考核自评表.docx"
    rows = _table(path)
    assert rows[0] == [
        "序号",
        "一级指标",
        "二级指标及考评要点",
        "分值",
        "自评得分",
        "扣分、加分说明",
        "支撑材料编号",
    ]
    by_name = {r[2].split("\n")[0]: r for r in rows[1:-1]}
    assert by_name["支委会"][3:6] == ["6", "5", "2024年5月、10月无支委会记录 −1.0"]
    assert by_name["党课"][4] == "4.5"
    for name, points in SELF.items():
        assert by_name[name][3] == points and by_name[name][4] == "" and by_name[name][5] == ""
    assert rows[-1][1] == "合计" and rows[-1][3] == "100" and rows[-1][4] == ""  # blank until self-assessed
    comments = _comments(path)
    assert any("此项由支部自评" in c and "支部委员会：沈轶娜（书记）" in c for c in comments)
    assert any("还有5项待支部评定" in c and "合计62分" in c for c in comments)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "zhibu" not in text  # no program text printed


def _catalogue(z: Zhibu) -> list[list[str]]:
    return _table(z.root / FOLDER / "2024年考核支撑材料目录.docx")[1:]


def test_evidence_list_names_exactly_the_supporting_files(branch):
    assess(branch)
    rows = _catalogue(branch)
    listed = {r[3].replace("\n", "") for r in rows}  # the folder: 学年/学期/ on a line, the rest below
    outbox = branch.root / "outbox"
    minutes = {p.relative_to(outbox).as_posix() for p in outbox.glob("*/*/会议记录/*/2024-*.docx")}
    assert len(minutes) == len(data.meetings()) + len(data.TALKS) == 36
    originals = {
        p.relative_to(outbox).as_posix()
        for name in data.REGISTERS
        for p in outbox.glob(f"*/*/原始材料/**/{name}")
    }
    assert len(originals) == len(data.REGISTERS)
    assert listed == {path.rpartition("/")[0] for path in minutes | originals}
    assert [r[0] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    copies = sorted(p.name for p in (branch.root / FOLDER / "支撑材料").iterdir())
    assert len(copies) == len(rows) == 42
    assert copies[0].startswith("01 支委会会议记录") and copies[-1].startswith("42 ")
    numbers = {
        r[2].split("\n")[0]: r[6] for r in _table(branch.root / FOLDER / "2024年考核自评表.docx")[1:-1]
    }
    assert numbers["支委会"] == "1—6"  # the six 支委会 records, first cited
    assert numbers["班子履职"] == ""  # nothing in the archive shows it


def test_summary_draft_states_the_figures(branch):
    assess(branch)
    doc = Document(str(branch.root / FOLDER / "2024年度工作总结（草稿）.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("一、总体情况", "二、主要做法和成效", "三、存在的不足", "四、下一步打算"):
        assert heading in text
    assert "支部现有党员5人，其中正式党员5人、预备党员0人。" in text
    activities = {r.cells[0].text: [c.text for c in r.cells] for r in doc.tables[0].rows[1:]}
    assert activities["支委会"][1:] == ["每月1次", "8", "6", "6"]
    assert activities["党课"][1:] == ["每季度1次", "4", "3", "3"]
    # 5 × 12 × 30 − 2 × 30; no 核算表, so the amount due is not known and not stated
    assert "5名党员实交党费1740.00元；1名党员有未交的月份。" in text and "应交" not in text
    assert "推进样板支部建设，总结工作案例" in text  # the plan's 样板支部 item
    # The register records only 申请 and 谈话 dates: it states no 积极分子/接收/转正 count, so none
    # is printed (no "确定入党积极分子0人", no "其中上级党委已批准0人").
    assert "发展党员" not in text and "积极分子" not in text and "0人；" not in text
    assert "1．2024年5月、10月无支委会记录。" in text
    achievements = [[c.text for c in r.cells] for r in doc.tables[1].rows[1:]]
    assert ["新闻报道", "校级", "3"] in achievements and ["获奖/荣誉", "校级", "1"] in achievements
    assert len(doc.comments) >= 6  # the narrative parts, left for the secretary


def test_edited_criteria_change_the_score(branch, tmp_path):
    z = Zhibu(copy_of(branch.root, tmp_path / "ws"))
    rows = [list(r) for r in DEFAULT_ROWS]
    rows[0][4] = "每月 支委会 每缺1个月扣1"  # 支委会: 6 − 2 × 1 = 4 (was 5)
    rows.append(
        ["档案管理", "支委会签到", "支委会记录附签到表", "2", "支委会 每份无签到扣0.5", "签到表"]
    )  # 1.5
    z.drop(
        "考核细则.xlsx",
        data.criteria_workbook([tuple(r) for r in rows], [("优秀", 85), ("合格", 60), ("不合格", 0)]),
    )
    z.run(ok=True)
    report = assess(z)
    got = {i["name"]: i["score"] for i in report["indicators"]}
    assert got["支委会"] == "4" and got["支委会签到"] == "1.5"
    assert report["measured"] == "62.5"  # 62 − 1 + 1.5
    assert report["full_marks"] == "102" and report["projected"] == "88.5"
    assert report["projected_grade"] == "优秀"  # the school's bands: 85 and up
    assert report["criteria"] == "支部导入的考核细则"


def test_wrong_rule_named_by_sheet_row_and_column(ws):
    rows = [("班子建设", "支委会", "", "6", "每月开支委会，少一次扣一点", "")]
    ws.drop("考核细则.xlsx", data.criteria_workbook(rows))
    out = ws.run().output
    assert "工作表「考核细则」第3行" in out and "「计分标准」列" in out and "无法计算" in out
    with pytest.raises(AssessmentRuleError):
        parse_rule("每月 开会 每缺1个月扣0.5")


def test_recomputed_from_the_archive(branch, tmp_path):
    z = Zhibu(copy_of(branch.root, tmp_path / "ws"))
    assess(z)
    z.drop("2024-05-12 支委会.txt", data.note("支委会", "2024-05-12", "补开的支委会", expected=5, present=5))
    z.run(ok=True)
    report = assess(z)
    assert report["folder"] == FOLDER.as_posix()
    # The replaced 自评表 stays with the year's papers, not in a term's 历史版本 folder.
    kept = [p.name for p in (z.root / FOLDER / "历史版本").iterdir()]
    assert len(kept) == 3 and any(n.endswith(" 2024年考核自评表.docx") for n in kept), kept
    assert not [p for p in (z.root / "outbox").glob("*学年/*/历史版本/*") if "考核" in p.name]
    got = {i["name"]: i for i in report["indicators"]}
    assert got["支委会"]["score"] == "5.5" and got["支委会"]["lines"] == ["2024年10月无支委会记录 −0.5"]
    assert got["会议签到"]["score"] == "4"  # the new record has no sign-in sheet
    assert len(list((z.root / FOLDER / "支撑材料").iterdir())) == 43


def test_status_projects_the_year_and_says_what_recovers_points(branch):
    out = branch("status", "-w", str(branch.root), "--date", "2024-11-20", ok=True).output
    # by 2024-11-20: the 党课 of 11-25 and the 支部党员大会 of 12-20 are still to come
    assert "2024年考核自评（按默认考核细则预计）" in out
    assert "本季度还没有党课记录（2024年第四季度结束前开展并归档可不扣分）" in out
    assert "本年度还没有组织生活会记录" in out
    assert "支委会：2024年5月、10月无支委会记录 −1.0" in out
    data = json.loads(
        branch("status", "-w", str(branch.root), "--date", "2024-11-20", "--json", ok=True).output
    )
    # the six deductions of the year-end run, all in periods ended by 11-20
    lost = [x["text"] for x in data["assessment"]["lost"]]
    assert "2024年第二季度无党课记录 −1.5" in lost and len(lost) == 6
    # Only a 收缴登记表 was filed: what the branch owes is not known, so no sum is printed as it.
    assert data["dues"]["due"] is None and data["dues"]["paid"] == "1500.00"
    assert len(data["dues"]["due_unknown"]) == len({x for x in data["dues"]["due_unknown"]}) > 0
    assert "应交数额无法计算" in out and "应交0.00元" not in out


@pytest.mark.slow  # the lane keeps the content by test_self_assessment_table and test_evidence_list_…
def test_the_three_documents_printed(branch, tmp_path):
    from tests.support.layout_pdf import have_tools, page_texts, to_pdf

    assert have_tools(), "LibreOffice and poppler are needed: bash .ci/run installs them"
    assess(branch)
    docs = sorted((branch.root / FOLDER).glob("*.docx"))
    assert len(docs) == 3
    pdfs = to_pdf(docs, tmp_path)
    texts = {p.stem: "".join("".join(page_texts(pdfs[p])).split()) for p in docs}  # no spaces, no breaks
    table = texts["2024年考核自评表"]
    assert "2024年5月、10月无支委会记录−1.0" in table and "—1—" in table
    assert "zhibu" not in table  # comments are not printed
    catalogue = texts["2024年考核支撑材料目录"]
    assert "2024年3月12日" in catalogue and "支撑材料共42份" in catalogue
    # The 存放位置 is the folder on two whole lines (学年/学期, then the rest), not a path wrapped
    # over six; the title breaks after the branch's name.
    pages = {p.stem: page_texts(pdfs[p]) for p in docs}
    lines = ["".join(line.split()) for page in pages["2024年考核支撑材料目录"] for line in page.splitlines()]
    assert lines[:2] == ["汽车运用工程系党支部", "2024年考核支撑材料目录"]
    assert lines.count("2023-2024学年/第二学期/") >= 10 and lines.count("会议记录/支委会") == 6
    assert not [x for x in lines if x.endswith(".docx")]
    # The table's last rows go with 评定等级 and the signature: no page of only a signature.
    last = "".join(pages["2024年考核自评表"][-1].split())
    assert "合计" in last and "评定等级" in last and "2024年12月31日" in last
    summary = texts["2024年度工作总结（草稿）"]
    assert "四、下一步打算" in summary and "zhibu" not in summary
    assert "积极分子0人" not in summary and "已批准0人" not in summary
