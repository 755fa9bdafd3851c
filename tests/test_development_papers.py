"""The 发展党员 papers of zhibu batch, read back as printed: the 发展对象公示, the 进度表, the
发展党员台账 and 问题清单 sheets of the term ledger (LibreOffice → PDF → text per page, font
sizes of the printed characters) and the 成果汇编's counts. One workspace for the module: the
register of tests/support/development_data.py, its minutes and roster, two terms batched."""

from __future__ import annotations

import datetime as dt
import re

import pdfplumber
import pytest
from docx import Document
from openpyxl import load_workbook

from pipeline.config import demo_config_text
from pipeline.records.development import STEPS
from tests.conftest import Zhibu
from tests.support.development_data import (
    PEOPLE,
    TODAY,
    minutes_notes,
    register_workbook,
    roster_workbook,
)
from tests.support.docs import docx_text
from tests.support.layout_pdf import fonts, page_texts, to_pdf
from tests.support.workspaces import new_workspace, process_state_kept

TERM = "2025-2026学年/第一学期"
SUMMER = "2024-2025学年/第二学期"
CONTACT = {"publicity_contact": "组织委员 夏渊", "publicity_phone": "021-69581234"}

# Slow (LibreOffice prints five documents): in the fast lane, tests/test_development.py keeps the
# facts of the same papers (test_step_states_tell_done_undated_overdue_and_ahead,
# test_period_counts_say_what_the_upper_committee_approved, test_forms_blank_register_is_read_back,
# test_batch_adds_missing_templates_and_renders_an_edited_one).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def papers(tmp_path_factory):
    with process_state_kept():
        return _build(tmp_path_factory)


def _build(tmp_path_factory) -> dict:
    root = new_workspace(tmp_path_factory.mktemp("dev") / "ws")
    ws = Zhibu(root)
    config = demo_config_text()
    for key, value in CONTACT.items():
        config = config.replace(f'{key} = ""', f'{key} = "{value}"', 1)
    (root / "zhibu.toml").write_text(config, encoding="utf-8")
    ws.drop("党员名册.xlsx", roster_workbook())
    ws.run()
    for name, text in minutes_notes().items():
        ws.drop(name, text)
    ws.drop("发展党员登记表.xlsx", register_workbook())
    ws.run()
    out = ws("batch", "-w", root, "--term", "2025-2026-1", "--date", TODAY, ok=True).output
    ws("batch", "-w", root, "--term", "2024-2025-2", "--date", "2025-08-31", ok=True)
    folder, summer = root / "outbox" / TERM, root / "outbox" / SUMMER
    docs = {
        "公示": folder / "发展党员" / "2025-09-26 发展对象公示.docx",
        "夏季公示": summer / "发展党员" / "2025-08-25 发展对象公示.docx",
        "陆子衿": folder / "发展党员" / "发展党员进度表 陆子衿.docx",
        "程晓岚": folder / "发展党员" / "发展党员进度表 程晓岚.docx",
        "简雨澄": folder / "发展党员" / "发展党员进度表 简雨澄.docx",
        "台账": folder / "2025-2026学年第一学期三会一课台账.xlsx",
        "汇编": folder / "2025-2026学年第一学期成果汇编.docx",
    }
    printed = [docs[k] for k in ("公示", "夏季公示", "陆子衿", "程晓岚", "台账")]
    pdfs = to_pdf(printed, tmp_path_factory.mktemp("pdf"))
    return {"out": out, "docs": docs, "pdfs": {k: pdfs[docs[k]] for k in docs if docs[k] in pdfs}}


def _squeezed(pdf) -> list[str]:
    return [re.sub(r"\s+", "", page) for page in page_texts(pdf)]


def _sizes(pdf, pages=None) -> set[float]:
    with pdfplumber.open(pdf) as doc:
        chosen = [doc.pages[i] for i in pages] if pages is not None else doc.pages
        return {round(c["size"], 1) for page in chosen for c in page.chars if c["text"].strip()}


