"""Filled-in minutes in five school layouts, built with python-docx to imitate real forms.

Invented names only. Each builder returns the path of a filled record of one 支委会 meeting."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

LABEL_FONT = "黑体"
VALUE_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
BODY = [
    "主持人宣布：本次会议应到7人，实到6人，缺席1人，会议有效。",
    "一、传达学习上级文件精神",
    "许文博同志传达了学院党委会议精神。",
    "二、研究支部工作安排",
    "与会同志逐项讨论了本学期工作要点。",
]


def png_bytes(width: int = 40, height: int = 20, rgb=(200, 30, 30)) -> bytes:
    """A small solid-colour PNG (a stand-in for a school logo)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._r.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:ascii"), name)
    rfonts.set(qn("w:hAnsi"), name)
    rfonts.set(qn("w:eastAsia"), name)


def _put(cell_or_doc, text: str, name: str, size: float, bold=False, align=None, first=True):
    if first and isinstance(cell_or_doc, _Cell) and not cell_or_doc.text:
        p = cell_or_doc.paragraphs[0]
    else:
        p = cell_or_doc.add_paragraph()
    if align is not None:
        p.alignment = align
    font(p.add_run(text), name, size, bold)
    return p


def _title(doc, text: str) -> None:
    _put(doc, text, TITLE_FONT, 18, True, WD_ALIGN_PARAGRAPH.CENTER)


def _body_into(container, size: float = 12) -> None:
    for line in BODY:
        heading = line[1] == "、"
        _put(container, line, LABEL_FONT if heading else VALUE_FONT, size, first=False)


def _grid_table(doc, rows: int, widths_cm: list[float]):
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)
    return table


def _pair(row_cells, pairs, size=12) -> None:
    for i, (label, value) in enumerate(pairs):
        _put(row_cells[2 * i], label, LABEL_FONT, size, align=WD_ALIGN_PARAGRAPH.CENTER)
        if value:
            _put(row_cells[2 * i + 1], value, VALUE_FONT, size)


def _empty_doc():
    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


def two_column(path: Path) -> Path:
    """Label | value, labels spaced out (时  间), the body in the value cell of 会议内容."""
    doc = _empty_doc()
    _title(doc, "机电工程系党支部支委会会议记录")
    rows = [
        ("会议名称", "研究本学期支部工作"),
        ("时  间", "2024年9月3日 14:30"),
        ("地  点", "实训楼205室"),
        ("主 持 人", "许文博"),
        ("记 录 人", "龚雪晴"),
        ("应到人数", "7人"),
        ("实到人数", "6人"),
        ("出席人员", "许文博、龚雪晴、邵一鸣、钱可欣、戴子谦、闵若兰"),
        ("缺席人员及原因", "韦德成（出差）"),
        ("会议内容", None),
        ("主持人签字", "许文博"),
    ]
    table = _grid_table(doc, len(rows), [3.5, 12.0])
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _pair(row.cells, [(label, value)])
        if value is None:
            _body_into(row.cells[1])
    doc.save(path)
    return path


def four_column(path: Path) -> Path:
    """Four columns with merged value cells; 会议内容 on its own row, the body in a merged row below."""
    doc = _empty_doc()
    _title(doc, "党支部委员会会议记录")
    table = _grid_table(doc, 7, [2.8, 5.0, 2.8, 5.0])
    _pair(table.rows[0].cells, [("时  间", "2024年9月3日 14:30"), ("地  点", "实训楼205室")])
    _pair(table.rows[1].cells, [("主持人", "许文博"), ("记录人", "龚雪晴")])
    _pair(table.rows[2].cells, [("应到人数", "7"), ("实到人数", "6")])
    for r, (label, value) in (
        (3, ("缺席人员及原因", "韦德成（出差）")),
        (4, ("会议议题", "研究本学期支部工作")),
    ):
        cells = table.rows[r].cells
        merged = cells[1].merge(cells[3])
        _put(cells[0], label, LABEL_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER)
        _put(merged, value, VALUE_FONT, 12)
    head = table.rows[5].cells[0].merge(table.rows[5].cells[3])
    _put(head, "会议内容", LABEL_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER)
    big = table.rows[6].cells[0].merge(table.rows[6].cells[3])
    _body_into(big)
    doc.add_paragraph()
    sign = _put(doc, "主持人（签字）：许文博　　　记录人（签字）：龚雪晴", VALUE_FONT, 14)
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(path)
    return path


