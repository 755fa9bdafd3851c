"""`zhibu batch` and `zhibu status` end to end: notes dropped and filed, registers in the index,
then the term outputs read back (openpyxl, python-docx, LibreOffice)."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from pipeline.config import demo_config_text
from tests.conftest import Zhibu
from tests.support.docs import east_asia_font
from tests.support.term import (
    AFTER_TERM,
    COMPILATION,
    LEDGER,
    PLAN,
    TERM,
    TERM_DIR,
    insert_rows,
    note,
    soffice_to_csv,
    status_json,
    talk,
)
from tests.support.workspaces import copy_of, new_workspace, process_state_kept

FORMULA_TOPIC = "=1+2 学习交流"
FORMULA_ACHIEVEMENT = "=SUM(1,2)"


# The term's workspaces are built once for the module and copied for each test that uses them.


@pytest.fixture(scope="module")
def term_source(tmp_path_factory) -> Path:
    """A term with 支委会 in September, November and December but not in October."""
    root = new_workspace(tmp_path_factory.mktemp("term") / "ws")
    (root / "zhibu.toml").write_text(demo_config_text(), encoding="utf-8")
    ws = Zhibu(root)
    ws.drop(
        "大会.txt", note("支部党员大会", "2024-09-10", "学习党的二十届三中全会精神", expected=12, present=5)
    )
    for day in ("2024-09-05", "2024-11-06", "2024-12-04"):
        ws.drop(f"支委会{day}.txt", note("支委会", day, f"研究{day[5:7]}月工作", expected=3, present=3))
    ws.drop("主题党日.txt", note("主题党日", "2024-10-25", FORMULA_TOPIC))
    ws.drop("党课.txt", note("党课", "2024-11-20", "书记讲党课：坚定理想信念"))
    ws.drop("谈话.txt", talk("2024-11-05", "沈轶娜", "张伟"))
    with process_state_kept():
        ws.run(ok=True)
    return root


def _batched_source(term_source: Path, folder: Path, *, registers: bool) -> tuple[Path, str]:
    """A copy of the term, with the registers in the index if asked, after `zhibu batch`."""
    ws = Zhibu(copy_of(term_source, folder / "ws"))
    with process_state_kept():
        if registers:
            add_registers(ws)
        return ws.root, batch(ws).output


@pytest.fixture(scope="module")
def batched_source(term_source, tmp_path_factory) -> tuple[Path, str]:
    return _batched_source(term_source, tmp_path_factory.mktemp("batched"), registers=False)


@pytest.fixture(scope="module")
def batched_registers_source(term_source, tmp_path_factory) -> tuple[Path, str]:
    return _batched_source(term_source, tmp_path_factory.mktemp("batched-registers"), registers=True)


@pytest.fixture
def term_ws(term_source, tmp_path) -> Zhibu:
    return Zhibu(copy_of(term_source, tmp_path / "ws"))


@pytest.fixture
def batched(batched_source, tmp_path) -> tuple[Zhibu, str]:
    """The term after `zhibu batch`, and what batch printed."""
    root, output = batched_source
    return Zhibu(copy_of(root, tmp_path / "ws")), output


@pytest.fixture
def batched_registers(batched_registers_source, tmp_path) -> tuple[Zhibu, str]:
    """The term with achievements and plan items in the index, after `zhibu batch`."""
    root, output = batched_registers_source
    return Zhibu(copy_of(root, tmp_path / "ws")), output


def batch(ws, *args: str):
    return ws("batch", "-w", ws.root, "--term", TERM, "--date", AFTER_TERM, *args, ok=True)


def ledger_path(ws) -> Path:
    return ws.root / TERM_DIR / LEDGER


def compliance_rows(ws) -> dict[tuple[str, str], tuple]:
    """(期间, 活动) -> (row of cells) of the compliance sheet."""
    sheet = load_workbook(ledger_path(ws))["合规检查"]
    out = {}
    for row in sheet.iter_rows(min_row=3):
        if row[1].value and row[2].value:
            out[(row[1].value, row[2].value)] = row
    return out


ACHIEVEMENTS = [
    # name, category, level, authors, date
    ("新能源汽车课程思政研究", "论文", "国家级", "张伟（1/3）、李娜、王芳", "2024-10-08"),
    ("实训教学改革探索", "论文", "校级", "张伟", "2024-09-15"),
    ("职业教育产教融合路径", "论文", "省部级", "李娜、外校专家", "2024-12-03"),
    ("上海市育才奖", "获奖/荣誉", "省部级", "王芳", "2024-11-11"),
    ("全国职业院校技能大赛优秀指导教师", "获奖/荣誉", "国家级", "刘洋(第一)、张伟", "2024-10-10"),
    ("校级教改课题立项", "课题/项目", "校级", "陈静等", "2024-12-20"),
    (FORMULA_ACHIEVEMENT, "其他", "", "赵磊", "2024-11-30"),
    ("上学期的论文（不在本学期）", "论文", "国家级", "张伟", "2024-03-01"),
]
ROSTER = [
    # name, title_level, degree, member_type, party_post
    ("沈轶娜", "副高", "硕士", "正式", "党支部书记"),
    ("夏渊", "中级", "博士", "正式", "组织委员"),
    ("缪巧军", "中级", "", "正式", "宣传委员"),
    ("张伟", "正高", "博士", "正式", ""),
    ("李娜", "中级", "硕士", "正式", ""),
    ("王芳", "初级", "", "正式", ""),
    ("刘洋", "中级", "", "正式", ""),
    ("陈静", "", "", "预备", ""),
]


def add_registers(ws) -> None:
    insert_rows(
        ws.root,
        "achievements",
        [
            {"name": n, "category": c, "level": lv, "authors": a, "date": d, "term": None}
            for n, c, lv, a, d in ACHIEVEMENTS
        ],
    )
    insert_rows(
        ws.root,
        "members",
        [
            {"name": n, "title_level": t, "degree": dg, "member_type": mt, "party_post": post}
            for n, t, dg, mt, post in ROSTER
        ],
        kind="党员名册",
    )


# --- batch ---------------------------------------------------------------------------------------


def test_batch_writes_the_three_outputs_and_ends_with_files_and_warnings(batched):
    term_ws, output = batched
    lines = [line for line in output.splitlines() if line.strip()]
    folder = term_ws.root / TERM_DIR
    for name in (LEDGER, PLAN):
        assert (folder / name).is_file()
        assert any(name in line and "[新建]" in line for line in lines)
    # No achievements and no roster in the index: nothing to compile, and the run says so.
    assert not (folder / COMPILATION).exists()
    assert any("还没有导入成果登记表" in line for line in lines)
    tail = "\n".join(lines[lines.index("已写入：") :])
    assert "缺：2024年10月 支委会" in tail
    assert "到会人数：2024-09-10 支部党员大会" in tail
    assert not list(folder.rglob("*.zhibu-tmp"))


def test_batch_is_safely_rerunnable_and_keeps_the_previous_version(term_ws):
    add_registers(term_ws)
    batch(term_ws)
    again = batch(term_ws)
    assert again.output.count("[未变化]") == 3
    history = term_ws.root / TERM_DIR / "历史版本"
    assert not history.exists() or not list(history.iterdir())

    # October's 支委会 arrives late: the ledger changes, the old one goes to history.
    term_ws.drop("支委会10月.txt", note("支委会", "2024-10-09", "研究10月工作", expected=3, present=3))
    term_ws.run(ok=True)
    third = batch(term_ws)
    assert "[已更新]" in third.output and "历史版本" in third.output
    assert [p.name for p in history.iterdir() if p.name.endswith(LEDGER)]
    assert "2024年10月 支委会" not in third.output
    assert compliance_rows(term_ws)[("2024年10月", "支委会")][6].value == "已完成"


def test_batch_for_a_year_writes_both_terms(term_ws):
    add_registers(term_ws)
    result = term_ws("batch", "-w", term_ws.root, "--year", "2024-2025", "--date", "2025-09-01", ok=True)
    for term in ("第一学期", "第二学期"):
        folder = term_ws.root / "outbox" / "2024-2025学年" / term
        assert (folder / f"2024-2025学年{term}三会一课台账.xlsx").is_file()
        assert (folder / f"2024-2025学年{term}成果汇编.docx").is_file()
    assert "2024—2025学年第二学期的合规提醒" in result.output


def test_batch_rejects_term_and_year_together(term_ws):
    both = term_ws("batch", "-w", term_ws.root, "--term", TERM, "--year", "2024-2025", ok=False)
    assert both.exit_code == 2 and "只能选一个" in both.output
    bad = term_ws("batch", "-w", term_ws.root, "--term", "2024-1", ok=False)
    assert "学期「2024-1」的写法不对" in bad.output
    assert not (term_ws.root / TERM_DIR / LEDGER).exists()


# --- the ledger --------------------------------------------------------------------------------


def test_ledger_marks_october_without_a_committee_meeting_red(batched):
    term_ws, _ = batched
    rows = compliance_rows(term_ws)
    october = rows[("2024年10月", "支委会")]
    assert october[4].value == 1 and october[5].value == 0
    assert october[6].value == "缺"
    assert october[6].fill.fgColor.rgb == "FFFFC7CE"
    assert "第十二条" in october[2].comment.text and "每月至少1次" in october[2].comment.text
    september = rows[("2024年9月", "支委会")]
    assert september[6].value == "已完成" and september[6].fill.fgColor.rgb != "FFFFC7CE"
    january = rows[("2025年1月", "支委会")]  # a vacation month by default
    assert january[6].value == "假期不检查"
    assert rows[("2024年第四季度", "支部党员大会")][6].value == "缺"


def test_ledger_lists_every_meeting_with_links_that_work_after_copying(batched, tmp_path):
    term_ws, _ = batched
    wb = load_workbook(ledger_path(term_ws))
    sheet = wb["支委会"]
    header = [c.value for c in sheet[2]]
    assert header[:2] == ["序号", "日期"] and "文档路径" in header and "应到" in header
    dates = [row[1].value.date().isoformat() for row in sheet.iter_rows(min_row=3) if row[1].value]
    assert dates == ["2024-09-05", "2024-11-06", "2024-12-04"]

    links = [
        c.hyperlink.target for ws_ in wb.worksheets for row in ws_.iter_rows() for c in row if c.hyperlink
    ]
    assert len(links) == 7
    copy = tmp_path / "elsewhere" / "outbox"
    shutil.copytree(term_ws.root / "outbox", copy)
    for base in (ledger_path(term_ws).parent, copy / TERM_DIR.relative_to("outbox")):
        for target in links:
            assert not Path(unquote(target)).is_absolute()
            assert (base / unquote(target)).is_file(), target


def test_user_text_that_looks_like_a_formula_stays_text(batched_registers, tmp_path):
    term_ws, _ = batched_registers
    wb = load_workbook(ledger_path(term_ws))
    topics = [c for row in wb["主题党日"].iter_rows(min_row=3) for c in row if c.value == FORMULA_TOPIC]
    names = [c for row in wb["成果登记"].iter_rows(min_row=3) for c in row if c.value == FORMULA_ACHIEVEMENT]
    assert topics and names
    for cell in topics + names:
        assert cell.data_type == "s" and cell.quotePrefix
    csv = soffice_to_csv(ledger_path(term_ws), tmp_path / "csv", sheet=wb.sheetnames.index("成果登记") + 1)
    assert FORMULA_ACHIEVEMENT in csv  # LibreOffice did not compute it (it would print 3)


def test_ledger_opens_in_libreoffice(batched, tmp_path):
    term_ws, _ = batched
    csv = soffice_to_csv(ledger_path(term_ws), tmp_path / "csv")
    october = [line for line in csv.splitlines() if "2024年10月" in line and ",支委会," in line]
    assert october and ",缺," in october[0]


def test_ledger_has_a_native_chart_of_meetings_per_month(batched):
    term_ws, _ = batched
    sheet = load_workbook(ledger_path(term_ws))["月度统计"]
    months = {row[0].value: row for row in sheet.iter_rows(min_row=3) if row[0].value}
    assert list(months)[:5] == ["2024年9月", "2024年10月", "2024年11月", "2024年12月", "2025年1月"]
    header = [c.value for c in sheet[2]]
    assert months["2024年9月"][header.index("支委会")].value == 1
    assert months["2024年11月"][header.index("合计")].value == 3
    with zipfile.ZipFile(ledger_path(term_ws)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = z.read(charts[0]).decode()
    assert "<barChart>" in xml and '<barDir val="col"/>' in xml
    assert xml.count("<ser>") == 8 and "'月度统计'!$A$3:$A$7" in xml


# --- status --------------------------------------------------------------------------------------


def test_status_json_lists_october_as_missing(term_ws):
    data = status_json(term_ws, "--date", AFTER_TERM)
    missing = {(m["activity"], m["period"]) for m in data["missing"]}
    assert ("支委会", "2024-10") in missing
    assert not {("支委会", p) for p in ("2024-09", "2024-11", "2024-12", "2025-01")} & missing
    assert ("支部党员大会", "2024Q4") in missing
    # Due: only periods still running on that day (2025年第一季度, the year 2025 …).
    assert data["due"] and all(d["start"] <= AFTER_TERM <= d["end"] for d in data["due"])
    assert [q["date"] for q in data["quorum"]] == ["2024-09-10"]
    assert data["counts"]["支委会"] == 3 and data["total"] == 7


def test_status_counts_only_ended_and_current_periods(term_ws):
    data = status_json(term_ws, "--date", "2024-10-20")
    missing = {(m["activity"], m["period"]) for m in data["missing"]}
    due = {(m["activity"], m["period"]) for m in data["due"]}
    assert ("支委会", "2024-10") in due and ("支委会", "2024-10") not in missing
    assert ("支部党员大会", "2024Q4") in due
    for item in data["missing"] + data["due"]:
        assert item["end"] < "2024-10-01" or item["start"] <= "2024-10-20"  # never a future period
    # Meetings after "today" are not counted yet.
    assert data["counts"].get("党课") is None


def test_status_text_names_what_is_due_this_month(term_ws):
    result = term_ws("status", "-w", term_ws.root, "--term", TERM, "--date", "2024-10-20", ok=True)
    assert "本月（2024年10月）尚未完成" in result.output
    assert "支委会：每月至少1次，已开0次" in result.output
    assert "到会人数提醒" in result.output


# --- the compilation -------------------------------------------------------------------------------


def _table_counts(doc) -> dict[tuple[str, str], str]:
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    return {
        (row.cells[0].text, header[i]): row.cells[i].text
        for row in table.rows[1:]
        for i in range(1, len(header))
    }


def test_compilation_counts_equal_the_registers(batched_registers):
    term_ws, _ = batched_registers
    doc = Document(str(term_ws.root / TERM_DIR / COMPILATION))
    counts = _table_counts(doc)
    db = sqlite3.connect(term_ws.root / ".zhibu" / "index.sqlite3")
    expected = dict(
        db.execute(
            "SELECT category, count(*) FROM achievements WHERE date BETWEEN '2024-09-01' AND '2025-01-31' GROUP BY category"
        )
    )
    for category, n in expected.items():
        assert counts[(category, "合计")] == str(n)
    assert counts[("合计", "合计")] == str(sum(expected.values())) == "7"
    assert (
        counts[("论文", "国家级")] == "1"
        and counts[("论文", "省部级")] == "1"
        and counts[("论文", "校级")] == "1"
    )
    assert counts[("获奖/荣誉", "国家级")] == "1"
    # Registered without a level: counted as 未注明级别 (as the 工作总结 says), never guessed 其他.
    assert counts[("其他", "未注明级别")] == "1" and ("其他", "其他") not in counts
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "共登记成果7项，涉及完成人7人" in text and "其中本支部党员5人" in text
    assert "未注明级别1项" in text
    assert "上学期的论文" not in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    # Within a category: by level, then date.
    papers = [t for t in doc.tables[1:] if any("课程思政" in c.text for c in t.rows[1].cells)][0]
    assert [r.cells[1].text for r in papers.rows[1:]] == [
        "新能源汽车课程思政研究",
        "职业教育产教融合路径",
        "实训教学改革探索",
    ]
    assert [r.cells[4].text for r in papers.rows[1:]] == ["2024年10月8日", "2024年12月3日", "2024年9月15日"]


def test_compilation_structure_cover_toc_sections_and_profile(batched_registers):
    term_ws, _ = batched_registers
    doc = Document(str(term_ws.root / TERM_DIR / COMPILATION))
    texts = [p.text for p in doc.paragraphs]
    assert "汽车运用工程系党支部" in texts and "成果汇编" in texts and "2024—2025学年第一学期" in texts
    assert "编制日期：2025年1月31日" in texts  # a past term: dated at its last day
    body = doc.element.body
    assert any('TOC \\o "1-2"' in (i.text or "") for i in body.iter(qn("w:instrText")))
    headings = [p.text for p in doc.paragraphs if p.style.name in ("公文一级标题", "公文二级标题")]
    assert headings[:3] == ["一、成果统计概况", "二、成果清单", "（一）论文（3项）"]
    assert headings[-1] == "三、支部简介"
    toc = [p.text for p in doc.paragraphs if p.style.name.startswith("toc")]
    # the written contents match the headings (each followed by its page number after a tab)
    assert [t.split("\t")[0] for t in toc] == headings
    profile = texts[len(texts) - texts[::-1].index("三、支部简介")]
    assert "正式党员" in profile and "沈轶娜" in profile


def test_term_documents_open_and_name_east_asian_fonts(batched_registers):
    term_ws, _ = batched_registers
    for name in (COMPILATION, PLAN):
        doc = Document(str(term_ws.root / TERM_DIR / name))
        assert east_asia_font(doc, "Normal") in ("仿宋_GB2312", "仿宋")
        assert east_asia_font(doc, "公文标题") == "方正小标宋简体"
        assert east_asia_font(doc, "公文一级标题") == "黑体"
        assert east_asia_font(doc, "公文二级标题") in ("楷体_GB2312", "楷体")
        assert east_asia_font(doc, "公文表格") in ("仿宋_GB2312", "仿宋")
        for rfonts in doc.element.body.iter(qn("w:rFonts")):
            assert rfonts.get(qn("w:eastAsia")), name
        section = doc.sections[-1]
        assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


# --- the semester plan -----------------------------------------------------------------------------

PLAN_ITEMS = [
    ("2024-09", "召开支委会，研究新学期工作", "组织建设", "支委会", "沈轶娜"),
    ("2024-09", "召开支部党员大会，部署学期工作", "组织建设", "支部党员大会", "沈轶娜"),
    ("2024-10", "召开支委会，研究发展党员工作", "组织建设", "支委会", "沈轶娜"),
    ("2024-10", "主题党日：走进合作企业", "主题党日", "主题党日", "夏渊"),
    ("2024-11", "召开支委会", "组织建设", "支委会", "沈轶娜"),
    ("2024-11", "书记讲党课", "思想建设", "党课", "沈轶娜"),
]


def test_plan_uses_the_register_and_warns_about_missing_required_activities(term_ws):
    insert_rows(
        term_ws.root,
        "plan_items",
        [
            {"term": TERM, "month": m, "content": c, "category": cat, "activity": a, "owner": o}
            for m, c, cat, a, o in PLAN_ITEMS
        ],
        kind="工作计划表",
        texts=[
            (TERM, "总体思路", "坚持以党建引领专业建设。"),
            (TERM, "主要任务", "1、加强组织建设\n落实三会一课。\n2、丰富学习模式\n开展专题学习。"),
        ],
    )
    result = batch(term_ws)
    # December's 主题党日 was neither planned nor held; December's 支委会 was held, October's planned.
    gaps = {
        line.strip().split("：")[0]: line for line in result.output.splitlines() if "工作计划缺少" in line
    }
    assert "2024年12月" in gaps["工作计划缺少主题党日"] and "第十六条" in gaps["工作计划缺少主题党日"]
    assert "工作计划缺少支委会" not in gaps
    # Sections the branch did not write are left out, said by the run and in a Word comment.
    assert "工作计划中没有“工作目标”、“保障措施”（本学期的计划说明没有写）" in result.output
    doc = Document(str(term_ws.root / TERM_DIR / PLAN))
    texts = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name == "公文一级标题"]
    assert headings == ["一、指导思想", "二、主要任务", "三、工作安排"]
    assert "坚持以党建引领专业建设。" in texts
    assert "（一）加强组织建设" in texts and "（二）丰富学习模式" in texts
    assert not any("默认" in t or "程序" in t for t in texts)
    (comment,) = [c.text for c in doc.comments]
    assert comment.startswith("本计划没有“工作目标”、“保障措施”") and "计划说明" in comment
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["时间", "工作内容", "责任人"]
    contents = [r.cells[1].text for r in table.rows[1:]]
    assert contents == [c for _, c, _, _, _ in PLAN_ITEMS]
    assert table.rows[1].cells[0].text == "9月" and table.rows[-1].cells[2].text == "沈轶娜"


def test_plan_without_a_register_is_drafted_from_the_rules_and_says_so(batched):
    term_ws, output = batched
    assert "没有找到本学期的工作计划表" in output
    doc = Document(str(term_ws.root / TERM_DIR / PLAN))
    assert not any("未导入" in p.text or "程序" in p.text for p in doc.paragraphs)
    comments = [c.text for c in doc.comments]
    assert any(c.startswith("未导入本学期的工作计划表") for c in comments), comments
    rows = [(r.cells[0].text, r.cells[1].text) for r in doc.tables[0].rows[1:]]
    assert ("10月", "支委会（每月至少1次）") in rows
    assert not any(month == "1月" for month, _ in rows)  # January is a vacation month


# --- the bundled samples (notes and, when the register readers are installed, the registers) -----


def test_demo_term_outputs_agree_with_the_index(demo_ws):
    ws = demo_ws
    result = batch(ws)
    assert result.output.count("[新建]") == 3
    db = sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3")
    rows = db.execute(
        "SELECT category, count(*) FROM achievements WHERE date BETWEEN '2024-09-01' AND '2025-01-31'"
        " GROUP BY category"
    ).fetchall()
    assert rows, "the demo samples must file achievements (pipeline/samples/成果登记表.xlsx)"
    counts = _table_counts(Document(str(ws.root / TERM_DIR / COMPILATION)))
    for category, n in rows:
        assert counts[(category, "合计")] == str(n)
    members = db.execute(
        "SELECT count(*) FROM members m JOIN roster_versions v ON v.id = m.version_id"
        " WHERE v.active = 1 AND m.member_type != '预备'"
    ).fetchone()[0]
    doc_text = "\n".join(p.text for p in Document(str(ws.root / TERM_DIR / COMPILATION)).paragraphs)
    assert f"有正式党员{members}人" in doc_text
    # Every minutes document of the term is in the ledger, linked.
    wb = load_workbook(ledger_path(ws))
    linked = {
        c.hyperlink.target for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if c.hyperlink
    }
    filed = db.execute(
        "SELECT count(*) FROM outputs WHERE active = 1 AND kind = 'minutes' AND term = ?", (TERM,)
    ).fetchone()[0]
    assert len(linked) == filed