def test_publicity_carries_the_facts_and_the_contact_line(papers):
    text = docx_text(papers["docs"]["公示"])
    assert "关于沈星河同志作为发展对象的公示" in text
    assert (
        "沈星河，1994年10月出生，汽车营销教研室，2023年3月1日递交入党申请书，2023年9月1日确定为入党积极分子，"
        "2024年10月8日确定为发展对象，入党介绍人程立夏、方予安。"
    ) in text
    assert "公示时间：2025年9月26日至2025年10月9日（5个工作日）。" in text
    assert "联系人：组织委员 夏渊" in text and "联系电话：021-69581234" in text
    summer = docx_text(papers["docs"]["夏季公示"])
    assert (
        "温若溪，女，1996年8月出生，大学本科学历，汽车营销教研室，2022年3月1日递交入党申请书，"
        "2023年3月1日确定为入党积极分子，2024年9月1日确定为发展对象。"
    ) in summer
    pages = _squeezed(papers["pdfs"]["公示"])
    assert len(pages) == 1
    assert "联系人：组织委员夏渊" in pages[0] and "联系电话：021-69581234" in pages[0]
    assert "1994年10月出生" in pages[0] and not re.search(r"\d{4}-\d{2}", pages[0])
    assert "1996年8月出生" in _squeezed(papers["pdfs"]["夏季公示"])[0]
    assert min(_sizes(papers["pdfs"]["公示"])) >= 14  # body 三号, page number 四号
    assert all("CJK" in name for name in fonts(papers["pdfs"]["公示"]))  # Chinese fonts, embedded


def test_publicity_without_contact_settings_leaves_a_rule_and_says_so(ws):
    for name, text in minutes_notes().items():
        ws.drop(name, text)
    ws.drop("发展党员登记表.xlsx", register_workbook())
    ws.run()
    out = ws("batch", "-w", ws.root, "--term", "2025-2026-1", "--date", TODAY, ok=True).output
    assert "发展对象公示中的联系人、联系电话留空待手写：请在 zhibu.toml 的 [development] 中填写" in out
    doc = Document(str(ws.root / "outbox" / TERM / "发展党员" / "2025-09-26 发展对象公示.docx"))
    line = next(p for p in doc.paragraphs if p.text.startswith("联系人："))
    assert line.text.strip("\u3000") == "联系人：" and any(r.underline for r in line.runs)


def test_office_phone_only(ws):
    config = ws.root / "zhibu.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('publicity_phone = ""', 'publicity_phone = "13912345678"'), encoding="utf-8"
    )
    out = ws("status", "-w", ws.root, ok=False).output
    assert "development.publicity_phone" in out and "个人手机号" in out and "13912345678" not in out


def _steps(doc) -> dict[str, list[str]]:
    table = Document(str(doc)).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    return {r[0]: r for r in rows if r[0].isdigit()} | {"stages": [r[0] for r in rows if not r[0].isdigit()]}


