"""The text of a document: title, the four heading levels, body paragraphs, labelled fields,
rules to fill in by hand, the "内部" mark, the signature and date, the line signed by hand, and
Word comments.

Heading numbers follow GB/T 9704-2012 §7.3.3: 一、 （一） 1． （1）. The signature block follows
§7.3.5.2 (a document without a seal): a blank line, the 署名 two characters from the right
margin, the date on the next line starting two characters to the right of the 署名's first
character; a date longer than that keeps two characters from the margin and the 署名 moves left.
Dates are written in full, without zero padding: 2024年5月10日.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from docx.blkcntnr import BlockItemContainer
from docx.comments import Comment
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pipeline.chinese import cn_date, int_to_cn
from pipeline.wordkit.ooxml import indent_chars, set_fonts, tab_stop
from pipeline.wordkit.spec import BODY_SIZE, TEXT_WIDTH_MM, TITLE_SIZE, text_width
from pipeline.wordkit.styles import FIELD, HEADINGS, LABEL, MARK, NORMAL, SIGNATURE, SIGNING, TITLE

#: The width of a rule standing where a name is not known yet (the branch's name, a signature).
NAME_RULE_CHARS = 10
COMMENT_AUTHOR = "zhibu"


Container = Document | BlockItemContainer  # the document, a table cell, a header or footer


def paragraph(doc: Container, text: str = "", style: str = NORMAL) -> Paragraph:
    """A paragraph in one of the style sheet's styles (body text by default)."""
    return doc.add_paragraph(text, style=style)


def styled_run(
    par: Paragraph, text: str, *, font: str | None = None, size: Pt | None = None, bold: bool | None = None
) -> Run:
    """A run with its own East-Asian font, size or weight, inside a styled paragraph."""
    run = par.add_run(text)
    if font:
        set_fonts(run._r, font)
    if size:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    return run


def title(doc: Container, text: str) -> Paragraph:
    """The document's title: 2号 小标宋, centred. A title too long for one line breaks after the
    issuing organisation (…党支部 / …党委), never inside a word ("…情/况公示")."""
    return paragraph(doc, title_lines(text), TITLE)


TITLE_BREAKS = ("党支部", "党总支", "党委")


def title_lines(text: str) -> str:
    """``text`` with a line break after its organisation's name when it is wider than a line."""
    if "\n" in text or text_width(text) * TITLE_SIZE.pt * 25.4 / 72 <= TEXT_WIDTH_MM:
        return text
    ends = [
        text.find(word) + len(word) for word in TITLE_BREAKS if 0 < text.find(word) < len(text) - len(word)
    ]
    return f"{text[: min(ends)]}\n{text[min(ends) :]}" if ends else text


def heading_number(level: int, n: int) -> str:
    """The number of the ``n``-th heading of ``level`` (1–4): 一、 （一） 1． （1）."""
    if level == 1:
        return f"{int_to_cn(n)}、"
    if level == 2:
        return f"（{int_to_cn(n)}）"
    if level == 3:
        return f"{n}．"
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level {level} (GB/T 9704 has four)")


def heading(doc: Container, level: int, text: str) -> Paragraph:
    """A heading of ``level`` 1–4 (一、 黑体; （一） 楷体; 1． and （1） 仿宋), kept with what follows.
    ``text`` carries its number (``heading_number``) so that a table of contents can list it."""
    return paragraph(doc, text, HEADINGS[level - 1])


def blank_rule(par: Paragraph, chars: int) -> Run:
    """A rule of ``chars`` characters to fill in by hand, where a fact is not known."""
    run = par.add_run("\u3000" * chars)
    run.font.underline = True
    return run


def name_or_rule(doc: Container, name: str, style: str) -> Paragraph:
    """A name (the branch's, a signer's) on its own line; a rule to write it on when it is empty."""
    par = paragraph(doc, name, style)
    if not name.strip():
        blank_rule(par, NAME_RULE_CHARS)
    return par


def field_line(doc: Container, label: str) -> Paragraph:
    """``label：`` in 黑体 with a hanging indent; the caller adds the value runs after it."""
    par = paragraph(doc, "", FIELD)
    par.add_run(label + "：", style=LABEL)
    return par


