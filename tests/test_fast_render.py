"""Fast batch rendering: same output as plain docxtpl, zhibu's errors, flat batches."""

from __future__ import annotations

import io
import json
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, RichText
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.errors import ArchiveError, TemplateError, TemplateSecurityError, TemplateVariableError
from pipeline.render.environment import make_environment, translate_render_error
from pipeline.render.fast import CompiledTemplate, render_batch
from pipeline.render.fast_parallel import CHUNK_SIZE, CRASH_MESSAGE, IN_FLIGHT_PER_WORKER

ROOT = Path(__file__).resolve().parents[1]


def _conformance_folder() -> Path:
    """docxtpl's reference cases in shared/, laid beside the repository (as CI lays it); a git
    worktree kept in a folder of its own finds it beside one of the folders above it."""
    for folder in ROOT.parents:
        if (folder / "shared/conformance/docxtpl").is_dir():
            return folder / "shared/conformance/docxtpl"
    return ROOT.parent / "shared/conformance/docxtpl"


CONFORMANCE = _conformance_folder()
TEMPLATES = ROOT / "templates"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Content types of the parts docxtpl renders (document, headers, footers, footnotes, core).
RENDERED_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "application/vnd.openxmlformats-package.core-properties+xml",
}


# --- helpers ---------------------------------------------------------------------------------


def plain_docxtpl(path: Path, context: dict, autoescape: bool, *, zhibu_env: bool = True) -> bytes:
    """The reference: DocxTemplate(path).render(...) + save(), in zhibu's environment or not."""
    env = None
    if zhibu_env:
        env = make_environment()
        env.autoescape = autoescape
    tpl = DocxTemplate(path)
    tpl.render(context, env, autoescape)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def content_types(zf: zipfile.ZipFile) -> dict[str, str]:
    """Content type of every member, resolved through [Content_Types].xml."""
    root = etree.fromstring(zf.read("[Content_Types].xml"))
    defaults = {e.get("Extension").lower(): e.get("ContentType") for e in root.iter(f"{CT}Default")}
    overrides = {e.get("PartName").lstrip("/"): e.get("ContentType") for e in root.iter(f"{CT}Override")}
    return {
        n: overrides.get(n, defaults.get(n.rsplit(".", 1)[-1].lower(), ""))
        for n in zf.namelist()
        if not n.endswith("/") and n != "[Content_Types].xml"
    }


def rendered_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n, t in content_types(zf).items() if t in RENDERED_TYPES}


def text_of(xml: bytes) -> str:
    """What a reader sees: paragraph texts with tabs and breaks (all text for core.xml)."""
    root = etree.fromstring(xml)
    if not root.tag.startswith(W):
        return "|".join(t.strip() for t in root.itertext())
    lines = []
    for p in root.iter(f"{W}p"):
        marks = {f"{W}tab": "\t", f"{W}br": "\n"}
        lines.append("".join(marks.get(el.tag, el.text or "") for el in p.iter(f"{W}t", *marks)))
    return "\n".join(lines)


def normalized(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml, etree.XMLParser(remove_blank_text=True)), method="c14n")


def assert_same_document(fast: bytes, reference: bytes) -> None:
    """Every rendered part equal in text and in normalised XML; every other part equivalent."""
    got, want = rendered_parts(fast), rendered_parts(reference)
    assert any(re.search(rb"<w:document\b", x) for x in want.values())
    assert sorted(got) == sorted(want)
    for name in want:
        if name == "docProps/core.xml":
            # python-docx stamps the save time into core properties it has to create.
            got[name], want[name] = (
                re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", x)
                for x in (got[name], want[name])
            )
        assert text_of(got[name]) == text_of(want[name]), name
        assert normalized(got[name]) == normalized(want[name]), name
        assert got[name] == want[name], name  # in fact byte for byte
    with zipfile.ZipFile(io.BytesIO(fast)) as zf, zipfile.ZipFile(io.BytesIO(reference)) as zr:
        assert zf.testzip() is None
        got_types, want_types = content_types(zf), content_types(zr)
        for name, kind in want_types.items():
            assert got_types.get(name) == kind, name
            if name in want:
                continue
            a, b = zf.read(name), zr.read(name)
            assert (normalized(a) == normalized(b)) if kind.endswith("xml") else (a == b), name
    Document(io.BytesIO(fast))  # python-docx opens it


