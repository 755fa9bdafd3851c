"""Turn a filled-in minutes document into a template: values become zhibu's variables.

Walks the document body in order. Table rows are label/value cells (the value is the next
cell of the row, or the cell below a label that stands alone in its row); paragraphs are
``label：value`` lines. The body area (会议内容 …) becomes the loop over ``正文`` written in the
formatting of the original body. Everything else (titles, headers and footers, logos, page
setup, borders, widths) is left exactly as it was.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipeline.learn import labels as L
from pipeline.learn.wordops import (
    detached_paragraph,
    has_drawing,
    has_section_break,
    is_vmerge_continuation,
    paragraph_with_text,
    replace_span,
    run_text,
    set_cell_text,
)

HERE = "here"  # the paragraph is the first one of the body
BODY_LOOP = (
    ("para", "{%p for 节 in 正文 %}"),
    ("heading", "{{ 节.编号 }}{{ 节.标题 }}"),
    ("para", "{%p for 段 in 节.段落 %}"),
    ("para", "{{ 段 }}"),
    ("para", "{%p endfor %}"),
    ("para", "{%p endfor %}"),
)


@dataclass
class LearnReport:
    mapped: list[tuple[str, str]] = field(default_factory=list)  # (variable, where)
    cleared: list[tuple[str, str]] = field(default_factory=list)  # (label, where)
    fixed: list[tuple[str, str]] = field(default_factory=list)  # (text, where)

    @property
    def variables(self) -> set[str]:
        return {v for v, _ in self.mapped}


def _short(text: str, n: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class _Learner:
    def __init__(self, document, branch_name: str = ""):
        self.doc = document
        self.branch = branch_name.strip()
        self.report = LearnReport()
        self.body_done = False

    # --- paragraphs ------------------------------------------------------------------------

    def paragraph(self, p: Paragraph, where: str) -> bool | str:
        """Map one paragraph; True when it opens the body area (the paragraphs after it),
        HERE when it is the body's first paragraph itself."""
        text = run_text(p)
        if not text.strip():
            return False
        segments = L.split_label_line(text)
        label_line = bool(segments and segments[0].label_start <= 2 or len(segments) > 1)
        if not label_line and self.report.mapped and not self.body_done and L.starts_body(text):
            return HERE
        if label_line:
            opens_body = False
            for seg in segments:
                self._record(seg.label, f"{where}「{_short(seg.label.text, 12)}」后")
            for seg in reversed(segments):
                value = text[seg.value_start : seg.value_end]
                if seg.label.role == L.BODY:
                    opens_body = opens_body or (seg.label.variable == "正文" and seg is segments[-1])
                    replace_span(p, seg.value_start, seg.value_end, "")
                else:
                    replace_span(p, seg.value_start, seg.value_end, L.variable_text(seg.label, value))
            return opens_body
        label = L.match_label(text)
        if label and label.role == L.BODY and label.variable == "正文" and self.report.mapped:
            # A heading 会议内容 under the fields (before any field it is the title 会议记录).
            return True
        if L.is_date_line(text):
            replace_span(p, 0, len(text), "{{ 日期 }}")
            self.report.mapped.append(("日期", f"{where}（落款日期）"))
            return False
        if len(self.branch) >= 4 and self.branch in text and len(text.strip()) <= len(self.branch) + 12:
            # The branch's name in a title follows zhibu.toml when the branch is renamed.
            at = text.index(self.branch)
            replace_span(p, at, at + len(self.branch), "{{ 支部名称 }}")
            self.report.mapped.append(("支部名称", f"{where}（标题中的支部名称）"))
            if text.strip() != self.branch:
                self.report.fixed.append((_short(text.replace(self.branch, "").strip()), where))
            return False
        self.report.fixed.append((_short(text), where))
        return False

    def _record(self, label: L.Label, place: str) -> None:
        if label.role == L.SIGNATURE:
            self.report.cleared.append((label.text, f"{place}（签字处留空，供手写签名）"))
        elif label.role == L.BODY and not label.variable:
            self.report.cleared.append((label.text, f"{place}（内容并入正文各节）"))
        elif label.role != L.BODY:
            self.report.mapped.append((label.variable, place))

    def paragraphs(self, items: list, where: str, *, in_cell: bool) -> None:
        """Map a run of block items (paragraphs of the document or of one cell)."""
        i = 0
        while i < len(items):
            item = items[i]
            if item.tag != qn("w:p"):
                i += 1
                continue
            p = detached_paragraph(item)
            opens = self.paragraph(p, f"{where}第{i + 1}段")
            if opens == HERE:
                i = self.body(items, i, where, in_cell=in_cell)
                continue
            i += 1
            if opens and not self.body_done:
                i = self.body(items, i, where, in_cell=in_cell)

    # --- the body area ---------------------------------------------------------------------

    def body(self, items: list, start: int, where: str, *, in_cell: bool) -> int:
        """Replace the filled body (items[start:] up to the signatures) with the 正文 loop."""
        end = start
        while end < len(items):
            el = items[end]
            if el.tag != qn("w:p") or has_section_break(el) or has_drawing(el):
                break
            text = run_text(detached_paragraph(el))
            first = L.split_label_line(text)
            label = L.match_label(text)
            if (first and first[0].label.role == L.SIGNATURE) or (label and label.role == L.SIGNATURE):
                break
            end += 1
        # Keep empty paragraphs just before the signatures (the gap the form leaves).
        while end > start and not run_text(detached_paragraph(items[end - 1])).strip():
            end -= 1
        self.write_body(items[start:end], items[end] if end < len(items) else None, items, where, in_cell)
        self.body_done = True
        return end

    def write_body(self, old: list, after, items: list, where: str, in_cell: bool) -> None:
        texts = [(el, run_text(detached_paragraph(el)).strip()) for el in old]
        filled = [(el, t) for el, t in texts if t]
        heading = next((el for el, t in filled if L.is_section_heading(t)), None)
        para = next(
            (el for el, t in filled if not L.is_section_heading(t) and not L.is_attendance_sentence(t)),
            None,
        )
        proto_any = filled[0][0] if filled else (old[0] if old else None)
        para = para if para is not None else proto_any
        heading = heading if heading is not None else para
        anchor_parent, anchor_index = self._anchor(old, after, items)
        new = []
        if filled and L.is_attendance_sentence(filled[0][1]):
            new.append(paragraph_with_text(filled[0][0], "{{ 到会情况 }}"))
            self.report.mapped.append(("到会情况", f"{where}正文第一段（应到/实到的宣布）"))
        for kind, text in BODY_LOOP:
            proto = heading if kind == "heading" else para
            if proto is None:
                proto = _empty_paragraph(anchor_parent)
            new.append(paragraph_with_text(proto, text))
        for el in old:
            el.getparent().remove(el)
        for offset, el in enumerate(new):
            anchor_parent.insert(anchor_index + offset, el)
        if in_cell and not [c for c in anchor_parent if c.tag == qn("w:p") and c not in new[-6:]]:
            # A cell must keep a paragraph even when the loop renders nothing.
            anchor_parent.append(paragraph_with_text(new[-1], ""))
        self.report.mapped.append(("正文", f"{where}（{len(filled)} 段原内容换成各节循环）"))

    @staticmethod
    def _anchor(old: list, after, items: list):
        if old:
            parent = old[0].getparent()
            return parent, parent.index(old[0])
        if after is not None:
            parent = after.getparent()
            return parent, parent.index(after)
        if not items:
            raise ValueError("no paragraph to place the sections after")
        parent = items[-1].getparent()
        index = len(parent)
        if len(parent) and parent[-1].tag == qn("w:sectPr"):
            index -= 1
        return parent, index

    # --- tables ----------------------------------------------------------------------------

    def table(self, table: Table, number: int) -> None:
        rows = [[tc for tc in tr.tc_lst if not is_vmerge_continuation(tc)] for tr in table._tbl.tr_lst]
        done: set = set()
        for r, tcs in enumerate(rows):
            for c, tc in enumerate(tcs):
                if id(tc) in done:
                    continue
                where = f"表格{number}第{r + 1}行第{c + 1}格"
                cell = _Cell(tc, table)
                target = self.cell(cell, tcs[c + 1 :], rows[r + 1] if r + 1 < len(rows) else [], where)
                if target is not None:
                    done.add(id(target))

    def cell(self, cell: _Cell, rest: list, below: list, where: str):
        """Map one cell; returns the value cell it filled (so it is not read as a label)."""
        text = cell.text.strip()
        if not text:
            return None
        items = list(cell._tc.iterchildren(qn("w:p"), qn("w:tbl")))
        label = L.match_label(text.replace("\n", "")) if len(L.squeeze(text)) <= 14 else None
        if label is None:
            self.paragraphs(items, where, in_cell=True)
            return None
        target = rest[0] if rest else (below[0] if len(below) == 1 else None)
        if target is not None and L.match_label(_sibling_cell(target, cell).text):
            target = None
        if target is None:
            if label.role == L.SIGNATURE:
                self.report.cleared.append((label.text, f"{where}（签字处留空，供手写签名）"))
            else:
                self.report.fixed.append((_short(text), f"{where}（标签，右侧没有填写格）"))
            return None
        value_cell = _sibling_cell(target, cell)
        place = f"{where}「{_short(label.text, 12)}」{'右侧' if rest else '下方'}的格"
        if label.variable == "正文" and not self.body_done:
            items = list(value_cell._tc.iterchildren(qn("w:p")))
            self.write_body(items, None, items, place, True)
            self.body_done = True
            return target
        self._record(label, place)
        set_cell_text(value_cell, L.variable_text(label, value_cell.text))
        return target

    # --- document --------------------------------------------------------------------------

    def run(self) -> LearnReport:
        body = self.doc.element.body
        tables = 0
        items = [el for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
        i = 0
        while i < len(items):
            el = items[i]
            if el.tag == qn("w:tbl"):
                tables += 1
                self.table(Table(el, self.doc._body), tables)
                i += 1
                continue
            opens = self.paragraph(detached_paragraph(el), f"正文区第{i + 1}段")
            if opens == HERE:
                i = self.body(items, i, "正文区", in_cell=False)
                continue
            i += 1
            if opens and not self.body_done:
                i = self.body(items, i, "正文区", in_cell=False)
        return self.report


def _empty_paragraph(parent):
    from docx.oxml import OxmlElement

    return OxmlElement("w:p")


def has_template_tags(data: bytes) -> bool:
    """Whether the document's text already holds {{ }} or {% %} tags (it is a template)."""
    document = Document(io.BytesIO(data))
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    text = "".join(t.text or "" for part in parts for t in part.iter(qn("w:t")))
    return "{{" in text or "{%" in text


def learn_docx(data: bytes, branch_name: str = "") -> tuple[bytes, LearnReport]:
    """The template made from a filled-in record (.docx bytes), and what was mapped where.
    ``branch_name`` (zhibu.toml) found in a title becomes {{ 支部名称 }}."""
    document = Document(io.BytesIO(data))
    report = _Learner(document, branch_name).run()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), report


def _sibling_cell(tc: Any, cell: _Cell) -> _Cell:
    """A cell (its w:tc element) of the same table as ``cell``."""
    return _Cell(tc, cell._parent)  # type: ignore[arg-type]  # a cell's parent is its table; typed loosely