def internal_mark(doc: Container, text: str = "内部") -> Paragraph:
    """The mark of an internal document, 3号 黑体 at the top left of the first page (the place
    GB/T 9704-2012 §7.2.3 gives the 密级): call it before the title."""
    return paragraph(doc, text, MARK)


def _signature_indents(signer: float, day: float) -> tuple[float, float]:
    """Right indents (characters) of the 署名 and the date line, GB/T 9704-2012 §7.3.5.2."""
    if signer - day >= 2:
        return 2.0, signer - day
    return day + 4 - signer, 2.0


def signature_block(doc: Container, signer: str, day: dt.date | str) -> Paragraph:
    """Blank line, 署名, date (2024年5月10日): the end of a document without a seal.

    An empty ``signer`` (the branch's name not configured yet) leaves a rule to write it on.
    Returns the date paragraph."""
    date_text = cn_date(day) if isinstance(day, dt.date) else day
    _keep_last_paragraph_with_next(doc)
    paragraph(doc, "", SIGNATURE)
    signer_width = text_width(signer) if signer.strip() else NAME_RULE_CHARS
    right_signer, right_date = _signature_indents(signer_width, text_width(date_text))
    name = name_or_rule(doc, signer, SIGNATURE)
    indent_chars(name, right=round(right_signer * 100))
    date = paragraph(doc, date_text, SIGNATURE)
    indent_chars(date, right=round(right_date * 100))
    return date


def _keep_last_paragraph_with_next(doc: Container) -> None:
    """The paragraph before the signature goes to the signature's page: no page of only a signature.
    When that paragraph follows a table (a 合计 line, 评定等级), the table's last row goes too."""
    body = doc.element.body if isinstance(doc, Document) else doc._element
    last = body[-1] if len(body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last = last.getprevious()
    if last is not None and last.tag == qn("w:tbl"):
        keep_last_row_with_next(last)
    if last is not None and last.tag == qn("w:p"):
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        before = last.getprevious()
        if before is not None and before.tag == qn("w:tbl"):
            keep_last_row_with_next(before)


def keep_last_row_with_next(tbl: Any, rows: int = 2) -> None:  # a w:tbl element (oxml)
    """The last ``rows`` rows of a table stay with the paragraph after it (Word and LibreOffice keep
    a row whose paragraphs are "keep with next" with what follows), each row unbroken."""
    for tr in tbl.findall(qn("w:tr"))[-rows:]:
        tr_pr = tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.append(OxmlElement("w:cantSplit"))
        for p in tr.iter(qn("w:p")):
            p.get_or_add_pPr().keepNext_val = True


def signing_line(doc: Container, signers: Sequence[str]) -> Paragraph:
    """One line ``主持人（签字）：____  记录人（签字）：____``, each with a rule to sign on."""
    par = paragraph(doc, "", SIGNING)
    share = TEXT_WIDTH_MM / len(signers)
    for i, signer in enumerate(signers):
        last = i + 1 == len(signers)
        end = share * (i + 1) - (0 if last else 4)
        tab_stop(par, end, align="right" if last else "left", leader="underscore")
        if not last:
            tab_stop(par, share * (i + 1))
        par.add_run(f"{signer}（签字）：")
        par.add_run("\t")
        if not last:
            par.add_run("\t")
    return par


def comment(doc: Document, runs: Run | Sequence[Run], text: str, author: str = COMMENT_AUTHOR) -> Comment:
    """A Word comment on ``runs`` (a run or a list of runs): shown in Word and WPS beside the
    text, not printed by ``zhibu pdf`` and the bound volume (LibreOffice exports no comments)."""
    return doc.add_comment(runs, text=text, author=author, initials="zb")


def display_line(
    container: Container,
    text: str,
    *,
    font: str,
    size: Pt = BODY_SIZE,
    align: WD_PARAGRAPH_ALIGNMENT = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    """A line set apart from the body (a page-number stamp): its own font (Latin too) and size,
    no indent; ``container`` is the document or a table cell."""
    par = container.add_paragraph()
    par.paragraph_format.alignment = align
    indent_chars(par, first_line=0)
    run = par.add_run(text)
    run.font.size = size
    set_fonts(run._r, font, font)
    return par