def body_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def make_template(
    path: Path,
    lines: list[str],
    *,
    header: str | None = None,
    footer: str | None = None,
    title: str | None = None,
) -> Path:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    section = doc.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    if title is not None:
        doc.core_properties.title = title
    doc.save(path)
    return path


def png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


# --- conformance with docxtpl's own templates --------------------------------------------------


def need_conformance() -> None:
    assert CONFORMANCE.is_dir(), f"{CONFORMANCE} is missing: the shared/ folder belongs beside the repository"


def conformance_cases() -> list:
    if not CONFORMANCE.is_dir():
        return [pytest.param(None, id="shared-folder-missing")]  # fails in need_conformance
    data = json.loads((CONFORMANCE / "cases.json").read_text(encoding="utf-8"))
    return [pytest.param(case, id=f"{i}-{case['template']}") for i, case in enumerate(data["cases"])]


def test_conformance_folder_describes_docxtpl_reference():
    need_conformance()
    about = json.loads((CONFORMANCE / "cases.json").read_text(encoding="utf-8"))["about"]
    assert "DocxTemplate(path).render(context, autoescape=" in about


@pytest.mark.parametrize("case", conformance_cases())
def test_conformance_case_matches_plain_docxtpl(case):
    need_conformance()
    path, context, autoescape = CONFORMANCE / case["template"], case["context"], case["autoescape"]
    fast = CompiledTemplate(path, autoescape=autoescape)
    assert fast.is_fast, fast.fallback_reason
    out = fast.render_bytes(context)
    assert fast.docxtpl_renders == 0
    # The folder's own reference (docxtpl's default Environment) and zhibu's normal path.
    assert_same_document(out, plain_docxtpl(path, context, autoescape, zhibu_env=False))
    assert_same_document(out, plain_docxtpl(path, context, autoescape))


def test_conformance_renders_are_independent():
    """A compiled template carries nothing from one record to the next."""
    need_conformance()
    path = CONFORMANCE / "multi_rendering_tpl.docx"
    fast = CompiledTemplate(path)
    first = fast.render_bytes({"title": "第一份", "body": "正文一"})
    second = fast.render_bytes({"title": "第二份", "body": "正文二"})
    assert "第二份" in body_text(second) and "第一份" not in body_text(second)
    assert first == fast.render_bytes({"title": "第一份", "body": "正文一"})


# --- the team's templates ----------------------------------------------------------------------


class Sample:
    """A stand-in for any template variable: prints as text (with &<> to test escaping), loops
    over two children, and has any attribute or key, so templates render without real data."""

    _NOT_DATA = {"unsafe_callable", "alters_data"}  # asked by Jinja's sandbox, must stay absent

    def __init__(self, name: str, depth: int = 0) -> None:
        self.name, self.depth = name, depth

    def __str__(self) -> str:
        return f"〔{self.name} & <样例>〕"

    def __getattr__(self, attr: str) -> Sample:
        if attr.startswith("_") or attr.startswith("jinja_") or attr in self._NOT_DATA:
            raise AttributeError(attr)
        return Sample(f"{self.name}.{attr}", self.depth + 1)

    def __getitem__(self, key) -> Sample:
        return Sample(f"{self.name}[{key}]", self.depth + 1)

    def __call__(self, *args, **kwargs) -> Sample:
        return Sample(f"{self.name}()", self.depth + 1)

    def __iter__(self):
        return iter([Sample(f"{self.name}{i}", self.depth + 1) for i in (1, 2)] if self.depth < 3 else [])

    def __len__(self) -> int:
        return 2 if self.depth < 3 else 0


