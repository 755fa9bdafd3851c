"""Hostile content through the CLI.

* Jinja syntax typed in a note or a spreadsheet cell is printed literally, never executed.
* A template that reaches for Python internals is stopped by the sandbox, with a Chinese
  message naming the template; nothing it asked for is done.
* Titles with ``../``, ``/``, ``\\``, drive letters or UNC paths never place a file outside the archive.
* Cells zhibu writes (the 待修正 workbook, the 台账 of ``zhibu batch``) never become formulas.
* Zip bombs and XML entity expansion (billion laughs, external entities) are refused before
  any parser expands them: the process stays small, and no file content leaks in.
* 身份证号 and phone numbers from the roster never appear in anything zhibu writes or prints.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from tests.support.corpus import (
    HEADER,
    billion_laughs,
    dense_docx,
    dense_shared_strings,
    meeting_row,
    replace_member,
    write_inflating,
    xlsx_bytes,
)
from tests.support.term import soffice_to_csv
from tests.support.watch import REPO, env

TERM1 = "2024-2025学年/第一学期"


def note(topic: str, day: str = "2024-10-08", body: str = "讨论发展对象。", type_: str = "支委会") -> str:
    return (
        f"会议类型：{type_}\n会议主题：{topic}\n时间：{day} 14:30\n地点：行政楼302\n主持人：沈轶娜\n"
        f"记录人：缪巧军\n参会人员：沈轶娜、夏渊、缪巧军\n会议内容：\n{body}\n"
    )


def full_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def package_text(path: Path) -> str:
    """Every member of a zip package (docx/xlsx) as text; other files as they are."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as zf:
            return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    return data.decode("utf-8", "replace") + data.decode("utf-16-le", "replace")


# --- Jinja typed by the secretary: literal text --------------------------------------------------

JINJA = [
    "{{ 7*7 }}",
    "{% for i in range(3) %}循环{% endfor %}",
    "{{ cycler.__init__.__globals__ }}",
    "{%p if True %}段落{%p endif %}",
    "{{ config }}{# 注释 #}",
    "{%- raw %}原样{% endraw -%}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "${7*7} #{7*7} <%= 7*7 %>",
]


def test_jinja_in_notes_and_spreadsheet_cells_is_printed_literally(ws):
    ws.drop("模板语法.txt", note("{{ 主持人 }}的{{ 7*7 }}次会议", body="\n".join(JINJA)))
    sheet = Workbook()
    sheet.active.append([*HEADER, "内容摘要", "决议"])
    sheet.active.append([*meeting_row("2024-10-09", "{{ 7*7 }}表格"), "\n".join(JINJA[:4]), JINJA[6]])
    sheet.active.append(
        [
            "2024-10-10",
            "支委会",
            "{% for i in range(3) %}主题{% endfor %}",
            "{{ 地点 }}",
            "{{ 主持人 }}",
            "缪巧军",
            3,
            3,
            JINJA[4],
            JINJA[7],
        ]
    )
    sheet.save(ws.root / "inbox" / "会议登记表.xlsx")
    ws.drop(
        "成果.csv",
        csv_bytes(
            [
                ["成果名称", "类别", "完成人", "级别", "时间", "刊物或颁发单位"],
                ["{{ 7*7 }}成果", "论文", "{{ 主持人 }}", "校级", "2024-10-15", JINJA[2]],
            ]
        ),
    )
    result = ws.run(ok=True)
    docs = ws.outputs()
    assert len(docs) == 3
    texts = {d.name: full_text(d) for d in docs}
    everything = "\n".join(texts.values())
    for snippet in JINJA:
        for line in snippet.split("\n"):
            assert line in everything, line
    assert "{{ 主持人 }}的{{ 7*7 }}次会议" in everything
    assert "{% for i in range(3) %}主题{% endfor %}" in everything and "{{ 地点 }}" in everything
    for executed in ("49次", "49表格", "循环循环", "主题主题", "<class", "沈轶娜的"):
        assert executed not in everything + result.output, executed
    # the term outputs render the same text literally
    batch = ws("batch", "-w", ws.root, "--term", "2024-2025-1", "--date", "2025-02-20")
    assert batch.exit_code == 0, batch.output
    compilation = next((ws.root / "outbox").rglob("*成果汇编.docx"))
    text = full_text(compilation)
    assert "{{ 7*7 }}成果" in text and "49成果" not in text


