"""Reading produced documents in tests: text, fields and East-Asian fonts."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs)


def field(path: Path, label: str) -> str:
    """The value after '<label>：' in the minutes (labels may contain full-width spaces; two
    fields on one line, as 主持人 and 记录人, are separated by a tab)."""
    for p in Document(str(path)).paragraphs:
        for text in p.text.split("\t"):
            if "：" in text and text.split("：", 1)[0].replace("\u3000", "").replace(" ", "") == label:
                return text.split("：", 1)[1]
    raise AssertionError(f"no field {label} in {path}")


def east_asia_font(doc, style_name: str) -> str | None:
    style = doc.styles[style_name]
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def note(**fields: str) -> str:
    """A note in the usual layout; body sections passed as 会议内容='...' etc. go last."""
    header = {k: v for k, v in fields.items() if k not in BODY}
    body = {k: v for k, v in fields.items() if k in BODY}
    lines = [f"{k}：{v}" for k, v in header.items()]
    for k, v in body.items():
        lines += [f"{k}：", v]
    return "\n".join(lines) + "\n"


BODY = {"会议内容", "发言记录", "决议", "学习内容", "谈话内容", "谈话效果", "主持人总结"}