def test_progress_tells_done_undated_overdue_and_ahead(papers):
    steps = _steps(papers["docs"]["陆子衿"])
    assert steps["stages"] == [
        "一、申请入党",
        "二、入党积极分子",
        "三、发展对象",
        "四、接收预备党员",
        "五、预备党员教育考察和转正",
    ]
    assert steps["15"] == ["15", "支部党员大会讨论接收", "2025年6月20日", "支部党员大会", "已完成"]
    assert steps["10"][1:] == [
        "政治审查",
        "",
        "党支部",
        "未登记日期",
    ]  # the 支部大会 is dated: 政审 came first
    assert steps["12"][2] == "公示2025年6月9日\n至6月13日" and steps["12"][4] == "未登记日期"
    assert steps["17"][2:] == ["截止2025年9月20日", "上级党委", "已逾期"]
    assert steps["16"][4] == "尚未完成" and steps["25"][4] == "尚未完成"
    text = docx_text(papers["docs"]["陆子衿"])
    assert (
        "1. 第17步“上级党委审批”已逾期：报上级党委审批（支部大会后三个月内），应于2025年9月20日前完成" in text
    )
    assert "登记表没有政审日期（接收为预备党员前须经政治审查）" in text
    assert "第4步报上级党委备案、第5步指定培养联系人" in text and "已进行的步骤都已登记" not in text
    assert (
        "接收预备党员（2025年6月20日，支部党员大会）：会议记录的日期是2025年6月21日，与登记表不一致" in text
    )
    assert "制表日期：2025年10月15日" in text
    full = _steps(papers["docs"]["程晓岚"])  # every step in order, every column filled
    assert all(full[str(n)][4] == "已完成" for n in range(1, 26))
    assert full["5"][3] == "程立夏\n方予安" and full["19"][3] == "第二党小组"
    assert full["11"][2] == "2021年5月8日\n24学时" and full["21"][2] == "2021年12月20日\n2022年3月20日"
    text = docx_text(papers["docs"]["程晓岚"])
    assert "已进行的步骤都已登记。" in text and "未发现逾期的步骤或不符合发展党员工作细则的日期。" in text
    # Nothing left for a 正式党员 whose 材料 are archived: said, not a blank 下一步.
    assert "下 一 步：无（发展程序已完成，入党材料已于2022年8月1日归档）" in text
    roster = docx_text(papers["docs"]["简雨澄"])
    assert "党员名册「党员名册.xlsx」的入党时间是2024年10月22日" in roster


def test_progress_printed(papers):
    pages = _squeezed(papers["pdfs"]["陆子衿"])
    assert len(pages) <= 3
    step = re.compile(r"^\s*\d{1,2}\s+(" + "|".join(name for _, _, name, _, _ in STEPS) + ")", re.M)
    rows = [page for page in page_texts(papers["pdfs"]["陆子衿"], layout=True) if step.search(page)]
    header = re.compile(r"^\s*序号\s+步骤\s+日期\s+经办\s+情况\s*$", re.M)
    assert len(rows) == 2 and all(header.search(page) for page in rows)  # the table's header repeats
    table = "".join(pages)
    for whole in ("2025年6月20日", "2022年3月10日", "截止2025年9月20日", "支部党员大会", "未登记日期"):
        assert whole in table, whole
    assert min(_sizes(papers["pdfs"]["陆子衿"])) >= 10.5  # the table at 五号


_DATE_HEAD = re.compile(r"\d{4}年(\d{1,2}(月(\d{1,2})?)?)?$")
_DATE_TAIL = re.compile(r"^(\d{1,2}月)?\d{1,2}日|^月|^日")


def _broken(lines: list[str], names: list[str]) -> list[tuple[str, str]]:
    """Consecutive printed lines that split a date (2025年10月 / 11日) or a name (简雨 / 澄)."""
    out = []
    for a, b in zip(lines, lines[1:], strict=False):
        if _DATE_HEAD.search(a) and _DATE_TAIL.search(b):
            out.append((a, b))
        for name in names:
            if any(a.endswith(name[:i]) and b.startswith(name[i:]) for i in range(1, len(name))):
                out.append((a, b))
    return out


def _ledger_pages(papers) -> tuple[list[str], list[int]]:
    pages = page_texts(papers["pdfs"]["台账"])
    chosen = [i for i, p in enumerate(pages) if "发展党员工作台账" in p or "发展党员问题清单" in p]
    return [pages[i] for i in chosen], chosen