# --- templates that reach for Python internals --------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('touch SENTINEL').read() }}",
    "{{ joiner.__init__.__globals__['__builtins__']['open']('SENTINEL', 'w') }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ 主持人.__class__.__base__.__subclasses__() }}",
    "{{ '{0.__class__.__mro__}'.format(主持人) }}",
    "{{ self._TemplateReference__context }}",
    "{% set g = cycler.__init__.__globals__ %}{{ g.os.system('touch SENTINEL') }}",
]


@pytest.mark.parametrize("payload", ESCAPES, ids=range(len(ESCAPES)))
def test_template_reaching_python_internals_is_stopped_by_the_sandbox(ws, payload):
    sentinel = ws.root.parent / "pwned"
    template = Document(str(ws.root / "templates" / "会议记录.docx"))
    template.add_paragraph(payload.replace("SENTINEL", str(sentinel)))
    template.save(str(ws.root / "templates" / "支委会.docx"))
    ws.drop("支委会.txt", note("沙箱"))
    result = ws.run()
    assert result.exit_code == 1
    assert not sentinel.exists()
    reason = (ws.root / "inbox" / "失败" / "支委会.txt.原因.txt").read_text(encoding="utf-8-sig")
    assert "templates/支委会.docx" in reason and "安全沙箱" in reason, reason
    assert "安全沙箱" in result.output and ws.outputs() == []
    check = ws("templates", "check", "-w", ws.root)
    assert "templates/支委会.docx" in check.output and "安全沙箱" in check.output, check.output
    assert not sentinel.exists()


def test_a_template_cannot_include_files_or_loop_forever(ws):
    for type_, payload in (
        ("支委会", "{% include '/etc/passwd' %}"),
        ("党课", "{% for i in range(10**9) %}x{% endfor %}"),
    ):
        template = Document(str(ws.root / "templates" / "会议记录.docx"))
        template.add_paragraph(payload)
        template.save(str(ws.root / "templates" / f"{type_}.docx"))
        ws.drop(f"{type_}.txt", note("包含文件", type_=type_))
    result = ws.run()
    assert result.exit_code == 1 and ws.outputs() == []
    for type_ in ("支委会", "党课"):
        reason = (ws.root / "inbox" / "失败" / f"{type_}.txt.原因.txt").read_text(encoding="utf-8-sig")
        assert f"templates/{type_}.docx" in reason and "模板" in reason
    assert "root:" not in result.output


# --- titles that look like paths ---------------------------------------------------------------

PATHS = [
    "../../../../逃逸",
    "/etc/cron.d/逃逸",
    "..\\..\\..\\Windows\\逃逸",
    "C:\\Windows\\System32\\逃逸",
    "D:逃逸",
    "\\\\server\\share\\逃逸",
    "..",
    ".",
    "a/../../b",
    "~/逃逸",
    "CON",
    "  ",
    "…/../..",
    "/",
]


def test_titles_never_place_a_file_outside_the_archive(ws, tmp_path):
    before = all_files(tmp_path)
    for i, title in enumerate(PATHS):
        ws.drop(f"路径{i}.txt", note(title, day=f"2024-10-{i + 1:02d}"))
    rows = [HEADER] + [meeting_row(f"2024-11-{i + 1:02d}", title) for i, title in enumerate(PATHS)]
    ws.drop("路径登记表.csv", csv_bytes(rows))
    result = ws.run()
    assert "内部错误" not in result.output, result.output
    outbox = (ws.root / "outbox").resolve()
    allowed = [outbox, (ws.root / "inbox" / "失败").resolve(), (ws.root / ".zhibu").resolve()]
    new = all_files(tmp_path) - before
    outside = [p for p in new if not any(p.resolve().is_relative_to(a) for a in allowed)]
    assert not outside, outside
    docs = ws.outputs()
    assert len(docs) == 2 * len(PATHS), [d.name for d in docs]
    for doc in docs:
        rel = doc.relative_to(ws.root / "outbox").as_posix()
        assert rel.startswith(f"{TERM1}/会议记录/支委会/"), rel
        assert "逃逸" not in rel or ".." not in rel.split("/")
    db = sqlite3.connect(ws.root / ".zhibu" / "index.sqlite3")
    for (path,) in db.execute("SELECT path FROM outputs"):
        assert (ws.root / path).resolve().is_relative_to(outbox) and ".." not in Path(path).parts
    for (path,) in db.execute("SELECT archived_path FROM sources"):
        assert (ws.root / path).resolve().is_relative_to(outbox)
    db.close()


