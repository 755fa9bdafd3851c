"""Term documents dated by their term and free of program text: a past term's documents carry its
last day (or zhibu.toml's as_of, or --as-of) and everything in them is judged as of that date;
the 党组织简介 states the roster as it stood then; a section nobody wrote is left out or blank."""

from __future__ import annotations

import datetime as dt
import json
import re

from docx import Document
from openpyxl import load_workbook

from tests.support.docs import docx_text
from tests.support.term import COMPILATION, LEDGER, PLAN, TERM, TERM_DIR, insert_rows, note

TODAY = "2026-12-07"  # long after the term


def _cover_date(ws) -> str:
    doc = Document(str(ws.root / TERM_DIR / COMPILATION))
    return next(p.text for p in doc.paragraphs if p.text.startswith("编制日期"))


ACHIEVEMENT = [{"name": "课程思政研究", "category": "论文", "date": "2024-10-08"}]


def test_a_past_terms_documents_carry_its_last_day_and_another_date_when_asked(ws):
    insert_rows(ws.root, "achievements", ACHIEVEMENT)
    ws.drop("支委会.txt", note("支委会", "2024-10-08", "研究发展工作"))
    ws.run(ok=True)
    result = ws("batch", "-w", ws.root, "--term", TERM, "--date", TODAY, "--json", ok=True)
    (term,) = json.loads(result.output)["terms"]
    assert term["as_of"] == "2025-01-31"
    assert _cover_date(ws) == "编制日期：2025年1月31日"
    book = load_workbook(ws.root / TERM_DIR / LEDGER)
    assert "统计截至2025年1月31日" in book["合规检查"]["A1"].value
    assert book.properties.created.date() == dt.date(2025, 1, 31)
    # The plan is dated at the term's start (its plan_date), whatever the day of the run.
    plan = Document(str(ws.root / TERM_DIR / PLAN))
    assert plan.core_properties.created.date() == dt.date(2024, 9, 1)
    assert "2024年9月1日" in docx_text(ws.root / TERM_DIR / PLAN)
    # Run again on another day: nothing changes.
    again = ws("batch", "-w", ws.root, "--term", TERM, "--date", "2027-03-01", ok=True)
    assert again.output.count("[未变化]") == 3

    ws("batch", "-w", ws.root, "--term", TERM, "--date", TODAY, "--as-of", "2025-01-20", ok=True)
    assert _cover_date(ws) == "编制日期：2025年1月20日"
    # zhibu.toml's [[calendar.terms]] as_of, when no --as-of is given
    config = ws.root / "zhibu.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f'\n[[calendar.terms]]\nid = "{TERM}"\nstart = 2024-09-01\nend = 2025-01-31\nas_of = 2025-01-18\n',
        encoding="utf-8",
    )
    ws("batch", "-w", ws.root, "--term", TERM, "--date", TODAY, ok=True)
    assert _cover_date(ws) == "编制日期：2025年1月18日"


def test_the_current_term_is_judged_as_of_today(ws):
    insert_rows(ws.root, "achievements", ACHIEVEMENT)
    ws.drop("支委会.txt", note("支委会", "2024-10-08", "研究发展工作"))
    ws.run(ok=True)
    ws("batch", "-w", ws.root, "--term", TERM, "--date", "2024-11-15", ok=True)
    assert _cover_date(ws) == "编制日期：2024年11月15日"


def test_profile_states_the_roster_as_it_stood_on_a_day(ws):
    insert_rows(
        ws.root,
        "members",
        [
            {"name": "沈轶娜", "member_type": "正式", "party_post": "党支部书记", "joined": "2011-06-01"},
            {"name": "唐亮", "member_type": "正式", "joined": "2024-07-01", "confirmed": "2025-07-01"},
            {"name": "许诺", "member_type": "预备", "joined": "2025-03-01"},
        ],
        kind="党员名册",
    )
    now = ws("profile", "-w", ws.root, ok=True).output
    assert "有正式党员2人（预备党员1人）" in now
    then = ws("profile", "-w", ws.root, "--as-of", "2025-01-31", "--docx", ok=True).output
    assert "有正式党员1人（预备党员1人）" in then  # 许诺 had not joined, 唐亮 was still 预备
    text = docx_text(ws.root / "outbox" / "党组织简介.docx")
    assert "2025年1月31日" in text and "有正式党员1人（预备党员1人）" in text


def test_no_program_sentence_where_a_section_or_a_roster_is_missing(ws):
    ws.drop("支委会.txt", note("支委会", "2024-10-08", "研究发展工作"))
    talk = (
        "会议类型：谈心谈话\n谈话时间：2024-11-05 16:00\n谈话地点：党支部活动室\n谈话人：沈轶娜\n"
        "谈话对象：张伟\n记录人：沈轶娜\n谈话内容：\n交流思想和工作情况。\n"
    )
    ws.drop("谈话.txt", talk)
    out = ws.run(ok=True).output
    assert "笔记中没有写谈话效果，谈话记录中这一节留空" in out
    (record,) = ws.outputs("**/谈心谈话/*.docx")
    body = docx_text(record)
    assert "谈话效果" in body and "未记录" not in body
    result = ws("batch", "-w", ws.root, "--term", TERM, "--date", TODAY, ok=True)
    # Neither achievements nor a roster: nothing to compile, no 汇编 (never a table of noughts).
    assert "还没有导入成果登记表" in result.output and "还没有导入党员名册" in result.output
    assert not (ws.root / TERM_DIR / COMPILATION).exists()
    # Achievements but no roster: the 汇编 has no 支部简介, and the run says why.
    insert_rows(ws.root, "achievements", ACHIEVEMENT)
    result = ws("batch", "-w", ws.root, "--term", TERM, "--date", TODAY, ok=True)
    assert "成果汇编中没有“支部简介”：还没有导入党员名册" in result.output
    compilation = docx_text(ws.root / TERM_DIR / COMPILATION)
    assert "支部共登记成果1项" in compilation
    assert "支部简介" not in compilation and "尚未导入" not in compilation
    # No plan note: the plan has no narrative section, and the run and status say what to fill in.
    plan = docx_text(ws.root / TERM_DIR / PLAN)
    assert not re.search(r"指导思想|工作目标|保障措施|默认|程序", plan)
    status = ws("status", "-w", ws.root, "--term", TERM, "--date", TODAY, ok=True).output
    assert "学期材料：工作计划中没有“指导思想”、“工作目标”、“保障措施”" in status