def repo_templates() -> list:
    found = sorted(TEMPLATES.glob("*.docx")) if TEMPLATES.is_dir() else []
    found = [p for p in found if not p.name.startswith("~$")]  # Word's lock files
    assert found, "templates/ has no .docx: run `zhibu templates restore -w .`"
    # and the office-saved copy benchmarks/render.py measures (benchmarks/small_template.py)
    found += sorted((ROOT / "benchmarks").glob("*.docx"))
    return [pytest.param(p, id=p.name) for p in found]


@pytest.mark.parametrize("path", repo_templates())
def test_repo_template_matches_plain_docxtpl(path):
    names = DocxTemplate(path).get_undeclared_template_variables(make_environment())
    context = {name: Sample(name) for name in sorted(names)}
    try:
        reference = plain_docxtpl(path, context, True)
    except Exception as exc:  # then the fast path must fail the same way
        with pytest.raises(TemplateError) as caught:
            CompiledTemplate(path).render_bytes(context)
        assert str(caught.value) == str(translate_render_error(exc, path.name))
        return
    fast = CompiledTemplate(path)
    out = fast.render_bytes(context)
    assert fast.is_fast and fast.docxtpl_renders == 0
    assert_same_document(out, reference)
    if names:
        assert "&" in body_text(out) or any("&" in text_of(x) for x in rendered_parts(out).values())


TRICKY = ["", "甲&乙 <要点>", 'He said "yes"', "it's", "{_{ x }_}", "😀\u2028\x7f", "  两个空格  ", "&#34;"]


# The minutes templates (and the office-saved copy): no tables, so the body shortcut applies.
MINUTES_TEMPLATES = [p for p in repo_templates() if not p.id.startswith("发展")]


@pytest.mark.parametrize("path", MINUTES_TEMPLATES)
def test_body_shortcut_is_taken_for_repo_templates_and_matches_docxtpl(path):
    """The minutes templates skip docxtpl's parse-and-serialize of the body (fast_body) and
    still give docxtpl's bytes, for any printed text, empty values and sections included.
    (Templates with tables, such as the 发展党员 papers, take docxtpl's exact path.)"""
    from pipeline.render.minutes import sample_context

    fast = CompiledTemplate(path)
    assert fast._shortcut is not None
    for i, text in enumerate(TRICKY):
        context = sample_context(i)
        for key in ("主题", "地点", "主持人", "会议名称", "出席人员"):
            context[key] = text
        context["正文"] = context["正文"][: i % 3]
        if context["正文"]:
            context["正文"][0]["段落"] = [text, text]
        assert fast._shortcut.render(context) is not None
        assert_same_document(fast.render_bytes(context), plain_docxtpl(path, context, True))


def test_body_shortcut_steps_aside_for_tables_raw_values_and_control_characters(tmp_path):
    table = Document()
    table.add_table(rows=1, cols=1).cell(0, 0).text = "{{ 值 }}"
    table.save(tmp_path / "table.docx")
    assert CompiledTemplate(tmp_path / "table.docx")._shortcut is None
    path = make_template(tmp_path / "t.docx", ["前{{ 值 }}后"])
    assert CompiledTemplate(path, autoescape=False)._shortcut is None
    fast = CompiledTemplate(path)
    for text in ("行一\n行二", "制表\t符", "回车\r", "\x01"):
        assert fast._shortcut.render({"值": text}) is None  # docxtpl's exact path renders these
        try:
            reference = plain_docxtpl(path, {"值": text}, True)
        except Exception:  # noqa: BLE001 - then the fast path must fail too
            with pytest.raises(TemplateError):
                fast.render_bytes({"值": text})
            continue
        assert_same_document(fast.render_bytes({"值": text}), reference)


# --- zhibu's environment: strict, sandboxed, escaped -------------------------------------------


