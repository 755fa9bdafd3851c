"""End to end through the CLI, on real files in temporary workspaces."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from docx import Document

from pipeline.render.default_templates import DEFAULT_TEMPLATES
from tests.conftest import REPO
from tests.support.docs import docx_text, east_asia_font, field, note

TERM1 = "2024-2025学年/第一学期"


def committee_note(**extra) -> str:
    fields = dict(
        会议类型="支委会",
        会议主题="讨论发展对象",
        时间="2024年10月8日 14:30",
        地点="行政楼302",
        主持人="沈轶娜",
        记录人="缪巧军",
        参会人员="沈轶娜、夏渊、缪巧军",
        缺席人员="张伟（出差）",
        会议内容="传达学院党委通知。",
        决议="同意李明同志为发展对象（赞成3票，反对0票，弃权0票）。",
    )
    fields.update(extra)
    return note(**fields)


def db_rows(ws, sql, *args):
    con = sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3")
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_text_note_in_each_windows_encoding_becomes_minutes(ws, encoding):
    ws.drop("支委会记录.txt", committee_note().replace("\n", "\r\n"), encoding)
    result = ws.run(ok=True)
    out = ws.root / "outbox" / TERM1 / "会议记录" / "支委会" / "2024-10-08 支委会 讨论发展对象.docx"
    assert out.exists(), result.output
    assert field(out, "会议名称") == "讨论发展对象"
    assert field(out, "时间") == "2024年10月8日 14:30"
    assert field(out, "主持人") == "沈轶娜" and field(out, "记录人") == "缪巧军"
    assert field(out, "缺席人员") == "张伟（出差）"
    assert field(out, "应到人数").startswith("4人") and "实到人数：3人" in docx_text(out)
    text = docx_text(out)
    assert "支委会会议记录" in text and "同意李明同志为发展对象" in text
    assert "本次会议应到4人，实到3人，缺席1人：张伟（出差），到会人数符合规定，会议有效。" in text
    # The original is kept in the archive; the inbox is empty.
    assert (ws.root / "outbox" / TERM1 / "原始材料" / "支委会记录.txt").exists()
    assert not (ws.root / "inbox" / "支委会记录.txt").exists()
    assert "已处理" in result.output and "2024-10-08 支委会 讨论发展对象.docx" in result.output


def test_body_fonts_are_east_asian_and_page_is_gbt9704(ws):
    ws.drop("a.txt", committee_note())
    ws.run(ok=True)
    doc = Document(str(ws.outputs()[0]))
    assert east_asia_font(doc, "Normal") == "仿宋_GB2312"
    assert east_asia_font(doc, "公文标题") == "方正小标宋简体"
    assert east_asia_font(doc, "公文一级标题") == "黑体"
    assert doc.styles["Normal"].font.size.pt == 16 and doc.styles["公文标题"].font.size.pt == 22
    section = doc.sections[0]
    mm = [
        round(x.mm)
        for x in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]
    assert doc.styles["Normal"].paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.1)
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text
    assert doc.settings.odd_and_even_pages_header_footer
    body = [p for p in doc.paragraphs if p.text.startswith("传达学院党委")][0]
    assert body.style.name == "Normal"
    assert "主持人（签字）" in docx_text(ws.outputs()[0]) and "记录人（签字）" in docx_text(ws.outputs()[0])


def test_docx_note_becomes_minutes(ws):
    d = Document()
    d.add_paragraph("党课记录")
    table = d.add_table(rows=0, cols=2)
    for k, v in [
        ("会议类型", "党课"),
        ("主题", "坚定理想信念"),
        ("时间", "2025年3月12日"),
        ("主讲人", "沈轶娜"),
        ("参会人员", "沈轶娜、夏渊"),
    ]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = k, v
    d.add_paragraph("党课内容：")
    d.add_paragraph("从三个方面讲授。")
    d.save(str(ws.root / "inbox" / "党课.docx"))
    ws.run(ok=True)
    out = (
        ws.root
        / "outbox"
        / "2024-2025学年"
        / "第二学期"
        / "会议记录"
        / "党课"
        / "2025-03-12 党课 坚定理想信念.docx"
    )
    assert out.exists()
    assert "党课记录" in docx_text(out) and "从三个方面讲授。" in docx_text(out)
    # 主讲人 is the lecturer (template variable 主讲人), not the chair: the 主持人 line stays a blank
    # to fill in by hand (full-width spaces on a rule).
    assert field(out, "主持人").strip() == ""


def test_note_without_date_fails_with_chinese_reason_and_others_go_on(ws):
    ws.drop("坏笔记.txt", "会议类型：支委会\n主持人：沈轶娜\n")
    ws.drop("好笔记.txt", committee_note())
    result = ws.run(ok=False)
    failed = ws.root / "inbox" / "失败" / "坏笔记.txt"
    reason = ws.root / "inbox" / "失败" / "坏笔记.txt.原因.txt"
    assert failed.exists() and reason.exists()
    text = reason.read_text(encoding="utf-8-sig")
    assert "坏笔记.txt" in text and "缺少会议时间" in text and "处理办法" in text
    assert len(ws.outputs()) == 1
    assert "失败" in result.output and "坏笔记.txt" in result.output
    assert db_rows(ws, "SELECT original_name FROM failures") == [("坏笔记.txt",)]


def test_same_note_twice_changes_nothing(ws):
    content = committee_note()
    ws.drop("a.txt", content)
    ws.run(ok=True)
    before = sorted(p.relative_to(ws.root) for p in (ws.root / "outbox").rglob("*") if p.is_file())
    ws.drop("a-副本.txt", content)
    result = ws.run(ok=True)
    after = sorted(p.relative_to(ws.root) for p in (ws.root / "outbox").rglob("*") if p.is_file())
    assert before == after
    assert "重复" in result.output
    assert not (ws.root / "inbox" / "a-副本.txt").exists()
    assert db_rows(ws, "SELECT count(*) FROM sources") == [(1,)]


def test_corrected_note_replaces_and_keeps_history(ws):
    ws.drop("支委会.txt", committee_note())
    ws.run(ok=True)
    ws.drop("支委会.txt", committee_note(决议="更正：同意李明同志为发展对象，并报党委备案。"))
    result = ws.run(ok=True)
    docs = ws.outputs(f"{TERM1}/会议记录/**/*.docx")
    assert len(docs) == 1 and "更正" in docx_text(docs[0])
    history = list((ws.root / "outbox" / TERM1 / "历史版本").glob("*.docx"))
    assert len(history) == 1 and "更正" not in docx_text(history[0])
    assert "旧版本已移到" in result.output
    active = db_rows(ws, "SELECT path FROM outputs WHERE active = 1")
    inactive = db_rows(ws, "SELECT path FROM outputs WHERE active = 0")
    assert len(active) == 1 and (ws.root / active[0][0]).exists()
    assert len(inactive) == 1 and (ws.root / inactive[0][0]).exists()


def test_name_collision_never_overwrites(ws):
    ws.drop("a.txt", committee_note(会议主题="讨论/发展对象"))
    ws.drop("b.txt", committee_note(会议主题="讨论／发展对象", 会议内容="另一次会议。"))
    ws.run(ok=True)
    docs = ws.outputs()
    assert len(docs) == 2
    assert {"另一次会议。" in docx_text(d) for d in docs} == {True, False}


def test_hostile_title_and_markup_stay_inside_and_literal(ws):
    ws.drop(
        "x.txt",
        committee_note(
            会议主题="../../C:\\Windows\\CON", 会议内容="A & B <c> {{ 7*7 }} {% if 1 %}x{% endif %}"
        ),
    )
    ws.run(ok=True)
    docs = list((ws.root / "outbox").rglob("*.docx"))
    assert len(docs) == 1
    assert docs[0].resolve().is_relative_to((ws.root / "outbox").resolve())
    assert "A & B <c> {{ 7*7 }} {% if 1 %}x{% endif %}" in docx_text(docs[0])


def test_office_lock_and_temp_files_are_ignored_silently(ws):
    for name in ("~$支委会.docx", ".~lock.a.docx#", "x.tmp", "desktop.ini", "Thumbs.db", ".DS_Store"):
        ws.drop(name, b"junk")
    result = ws.run(ok=True)
    assert "没有需要处理的文件" in result.output
    assert not (ws.root / "inbox" / "失败").exists() or not any((ws.root / "inbox" / "失败").iterdir())


def test_quorum_miss_is_filed_with_warning(ws):
    ws.drop(
        "大会.txt",
        note(会议类型="支部党员大会", 时间="2024年11月1日", 应到人数="12", 参会人员="甲、乙、丙、丁、戊"),
    )
    result = ws.run(ok=True)
    assert len(ws.outputs()) == 1
    assert "未达到超过半数的法定人数" in result.output
    assert "到会人数未达到" in docx_text(ws.outputs()[0])


def test_talk_record_has_its_own_template(ws):
    ws.drop(
        "谈话.txt",
        note(
            会议类型="谈心谈话",
            谈话时间="2024年11月5日",
            谈话人="沈轶娜",
            谈话对象="张伟",
            谈话内容="了解思想动态。",
            谈话效果="达成共识。",
        ),
    )
    ws.run(ok=True)
    out = ws.outputs()[0]
    assert out.name == "2024-11-05 谈心谈话 沈轶娜与张伟谈话.docx"
    assert field(out, "谈话对象") == "张伟" and field(out, "谈话人") == "沈轶娜"
    assert "谈话对象（签字）" in docx_text(out) and "达成共识。" in docx_text(out)


def test_undefined_template_variable_names_template_and_variable(ws):
    tpl = ws.root / "templates" / "支委会.docx"
    d = Document()
    d.add_paragraph("{{ 会议名称 }} {{ 会议经费 }}")
    d.save(str(tpl))
    ws.drop("a.txt", committee_note())
    ws.run(ok=False)
    reason = (ws.root / "inbox" / "失败" / "a.txt.原因.txt").read_text(encoding="utf-8-sig")
    assert "templates/支委会.docx" in reason and "会议经费" in reason
    result = ws("templates", "check", "-w", ws.root, ok=False)
    assert "会议经费" in result.output


def test_templates_check_passes_on_defaults(ws):
    result = ws("templates", "check", "-w", ws.root, ok=True)
    assert "试填成功" in result.output


def test_check_reports_without_writing(ws, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(committee_note(), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("会议类型：支委会\n时间：2024年2月30日\n", encoding="utf-8")
    before = sorted((ws.root).rglob("*"))
    result = ws("check", "-w", ws.root, good, bad, ok=False)
    assert (
        "将生成：outbox/2024-2025学年/第一学期/会议记录/支委会/2024-10-08 支委会 讨论发展对象.docx"
        in result.output
    )
    assert "2024年2月30日" in result.output and "不存在" in result.output
    assert sorted((ws.root).rglob("*")) == before


def test_bad_config_names_the_key(ws):
    cfg = ws.root / "zhibu.toml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("max_name_length = 80", 'max_name_length = "长"'),
        encoding="utf-8",
    )
    result = ws.run(ok=False)
    assert "archive.max_name_length" in result.output and "整数" in result.output
    cfg.write_text('[branch]\nnmae = "x"\n', encoding="utf-8")
    result = ws.run(ok=False)
    assert "branch.nmae" in result.output and "未知" in result.output


def test_not_a_workspace(tmp_path, ws):
    result = ws("run", "-w", tmp_path / "nowhere", ok=False)
    assert "不是 zhibu 工作区" in result.output and "zhibu init" in result.output


def test_interrupted_filing_is_completed_on_next_start(ws, monkeypatch):
    """A crash between the index commit and the renames is finished by the next run."""
    import pipeline.archive.commit as commit

    ws.drop("a.txt", committee_note())
    real_replace = os.replace
    calls = {"n": 0}

    class PowerLoss(BaseException):
        pass

    def crash_after_first_rename(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:
            raise PowerLoss()
        return real_replace(src, dst)

    monkeypatch.setattr(commit.os, "replace", crash_after_first_rename)
    with pytest.raises(PowerLoss):
        ws.run()
    monkeypatch.setattr(commit.os, "replace", real_replace)
    assert db_rows(ws, "SELECT count(*) FROM journal") == [(1,)]
    assert list((ws.root / "outbox").rglob("*.zhibu-tmp"))
    result = ws.run(ok=True)
    assert "已恢复上次中断的 1 项归档操作" in result.output
    assert not list((ws.root / "outbox").rglob("*.zhibu-tmp"))
    assert not (ws.root / "inbox" / "a.txt").exists()
    (path,) = db_rows(ws, "SELECT path FROM outputs WHERE active = 1")[0]
    assert (ws.root / path).exists() and "讨论发展对象" in docx_text(ws.root / path)


def test_orphan_temp_files_from_a_crash_before_commit_are_removed(ws):
    orphan = ws.root / "outbox" / "x" / ".a.docx.1234.zhibu-tmp"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"half")
    ws.drop("a.txt", committee_note())
    ws.run(ok=True)
    assert not orphan.exists()


def test_demo_on_a_fresh_workspace(ws):
    result = ws("demo", "-w", ws.root, ok=True)
    assert "生成文档" in result.output
    docs = ws.outputs()
    assert len(docs) >= 6
    types = {d.parent.name for d in docs}
    assert {"支部党员大会", "支委会", "党小组会", "党课", "主题党日", "谈心谈话"} <= types
    assert (ws.root / "inbox" / "失败" / "示例-错误-缺少日期.txt.原因.txt").exists()


def test_repository_templates_match_the_builder():
    for name, build in DEFAULT_TEMPLATES.items():
        committed = Document(str(REPO / "templates" / name))
        fresh = Document(__import__("io").BytesIO(build()))
        assert committed.element.xml == fresh.element.xml, (
            f"templates/{name} is out of date: run zhibu templates restore"
        )
        assert committed.styles.element.xml == fresh.styles.element.xml


def test_help_is_chinese(ws):
    for args in (
        ["--help"],
        ["run", "--help"],
        ["init", "--help"],
        ["check", "--help"],
        ["demo", "--help"],
        ["templates", "check", "--help"],
    ):
        out = ws(*args, ok=True).output
        assert "用法：" in out and "选项：" in out and "Show this message" not in out


def test_console_script_and_module_entry_points(tmp_path):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True
    )
    assert "支部文书流水线" in out.stdout
    root = tmp_path / "w"
    subprocess.run([sys.executable, "-m", "pipeline", "init", str(root)], check=True, capture_output=True)
    (root / "inbox" / "a.txt").write_text(committee_note(), encoding="gbk")
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "-w", str(root)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert list((root / "outbox").rglob("2024-10-08 支委会 讨论发展对象.docx"))


def test_repository_root_is_a_ready_workspace():
    assert (REPO / "zhibu.toml").is_file() and (REPO / "templates" / "会议记录.docx").is_file()
    assert (REPO / "inbox").is_dir() and (REPO / "outbox").is_dir()


def test_configured_quorum_rule_is_used_when_filing(ws):
    cfg = ws.root / "zhibu.toml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8")
        + '\n[rules.quorum]\n"支委会" = { fraction = 0.75, strict = false }\n',
        encoding="utf-8",
    )
    ws.drop("a.txt", committee_note())  # 3 of 4 present: enough for 75 %
    ws.drop(
        "b.txt",
        committee_note(会议主题="另一次", 参会人员="沈轶娜、夏渊", 缺席人员="张伟（出差）、缪巧军（病假）"),
    )
    result = ws.run(ok=True)
    assert result.output.count("未达到") == 1 and "不少于75%" in result.output
    texts = {d.name: docx_text(d) for d in ws.outputs()}
    assert "会议有效" in texts["2024-10-08 支委会 讨论发展对象.docx"]
    assert "到会人数未达到不少于75%的要求" in texts["2024-10-08 支委会 另一次.docx"]


def test_file_changed_while_processing_is_left_for_a_retry(ws, monkeypatch):
    """A note saved again mid-processing is neither filed nor moved: it waits for the next run."""
    import pipeline.filing.reading as reading

    ws.drop("a.txt", committee_note())
    real_read = reading.read_input

    def read_then_secretary_saves_again(path, **kw):
        result = real_read(path, **kw)
        path.write_text(committee_note(会议内容="又改了一句。"), encoding="utf-8")
        return result

    monkeypatch.setattr(reading, "read_input", read_then_secretary_saves_again)
    result = ws.run(ok=False)
    assert "[未处理] a.txt" in result.output and "被修改" in result.output
    assert (ws.root / "inbox" / "a.txt").exists() and not ws.outputs()
    monkeypatch.setattr(reading, "read_input", real_read)
    ws.run(ok=True)
    assert "又改了一句。" in docx_text(ws.outputs()[0])


def test_an_input_that_cannot_even_be_set_aside_stays_in_the_inbox(ws):
    """Writing the reason file fails (its name is taken by a folder): the bad note stays in the
    inbox, the run reports it, and the good note is still filed."""
    (ws.root / "inbox" / "失败" / "坏.txt.原因.txt").mkdir(parents=True)
    ws.drop("坏.txt", "会议类型：支委会\n")
    ws.drop("好.txt", committee_note())
    result = ws.run(ok=False)
    assert "[未处理] 坏.txt" in result.output and "仍留在收件箱" in result.output
    assert (ws.root / "inbox" / "坏.txt").exists() and len(ws.outputs()) == 1


def test_old_version_locked_by_word_is_moved_when_released(ws, monkeypatch):
    """Windows refuses to rename a document open in Word. The correction is committed at once
    and the renames finish on the next processing, with nothing lost or counted twice."""
    import pipeline.archive.commit as commit

    ws.drop("支委会.txt", committee_note())
    ws.run(ok=True)
    (old,) = ws.outputs()
    real_replace = os.replace

    def word_holds_it(src, dst):
        if Path(src) == old:
            raise PermissionError(13, "另一个程序正在使用此文件", str(src))
        return real_replace(src, dst)

    monkeypatch.setattr(commit.os, "replace", word_holds_it)
    ws.drop("支委会.txt", committee_note(决议="更正稿。"))
    result = ws.run(ok=True)
    assert "正被其他程序（如 Word/WPS）打开" in result.output and old.name in result.output
    assert "更正稿。" not in docx_text(old) and db_rows(ws, "SELECT count(*) FROM journal") == [(1,)]
    assert not list((ws.root / "inbox" / "失败").iterdir())
    monkeypatch.setattr(commit.os, "replace", real_replace)  # Word closed
    result = ws.run(ok=True)
    assert "更正稿。" in docx_text(old) and db_rows(ws, "SELECT count(*) FROM journal") == [(0,)]
    assert len(list((ws.root / "outbox" / TERM1 / "历史版本").glob("*.docx"))) == 1
    assert not (ws.root / "inbox" / "支委会.txt").exists()
    assert db_rows(ws, "SELECT count(*) FROM sources") == [(2,)] and db_rows(
        ws, "SELECT count(*) FROM failures"
    ) == [(0,)]
