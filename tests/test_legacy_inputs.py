"""Old formats in the inbox: .doc notes and .xls registers, converted with real LibreOffice.

The legacy files are made by LibreOffice from our own samples (a note written with
python-docx, the meeting register of tests/support/registers.py), as a secretary's old
Word/Excel would have saved them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from pipeline.ingest.legacy import docx_template
from pipeline.office.soffice import SOFFICE_ENV, SOFFICE_LOCATIONS_ENV
from tests.support.corpus import good_note
from tests.support.docs import docx_text, field
from tests.support.registers import db, fake_phone, meeting_register, roster_workbook

pytestmark = pytest.mark.slow

TERM1 = "2024-2025学年/第一学期"


def save_as(src: Path, fmt: str, out: Path) -> Path:
    """``src`` saved by LibreOffice in an old format (doc, xls), as old Office would write it."""
    profile = out / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
         "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    made = out / f"{src.stem}.{fmt}"
    assert made.is_file() and made.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return made


def note_docx(path: Path, topic: str) -> Path:
    doc = Document()
    for line in good_note(topic, body="讨论确定2名发展对象。").splitlines():
        doc.add_paragraph(line)
    doc.save(path)
    return path


def test_a_doc_note_and_an_xls_register_go_through_the_inbox(ws, tmp_path):
    doc = save_as(note_docx(tmp_path / "旧版笔记.docx", "研究旧格式笔记"), "doc", tmp_path)
    xlsx = tmp_path / "会议登记表.xlsx"
    xlsx.write_bytes(meeting_register(bad_rows=False))
    xls = save_as(xlsx, "xls", tmp_path)
    ws.drop("旧版笔记.doc", doc.read_bytes())
    ws.drop("会议登记表.xls", xls.read_bytes())

    result = ws.run()
    assert result.exit_code == 0, result.output

    # The .doc note became minutes like any .docx note.
    [made] = ws.outputs(f"{TERM1}/会议记录/**/2024-10-08 支委会 研究旧格式笔记.docx")
    assert field(made, "会议名称") == "研究旧格式笔记"
    assert field(made, "主持人") == "沈轶娜"
    assert "讨论确定2名发展对象。" in docx_text(made)
    # The .xls register's rows became minutes too.
    committee = ws.outputs(f"{TERM1}/会议记录/**/2024-09-03 支委会 研究本学期支部工作计划.docx")
    assert len(committee) == 1 and field(committee[0], "地点") == "行政楼302"

    # Both originals are archived exactly as they came; the inbox is empty.
    con = db(ws.root)
    archived = {r["original_name"]: r["archived_path"] for r in con.execute("SELECT * FROM sources")}
    assert (ws.root / archived["旧版笔记.doc"]).read_bytes() == doc.read_bytes()
    assert (ws.root / archived["会议登记表.xls"]).read_bytes() == xls.read_bytes()
    assert not [p for p in (ws.root / "inbox").rglob("*") if p.is_file()]


def test_without_libreoffice_the_reason_says_install_or_save_as(ws, tmp_path, monkeypatch):
    doc = save_as(note_docx(tmp_path / "旧笔记.docx", "无转换程序"), "doc", tmp_path)
    ws.drop("旧笔记.doc", doc.read_bytes())
    monkeypatch.setenv("PATH", os.path.dirname(os.sys.executable))
    monkeypatch.setenv(SOFFICE_LOCATIONS_ENV, "")
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    out = ws.run(ok=False).output
    assert "旧笔记.doc" in out and "未找到 LibreOffice" in out
    reason = (ws.root / "inbox" / "失败" / "旧笔记.doc.原因.txt").read_text(encoding="utf-8-sig")
    assert "LibreOffice" in reason and "另存为” .docx" in reason
    assert (ws.root / "inbox" / "失败" / "旧笔记.doc").read_bytes() == doc.read_bytes()


def test_a_doc_template_is_converted_once_and_kept_as_docx(tmp_path):
    src = tmp_path / "src" / "支委会.docx"
    src.parent.mkdir()
    d = Document()
    d.add_paragraph("{{ 支部名称 }}支委会会议记录")
    d.add_paragraph("时间：{{ 时间 }}")
    d.save(src)
    templates = tmp_path / "templates"
    templates.mkdir()
    legacy = save_as(src, "doc", templates)
    target = templates / "支委会.docx"
    assert not target.exists()

    assert docx_template(target) == target
    text = docx_text(target)
    assert "{{ 支部名称 }}支委会会议记录" in text and "时间：{{ 时间 }}" in text
    first = target.stat().st_mtime_ns
    assert docx_template(target) == target
    assert target.stat().st_mtime_ns == first  # not converted again
    assert legacy.is_file()  # the secretary's .doc stays where it was


def test_an_xls_roster_is_archived_as_xlsx_without_its_sensitive_columns(ws, tmp_path):
    xlsx = tmp_path / "党员名册.xlsx"
    xlsx.write_bytes(roster_workbook())
    xls = save_as(xlsx, "xls", tmp_path)
    assert fake_phone(1).encode("utf-16-le") in xls.read_bytes() or fake_phone(1).encode() in xls.read_bytes()
    ws.drop("名册/党员名册.xls", xls.read_bytes())
    out = ws.run().output
    assert "党员名册：新增 28 条" in out, out
    con = db(ws.root)
    archived = ws.root / con.execute("SELECT archived_path FROM sources").fetchone()["archived_path"]
    # The archived copy is the blanked workbook, named .xlsx (its content), never the phone numbers.
    assert archived.suffix == ".xlsx" and archived.read_bytes()[:4] == b"PK\x03\x04"
    values = {str(c.value) for row in load_workbook(archived).worksheets[0].iter_rows() for c in row}
    assert "联系电话" in "".join(values) and not any(fake_phone(i) in values for i in range(1, 29))
