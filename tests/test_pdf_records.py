"""PDFs with a text layer: a note exported from Word read like the .docx, a finished record filed as
the PDF it is; encrypted, corrupt and bomb PDFs refused with a Chinese reason."""

from __future__ import annotations

import sqlite3

import pytest
from docx import Document

from pipeline.ingest.pdfguard import PdfLimits, check_pdf
from pipeline.ingest.pdfnote import pdf_text
from pipeline.office.convert import convert_documents
from tests.support import scans

NOTE_LINES = (
    "支委会会议记录",
    "会议名称：研究寒假前党建工作",
    "时间：2024年12月18日 下午2:30",
    "地点：机电楼305会议室",
    "主持人：柯景行　　记录人：严素秋",
    "出席人员：柯景行、严素秋、祁望舒",
    "缺席人员：詹立言（出差）",
    "会议内容：",
    "书记通报了本学期支部工作考核的准备情况，委员们逐项对照检查，认为三会一课、主题党日和发展党员"
    "工作的台账基本齐全，个别记录缺少签字，要求在寒假前补齐，并由组织委员汇总后报学院党委。",
    "决议：",
    "同意由严素秋同志负责补齐记录签字。",
)


def _rows(ws):
    con = sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3")
    try:
        return con.execute(
            "SELECT path, meeting_type, date, topic, place, chair, body_text FROM outputs "
            "WHERE kind = 'minutes' AND active = 1"
        ).fetchall()
    finally:
        con.close()


def _word_pdf(tmp_path, lines, table: list[list[str]] | None = None):
    """A note typed in Word and exported to PDF (LibreOffice stands in for Word's export)."""
    doc = Document()
    for text in lines:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        grid.style = "Table Grid"
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    source = tmp_path / "笔记.docx"
    doc.save(source)
    made = convert_documents([source], tmp_path / "pdf", workers=1)
    assert not made.failures
    return made.pdfs[source]


@pytest.mark.slow
def test_note_exported_to_pdf_is_read_like_the_docx(ws, tmp_path):
    pdf = _word_pdf(tmp_path, NOTE_LINES)
    text = pdf_text(pdf)
    # The long paragraph wrapped over lines by the word processor reads as one paragraph again.
    assert "认为三会一课、主题党日和发展党员工作的台账基本齐全" in text
    ws.drop("支委会笔记.pdf", pdf.read_bytes())
    result = ws.run(ok=True)
    assert "已按原样归档" not in result.output  # a note: rendered from the branch's template
    [(path, mtype, date, topic, place, chair, body)] = _rows(ws)
    assert path.endswith(".docx")
    assert (mtype, date, topic, place, chair) == (
        "支委会",
        "2024-12-18",
        "研究寒假前党建工作",
        "机电楼305会议室",
        "柯景行",
    )
    made = Document(str(ws.root / path))
    text = "\n".join(p.text for p in made.paragraphs)
    assert "记录人：严素秋" in text.replace(" ", "").replace("\u3000", "") and "詹立言（出差）" in text
    assert any("个别记录缺少签字" in p.text for p in made.paragraphs)
    assert (ws.root / "outbox").rglob("原始材料/支委会笔记.pdf")


@pytest.mark.slow
def test_a_ruled_table_in_a_pdf_reads_as_fields(tmp_path):
    table = [
        ["会议类型", "党小组会", "时间", "2024年11月6日"],
        ["地点", "教学楼A212", "主持人", "宁澄"],
        ["记录人", "", "出席人员", "宁澄、祁望舒"],
    ]
    pdf = _word_pdf(tmp_path, ["第一党小组学习记录"], table)
    from pipeline.ingest import read_input

    [meeting] = read_input(pdf, display_name="小组.pdf").meetings
    assert (meeting.type.name, meeting.date.isoformat(), meeting.place, meeting.chair) == (
        "党小组会",
        "2024-11-06",
        "教学楼A212",
        "宁澄",
    )
    assert meeting.recorder == ""  # an empty cell stays empty, never the next cell's value


@pytest.mark.slow
def test_record_exported_to_pdf_is_filed_as_it_is_and_counted(ws, tmp_path):
    pdfs = scans.filed_record_pdfs(tmp_path / "other", tmp_path / "printed", ("支委会",))
    ws.drop("学院转来/支委会记录.pdf", pdfs["支委会"].read_bytes())
    ws.drop("原样归档/党委转来.pdf", pdfs["支委会"].read_bytes().replace(b"/Producer", b"/Producer "))
    result = ws.run(ok=True)
    assert "已按原样归档" in result.output
    [first, *_] = rows = _rows(ws)
    assert len(rows) == 1  # the second is the same meeting: it replaces the first
    path, mtype, date, topic, place, chair, body = first
    assert path.endswith("2024-10-15 支委会 研究秋季学期党员发展工作.pdf")
    assert (mtype, date, place, chair) == ("支委会", "2024-10-15", "实训楼四楼会议室", "柯景行")
    assert "三名入党积极分子的培养情况" in body
    filed = ws.root / path
    assert "研究秋季学期党员发展工作" in scans.pdftotext(filed)
    found = ws("search", "-w", ws.root, "培养情况", ok=True)
    assert "研究秋季学期党员发展工作" in found.output
    status = ws("status", "-w", ws.root, "--term", "2024-2025-1", "--date", "2024-10-31", "--json", ok=True)
    assert '"支委会"' in status.output


def test_hostile_pdfs_end_in_failed_with_a_reason(ws, tmp_path):
    plain = scans.many_pages(tmp_path / "plain.pdf", 1)
    ws.drop("加密.pdf", scans.encrypted(plain, tmp_path / "e.pdf").read_bytes())
    ws.drop(
        "截断.pdf", scans.truncated(scans.many_pages(tmp_path / "m.pdf", 3), tmp_path / "t.pdf").read_bytes()
    )
    ws.drop("炸弹.pdf", scans.bomb(tmp_path / "b.pdf").read_bytes())
    ws.drop("太多页.pdf", scans.many_pages(tmp_path / "p.pdf", 31).read_bytes())
    ws.drop("超大页面.pdf", scans.giant_page(tmp_path / "g.pdf").read_bytes())
    ws.drop("像素炸弹.pdf", scans.pixel_bomb(tmp_path / "x.pdf").read_bytes())
    ws.drop("不是PDF.pdf", "这只是改了扩展名的文字".encode())
    ws.run(ok=False)
    failed = ws.root / "inbox" / "失败"
    expected = {
        "加密.pdf": "设置了打开密码",
        "截断.pdf": "损坏",
        "炸弹.pdf": "PDF 炸弹",
        "太多页.pdf": "有 31 页，超过了一份记录的上限（30 页）",
        "超大页面.pdf": "远大于正常纸张",
        "像素炸弹.pdf": "有 400 百万像素，超过上限（60 百万像素）",
        "不是PDF.pdf": "不是 PDF 文件",
    }
    for name, said in expected.items():
        assert (failed / name).is_file(), name
        reason = (failed / f"{name}.原因.txt").read_text(encoding="utf-8-sig")
        assert said in reason and name in reason, reason
        assert "Traceback" not in reason
    assert not _rows(ws)


def test_the_page_limit_is_a_setting(tmp_path):
    many = scans.many_pages(tmp_path / "p.pdf", 40)
    assert check_pdf(many, PdfLimits(max_pages=50)) == 40
