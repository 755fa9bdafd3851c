"""zhibu render REGISTER --template T: one document per row through the batch renderer."""

from __future__ import annotations

from docx import Document
from openpyxl import Workbook

from pipeline.commands.cli import cli  # noqa: F401 - the command must be registered
from tests.conftest import REPO
from tests.support.docs import docx_text, field

SAMPLES = REPO / "pipeline" / "samples"


def test_meeting_register_gives_one_minutes_per_row(ws):
    out = ws.root / "批量"
    result = ws(
        "render",
        "-w",
        ws.root,
        SAMPLES / "会议登记表-2024秋.xlsx",
        "--template",
        "会议记录",
        "--out",
        out,
        ok=True,
    )
    docs = sorted(out.glob("*.docx"))
    assert len(docs) == 4 and "生成 4 份，失败 0 份" in result.output
    first = docs[0]
    assert first.name == "0001 2024-09-03 支委会 研究本学期支部工作计划.docx"
    assert field(first, "会议名称") == "研究本学期支部工作计划" and "支委会会议记录" in docx_text(first)
    # Nothing was filed: render does not touch the archive or the inbox.
    assert not (ws.root / ".zhibu" / "index.sqlite3").exists() or not ws.outputs()


def _certificate(path):
    d = Document()
    d.add_paragraph("荣誉证书")
    d.add_paragraph("{{ 完成人 }}：你的成果《{{ 成果名称 }}》（{{ 类别 }}，{{ 级别 }}，{{ 时间 }}）")
    d.save(str(path))


def test_custom_template_over_an_achievement_register_with_jobs(ws):
    _certificate(ws.root / "templates" / "证书.docx")
    wb = Workbook()
    sheet = wb.active
    sheet.append(["成果名称", "类别", "完成人", "级别", "时间", "刊物或颁发单位"])
    for i in range(30):
        sheet.append([f"成果{i} & <测试>", "期刊论文", f"作者{i}", "省级", "2024年10月", "《职业技术教育》"])
    register = ws.root / "成果.xlsx"
    wb.save(register)
    one, two = ws.root / "一", ws.root / "二"
    ws("render", "-w", ws.root, register, "-t", "证书", "-o", one, "--jobs", "1", ok=True)
    ws("render", "-w", ws.root, register, "-t", "证书.docx", "-o", two, "--jobs", "2", ok=True)
    docs = sorted(one.glob("*.docx"))
    assert len(docs) == 30
    assert "作者0：你的成果《成果0 & <测试>》（论文，省部级，2024年10月）" in docx_text(docs[0])
    assert [d.read_bytes() for d in docs] == [d.read_bytes() for d in sorted(two.glob("*.docx"))]


def test_template_variable_error_is_reported_per_record(ws):
    d = Document()
    d.add_paragraph("{{ 成果名称 }} {{ 奖金 }}")
    d.save(str(ws.root / "templates" / "坏.docx"))
    result = ws(
        "render", "-w", ws.root, SAMPLES / "成果登记表.xlsx", "-t", "坏", "-o", ws.root / "x", ok=False
    )
    assert "[失败] 工作表「成果」第4行" in result.output and "奖金" in result.output


def test_batch_rerender_applies_an_edited_template_to_the_term(ws):
    for name, text in [
        ("a.txt", "会议类型：支委会\n会议主题：甲\n时间：2024年10月8日\n参会人员：沈轶娜、夏渊\n"),
        ("b.txt", "会议类型：党课\n会议主题：乙\n时间：2024年11月8日\n主讲人：沈轶娜\n"),
        ("c.txt", "会议类型：党课\n会议主题：下学期\n时间：2025年3月8日\n"),
    ]:
        ws.drop(name, text)
    ws.run(ok=True)
    template = ws.root / "templates" / "会议记录.docx"
    doc = Document(str(template))
    doc.add_paragraph("本记录由支部统一归档（模板已修改）")
    doc.save(str(template))
    result = ws(
        "batch", "-w", ws.root, "--term", "2024-2025-1", "--rerender", "--jobs", "2", "--date", "2025-02-01"
    )
    assert "重新生成会议记录 2 份，未变化 0 份" in result.output, result.output
    term_docs = ws.outputs("2024-2025学年/第一学期/会议记录/**/*.docx")
    assert len(term_docs) == 2 and all("模板已修改" in docx_text(d) for d in term_docs)
    history = list((ws.root / "outbox" / "2024-2025学年" / "第一学期" / "历史版本").glob("*.docx"))
    assert len(history) == 2 and not any("模板已修改" in docx_text(h) for h in history)
    spring = ws.outputs("2024-2025学年/第二学期/会议记录/**/*.docx")
    assert spring and "模板已修改" not in docx_text(spring[0])  # other terms untouched
    again = ws("batch", "-w", ws.root, "--term", "2024-2025-1", "--rerender", "--date", "2025-02-01")
    assert "重新生成会议记录 0 份，未变化 2 份" in again.output
