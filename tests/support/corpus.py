"""A corpus of bad (and borderline) inputs, built on the fly.

Each case writes one file (or link) into an inbox and says what must become of it:
``filed`` (documents produced, original archived), ``failed`` (moved to inbox/失败/ with a
reason file whose text contains ``reason``) or ``partial`` (a register whose good rows are
filed, original archived, and whose bad rows are written to ``inbox/失败/<名>.待修正.xlsx``
with ``reason`` in their 错误原因 column). ``docs`` is the number of documents the input must
produce, ``text`` a text one of them must contain, ``says`` a text the run must print.
``tests/test_bad_inputs.py`` runs them all through ``zhibu run`` (and once through
``zhibu watch``); ``benchmarks/robustness.py`` prints the figures (``outcome`` below is the
one judge for both).
"""

from __future__ import annotations

import csv
import io
import os
import random
import sqlite3
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from openpyxl import Workbook, load_workbook

GOOD = (
    "会议类型：支委会\n会议主题：{topic}\n时间：2024年10月{day}日 14:30\n主持人：沈轶娜\n记录人：缪巧军\n"
    "参会人员：沈轶娜、夏渊、缪巧军\n会议内容：\n{body}\n"
)


def good_note(topic: str, day: int = 8, body: str = "讨论发展对象。") -> str:
    return GOOD.format(topic=topic, day=day, body=body)


@dataclass(frozen=True)
class Case:
    name: str  # what the case is about (for the table in the docs)
    file: str  # file name inside the inbox
    make: Callable[[Path], None]  # writes the file at the given path
    expect: str  # "filed", "failed" or "partial"
    reason: str = ""  # text of the reason file (failed) or of the 待修正 workbook (partial)
    docs: int | None = None  # documents the input must produce (None: at least one when filed)
    text: str = ""  # text one of its documents must contain
    says: str = ""  # text the run must print about it


def text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda p: p.write_bytes(content.encode(encoding))