# --- cells written by zhibu never become formulas -------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "@SUM(1,2)", "-2+3", "=1+2", "=cmd|' /C calc'!A0"]


def text_cells(path: Path, values) -> list:
    wb = load_workbook(path)
    return [(ws.title, c) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value in values]


def sheet_index(path: Path, title: str) -> int:
    return load_workbook(path, read_only=True).sheetnames.index(title) + 1


def test_cells_written_by_zhibu_are_never_formulas(ws, tmp_path):
    # A meeting register whose bad rows carry formula-looking text → the 待修正 workbook.
    rows = [HEADER + ["内容摘要"], meeting_row("2024-10-08", "好的一行") + ["学习。"]]
    for i, value in enumerate(FORMULAS):
        rows.append([f"2024-02-{30 + i % 2}", "支委会", value, value, value, "缪巧军", 3, 3, value])
    ws.drop("公式登记表.csv", csv_bytes(rows))
    # Notes and achievements with formula-looking titles → the 台账 of zhibu batch.
    for i, value in enumerate(FORMULAS):
        ws.drop(f"公式{i}.txt", note(value, day=f"2024-10-{10 + i}", type_="主题党日"))
    ws.drop(
        "成果.csv",
        csv_bytes(
            [["成果名称", "类别", "完成人", "级别", "时间", "刊物或颁发单位"]]
            + [[v, "论文", "张伟", "校级", f"2024-11-{i + 1:02d}", v] for i, v in enumerate(FORMULAS)]
        ),
    )
    ws.run()
    fix = ws.root / "inbox" / "失败" / "公式登记表.待修正.xlsx"
    assert fix.is_file()
    ws("batch", "-w", ws.root, "--term", "2024-2025-1", "--date", "2025-02-20", ok=True)
    ledger = next((ws.root / "outbox").rglob("*三会一课台账.xlsx"))

    for book in (fix, ledger):
        found = text_cells(book, FORMULAS)
        assert {c.value for _, c in found} == set(FORMULAS), (book.name, {c.value for _, c in found})
        for sheet, cell in found:
            assert cell.data_type == "s", (book.name, sheet, cell.coordinate, cell.value)
        with zipfile.ZipFile(book) as zf:
            sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(re.search(r"<f[ >]", xml) for xml in sheets), book.name
    assert shutil.which("soffice"), "LibreOffice is needed for the CSV export check (.ci/run installs it)"
    # LibreOffice shows every one of them as the text it is (a formula would show its result)
    for book in (fix, ledger):
        by_sheet: dict[str, set] = {}
        for sheet, cell in text_cells(book, FORMULAS):
            by_sheet.setdefault(sheet, set()).add(cell.value)
        for sheet, values in sorted(by_sheet.items()):
            out = soffice_to_csv(book, tmp_path / f"{book.stem}-{sheet}", sheet=sheet_index(book, sheet))
            shown = {v for row in csv.reader(io.StringIO(out)) for v in row}
            assert values <= shown, (book.name, sheet, values - shown)


# --- zip bombs and entity expansion: refused before parsing, in little memory ------------------------

# Peak memory of the process itself: VmHWM (ru_maxrss would include the parent's memory at the
# fork, since Linux keeps the high-water mark across exec).
MEASURE = """
import re, resource, sys
from pipeline.commands.cli import cli
try:
    cli.main(["run", "-w", sys.argv[1]], standalone_mode=False)
except SystemExit:
    pass
try:
    with open("/proc/self/status") as fh:
        peak = int(re.search(r"VmHWM:\\s*(\\d+)", fh.read()).group(1))
except (OSError, AttributeError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("MAXRSS_KB", peak)
"""


