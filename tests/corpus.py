"""A corpus of bad (and borderline) inputs, built on the fly (issue 8).

Each case writes one file (or link) into an inbox and says what must become of it:
``filed`` (documents produced, original archived) or ``failed`` (moved to inbox/失败/ with a
reason file whose text contains ``reason``). ``tests/test_bad_inputs.py`` runs them all
through ``zhibu run`` and ``benchmarks/robustness.py`` prints the figures.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx import Document

GOOD = ("会议类型：支委会\n会议主题：{topic}\n时间：2024年10月{day}日 14:30\n主持人：沈轶娜\n记录人：缪巧军\n"
        "参会人员：沈轶娜、夏渊、缪巧军\n会议内容：\n{body}\n")


def good_note(topic: str, day: int = 8, body: str = "讨论发展对象。") -> str:
    return GOOD.format(topic=topic, day=day, body=body)


@dataclass(frozen=True)
class Case:
    name: str                      # what the case is about (for the table in the docs)
    file: str                      # file name inside the inbox
    make: Callable[[Path], None]   # writes the file at the given path
    expect: str                    # "filed" or "failed"
    reason: str = ""               # text the reason file must contain (for failed)


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
        zf.writestr("word/document.xml", b"0" * (400 * 1024 * 1024))
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
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
           + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
           + '<w:t>会议类型：支委会 &lol9;</w:t></w:r></w:p></w:body></w:document>')
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
    for k, v in [("会议类型", "党小组会"), ("时间", "2024年10月11日"), ("主题", "只有表格"), ("主持人", "张伟")]:
        cells = t.add_row().cells
        cells[0].text, cells[1].text = k, v
    d.save(str(p))


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
    Case("PDF 文件", "扫描件.pdf", raw(b"%PDF-1.4\n%\xe2\xe3\n"), "failed", "PDF"),
    Case("图片", "照片.jpg", raw(b"\xff\xd8\xff\xe0" + os.urandom(500)), "failed", "不支持"),
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
    Case("缺少会议类型", "缺类型.txt", text("时间：2024年10月8日\n主持人：沈轶娜\n"), "failed", "无法确定会议类型"),
    Case("无法识别的会议类型", "茶话会.txt", text("会议类型：茶话会\n时间：2024年10月8日\n"), "failed", "茶话会"),
    Case("不存在的日期 2024年2月30日", "日期不存在.txt", text("会议类型：支委会\n时间：2024年2月30日\n"), "failed", "不存在"),
    Case("不存在的月份 2024年13月1日", "月份不存在.txt", text("会议类型：支委会\n时间：2024年13月1日\n"), "failed", "不存在"),
    Case("无法识别的日期", "日期乱写.txt", text("会议类型：支委会\n时间：下周三下午\n"), "failed", "无法识别日期"),
    Case("相互矛盾的字段", "矛盾.txt", text("会议类型：支委会\n时间：2024年10月8日\n时间：2024年10月9日\n"), "failed", "写了两次"),
    Case("重复但一致的字段", "重复字段.txt", text(good_note("重复字段") + "时间：2024年10月8日 14:30\n"), "filed"),
    Case("人数不是数字", "人数.txt", text(good_note("人数") .replace("主持人", "应到人数：很多\n主持人")), "failed", "人数"),
    Case("只有表头没有正文", "只有表头.txt", text("会议类型：党课\n时间：2024年10月10日\n主讲人：沈轶娜\n"), "filed"),
    Case("只有表格的 Word 笔记", "表格笔记.docx", only_tables_docx, "filed"),
    Case("500 条议题", "议题很多.txt", text(good_note("议题很多").replace("会议内容：", "议题：\n"
                                                                    + "".join(f"{i}. 议题{i}\n" for i in range(1, 501))
                                                                    + "会议内容：")), "filed"),
    Case("超长正文（28 万字）", "超长正文.txt", huge_body, "filed"),
    # --- hostile content and names -----------------------------------------------------------
    Case("笔记里的 Jinja 语法", "jinja.txt", text(good_note("{{ 主持人 }}{% for x in y %}", body="{{ ''.__class__ }} {%p if 1 %}")), "filed"),
    Case("标题含 ../ 和盘符", "路径.txt", text(good_note("../../C:\\Windows\\system32")), "filed"),
    Case("很长的中文文件名", "很长的文件名" * 13 + ".txt", text(good_note("长文件名")), "filed"),
    Case("接近系统上限的文件名（坏文件）", "x" * 240 + ".txt", text("会议类型：支委会\n"), "failed", "缺少会议时间"),
    Case("Windows 禁用字符的文件名", 'a<b>c:d"e|f?g*h.txt', text(good_note("禁用字符")), "filed"),
    Case("Windows 保留名 CON.txt", "CON.txt", text(good_note("保留名CON")), "filed"),
    Case("Windows 保留名 nul.docx", "nul.docx", raw(valid_docx_note("保留名NUL")), "filed"),
    Case("以点和空格结尾的文件名", "末尾点 .txt.", text(good_note("末尾点")), "failed", "不支持"),
]