def test_undefined_variable_raises_zhibu_error_naming_it(tmp_path):
    path = make_template(tmp_path / "会议.docx", ["主题：{{ 主题 }}", "地点：{{ 地点 }}"])
    with pytest.raises(TemplateVariableError) as caught:
        CompiledTemplate(path).render_bytes({"主题": "学习"})
    assert caught.value.variable == "地点"
    assert "地点" in str(caught.value) and "会议.docx" in str(caught.value)


def test_undefined_attribute_in_footer_is_named(tmp_path):
    path = make_template(tmp_path / "t.docx", ["{{ 主题 }}"], footer="{{ 支部.名称 }}")
    with pytest.raises(TemplateVariableError) as caught:
        CompiledTemplate(path).render_bytes({"主题": "学习", "支部": {"简称": "汽运"}})
    assert caught.value.variable == "名称"


@pytest.mark.parametrize(
    "expr",
    ["''.__class__.__mro__", "主题.__class__.__mro__[1].__subclasses__()", "主题.__init__.__globals__"],
)
def test_sandbox_escape_raises_security_error(tmp_path, expr):
    path = make_template(tmp_path / "t.docx", ["{{ " + expr + " }}"])
    with pytest.raises(TemplateSecurityError) as caught:
        CompiledTemplate(path).render_bytes({"主题": "学习"})
    assert "安全沙箱" in str(caught.value)


def test_special_characters_render_literally_everywhere(tmp_path):
    path = make_template(
        tmp_path / "t.docx",
        ["主题：{{ 主题 }}"],
        header="页眉 {{ 主题 }}",
        footer="页脚 {{ 主题 }}",
        title="{{ 主题 }}",
    )
    context = {"主题": "A & B <C> \"D\" 'E' &amp; </w:t>"}
    out = CompiledTemplate(path).render_bytes(context)
    doc = Document(io.BytesIO(out))
    assert doc.paragraphs[-1].text == "主题：" + context["主题"]
    assert doc.sections[0].header.paragraphs[0].text == "页眉 " + context["主题"]
    assert doc.sections[0].footer.paragraphs[0].text == "页脚 " + context["主题"]
    assert_same_document(out, plain_docxtpl(path, context, True))


def test_autoescape_parameter_is_honoured(tmp_path):
    path = make_template(tmp_path / "t.docx", ["{{ 值 }}"])
    context = {"值": "甲&amp;乙"}
    escaped = CompiledTemplate(path).render_bytes(context)
    raw = CompiledTemplate(path, autoescape=False).render_bytes(context)
    assert body_text(escaped).endswith("甲&amp;乙")
    assert body_text(raw).endswith("甲&乙")  # the value went in as XML
    assert_same_document(raw, plain_docxtpl(path, context, False))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_any_text_matches_plain_docxtpl(tmp_path, text):
    path = tmp_path / "t.docx"
    if not path.exists():
        make_template(path, ["前{{ 值 }}后", "{{ 值 }}"], header="{{ 值 }}")
    out = CompiledTemplate(path).render_bytes({"值": text})
    assert_same_document(out, plain_docxtpl(path, {"值": text}, True))
    assert Document(io.BytesIO(out)).paragraphs[-1].text == text


def test_syntax_error_is_reported_once_at_compile_time(tmp_path):
    path = make_template(tmp_path / "坏模板.docx", ["{{ 主题 "])
    with pytest.raises(TemplateError) as caught:
        CompiledTemplate(path)
    assert "模板语法错误" in str(caught.value)
    with pytest.raises(TemplateError):
        render_batch(path, [({"主题": "x"}, tmp_path / "out.docx")], workers=1)
    assert not (tmp_path / "out.docx").exists()


def test_missing_template_is_a_chinese_error(tmp_path):
    with pytest.raises(TemplateError) as caught:
        CompiledTemplate(tmp_path / "没有.docx")
    assert "无法读取模板文件" in str(caught.value)


FOOTNOTES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:id="0"><w:p><w:r><w:t>注：{{ 注 }}</w:t></w:r></w:p></w:footnote></w:footnotes>'
).encode()