def run_measured(root: Path) -> tuple[str, int]:
    """`zhibu run` in a fresh process; (its output, its peak resident memory in MB)."""
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(root)], cwd=REPO, env=env(), capture_output=True, timeout=300
    )
    out = proc.stdout.decode("utf-8", "replace")
    m = re.search(r"MAXRSS_KB (\d+)", out)
    assert m, out + proc.stderr.decode("utf-8", "replace")
    return out, int(m.group(1)) // 1024


def inflating(base: bytes, member: str, size: int = 1 << 30, fill: bytes = b" ", zip64: bool = True) -> bytes:
    """``base`` with ``member`` replaced by ``size`` bytes that compress about 1000:1, streamed."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as zin,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout,
    ):
        for item in zin.infolist():
            if item.filename != member:
                zout.writestr(item, zin.read(item))
        write_inflating(zout, member, size, fill, zip64)
    return buf.getvalue()


def lying_sizes(base: bytes, member: str) -> bytes:
    """A member that inflates to 200 MB while both its headers say 2,000 bytes."""
    data = bytearray(inflating(base, member, 200 << 20, zip64=False))
    name = member.encode()
    small = (2000).to_bytes(4, "little")
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        local = zf.getinfo(member).header_offset
    assert data[local + 30 : local + 30 + len(name)] == name
    data[local + 22 : local + 26] = small  # local header: uncompressed size
    at = bytes(data).find(b"PK\x01\x02")
    while at != -1:  # central directory entry
        n = int.from_bytes(data[at + 28 : at + 30], "little")
        if bytes(data[at + 46 : at + 46 + n]) == name:
            data[at + 24 : at + 28] = small
        at = bytes(data).find(b"PK\x01\x02", at + 4)
    return bytes(data)


def docx_note_bytes(text: str) -> bytes:
    d = Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_zip_bombs_and_entity_expansion_are_refused_in_little_memory(tmp_path):
    from tests.support.watch import init_workspace

    good_docx = docx_note_bytes(note("正常"))
    good_xlsx = xlsx_bytes([HEADER, meeting_row("2024-10-08", "正常")])
    base = init_workspace(tmp_path / "base")
    (base / "inbox" / "正常.docx").write_bytes(good_docx)
    (base / "inbox" / "正常.xlsx").write_bytes(good_xlsx)
    base_out, base_mb = run_measured(base)
    assert "[已处理] 正常.docx" in base_out and "[已处理] 正常.xlsx" in base_out, base_out

    root = init_workspace(tmp_path / "ws")
    inbox = root / "inbox"
    laughs_doc = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>会议类型：支委会 时间：2024年10月8日 &lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    laughs_sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>日期&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    laughs_core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&lol9;</dc:title>'
        "</cp:coreProperties>"
    )
    bombs = {
        "炸弹.docx": inflating(good_docx, "word/document.xml"),
        "炸弹.xlsx": inflating(good_xlsx, "xl/worksheets/sheet1.xml"),
        "样式炸弹.docx": inflating(good_docx, "word/styles.xml"),
        "谎报大小.docx": lying_sizes(good_docx, "word/document.xml"),
        "谎报大小.xlsx": lying_sizes(good_xlsx, "xl/worksheets/sheet1.xml"),
        "百倍压缩.docx": dense_docx(good_docx),  # 120 MB of paragraphs, ~1 MB on disk
        "百倍压缩.xlsx": dense_shared_strings(good_xlsx),  # 150 MB of shared strings, ~1.5 MB
        "实体.docx": replace_member(good_docx, "word/document.xml", billion_laughs(laughs_doc)),
        "属性实体.docx": replace_member(good_docx, "docProps/core.xml", billion_laughs(laughs_core)),
        "实体.xlsx": replace_member(good_xlsx, "xl/worksheets/sheet1.xml", billion_laughs(laughs_sheet)),
        "属性实体.xlsx": replace_member(good_xlsx, "docProps/core.xml", billion_laughs(laughs_core)),
    }
    for name, data in bombs.items():
        (inbox / name).write_bytes(data)
    out, mb = run_measured(root)
    print(f"peak memory: {base_mb} MB for two normal files, {mb} MB for {len(bombs)} bombs")
    failed = {p.name for p in (inbox / "失败").iterdir()}
    for name in bombs:
        assert name in failed, (name, out)
        assert f"[失败] {name}" in out
    assert "lollollol" not in out and "内部错误" not in out, out
    assert mb < base_mb + 60, f"{mb} MB with bombs vs {base_mb} MB without"
    assert not list((root / "outbox").rglob("*.docx"))


# --- external entities: no file content ever read in ----------------------------------------------


def xxe(secret: Path, root_xml: str) -> bytes:
    return (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>{root_xml}'
    ).encode()


def test_external_entities_are_never_resolved(ws, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密内容ZX81", encoding="utf-8")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in note("外部实体", body="正文&xxe;").splitlines()
    )
    doc_xml = f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    ws.drop(
        "外部实体.docx",
        replace_member(docx_note_bytes(note("外部实体")), "word/document.xml", xxe(secret, doc_xml)),
    )
    sheet_xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(
            f'<row r="{r}">'
            + "".join(
                f'<c r="{chr(65 + j)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for j, v in enumerate(vals)
            )
            + "</row>"
            for r, vals in ((1, HEADER[:5]), (2, ["2024-10-09", "支委会", "实体&xxe;", "302", "沈轶娜"]))
        )
        + "</sheetData></worksheet>"
    )
    ws.drop(
        "外部实体.xlsx",
        replace_member(xlsx_bytes([["x"]]), "xl/worksheets/sheet1.xml", xxe(secret, sheet_xml)),
    )
    # and a template of the workspace that refers to the secret
    template = ws.root / "templates" / "会议记录.docx"
    with zipfile.ZipFile(template) as zf:
        tpl_xml = zf.read("word/document.xml").decode()
    tpl_xml = tpl_xml.replace("<w:body>", "<w:body><w:p><w:r><w:t>模板&xxe;</w:t></w:r></w:p>", 1)
    tpl_xml = tpl_xml[tpl_xml.index("<w:document") :]
    (ws.root / "templates" / "党课.docx").write_bytes(
        replace_member(template.read_bytes(), "word/document.xml", xxe(secret, tpl_xml))
    )
    ws.drop("党课.txt", note("模板实体", type_="党课"))
    result = ws.run()
    assert "绝密内容" not in result.output
    # the note and the template are used, each without the entity; the workbook is refused
    assert "[已处理] 外部实体.docx" in result.output and "[已处理] 党课.txt" in result.output, result.output
    assert "[失败] 外部实体.xlsx" in result.output
    lecture = full_text(next(d for d in ws.outputs() if "党课" in d.name))
    assert lecture.startswith("模板") and "会议名称：模板实体" in lecture
    written = [
        p
        for p in all_files(ws.root / "outbox") | all_files(ws.root / "inbox" / "失败")
        if p.suffix in (".docx", ".xlsx", ".txt")
    ]
    for path in written:
        assert "绝密内容" not in package_text(path), path
    assert "ZX81" not in (ws.root / ".zhibu" / "index.sqlite3").read_bytes().decode("utf-8", "replace")


# --- 身份证号 and phone numbers from the roster ------------------------------------------------------

IDS = [f"3101151980{m:02d}1{i:03d}X" for i, m in ((1, 1), (2, 3), (3, 5), (4, 7), (5, 9))]
PHONES = [f"1391234{i:04d}" for i in range(1, 6)]
OFFICE = [f"021-6543{i:04d}" for i in range(1, 6)]
NAMES = ["沈轶娜", "夏渊", "缪巧军", "张伟", "李娜"]


def roster_bytes(labels: tuple[str, str, str]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "党员名册"
    sheet.append(["汽车运用工程系党支部党员名册（2024年9月）"])
    sheet.append(
        ["序号", "姓名", "性别", labels[0], "出生年月", labels[1], labels[2], "党员类别", "所在党小组"]
    )
    for i, name in enumerate(NAMES):
        phone = int(PHONES[i]) if i % 2 else PHONES[i]  # typed as a number, or as text
        sheet.append([i + 1, name, "男", IDS[i], "1980.05", phone, OFFICE[i], "正式", "第一党小组"])
    sheet.append(
        [6, "钱多多", "男", IDS[0], "1990年13月", PHONES[0], OFFICE[0], "正式", "第一党小组"]
    )  # a bad row
    hidden = wb.create_sheet("旧名册")
    hidden.append(["姓名", "公民身份号码", "手机"])
    hidden.append(["离开者", IDS[4], PHONES[4]])
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_identity_and_phone_numbers_never_leave_the_roster(ws):
    roster = ws.drop("党员名册.xlsx", roster_bytes(("身份证号码（18位）", "联系电话*（必填）", "办公电话")))
    dropped = package_text(roster)
    assert all(secret in dropped for secret in IDS + PHONES + OFFICE)  # the check below can see them
    ws.drop(
        "名册/名册2.csv",
        csv_bytes(
            [["姓名", "性别", "身份证", "手机号码", "联系方式（手机）", "党员类别"]]
            + [[n, "男", IDS[i], PHONES[i], OFFICE[i], "正式"] for i, n in enumerate(NAMES)],
            "gbk",
        ),
    )
    for i, (type_, day) in enumerate(
        (("支委会", "2024-10-08"), ("支部党员大会", "2024-10-15"), ("党小组会", "2024-10-22"))
    ):
        ws.drop(
            f"会议{i}.txt",
            note(f"学习{i}", day=day, type_=type_).replace("参会人员：沈轶娜、夏渊、缪巧军\n", ""),
        )
    sign = Workbook()
    sign.active.append(["支委会签到表 2024年10月29日"])
    sign.active.append(["姓名", "签到", "联系电话", "备注"])
    for i, n in enumerate(NAMES[:3]):
        sign.active.append([n, "√", PHONES[i], ""])
    sign.save(ws.root / "inbox" / "2024-10-29 支委会签到表.xlsx")
    ws.drop("2024-10-29 支委会.txt", note("签到", day="2024-10-29"))
    printed = ws.run().output
    printed += ws("run", "-w", ws.root).output
    printed += ws("batch", "-w", ws.root, "--term", "2024-2025-1", "--date", "2025-02-20").output
    printed += ws("status", "-w", ws.root, "--term", "2024-2025-1", "--date", "2025-02-20", "--json").output
    printed += ws("profile", "-w", ws.root, "--docx").output
    printed += ws("search", "-w", ws.root, "学习").output
    assert "[部分失败] 党员名册.xlsx" in printed and "敏感信息没有读取" in printed
    assert len(ws.outputs()) >= 4
    secrets = IDS + PHONES + OFFICE
    files = [
        p
        for folder in ("outbox", ".zhibu", "inbox/失败")
        for p in (ws.root / folder).rglob("*")
        if p.is_file()
    ]
    assert any(p.suffix == ".xlsx" and "原始材料" in p.parts for p in files)
    assert any(p.name.endswith(".待修正.xlsx") for p in files)
    assert (ws.root / ".zhibu" / "zhibu.log").is_file()
    for path in files:
        text = (
            package_text(path)
            if path.suffix in (".docx", ".xlsx")
            else path.read_bytes().decode("utf-8", "replace") + path.read_bytes().decode("gbk", "replace")
        )
        for secret in secrets:
            assert secret not in text, (secret, path.relative_to(ws.root))
    for secret in secrets:
        assert secret not in printed, secret


def test_templates_cannot_exhaust_memory(tmp_path):
    """Jinja's sandbox stops Python internals; zhibu's also bounds * and ** (no 1 GB strings)."""
    from pipeline.errors import TemplateSecurityError
    from pipeline.render.environment import make_environment, translate_render_error

    env = make_environment()
    for source in (
        "{{ 'x' * 10**9 }}",
        "{{ [0] * 100000000 }}",
        "{{ 10 ** 100000 }}",
        "{{ (9 ** 9) ** 99 }}",
    ):
        try:
            env.from_string(source).render()
        except Exception as exc:  # noqa: BLE001 - the translated error is what is checked
            err = translate_render_error(exc, "templates/x.docx")
            assert isinstance(err, TemplateSecurityError) and "安全沙箱" in str(err), source
        else:
            raise AssertionError(f"{source} was rendered")
    assert env.from_string("{{ '—' * 20 }}{{ 2 ** 10 }}").render() == "—" * 20 + "1024"
