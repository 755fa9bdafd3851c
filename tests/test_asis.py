"""Finished minutes filed as they are: inbox/原样归档/ and complete records in the branch's template."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest
from docx import Document

from tests.support.learn_forms import LAYOUTS

TERM = ("--term", "2024-2025-1", "--date", "2025-02-20")


def _minutes_rows(ws):
    con = sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3")
    try:
        return con.execute(
            "SELECT path, meeting_type, date, topic, body_text FROM outputs WHERE kind = 'minutes' AND active = 1"
        ).fetchall()
    finally:
        con.close()


def test_finished_record_is_filed_byte_for_byte_with_its_facts(ws, tmp_path):
    record = LAYOUTS["两栏表格"](tmp_path / "研究工作.docx")
    ws.drop("原样归档/研究工作.docx", record.read_bytes())
    result = ws.run(ok=True)
    assert "已按原样归档" in result.output
    [out] = ws.outputs("**/会议记录/**/*.docx")
    assert out.read_bytes() == record.read_bytes()
    assert out.name == "2024-09-03 支委会 研究本学期支部工作.docx"
    [(path, mtype, date, topic, body)] = _minutes_rows(ws)
    assert (mtype, date, topic) == ("支委会", "2024-09-03", "研究本学期支部工作")
    assert "实训楼205室" in body and "传达学习上级文件精神" in body
    # Search finds it by a word of its body.
    found = ws("search", "-w", ws.root, "上级文件", ok=True)
    assert "研究本学期支部工作" in found.output


def test_title_line_is_not_taken_as_the_topic(ws, tmp_path):
    record = LAYOUTS["文字行"](tmp_path / "记录.docx")
    ws.drop("原样归档/记录.docx", record.read_bytes())
    result = ws.run(ok=True)
    assert "已用标题行" not in result.output
    [(_, mtype, date, topic, _)] = _minutes_rows(ws)
    assert (mtype, date, topic) == ("支委会", "2024-09-03", "")


def test_agenda_is_the_topic_when_no_topic_is_written(ws, tmp_path):
    record = LAYOUTS["四栏表格"](tmp_path / "记录.docx")
    ws.drop("原样归档/记录.docx", record.read_bytes())
    ws.run(ok=True)
    [(_, mtype, date, topic, _)] = _minutes_rows(ws)
    assert (mtype, date, topic) == ("支委会", "2024-09-03", "研究本学期支部工作")


def test_undated_or_untyped_record_fails_with_the_reason(ws, tmp_path):
    untyped = LAYOUTS["横向带徽标"](tmp_path / "会议.docx")  # title 党支部会议记录: no type
    ws.drop("原样归档/会议.docx", untyped.read_bytes())
    undated = tmp_path / "支委会记录.docx"
    doc = Document()
    doc.add_paragraph("支委会会议记录")
    doc.add_paragraph("地点：实训楼205室")
    doc.add_paragraph("会议内容：")
    doc.add_paragraph("讨论了工作。")
    doc.save(undated)
    ws.drop("原样归档/支委会记录.docx", undated.read_bytes())
    ws.drop("原样归档/记录.pdf", b"%PDF-1.4 not really")
    ws.drop("原样归档/记录.xlsx", b"PK not a workbook")
    ws.run(ok=False)
    failed = ws.root / "inbox" / "失败"
    reason = (failed / "会议.docx.原因.txt").read_text(encoding="utf-8-sig")
    assert "无法原样归档" in reason and "会议类型" in reason and "原样归档/会议.docx" in reason
    reason = (failed / "支委会记录.docx.原因.txt").read_text(encoding="utf-8-sig")
    assert "无法原样归档" in reason and "会议时间" in reason
    reason = (failed / "记录.pdf.原因.txt").read_text(encoding="utf-8-sig")
    assert "PDF 文件已损坏" in reason and "原样归档/记录.pdf" in reason
    reason = (failed / "记录.xlsx.原因.txt").read_text(encoding="utf-8-sig")
    assert "只收 Word 文档（.docx）和 PDF" in reason
    assert not _minutes_rows(ws)


def test_own_output_dropped_again_is_recognised_as_a_complete_record(ws, tmp_path):
    """A record made with the branch's template, finished in Word, comes back in the inbox root."""
    ws.drop(
        "2024-10-08 支委会.txt",
        "会议类型：支委会\n会议名称：讨论发展对象\n时间：2024年10月8日 14:30\n地点：党员活动室\n"
        "主持人：柏青原\n记录人：聂思远\n出席人员：柏青原、聂思远\n会议内容：\n讨论了发展对象。\n",
    )
    ws.run(ok=True)
    [made] = ws.outputs("**/会议记录/**/*.docx")
    finished = Document(str(made))
    finished.add_paragraph("会后补记：已报党委备案。")  # edited in Word by the secretary
    finished.save(tmp_path / "定稿.docx")
    # a different meeting, so it is not the same record as before
    doc = Document(str(tmp_path / "定稿.docx"))
    for p in doc.paragraphs:
        for run in p.runs:
            run.text = run.text.replace("2024年10月8日", "2024年11月12日").replace(
                "讨论发展对象", "组织生活安排"
            )
    doc.save(tmp_path / "定稿.docx")
    ws.drop("定稿.docx", (tmp_path / "定稿.docx").read_bytes())
    result = ws.run(ok=True)
    assert "已按原样归档" in result.output
    filed = [p for p in ws.outputs("**/会议记录/**/*.docx") if "2024-11-12" in p.name]
    assert [p.read_bytes() for p in filed] == [(tmp_path / "定稿.docx").read_bytes()]