def raw(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def docx_bytes(paragraphs: list[str]) -> bytes:
    d = Document()
    for para in paragraphs:
        d.add_paragraph(para)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def valid_docx_note(topic: str) -> bytes:
    return docx_bytes(good_note(topic).splitlines())


def truncated_docx(p: Path) -> None:
    data = valid_docx_note("截断")
    p.write_bytes(data[: len(data) // 2])


def corrupted_docx(p: Path) -> None:
    data = bytearray(valid_docx_note("损坏"))
    for i in range(len(data) // 3, len(data) // 3 + 400):
        data[i] ^= 0x5A
    p.write_bytes(bytes(data))


def zip_not_office(p: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "只是一个压缩包")
    p.write_bytes(buf.getvalue())


def zip_bomb(p: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        write_inflating(zf, "word/document.xml", 400 << 20, fill=b"0", zip64=False)
    p.write_bytes(buf.getvalue())


def many_entries(p: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for i in range(10_050):
            zf.writestr(f"x/{i}", "")
    p.write_bytes(buf.getvalue())


def entity_expansion_docx(p: Path) -> None:
    """A 'billion laughs' document.xml inside an otherwise valid .docx."""
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
        )
        + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        + "<w:t>会议类型：支委会 &lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    src = io.BytesIO(valid_docx_note("实体"))
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = lol.encode() if item.filename == "word/document.xml" else zin.read(item)
            zout.writestr(item, data)
    p.write_bytes(out.getvalue())


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000


def symlink_to_outside(p: Path) -> None:
    target = p.parent.parent / "outside-note.txt"
    target.write_text(good_note("链接目标"), encoding="utf-8")
    os.symlink(target, p)


def mixed_encodings(p: Path) -> None:
    head = "会议类型：支委会\n时间：2024年10月9日\n".encode()
    body = "会议内容：\n讨论发展对象，混合编码。\n".encode("gbk")
    p.write_bytes(head + body)


def utf16_no_bom(p: Path) -> None:
    p.write_bytes(good_note("无BOM的Unicode").encode("utf-16-le"))


def huge_body(p: Path) -> None:
    p.write_text(good_note("很长的正文", body="很长的一段话。" * 40_000), encoding="utf-8")


def too_big(p: Path) -> None:
    p.write_text(good_note("超大文件") + "。" * (6 * 1024 * 1024), encoding="utf-8")


def template_as_note(p: Path) -> None:
    from pipeline.render.default_templates import build_minutes_template

    p.write_bytes(build_minutes_template())


def only_tables_docx(p: Path) -> None:
    d = Document()
    t = d.add_table(rows=0, cols=2)
    for k, v in [
        ("会议类型", "党小组会"),
        ("时间", "2024年10月11日"),
        ("主题", "只有表格"),
        ("主持人", "张伟"),
    ]:
        cells = t.add_row().cells
        cells[0].text, cells[1].text = k, v
    d.save(str(p))


# --- registers (spreadsheets) ------------------------------------------------------------------

HEADER = ["日期", "会议类型", "主题", "地点", "主持人", "记录人", "应到", "实到"]


def meeting_row(day: str, topic: str) -> list:
    return [day, "支委会", topic, "行政楼302", "沈轶娜", "缪巧军", 3, 3]


def workbook(*rows: list, setup: Callable | None = None) -> Callable[[Path], None]:
    """A one-sheet workbook with these rows; ``setup(wb, sheet)`` for merges, protection …"""

    def make(p: Path) -> None:
        wb = Workbook()
        sheet = wb.active
        sheet.title = "会议登记"
        for row in rows:
            sheet.append(row)
        if setup:
            setup(wb, sheet)
        wb.save(p)

    return make


def merge_dates(wb, sheet) -> None:
    sheet.merge_cells("A2:A3")  # one date for two meetings, as printed registers do


def protect(wb, sheet) -> None:
    sheet.protection.sheet = True
    sheet.protection.password = "zhibu"
    wb.security.lockStructure = True
    wb.security.workbookPassword = "zhibu"


def hide_register(wb, sheet) -> None:
    sheet.sheet_state = "hidden"
    wb.create_sheet("封面")
    wb.active = 1


def csv_register(rows: list[list], encoding: str) -> Callable[[Path], None]:
    def make(p: Path) -> None:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        p.write_bytes(buf.getvalue().encode(encoding))

    return make


HUGE_END = "这是第四万字的结尾标记"
HUGE = ("会议内容很长。" * 5714)[: 40_000 - len(HUGE_END)] + HUGE_END  # 40,000 characters in one cell


def huge_cell_workbook(p: Path) -> None:
    """A 40,000-character cell. Excel (and openpyxl, which truncates) stop at 32,767 characters;
    other programs do not, so the text is put into the sheet XML directly."""
    workbook(HEADER + ["内容摘要"], meeting_row("2024-10-17", "超长单元格") + ["PLACEHOLDER"])(p)
    data = p.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if n.startswith(("xl/worksheets/", "xl/sharedStrings"))}
    for name, xml in parts.items():
        if b"PLACEHOLDER" in xml:
            data = replace_member(data, name, xml.replace(b"PLACEHOLDER", HUGE.encode()))
    p.write_bytes(data)


def encrypted_workbook(p: Path) -> None:
    """What Excel writes for a workbook with an open password: an OLE compound file holding the
    streams EncryptionInfo and EncryptedPackage (not a zip). Built by hand, structurally valid."""
    sector = 512
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + os.urandom(4088)  # agile encryption header + junk
    package = struct.pack("<Q", 9000) + os.urandom(8184)  # size, then "encrypted" bytes
    n_info, n_pkg = len(info) // sector, len(package) // sector
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [fat_sect, end]  # sector 0: the FAT, 1: the directory
    first_info = len(fat)
    fat += [first_info + i + 1 for i in range(n_info - 1)] + [end]
    first_pkg = len(fat)
    fat += [first_pkg + i + 1 for i in range(n_pkg - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", free, right, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, free, end, 0)
        + entry("EncryptionInfo", 2, free, 2, first_info, len(info))
        + entry("EncryptedPackage", 2, free, free, first_pkg, len(package))
        + b"\x00" * 128
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    p.write_bytes(header + struct.pack(f"<{sector // 4}I", *fat) + directory + info + package)


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def replace_member(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, content if item.filename == member else zin.read(item))
    return out.getvalue()


def billion_laughs(root_xml: str) -> bytes:
    """An XML document whose one entity would expand to 10^9 'lol's (about 3 GB)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>{root_xml}'.encode()


def entity_expansion_xlsx(p: Path) -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>日期 &lol9;</t></is></c></row></sheetData></worksheet>'
    )
    p.write_bytes(
        replace_member(
            xlsx_bytes([HEADER, meeting_row("2024-10-08", "实体")]),
            "xl/worksheets/sheet1.xml",
            billion_laughs(sheet),
        )
    )


class _RepeatedBlockDeflater:
    """zipfile's deflater for a member that is one block written again and again: the block is
    deflated once with a full flush (nothing refers back across it), so the same bytes repeated
    are a valid deflate stream, and a gigabyte costs its CRC instead of its compression."""

    def __init__(self, block: bytes) -> None:
        deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.block = block
        self.deflated = deflater.compress(block) + deflater.flush(zlib.Z_FULL_FLUSH)
        self.end = deflater.flush(zlib.Z_FINISH)

    def compress(self, data) -> bytes:
        assert data is self.block, "only the repeated block may be written"
        return self.deflated

    def flush(self) -> bytes:
        return self.end


def write_inflating(
    zout: zipfile.ZipFile, member: str, size: int, fill: bytes = b" ", zip64: bool = True
) -> None:
    """Add ``member``: ``size`` bytes (a multiple of 1 MiB) of ``fill`` that deflate about 1000:1."""
    block = fill * (1 << 20)
    info = zipfile.ZipInfo(member, date_time=(2024, 10, 8, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zout.open(info, "w", force_zip64=zip64) as fh:
        fh._compressor = _RepeatedBlockDeflater(block)
        for _ in range(size >> 20):
            fh.write(block)


def zip_bomb_xlsx(p: Path) -> None:
    """A workbook whose sheet XML inflates to 1 GB (about 1 MB on disk), written as a stream."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER]))) as zin,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(item, zin.read(item))
        write_inflating(zout, "xl/worksheets/sheet1.xml", 1 << 30)
    p.write_bytes(buf.getvalue())


def dense_xml(size: int, wrap: tuple[str, str], item: str) -> bytes:
    """About ``size`` bytes of valid XML that compress only ~100:1 (an 8 KB random unit, repeated):
    a bomb that the ratio rule alone lets through."""
    rnd = random.Random(8)
    unit = "".join(
        item.format("".join(chr(0x4E00 + rnd.randrange(3000)) for _ in range(20)))
        for _ in range(8192 // (len(item) + 60))
    )
    return (wrap[0] + unit * (size // len(unit.encode())) + wrap[1]).encode()


def with_member(base: bytes, member: str, content: bytes, *, types: bytes = b"", rels: bytes = b"") -> bytes:
    """``base`` with ``member`` added or replaced (deflated), and the content type and relation it needs."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as zin,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout,
    ):
        for item in zin.infolist():
            if item.filename == member:
                continue
            data = zin.read(item)
            if types and item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", types + b"</Types>")
            if rels and item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", rels + b"</Relationships>")
            zout.writestr(item, data)
        zout.writestr(member, content)
    return buf.getvalue()


def dense_docx(base: bytes) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    head = (
        f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>会议类型：支委会</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>时间：2024年10月8日</w:t></w:r></w:p><w:p><w:r><w:t>会议内容：</w:t></w:r></w:p>"
    )
    return with_member(
        base,
        "word/document.xml",
        dense_xml(120 << 20, (head, "</w:body></w:document>"), "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"),
    )


def dense_shared_strings(base: bytes) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return with_member(
        base,
        "xl/sharedStrings.xml",
        dense_xml(150 << 20, (f'<sst xmlns="{ns}">', "</sst>"), "<si><t>{}</t></si>"),
        types=b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/>',
        rels=b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/>',
    )


def roster_with_sensitive_columns(p: Path) -> None:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "党员名册"
    sheet.append(["姓名", "性别", "出生年月", "身份证号", "联系电话", "党员类别", "所在党小组"])
    for i, name in enumerate(["沈轶娜", "夏渊", "缪巧军"]):
        sheet.append(
            [
                name,
                "女" if i == 0 else "男",
                "1980.05",
                f"31011519800{i}0512{i}X",
                f"1390217000{i}",
                "正式",
                "第一党小组",
            ]
        )
    wb.save(p)


CASES: list[Case] = [
    # --- files in general -------------------------------------------------------------------
    Case("零字节文件", "空.txt", raw(b""), "failed", "空"),
    Case("只有空白的文件", "空白.txt", text(" \r\n\t \n"), "failed", "空"),
    Case("二进制垃圾冒充 .txt", "垃圾.txt", raw(bytes(range(256)) * 40), "failed", "不是文本文件"),
    Case("二进制垃圾冒充 .docx", "垃圾.docx", raw(os.urandom(3000)), "failed", "损坏"),
    Case("二进制垃圾冒充 .xlsx", "垃圾.xlsx", raw(os.urandom(3000)), "failed", "损坏"),
    Case("截断的 .docx", "截断.docx", truncated_docx, "failed", "损坏"),
    Case("内部损坏的 .docx", "损坏.docx", corrupted_docx, "failed", "损坏"),
    Case("普通压缩包改名为 .docx", "压缩包.docx", zip_not_office, "failed", "不是有效的 .docx"),
    Case("压缩炸弹 .docx", "炸弹.docx", zip_bomb, "failed", "压缩炸弹"),
    Case("部件数量异常的 .docx", "部件.docx", many_entries, "failed", "部件"),
    Case("XML 实体膨胀（billion laughs）", "实体.docx", entity_expansion_docx, "failed", "无法读取"),
    Case("旧版 .doc", "旧格式.doc", raw(OLE), "failed", "另存为"),
    Case("旧版 .xls", "旧表格.xls", raw(OLE), "failed", ".xlsx"),
    Case("WPS 表格 .et", "表格.et", raw(OLE), "failed", ".xlsx"),
    Case(".xls 改名为 .xlsx", "改名.xlsx", raw(OLE), "failed", "旧版 Office 文件或加了密码"),
    Case(".doc 改名为 .docx", "改名.docx", raw(OLE), "failed", "旧版 Office 文件或加了密码"),
    Case("损坏的 PDF（只有文件头）", "扫描件.pdf", raw(b"%PDF-1.4\n%\xe2\xe3\n"), "failed", "PDF 文件已损坏"),
    Case("损坏的图片", "照片.jpg", raw(b"\xff\xd8\xff\xe0" + os.urandom(500)), "failed", "已损坏或不是图片"),
    Case("没有扩展名", "会议笔记", text(good_note("无扩展名")), "failed", "不支持"),
    Case("符号链接（快捷方式）", "链接.txt", symlink_to_outside, "failed", "快捷方式"),
    Case("超大的“笔记”", "超大.txt", too_big, "failed", "太大"),
    Case("放进收件箱的模板", "会议记录模板.docx", template_as_note, "failed", "模板"),
    # --- encodings --------------------------------------------------------------------------
    Case("GBK 编码", "gbk.txt", text(good_note("GBK编码"), "gbk"), "filed"),
    Case("UTF-16 带 BOM", "utf16.txt", text(good_note("UTF16编码"), "utf-16"), "filed"),
    Case("UTF-16 不带 BOM", "utf16无bom.txt", utf16_no_bom, "filed"),
    Case("UTF-8 带 BOM 的 .md", "bom.md", text(good_note("带BOM的Markdown"), "utf-8-sig"), "filed"),
    Case("GB18030 编码", "gb18030.txt", text(good_note("GB18030编码𠀀"), "gb18030"), "filed"),
    Case("混合编码（UTF-8 + GBK）", "混合编码.txt", mixed_encodings, "failed", "编码"),
    # --- notes with missing, duplicated or contradictory fields -----------------------------
    Case("缺少时间", "缺时间.txt", text("会议类型：支委会\n主持人：沈轶娜\n"), "failed", "缺少会议时间"),
    Case(
        "缺少会议类型",
        "缺类型.txt",
        text("时间：2024年10月8日\n主持人：沈轶娜\n"),
        "failed",
        "无法确定会议类型",
    ),
    Case(
        "无法识别的会议类型",
        "茶话会.txt",
        text("会议类型：茶话会\n时间：2024年10月8日\n"),
        "failed",
        "茶话会",
    ),
    Case(
        "不存在的日期 2024年2月30日",
        "日期不存在.txt",
        text("会议类型：支委会\n时间：2024年2月30日\n"),
        "failed",
        "不存在",
    ),
    Case(
        "不存在的月份 2024年13月1日",
        "月份不存在.txt",
        text("会议类型：支委会\n时间：2024年13月1日\n"),
        "failed",
        "不存在",
    ),
    Case(
        "无法识别的日期",
        "日期乱写.txt",
        text("会议类型：支委会\n时间：下周三下午\n"),
        "failed",
        "无法识别日期",
    ),
    Case(
        "相互矛盾的字段",
        "矛盾.txt",
        text("会议类型：支委会\n时间：2024年10月8日\n时间：2024年10月9日\n"),
        "failed",
        "写了两次",
    ),
    Case(
        "重复但一致的字段",
        "重复字段.txt",
        text(good_note("重复字段") + "时间：2024年10月8日 14:30\n"),
        "filed",
    ),
    Case(
        "人数不是数字",
        "人数.txt",
        text(good_note("人数").replace("主持人", "应到人数：很多\n主持人")),
        "failed",
        "人数",
    ),
    Case(
        "只有表头没有正文",
        "只有表头.txt",
        text("会议类型：党课\n时间：2024年10月10日\n主讲人：沈轶娜\n"),
        "filed",
    ),
    Case("只有表格的 Word 笔记", "表格笔记.docx", only_tables_docx, "filed"),
    Case(
        "500 条议题",
        "议题很多.txt",
        text(
            good_note("议题很多").replace(
                "会议内容：", "议题：\n" + "".join(f"{i}. 议题{i}\n" for i in range(1, 501)) + "会议内容："
            )
        ),
        "filed",
    ),
    Case("超长正文（28 万字）", "超长正文.txt", huge_body, "filed"),
    # --- hostile content and names -----------------------------------------------------------
    Case(
        "笔记里的 Jinja 语法",
        "jinja.txt",
        text(good_note("{{ 主持人 }}{% for x in y %}", body="{{ ''.__class__ }} {%p if 1 %}")),
        "filed",
    ),
    Case("标题含 ../ 和盘符", "路径.txt", text(good_note("../../C:\\Windows\\system32")), "filed"),
    Case("很长的中文文件名", "很长的文件名" * 13 + ".txt", text(good_note("长文件名")), "filed"),
    Case(
        "接近系统上限的文件名（坏文件）",
        "x" * 240 + ".txt",
        text("会议类型：支委会\n"),
        "failed",
        "缺少会议时间",
    ),
    Case("Windows 禁用字符的文件名", 'a<b>c:d"e|f?g*h.txt', text(good_note("禁用字符")), "filed"),
    Case("Windows 保留名 CON.txt", "CON.txt", text(good_note("保留名CON")), "filed"),
    Case("Windows 保留名 nul.docx", "nul.docx", raw(valid_docx_note("保留名NUL")), "filed"),
    Case("以点和空格结尾的文件名", "末尾点 .txt.", text(good_note("末尾点")), "failed", "不支持"),
    # --- registers (spreadsheets) --------------------------------------------------------------
    Case(
        "登记表没有表头",
        "无表头.xlsx",
        workbook(meeting_row("2024-10-08", "无表头"), meeting_row("2024-10-09", "无表头2")),
        "failed",
        "没有找到可识别的登记表表头",
    ),
    Case(
        "登记表有重复的列（两个“日期”）",
        "重复表头.xlsx",
        workbook(HEADER + ["日期"], meeting_row("2024-10-10", "重复表头") + ["2024-10-11"]),
        "filed",
        docs=1,
        text="2024年10月10日",
        says="有2列都是「日期」",
    ),
    Case("登记表只有表头", "只有表头.xlsx", workbook(HEADER), "failed", "只有表头"),
    Case(
        "登记表中间夹着 100 个空行",
        "百个空行.xlsx",
        workbook(
            HEADER,
            meeting_row("2024-10-14", "空行之前"),
            *[[None] * 8] * 50,
            *[["", " ", "\u3000"]] * 50,
            meeting_row("2024-10-15", "空行之后"),
        ),
        "filed",
        docs=2,
        text="空行之后",
    ),
    Case(
        "只有 100 个空行的工作簿", "全是空行.xlsx", workbook(*[[" ", None, "\u3000"]] * 100), "failed", "空"
    ),
    Case(
        "合并的数据单元格（两行共用一个日期）",
        "合并单元格.xlsx",
        workbook(HEADER, meeting_row("2024-10-16", "合并一"), meeting_row(None, "合并二"), setup=merge_dates),
        "partial",
        "没有填写会议日期",
        docs=1,
    ),
    Case("4 万字的单元格", "超长单元格.xlsx", huge_cell_workbook, "filed", docs=1, text=HUGE_END),
    Case(
        "4 万字的单元格（CSV）",
        "超长单元格.csv",
        csv_register([HEADER + ["内容摘要"], meeting_row("2024-10-18", "超长CSV") + ["CSV" + HUGE]], "utf-8"),
        "filed",
        docs=1,
        text=HUGE_END,
    ),
    Case(
        "3 万字的主题（文件名）",
        "超长主题.xlsx",
        workbook(HEADER, meeting_row("2024-10-19", "长" * 30_000)),
        "filed",
        docs=1,
    ),
    Case(
        "公式没有保存计算结果",
        "公式无结果.xlsx",
        workbook(HEADER, meeting_row("2024-10-21", "公式")[:6] + ["=1+2", 3]),
        "failed",
        "没有保存公式的计算结果",
    ),
    Case("有密码（加密）的工作簿", "加密.xlsx", encrypted_workbook, "failed", "加了密码"),
    Case(
        "有工作表保护密码的工作簿",
        "工作表保护.xlsx",
        workbook(HEADER, meeting_row("2024-10-22", "工作表保护"), setup=protect),
        "filed",
        docs=1,
    ),
    Case(
        "登记表在隐藏的工作表里",
        "隐藏工作表.xlsx",
        workbook(HEADER, meeting_row("2024-10-23", "隐藏"), setup=hide_register),
        "failed",
        "隐藏的工作表",
    ),
    Case(
        "GBK 编码的 CSV 登记表",
        "会议登记gbk.csv",
        csv_register([HEADER, meeting_row("2024-10-24", "GBK表格")], "gbk"),
        "filed",
        docs=1,
        text="GBK表格",
    ),
    Case("只有表头的 CSV", "只有表头.csv", csv_register([HEADER], "utf-8-sig"), "failed", "只有表头"),
    Case(
        "好行中间夹着坏行",
        "夹着坏行.xlsx",
        workbook(
            HEADER,
            meeting_row("2024-10-25", "好行一"),
            meeting_row("2024年2月30日", "坏行"),
            meeting_row("2024-10-28", "好行二"),
        ),
        "partial",
        "不存在",
        docs=2,
    ),
    Case(
        "好行中间夹着没有结果的公式",
        "夹着公式.xlsx",
        workbook(
            HEADER,
            meeting_row("2024-10-29", "公式前"),
            meeting_row("2024-10-30", "公式行")[:6] + ["=SUM(1,2)", 3],
            meeting_row("2024-10-31", "公式后"),
        ),
        "partial",
        "公式",
        docs=2,
    ),
    Case(
        "日期和时间分两列",
        "日期时间两列.xlsx",
        workbook(
            ["日期", "时间", "会议类型", "主题", "地点"], ["2024-11-04", "14:30", "支委会", "两列时间", "302"]
        ),
        "filed",
        docs=1,
        text="2024年11月4日 14:30",
    ),
    Case(
        "签到表没有写会议和日期",
        "签到表.xlsx",
        workbook(["姓名", "签到", "备注"], ["沈轶娜", "√", ""]),
        "failed",
        "签到表没有写明",
    ),
    Case(
        "名册含身份证号、电话（只存名册，不生成文档）",
        "党员名册.xlsx",
        roster_with_sensitive_columns,
        "filed",
        docs=0,
        says="敏感信息没有读取",
    ),
    Case("XML 实体膨胀的 .xlsx", "实体.xlsx", entity_expansion_xlsx, "failed", "无法读取"),
    Case("压缩炸弹 .xlsx（解压 1 GB）", "炸弹.xlsx", zip_bomb_xlsx, "failed", "压缩炸弹"),
    Case(
        "压缩比不高的炸弹 .xlsx（1.5 MB 的共享字符串解压 150 MB）",
        "百倍压缩.xlsx",
        lambda p: p.write_bytes(dense_shared_strings(xlsx_bytes([HEADER]))),
        "failed",
        "压缩炸弹",
    ),
]


# --- the judge ----------------------------------------------------------------------------------


@dataclass
class Verdict:
    case: Case
    outcome: str  # what became of the input, in Chinese (for the table in the docs)
    problems: list[str]  # empty when handled as expected

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def lost(self) -> bool:
        return self.outcome == "丢失"


EXPECT_LABELS = {"filed": "归档", "failed": "移到 失败/ 并说明原因", "partial": "好行归档，坏行另存待修正"}


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _workbook_text(path: Path) -> str:
    wb = load_workbook(path, read_only=True)
    try:
        return "\n".join(
            str(v)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    finally:
        wb.close()


def _outcome(
    case: Case,
    archived: bool,
    docs: list[Path],
    fix: Path,
    in_failed: bool,
    reason_file: Path,
    in_inbox: bool,
) -> str:
    """What became of the case, in words: archived, partly archived, in 失败/ (with its reason), left, lost."""
    if archived and fix.exists():
        return f"部分归档：{len(docs)} 份文档，坏行另存 {fix.name}"
    if archived:
        return f"已归档：{len(docs)} 份文档" if docs else "已归档（登记，不生成文档）"
    if in_failed:
        first = ""
        if reason_file.exists():
            text = reason_file.read_text(encoding="utf-8-sig")
            first = text.split("原因：\n", 1)[-1].split("\n", 1)[0]
            first = first.removeprefix(f"文件「{case.file}」").removeprefix("：")
        return f"移到 失败/：{first}" if first else "移到 失败/（没有原因文件）"
    return "仍在收件箱" if in_inbox else "丢失"


def _filing_problems(
    case: Case, archived: bool, docs: list[Path], fix: Path, outcome: str, output: str | None
) -> list[str]:
    """How a case expected filed (or partly filed) falls short: archive, correction workbook, documents."""
    problems: list[str] = []
    if not archived:
        problems.append(f"not archived ({outcome})")
    if case.expect == "partial":
        if not fix.exists():
            problems.append(f"no {fix.name}")
        elif case.reason not in _workbook_text(fix):
            problems.append(f"{fix.name} lacks {case.reason!r}")
    elif fix.exists():
        problems.append(f"unexpected {fix.name}")
    if case.docs is None and not docs:
        problems.append("no document")
    if case.docs is not None and len(docs) != case.docs:
        problems.append(f"{len(docs)} documents, expected {case.docs}")
    missing = [d for d in docs if not d.is_file()]
    if missing:
        problems.append(f"documents missing on disk: {missing}")
    elif case.text and not any(case.text in _docx_text(d) for d in docs):
        problems.append(f"no document contains {case.text[:40]!r}")
    if case.says and output is not None and case.says not in output:
        problems.append(f"the run did not say {case.says!r}")
    return problems


def _failure_problems(case: Case, in_failed: bool, reason_file: Path, outcome: str) -> list[str]:
    """How a case expected in 失败/ falls short: no reason file, or a reason that does not name it."""
    problems: list[str] = []
    if not in_failed or not reason_file.exists():
        problems.append(f"not in 失败/ with a reason ({outcome})")
    else:
        reason = reason_file.read_text(encoding="utf-8-sig")
        if case.reason not in reason or case.file not in reason:
            problems.append(f"reason lacks {case.reason!r}: {reason}")
        if "内部错误" in reason:
            problems.append("an internal error, not a reason")
    return problems


def judge(root: Path, case: Case, output: str | None = None) -> Verdict:
    """What became of ``case`` in the workspace ``root`` after a run, against what it expects.

    ``output`` is what the run printed (``says`` is only checked when it is given).
    """
    from pipeline.archive.failures import reason_name
    from pipeline.registers.corrections import correction_name

    failed_dir = root / "inbox" / "失败"
    in_failed = (failed_dir / case.file).exists() or (failed_dir / case.file).is_symlink()
    reason_file = failed_dir / reason_name(case.file)
    in_inbox = (root / "inbox" / case.file).exists() or (root / "inbox" / case.file).is_symlink()
    con = sqlite3.connect(root / ".zhibu" / "index.sqlite3")
    try:
        source = con.execute(
            "SELECT id, archived_path FROM sources WHERE original_name = ?", (case.file,)
        ).fetchone()
        docs = (
            [
                root / r[0]
                for r in con.execute(
                    "SELECT path FROM outputs WHERE active = 1 AND source_id = ?", (source[0],)
                )
            ]
            if source
            else []
        )
    finally:
        con.close()
    archived = bool(source and source[1] and (root / source[1]).is_file())
    fix = failed_dir / correction_name(case.file)
    outcome = _outcome(case, archived, docs, fix, in_failed, reason_file, in_inbox)
    if case.expect in ("filed", "partial"):
        problems = _filing_problems(case, archived, docs, fix, outcome, output)
    else:
        problems = _failure_problems(case, in_failed, reason_file, outcome)
        if source:
            problems.append("also archived")
    return Verdict(case, outcome, problems)