def test_ledger_sheets_as_cells(papers):
    book = load_workbook(papers["docs"]["台账"])
    sheet = book["发展党员台账"]
    assert sheet["A1"].value == "汽车运用工程系党支部发展党员工作台账（截至2025年10月15日）"
    header = [c.value for c in sheet[3]]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=4) if r[1].value}
    assert len(rows) == 19
    late = rows["周以宁"]
    assert late[header.index("当前阶段")].value == "积极分子"
    assert late[header.index("截止日期")].value.date() == dt.date(2025, 1, 10)
    assert late[header.index("状态")].value == "逾期"
    assert late[header.index("截止日期")].fill.fgColor.rgb == "FFFFC7CE"
    assert rows["简雨澄"][header.index("状态")].value == "即将到期"
    assert rows["许南乔"][header.index("支部大会接收")].value.date() == dt.date(2025, 10, 11)
    done = "".join(rows["程晓岚"][header.index("下一步")].value.split())  # wrapped in its cell
    assert done == "无（发展程序已完成，入党材料已于2022年8月1日归档）"
    assert rows["何望舒"][header.index("下一步")].value == "入党材料归档"
    setup = sheet.page_setup
    assert (setup.orientation, setup.scale, sheet.sheet_properties.pageSetUpPr.fitToPage) == (
        "landscape",
        100,
        False,
    )
    assert sheet.print_title_rows == "$2:$3" and sheet.print_title_cols == "$A:$B"
    assert [b.id for b in sheet.col_breaks.brk] == [8]
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            assert cell.value is None or (cell.font.sz or 11) >= 11
    problems = book["发展党员问题清单"]
    found = [(r[1].value, r[2].value, r[3].value) for r in problems.iter_rows(min_row=3) if r[1].value]
    assert ("许南乔", "不合规定", "公示2025年9月29日至2025年10月9日只有3个工作日，少于5个工作日") in [
        (a, b, c.replace("\n", "")) for a, b, c in found
    ]
    assert (
        "许南乔",
        "会议记录核对",
        "接收预备党员（2025年10月11日，支部党员大会）：没有找到当天的支部党员大会记录",
    ) in [(a, b, c.replace("\n", "")) for a, b, c in found]
    assert problems.page_setup.orientation == "portrait" and problems.print_title_rows == "$2:$2"
    summer = load_workbook(
        papers["docs"]["台账"].parents[2]
        / "2024-2025学年"
        / "第二学期"
        / "2024-2025学年第二学期三会一课台账.xlsx"
    )
    sheet = summer["发展党员台账"]
    assert sheet["A1"].value.endswith("（截至2025年8月31日）")
    # Judged as the register stood then: what is dated later had not happened.
    header = [c.value for c in sheet[3]]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=4) if r[1].value}
    assert rows["乔木森"][header.index("当前阶段")].value == "预备党员"
    assert rows["乔木森"][header.index("转正大会")].value is None
    assert rows["温若溪"][header.index("当前阶段")].value == "发展对象" and "林初晴" not in rows


def test_ledger_printed_at_full_size_nothing_broken(papers):
    pages, numbers = _ledger_pages(papers)
    main = [p for p in pages if "发展党员工作台账" in p]
    listing = [p for p in pages if "发展党员问题清单" in p]
    assert 2 <= len(main) <= 4 and 1 <= len(listing) <= 3
    names = ("简雨澄", "林初晴", "温若溪", "闻书瑶")
    for page in main:  # 序号, 姓名 and the headers head every page of both column groups
        assert "序号" in page and "姓名" in page and any(name in page for name in names)
    groups = ["".join(p.split()) for p in main]
    assert any("下一步" in g and "截止日期" in g for g in groups)
    assert any("支部大会接收" in g and "转正审批" in g for g in groups)  # the date group whole on a page
    dates = "\n".join(main)
    for whole in ("2025年10月11日", "2024年12月20日", "2021年9月10日"):  # date cells print whole
        assert whole in dates, whole
    lines = [line.strip() for p in pages for line in p.splitlines() if line.strip()]
    names = [name for name, _ in PEOPLE] + ["程立夏", "方予安"]
    assert not _broken(lines, names), _broken(lines, names)
    assert min(_sizes(papers["pdfs"]["台账"], numbers)) >= 9
    assert all("CJK" in name for name in fonts(papers["pdfs"]["台账"]))


def test_compilation_counts_only_what_was_approved(papers):
    text = docx_text(papers["docs"]["汇编"])
    assert (
        "发展党员工作：2025—2026学年第一学期确定入党积极分子0人、发展对象0人；"
        "接收预备党员：支部大会通过2人，其中上级党委已批准1人；"
        "预备党员转正：支部大会通过1人，其中上级党委已批准1人（另有1人的转正大会早于预备期满，未计入）。"
        "本学年累计："
    ) in text