def test_ordinary_docx_note_is_still_rendered(ws, tmp_path):
    note = tmp_path / "笔记.docx"
    doc = Document()
    for line in ("会议类型：支委会", "时间：2024年10月8日", "地点：党员活动室", "会议内容：", "讨论了工作。"):
        doc.add_paragraph(line)
    doc.save(note)
    ws.drop("笔记.docx", note.read_bytes())
    result = ws.run(ok=True)
    assert "已按原样归档" not in result.output
    [made] = ws.outputs("**/会议记录/**/*.docx")
    assert made.read_bytes() != note.read_bytes()


@pytest.mark.slow
def test_as_is_record_in_ledger_rerender_and_print_volume(ws, tmp_path):
    record = LAYOUTS["两栏表格"](tmp_path / "研究工作.docx")
    ws.drop("原样归档/研究工作.docx", record.read_bytes())
    ws.drop(
        "2024-10-08 支委会.txt",
        "会议类型：支委会\n会议名称：讨论发展对象\n时间：2024年10月8日 14:30\n地点：党员活动室\n"
        "主持人：柏青原\n记录人：聂思远\n会议内容：\n讨论了发展对象。\n",
    )
    ws.run(ok=True)
    ws("batch", "-w", ws.root, *TERM, ok=True)
    ledger = next((ws.root / "outbox").rglob("*台账*.xlsx"))
    cells = [
        str(c.value)
        for sheet in openpyxl.load_workbook(ledger).worksheets
        for row in sheet.iter_rows()
        for c in row
    ]
    assert any("研究本学期支部工作" in c for c in cells)
    # Re-rendering the term leaves the finished record exactly as filed.
    ws("batch", "-w", ws.root, *TERM, "--rerender", "--jobs", "1", ok=True)
    [out] = [p for p in ws.outputs("**/会议记录/**/*.docx") if "2024-09-03" in p.name]
    assert out.read_bytes() == record.read_bytes()
    # The print volume holds it.
    result = ws("print", "-w", ws.root, "--term", "2024-2025-1", ok=True)
    volume = ws.root / result.output.strip().splitlines()[-1]
    import subprocess

    text = subprocess.run(["pdftotext", str(volume), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "机电工程系党支部支委会会议记录" in flat and "实训楼205室" in flat and "讨论了发展对象" in flat


def test_type_comes_from_the_learnt_template_the_record_is_filled_in(ws, tmp_path):
    """Title 党支部会议记录 names no type; the record is in the layout of templates/党课.docx."""
    form = LAYOUTS["横向带徽标"](tmp_path / "表格.docx")
    ws("templates", "learn", form, "--type", "党课", "-w", ws.root, ok=True)
    ws.drop("原样归档/会议.docx", form.read_bytes())
    ws.run(ok=True)
    [(_, mtype, date, _, _)] = _minutes_rows(ws)
    assert (mtype, date) == ("党课", "2024-09-03")


def test_docx_note_with_a_label_table_is_rendered_not_filed_as_is(ws, tmp_path):
    form = LAYOUTS["两栏表格"](tmp_path / "表格.docx")
    ws("templates", "learn", form, "--type", "支委会", "-w", ws.root, ok=True)
    note = tmp_path / "笔记.docx"
    doc = Document()
    table = doc.add_table(rows=4, cols=2)
    for row, (k, v) in zip(
        table.rows,
        [("会议类型", "支委会"), ("时间", "2024年10月8日"), ("地点", "党员活动室"), ("主持人", "柏青原")],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = k, v
    doc.add_paragraph("会议内容：")
    doc.add_paragraph("讨论了工作。")
    doc.save(note)
    ws.drop("笔记.docx", note.read_bytes())
    result = ws.run(ok=True)
    assert "已按原样归档" not in result.output
    [made] = ws.outputs("**/会议记录/**/*.docx")
    # Rendered in the learnt layout: the form's title and its table of 11 rows.
    rendered = Document(str(made))
    assert rendered.paragraphs[0].text == "机电工程系党支部支委会会议记录"
    assert len(rendered.tables[0].rows) == 11 and "党员活动室" in rendered.tables[0].cell(2, 1).text
