"""zhibu templates learn, end to end: five school layouts learnt, checked, and used by zhibu run."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.support.learn_forms import LABEL_FONT, LAYOUTS, VALUE_FONT

NOTE = """会议类型：支委会
会议名称：讨论发展党员工作
时间：2024年10月15日 15:00
地点：图书馆四楼研讨室
主持人：柏青原
记录人：聂思远
出席人员：柏青原、聂思远、岑晓彤、祁子墨、莘雨桐
缺席人员：卓一凡（病假）
会议议题：讨论发展对象人选
会议内容：
柏青原同志介绍了发展对象的培养考察情况。
决议：
同意将岑晓彤列为发展对象（赞成5票，反对0票，弃权0票）。
"""
OLD_VALUES = ("实训楼205室", "许文博", "韦德成", "2024年9月3日")
NEW_VALUES = (
    "图书馆四楼研讨室",
    "柏青原",
    "聂思远",
    "卓一凡（病假）",
    "2024年10月15日",
    "同意将岑晓彤列为发展对象",
)


def all_text(doc) -> str:
    """Every paragraph of the body, tables included (nested order is enough here)."""
    return "\n".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))


def table_shape(doc) -> list[tuple]:
    """Per table: column widths and, per row, the span of each cell."""
    shapes = []
    for tbl in doc.element.body.iter(qn("w:tbl")):
        widths = tuple(g.get(qn("w:w")) for g in tbl.tblGrid.findall(qn("w:gridCol")))
        rows = tuple(tuple(tc.grid_span for tc in tr.tc_lst) for tr in tbl.tr_lst)
        borders = tbl.tblPr.xml.count("w:val=") if tbl.tblPr is not None else 0
        shapes.append((widths, rows, tbl.tblPr.style if tbl.tblPr is not None else None, borders))
    return shapes


def first_font(tc) -> str | None:
    for r in tc.iter(qn("w:r")):
        if r.findtext(qn("w:t")):
            rfonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
            return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None
    return None


def cell_fonts(doc) -> dict[tuple[int, int, int], str]:
    fonts = {}
    for t, tbl in enumerate(doc.element.body.iter(qn("w:tbl"))):
        for r, tr in enumerate(tbl.tr_lst):
            for c, tc in enumerate(tr.tc_lst):
                f = first_font(tc)
                if f:
                    fonts[(t, r, c)] = f
    return fonts


def paragraph_fonts(doc, needle: str) -> set[str]:
    found = set()
    for p in doc.element.body.iter(qn("w:p")):
        if needle in "".join(t.text or "" for t in p.iter(qn("w:t"))):
            for r in p.iter(qn("w:r")):
                rfonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
                if r.findtext(qn("w:t")) and rfonts is not None:
                    found.add(rfonts.get(qn("w:eastAsia")))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_learn_then_render_keeps_the_school_layout(ws, tmp_path, layout):
    original_path = LAYOUTS[layout](tmp_path / f"我们支部的会议记录-{layout}.docx")
    learnt = ws("templates", "learn", original_path, "--type", "支委会", "-w", ws.root, ok=True)
    assert "时间" in learnt.output and "正文" in learnt.output and "原样保留" in learnt.output
    template = ws.root / "templates" / "支委会.docx"
    assert template.is_file()
    ws("templates", "check", "-w", ws.root, ok=True)

    ws.drop("2024-10-15 支委会.txt", NOTE)
    ws.run(ok=True)
    [out] = ws.outputs()
    original, rendered = Document(str(original_path)), Document(str(out))

    text = all_text(rendered)
    for value in NEW_VALUES:
        assert value in text, (layout, value)
    for value in OLD_VALUES:
        assert value not in text, (layout, value)
    # Fixed text of the form stays: its title.
    assert original.paragraphs[0].text in text

    # Same tables: columns, widths, merged cells, table style and borders.
    assert table_shape(rendered) == table_shape(original)
    # Every cell keeps the font it had in the filled record.
    before, after = cell_fonts(original), cell_fonts(rendered)
    for key, font in after.items():
        if key in before:
            assert before[key] == font, (layout, key)
    # Body: section titles in the heading font of the form, paragraphs in its body font.
    assert paragraph_fonts(rendered, "一、会议议题") == {LABEL_FONT}
    assert paragraph_fonts(rendered, "柏青原同志介绍了") == {VALUE_FONT}

    # Page setup, header and footer are those of the form.
    s0, s1 = original.sections[0], rendered.sections[0]
    assert (s1.page_width, s1.page_height, s1.orientation) == (s0.page_width, s0.page_height, s0.orientation)
    assert (s1.left_margin, s1.top_margin) == (s0.left_margin, s0.top_margin)
    assert s1.header._element.xml.count("a:blip") == s0.header._element.xml.count("a:blip")
    assert [p.text for p in s1.header.paragraphs] == [p.text for p in s0.header.paragraphs]
    assert [p.text for p in s1.footer.paragraphs] == [p.text for p in s0.footer.paragraphs]


def test_landscape_logo_form_keeps_its_logo(ws, tmp_path):
    original_path = LAYOUTS["横向带徽标"](tmp_path / "党支部会议记录.docx")
    ws("templates", "learn", original_path, "--type", "党课", "-w", ws.root, ok=True)
    template = Document(str(ws.root / "templates" / "党课.docx"))
    section = template.sections[0]
    assert section.page_width > section.page_height
    assert "a:blip" in section.header._element.xml
    assert "某某职业技术学院党委组织部制" in section.header.paragraphs[0].text


def test_learn_reports_mapping_and_clears_signatures(ws, tmp_path):
    original_path = LAYOUTS["文字行"](tmp_path / "支委会会议记录.docx")
    result = ws("templates", "learn", original_path, "-w", ws.root, ok=True)
    out = result.output
    assert "（支委会）" in out  # the type is read from the title
    assert "主持人" in out and "记录人（签字）" in out and "供手写签名" in out
    assert "「支委会会议记录」" in out  # the title is reported as fixed text
    lines = [p.text for p in Document(str(ws.root / "templates" / "支委会.docx")).paragraphs]
    assert "会议时间：{{ 时间 }}　　会议地点：{{ 地点 }}" in lines
    assert "应到人数：{{ 应到 }}人　　实到人数：{{ 实到 }}人" in lines
    assert "主持人（签字）：　　记录人（签字）：" in lines
    assert "{{ 日期 }}" in lines


def test_learn_backs_up_an_existing_template(ws, tmp_path):
    path = LAYOUTS["两栏表格"](tmp_path / "记录.docx")
    ws("templates", "learn", path, "--type", "支委会", "-w", ws.root, ok=True)
    first = (ws.root / "templates" / "支委会.docx").read_bytes()
    result = ws("templates", "learn", path, "--type", "支委会", "-w", ws.root, ok=True)
    assert "原模板备份在" in result.output
    backups = list((ws.root / "templates" / "备份").rglob("支委会.docx"))
    assert [b.read_bytes() for b in backups] == [first]


def test_learn_refuses_without_type_or_body(ws, tmp_path):
    path = LAYOUTS["横向带徽标"](tmp_path / "记录.docx")
    result = ws("templates", "learn", path, "-w", ws.root, ok=False)
    assert "--type" in result.output and "记录.docx" in result.output
    plain = tmp_path / "通知.docx"
    doc = Document()
    doc.add_paragraph("关于召开支委会的通知")
    doc.add_paragraph("时间：2024年9月3日")
    doc.save(plain)
    result = ws("templates", "learn", plain, "--type", "支委会", "-w", ws.root, ok=False)
    assert "没有找到会议内容" in result.output and "通知.docx" in result.output
    assert not (ws.root / "templates" / "支委会.docx").exists()
    old = tmp_path / "旧记录.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = ws("templates", "learn", old, "--type", "支委会", "-w", ws.root, ok=False)
    assert "另存为" in result.output and "Traceback" not in result.output


def test_learned_template_is_not_read_as_a_note(tmp_path):
    """The tags written into the template are complete and in single runs."""
    from pipeline.learn.docxmap import learn_docx

    path = LAYOUTS["四栏表格"](tmp_path / "记录.docx")
    data, report = learn_docx(path.read_bytes())
    out = tmp_path / "tpl.docx"
    out.write_bytes(data)
    runs = [t.text for t in Document(str(out)).element.body.iter(qn("w:t"))]
    assert "{{ 时间 }}" in runs and "{{ 应到 }}" in runs and "{{ 议题|join('；') if 议题 else 主题 }}" in runs
    assert ("缺席人员", "表格1第4行第1格「缺席人员及原因」右侧的格") in report.mapped


def test_a_learned_agenda_cell_takes_the_topic_when_the_note_lists_no_agenda(ws, tmp_path):
    path = LAYOUTS["四栏表格"](tmp_path / "我们支部的会议记录.docx")
    ws("templates", "learn", path, "--type", "支委会", "-w", ws.root, ok=True)
    note = NOTE.replace("会议议题：讨论发展对象人选\n", "")
    ws.drop("2024-10-15 支委会.txt", note)
    ws.run(ok=True)
    [out] = ws.outputs()
    cells = [c.text.strip() for t in Document(str(out)).tables for r in t.rows for c in r.cells]
    label = next(i for i, c in enumerate(cells) if c.replace(" ", "") in ("会议议题", "议题"))
    assert cells[label + 1] == "讨论发展党员工作"  # the 会议名称 of the note


def test_label_rules():
    from pipeline.learn.labels import SIGNATURE, match_label, split_label_line, variable_text

    assert match_label("时  间").variable == "时间"
    assert match_label("缺席人员及原因").variable == "缺席人员"
    assert match_label("主持人（签字）").role == SIGNATURE
    assert match_label("张三记录人（签字）") is None
    assert match_label("会议内容").variable == "正文"
    assert match_label("研究本学期工作") is None
    segs = split_label_line("会议时间：2024年9月3日 14:30　　地点：205室")
    assert [s.label.variable for s in segs] == ["时间", "地点"]
    text = "会议时间：2024年9月3日 14:30　　地点：205室"
    assert text[segs[0].value_start : segs[0].value_end] == "2024年9月3日 14:30"
    assert variable_text(match_label("应到人数"), "7人") == "{{ 应到 }}人"
    assert variable_text(match_label("应到人数"), "7") == "{{ 应到 }}"
    assert variable_text(match_label("主持人签字"), "张三") == ""


def test_forms_are_what_they_claim(tmp_path):
    """The layouts really are what the tests above need: merged cells, landscape, a logo."""
    four = Document(str(LAYOUTS["四栏表格"](tmp_path / "a.docx")))
    assert any(tc.grid_span == 3 for tr in four.tables[0]._tbl.tr_lst for tc in tr.tc_lst)
    assert any(tc.grid_span == 4 for tr in four.tables[0]._tbl.tr_lst for tc in tr.tc_lst)
    big = Document(str(LAYOUTS["整格正文"](tmp_path / "b.docx")))
    assert len(big.tables[0].rows[3].cells[0].paragraphs) > 5
    land = Document(str(LAYOUTS["横向带徽标"](tmp_path / "c.docx")))
    assert land.sections[0].page_width > land.sections[0].page_height
    assert "a:blip" in land.sections[0].header._element.xml
    assert not Path(tmp_path / "c.docx").read_bytes().count(b"{{")


@pytest.mark.slow
def test_learn_from_zhibus_own_record_round_trips(ws):
    """A record made with the default template, learnt back: the same fields, the branch name a variable."""
    ws.drop("2024-10-15 支委会.txt", NOTE)
    ws.run(ok=True)
    [made] = ws.outputs("**/会议记录/**/*.docx")
    result = ws("templates", "learn", made, "-w", ws.root, ok=True)
    for variable in (
        "会议名称",
        "时间",
        "地点",
        "主持人",
        "记录人",
        "应到",
        "实到",
        "出席人员",
        "缺席人员",
        "列席人员",
    ):
        assert f"    {variable}" in result.output, variable
    assert "到会情况" in result.output and "支部名称" in result.output
    lines = [p.text for p in Document(str(ws.root / "templates" / "支委会.docx")).paragraphs]
    assert lines[0] == "{{ 支部名称 }}支委会会议记录"  # the title is one line: branch name and record name
    assert "应到人数：{{ 应到 }}人　实到人数：{{ 实到 }}人" in lines and "{{ 到会情况 }}" in lines
    assert "柏青原同志介绍了发展对象的培养考察情况。" not in lines
    # Rendering through it gives the same text as the default template did.
    before = [p.text for p in Document(str(made)).paragraphs]
    made.unlink()
    ws(
        "batch",
        "-w",
        ws.root,
        "--term",
        "2024-2025-1",
        "--rerender",
        "--jobs",
        "1",
        "--date",
        "2025-02-20",
        ok=True,
    )
    assert [p.text for p in Document(str(made)).paragraphs] == before
