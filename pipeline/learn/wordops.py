"""Small Word (python-docx/lxml) edits that keep the original formatting of runs and cells."""

from __future__ import annotations

import copy
from typing import Any, cast

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run


def direct_runs(p: Paragraph) -> list[Run]:
    # findall gives python-docx's registered element classes (CT_R for w:r); the stubs say _Element.
    return [Run(cast(CT_R, r), p) for r in p._p.findall(qn("w:r"))]


def detached_paragraph(p_el: Any) -> Paragraph:
    """A Paragraph over a w:p element to read or edit its runs. python-docx needs the parent only to
    reach the document part (styles, images), which the learned template's edits never use."""
    return Paragraph(p_el, None)  # type: ignore[arg-type]  # no parent: see the docstring


def detached_run(r: Any) -> Run:
    """A Run over a w:r element to set its text (no parent needed, as for ``detached_paragraph``)."""
    return Run(r, None)  # type: ignore[arg-type]  # no parent: see detached_paragraph


def remove_element(el: Any) -> None:
    """Take an element out of its parent (nothing when it has none)."""
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def run_text(p: Paragraph) -> str:
    """The text of the paragraph's own runs: the offsets ``replace_span`` works on."""
    return "".join(r.text for r in direct_runs(p))


def _plain_rpr(source: Any) -> Any:
    """A copy of a run's (or paragraph mark's) properties without bold/underline (labels are
    often bold; the value that follows is not)."""
    if source is None:
        return None
    rpr = copy.deepcopy(source)
    rpr.tag = qn("w:rPr")
    for tag in ("w:b", "w:bCs", "w:u", "w:rStyle"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    return rpr


def _new_run_after(anchor, rpr, text: str):
    r = OxmlElement("w:r")
    if rpr is not None:
        r.append(rpr)
    anchor.addnext(r)
    run = detached_run(r)
    run.text = text
    return r


def replace_span(p: Paragraph, start: int, end: int, new_text: str) -> None:
    """Replace characters [start, end) of ``run_text(p)`` with ``new_text``, in the formatting
    of the run where the span starts (an empty span: a new run after the label, not bold)."""
    runs = direct_runs(p)
    pos = 0
    placed = False
    for run in runs:
        text = run.text
        a, b = pos, pos + len(text)
        pos = b
        if start == end:
            if a < start < b:
                run.text = text[: start - a] + new_text + text[start - a :]
                return
            if start == b and text:
                if new_text:
                    _new_run_after(run._r, _plain_rpr(run._r.rPr), new_text)
                return
            continue
        if b <= start or a >= end or not text:
            continue
        before = text[: max(0, start - a)]
        after = text[end - a :] if end < b else ""
        if not placed:
            run.text = before + new_text + after
            placed = True
        else:
            run.text = after
            if not after and not _has_content(run._r):
                remove_element(run._r)
    if start == end and new_text and not runs:
        ppr = p._p.pPr
        _append_run(p._p, _plain_rpr(ppr.find(qn("w:rPr")) if ppr is not None else None), new_text)


def _has_content(r) -> bool:
    """A run holding something besides text (a drawing, a field character, a tab)."""
    return any(child.tag not in (qn("w:rPr"), qn("w:t")) for child in r)


def _append_run(p_el, rpr, text: str) -> None:
    r = OxmlElement("w:r")
    if rpr is not None:
        r.append(rpr)
    p_el.append(r)
    detached_run(r).text = text


def paragraph_with_text(p_el, text: str):
    """A copy of a paragraph (its properties and the formatting of its first text run) that
    holds only ``text``; used to write template tags in the formatting of filled text."""
    new = copy.deepcopy(p_el)
    keep_rpr = None
    for r in new.findall(qn("w:r")):
        if keep_rpr is None and r.findtext(qn("w:t")):
            keep_rpr = r.find(qn("w:rPr"))
    for child in list(new):
        if child.tag != qn("w:pPr"):
            new.remove(child)
    if keep_rpr is None:
        ppr = new.find(qn("w:pPr"))
        mark = ppr.find(qn("w:rPr")) if ppr is not None else None
        keep_rpr = _plain_rpr(mark)
    if text:
        _append_run(new, copy.deepcopy(keep_rpr) if keep_rpr is not None else None, text)
    return new


def set_cell_text(cell: _Cell, text: str) -> None:
    """Replace a cell's content with one paragraph of ``text``, keeping the first paragraph's
    properties and the first run's font (the cell's borders, width and shading stay)."""
    paragraphs = cell._tc.findall(qn("w:p"))
    if not paragraphs:
        cell._tc.append(OxmlElement("w:p"))
        paragraphs = cell._tc.findall(qn("w:p"))
    first = next((p for p in paragraphs if p.findall(qn("w:r"))), paragraphs[0])
    replacement = paragraph_with_text(first, text)
    paragraphs[0].addprevious(replacement)
    for p in paragraphs:
        remove_element(p)
    # Nested tables inside the value cell are the old value too.
    for tbl in cell._tc.findall(qn("w:tbl")):
        cell._tc.remove(tbl)


def is_vmerge_continuation(tc) -> bool:
    tcpr = tc.tcPr
    vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
    return vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")


def has_section_break(p_el) -> bool:
    ppr = p_el.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:sectPr")) is not None


def has_drawing(p_el) -> bool:
    return bool(p_el.findall(".//" + qn("w:drawing"))) or bool(p_el.findall(".//" + qn("w:pict")))