def line_based(path: Path) -> Path:
    """No table: label lines, two fields on some lines, a date under the signatures."""
    doc = _empty_doc()
    _title(doc, "支委会会议记录")
    for line in (
        "会议时间：2024年9月3日 14:30　　会议地点：实训楼205室",
        "主 持 人：许文博　　记 录 人：龚雪晴",
        "应到人数：7人　　实到人数：6人",
        "出席人员：许文博、龚雪晴、邵一鸣、钱可欣、戴子谦、闵若兰",
        "缺席人员：韦德成（出差）",
        "会议内容：",
    ):
        _put(doc, line, VALUE_FONT, 16, first=False)
    _body_into(doc, 16)
    doc.add_paragraph()
    _put(doc, "主持人（签字）：许文博　　记录人（签字）：龚雪晴", VALUE_FONT, 16, first=False)
    _put(doc, "2024年9月3日", VALUE_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, first=False)
    doc.save(path)
    return path


def big_cell(path: Path) -> Path:
    """A one-column bordered form: label lines inside cells, the whole body in one big cell."""
    doc = _empty_doc()
    _title(doc, "支部委员会会议记录表")
    table = _grid_table(doc, 4, [15.5])
    _put(table.rows[0].cells[0], "时间：2024年9月3日 14:30　　地点：实训楼205室", VALUE_FONT, 12)
    _put(table.rows[1].cells[0], "主持人：许文博　　记录人：龚雪晴　　应到：7人　　实到：6人", VALUE_FONT, 12)
    _put(table.rows[2].cells[0], "缺席人员：韦德成（出差）", VALUE_FONT, 12)
    body = table.rows[3].cells[0]
    _put(body, "会议内容：", LABEL_FONT, 12)
    _body_into(body)
    _put(body, "", VALUE_FONT, 12, first=False)
    _put(body, "记录人（签字）：龚雪晴", VALUE_FONT, 12, first=False)
    table.rows[3].height = Cm(15)
    doc.save(path)
    return path


def landscape_logo(path: Path) -> Path:
    """Landscape A4, a logo image and the school name in the header, a footer line."""
    doc = _empty_doc()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    header = section.header.paragraphs[0]
    logo = path.parent / "logo.png"
    logo.write_bytes(png_bytes())
    header.add_run().add_picture(str(logo), width=Cm(1.5))
    font(header.add_run("  某某职业技术学院党委组织部制"), "楷体_GB2312", 10)
    font(section.footer.paragraphs[0].add_run("本表由支部组织委员归档保存"), "宋体", 9)
    _title(doc, "党支部会议记录")
    table = _grid_table(doc, 5, [3.0, 9.0, 3.0, 9.0])
    _pair(table.rows[0].cells, [("会议时间", "2024年9月3日 14:30"), ("会议地点", "实训楼205室")])
    _pair(table.rows[1].cells, [("主持人", "许文博"), ("记录人", "龚雪晴")])
    _pair(
        table.rows[2].cells,
        [("出席人员", "许文博、龚雪晴、邵一鸣、钱可欣、戴子谦、闵若兰"), ("列席人员", "无")],
    )
    cells = table.rows[3].cells
    _put(cells[0], "会议内容", LABEL_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER)
    body = cells[1].merge(cells[3])
    _body_into(body)
    _pair(table.rows[4].cells, [("主持人签字", ""), ("记录人签字", "")])
    doc.save(path)
    return path


LAYOUTS = {
    "两栏表格": two_column,
    "四栏表格": four_column,
    "文字行": line_based,
    "整格正文": big_cell,
    "横向带徽标": landscape_logo,
}