def with_footnotes(src: Path, dest: Path, sections: int) -> Path:
    """A copy of ``src`` with a templated footnotes part and 0, 1 or 2 sections."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            elif item.filename == "word/document.xml":
                if sections == 0:
                    data = re.sub(rb"<w:sectPr\b.*?</w:sectPr>", b"", data, flags=re.S)
                elif sections == 2:
                    data = data.replace(b"<w:body>", b"<w:body><w:p><w:pPr><w:sectPr/></w:pPr></w:p>")
            zout.writestr(item, data)
        zout.writestr("word/footnotes.xml", FOOTNOTES_XML)
    return dest


@pytest.mark.parametrize(
    ("sections", "expected"), [(0, "注：{{ 注 }}"), (1, "注：{{ 1 + 1 }} & 说明"), (2, "注：2 & 说明")]
)
def test_footnotes_are_rendered_once_per_section_like_docxtpl(tmp_path, sections, expected):
    path = with_footnotes(make_template(tmp_path / "src.docx", ["正文"]), tmp_path / "t.docx", sections)
    context = {"注": "{{ 1 + 1 }} & 说明"}
    fast = CompiledTemplate(path)
    out = fast.render_bytes(context)
    assert fast.is_fast and fast.docxtpl_renders == 0
    assert text_of(rendered_parts(out)["word/footnotes.xml"]) == expected
    assert_same_document(out, plain_docxtpl(path, context, True))


def test_repeated_pictures_get_docxtpl_drawing_ids(tmp_path):
    (tmp_path / "p.png").write_bytes(png_1x1())
    doc = Document()
    doc.add_paragraph("{%p for 人 in 名单 %}")
    doc.add_paragraph("{{ 人 }}")
    doc.add_picture(str(tmp_path / "p.png"), width=Mm(5))
    doc.add_paragraph("{%p endfor %}")
    doc.save(tmp_path / "t.docx")
    context = {"名单": ["甲", "乙", "丙"]}
    out = CompiledTemplate(tmp_path / "t.docx").render_bytes(context)
    ids = re.findall(rb'<wp:docPr id="(\d+)"', rendered_parts(out)["word/document.xml"])
    assert ids == [b"1001", b"1002", b"1003"]
    assert_same_document(out, plain_docxtpl(tmp_path / "t.docx", context, True))


# --- features that need the document object ---------------------------------------------------


def test_inline_image_falls_back_to_docxtpl(tmp_path):
    path = make_template(tmp_path / "t.docx", ["姓名：{{ 姓名 }}", "{{ 照片 }}"])
    (tmp_path / "p.png").write_bytes(png_1x1())
    fast = CompiledTemplate(path)
    tpl = DocxTemplate(path)
    out = fast.render_bytes({"姓名": "张伟", "照片": InlineImage(tpl, str(tmp_path / "p.png"), width=Mm(10))})
    assert fast.docxtpl_renders == 1
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert any(n.startswith("word/media/") for n in zf.namelist())
        assert b"<pic:pic" in zf.read("word/document.xml")
    assert "姓名：张伟" in body_text(out)
    ref_tpl = DocxTemplate(path)
    ref = plain_docxtpl_with(
        ref_tpl, {"姓名": "张伟", "照片": InlineImage(ref_tpl, str(tmp_path / "p.png"), width=Mm(10))}
    )
    assert text_of(rendered_parts(out)["word/document.xml"]) == text_of(
        rendered_parts(ref)["word/document.xml"]
    )


def plain_docxtpl_with(tpl: DocxTemplate, context: dict) -> bytes:
    env = make_environment()
    tpl.render(context, env, True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def test_replace_zipname_on_a_prepared_docxtemplate_is_used(tmp_path):
    """replace_zipname/replace_media/replace_pic live on a DocxTemplate: put it in the context."""
    path = make_template(tmp_path / "t.docx", ["{{ 主题 }}"])
    app = zipfile.ZipFile(path).read("docProps/app.xml")
    (tmp_path / "app.xml").write_bytes(re.sub(rb"<Application>[^<]*<", b"<Application>zhibu<", app))
    tpl = DocxTemplate(path)
    tpl.replace_zipname("docProps/app.xml", str(tmp_path / "app.xml"))
    fast = CompiledTemplate(path)
    out = fast.render_bytes({"主题": "学习", "模板": tpl})
    assert fast.docxtpl_renders == 1
    assert b"<Application>zhibu<" in zipfile.ZipFile(io.BytesIO(out)).read("docProps/app.xml")
    assert body_text(out).endswith("学习")


def test_richtext_goes_through_the_fast_path(tmp_path):
    path = make_template(tmp_path / "t.docx", ["结论：{{r 结论 }}"])
    context = {"结论": RichText("通过 & 执行", bold=True, color="C00000")}
    fast = CompiledTemplate(path)
    out = fast.render_bytes(context)
    assert fast.docxtpl_renders == 0
    assert b"<w:b/>" in rendered_parts(out)["word/document.xml"]
    assert_same_document(out, plain_docxtpl(path, context, True))


def test_template_without_core_properties_falls_back(tmp_path):
    source = make_template(tmp_path / "src.docx", ["{{ 主题 }}"], header="{{ 主题 }}")
    path = tmp_path / "t.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "docProps/core.xml":
                continue
            if item.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", data)
            zout.writestr(item, data)
    fast = CompiledTemplate(path)
    assert not fast.is_fast and "core-properties" in fast.fallback_reason
    out = fast.render_bytes({"主题": "学习 & 讨论"})
    assert fast.docxtpl_renders == 1
    assert body_text(out).endswith("学习 & 讨论")
    assert_same_document(out, plain_docxtpl(path, {"主题": "学习 & 讨论"}, True))


# --- render_to and batches ---------------------------------------------------------------------


def test_render_to_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = make_template(tmp_path / "t.docx", ["{{ 主题 }}"])
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    dest = out_dir / "记录.docx"
    dest.write_bytes(b"old")
    fast = CompiledTemplate(path)
    fast.render_to({"主题": "新"}, dest)
    assert body_text(dest.read_bytes()).endswith("新")
    with pytest.raises(TemplateVariableError):
        fast.render_to({}, dest)
    assert body_text(dest.read_bytes()).endswith("新")  # a failed record leaves the old file
    (tmp_path / "是文件不是文件夹").write_bytes(b"")
    with pytest.raises(ArchiveError) as caught:
        fast.render_to({"主题": "x"}, tmp_path / "是文件不是文件夹" / "a.docx")
    assert "无法写入文件" in str(caught.value)
    assert sorted(p.name for p in out_dir.iterdir()) == ["记录.docx"]


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_reports_bad_records_and_renders_the_rest(tmp_path, workers):
    path = make_template(tmp_path / "t.docx", ["记录{{ 序号 }}：{{ 主题 }}"], footer="{{ 序号 }}")
    jobs = [({"序号": i, "主题": f"主题{i}"}, tmp_path / f"{i}.docx") for i in range(45)]
    jobs[7] = ({"序号": 7}, tmp_path / "7.docx")  # no 主题
    (tmp_path / "一个文件").write_bytes(b"")
    jobs[30] = ({"序号": 30, "主题": "x"}, tmp_path / "一个文件" / "30.docx")  # cannot be written
    result = render_batch(path, iter(jobs), workers=workers)
    assert (result.total, result.succeeded) == (45, 43)
    assert [(f.index, f.dest) for f in result.failures] == [(7, jobs[7][1]), (30, jobs[30][1])]
    assert "主题" in result.failures[0].message and "未定义的变量" in result.failures[0].message
    assert "无法写入文件" in result.failures[1].message
    fast = CompiledTemplate(path)
    for i, (ctx, dest) in enumerate(jobs):
        if i not in (7, 30):
            assert dest.read_bytes() == fast.render_bytes(ctx)  # same bytes as one by one
    assert not (tmp_path / "7.docx").exists()
    assert (len(result.worker_peak_rss) > 0) == (workers > 1)


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_consumes_jobs_lazily(tmp_path, workers):
    path = make_template(tmp_path / "t.docx", ["{{ 序号 }}"])
    out = tmp_path / "out"
    out.mkdir()
    # Records read but not yet written, at most: the chunk being filled plus those in flight.
    window = CHUNK_SIZE * (1 if workers == 1 else workers * IN_FLIGHT_PER_WORKER + 1)

    def jobs():
        for i in range(window * 3 + 5):
            written = len(os.listdir(out))
            assert written >= i - window, f"record {i} read with only {written} written"
            yield {"序号": i}, out / f"{i}.docx"

    result = render_batch(path, jobs(), workers=workers)
    assert result.ok and result.total == window * 3 + 5
    assert body_text((out / f"{window * 3 + 4}.docx").read_bytes()).endswith(str(window * 3 + 4))


def test_records_bound_to_a_docxtemplate_render_in_a_pool_batch(tmp_path):
    path = make_template(tmp_path / "t.docx", ["{{ 姓名 }}", "{{ 照片 }}"])
    (tmp_path / "p.png").write_bytes(png_1x1())
    tpl = DocxTemplate(path)
    jobs = [({"姓名": f"人{i}", "照片": ""}, tmp_path / f"{i}.docx") for i in range(20)]
    jobs[5] = (
        {"姓名": "人5", "照片": InlineImage(tpl, str(tmp_path / "p.png"), width=Mm(5))},
        tmp_path / "5.docx",
    )
    result = render_batch(path, jobs, workers=2)
    assert result.ok, result.failures
    assert b"<pic:pic" in zipfile.ZipFile(tmp_path / "5.docx").read("word/document.xml")
    assert b"<pic:pic" not in zipfile.ZipFile(tmp_path / "6.docx").read("word/document.xml")
    assert "人19" in body_text((tmp_path / "19.docx").read_bytes()).splitlines()


# Inherited by every worker however it is started (fork, forkserver or spawn re-import this
# module), so a worker never mistakes itself for the parent.
PARENT_PID = int(os.environ.setdefault("ZHIBU_TEST_PARENT_PID", str(os.getpid())))


class KillsWorker:
    """Renders as text in this process, but kills a worker process that renders it."""

    def __str__(self) -> str:
        if os.getpid() != PARENT_PID:
            os._exit(3)
        return "parent"


def test_a_crashing_worker_does_not_stop_the_batch(tmp_path):
    path = make_template(tmp_path / "t.docx", ["{{ 值 }}"])
    n = 200
    jobs = [({"值": KillsWorker() if i == 3 else f"值{i}"}, tmp_path / f"{i}.docx") for i in range(n)]
    result = render_batch(path, jobs, workers=2)
    failed = {f.index for f in result.failures}
    assert 3 in failed and all(f.message == CRASH_MESSAGE for f in result.failures)
    # What is lost is whole chunks, the ones in flight when the pool was found broken: the
    # first one and at most the others then in flight. Which ones depends on when the pool
    # notices the dead worker (only once no result is waiting to be read), so not necessarily
    # before the last chunk was sent.
    lost_chunks = {i // CHUNK_SIZE for i in failed}
    assert failed == {i for c in lost_chunks for i in range(c * CHUNK_SIZE, min(n, (c + 1) * CHUNK_SIZE))}
    assert 0 in lost_chunks and len(lost_chunks) <= 2 * IN_FLIGHT_PER_WORKER
    # Records of a lost chunk may or may not have been written before the crash; all others were.
    assert not (tmp_path / "3.docx").exists()
    for i in set(range(n)) - failed:
        assert body_text((tmp_path / f"{i}.docx").read_bytes()).endswith(f"值{i}"), i
