"""Every document of a term, in archive order, as the bound volume and ``zhibu pdf --term`` take them.

Archive order (the choice): the 学期工作计划 first, then the minutes by date (filing order within a
day), the 成果汇编, the 发展对象公示 by date, the 发展党员进度表 by name, and the summary pages of
the 三会一课台账 (合规检查, 各月统计) last. A document is listed only when its file exists; the
term documents are made by ``zhibu batch``.

责任者 of the 卷内目录 (the choice, after DA/T 22 归档文件整理规则: the body that formed the
document): the branch for its plan, its meetings and every paper it keeps; a 党小组会 record the
党小组 that held it. 党课 and 谈心谈话 are the branch's activities too, so their 主讲人 and 谈话人
are not the 责任者 (the record names them).

Each document carries its own date: the date a term document was made with (the creation date
``zhibu batch`` writes into the plan, the 汇编 and the 台账), a record's meeting date, a 公示's
first day, the term's documents date for a 进度表.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.records.archived import MeetingRow
from pipeline.records.calendar import Term
from pipeline.records.same_day import clashes
from pipeline.render.minutes import document_title
from pipeline.term.batch import output_names, term_folder
from pipeline.term.data import Snapshot
from pipeline.term.development_papers import FOLDER as DEVELOPMENT_FOLDER
from pipeline.term.ledger_cells import SUMMARY_SHEETS

_PUBLICITY = re.compile(r"^(\d{4}-\d{2}-\d{2}) 发展对象公示$")
_PROGRESS = re.compile(r"^发展党员进度表 (.+)$")


@dataclass(frozen=True)
class TermDocument:
    """One document of the term's volume."""

    path: Path  # absolute
    title: str  # 文件题名
    date: dt.date
    responsible: str  # 责任者
    sheets: tuple[str, ...] = ()  # a workbook: the sheets the volume prints (its summary pages)
    remark: str = ""  # 备注 of the 卷内目录
    minutes: bool = False  # a meeting's record (filed), not a term document (made by zhibu batch)
    own_numbers: bool = False  # its contents cite its own page numbers (the 成果汇编): keep them


def minutes_title(m: MeetingRow) -> str:
    """文件题名 of a record: 支委会会议记录（讨论确定发展对象）, 第一党小组会议记录（…）."""
    kind = document_title("暨".join(m.activities), "", m.party_group)
    return kind if m.title in (m.type, "暨".join(m.activities)) else f"{kind}（{m.title}）"


def responsible(m: MeetingRow, branch: str) -> str:
    """责任者 of a record (the module's rule)."""
    if m.type == "党小组会" and m.party_group:
        return m.party_group
    return branch


def _created(path: Path) -> dt.date | None:
    """The creation date a Word or Excel file states (its core properties), or None."""
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import load_workbook

            stamp = load_workbook(path, read_only=True).properties.created
        else:
            from docx import Document

            stamp = Document(str(path)).core_properties.created
    except Exception:  # noqa: BLE001 - a damaged file is reported when it is converted
        return None
    return stamp.date() if stamp else None


def _same_day_remarks(rows: list[MeetingRow], numbers: dict[int, int]) -> dict[int, str]:
    """备注 of two records of one activity: each names the other by its number in the volume."""
    others: dict[int, list[int]] = {}
    for c in clashes(rows):
        others.setdefault(c.first.id, []).append(numbers[c.second.id])
        others.setdefault(c.second.id, []).append(numbers[c.first.id])
    return {
        i: "与" + "、".join(f"第{n}件" for n in sorted(ns)) + "可能为同一次活动，待核实"
        for i, ns in others.items()
    }


def term_documents(ws, snap: Snapshot, term: Term, day: dt.date) -> list[TermDocument]:
    """The term's documents in archive order (the module's rule); ``day``: the date of a term
    document whose file states none."""
    branch = ws.config.branch_name
    folder = term_folder(ws, term)
    names = output_names(term)

    def made(key: str, title: str, sheets: tuple[str, ...] = (), own: bool = False) -> list[TermDocument]:
        path = folder / names[key]
        if not path.is_file():
            return []
        return [TermDocument(path, title, _created(path) or day, branch, sheets, own_numbers=own)]

    papers = folder / DEVELOPMENT_FOLDER
    publicity, progress = [], []
    for path in sorted(papers.glob("*.docx")) if papers.is_dir() else []:
        if found := _PUBLICITY.match(path.stem):
            publicity.append(TermDocument(path, "发展对象公示", dt.date.fromisoformat(found[1]), branch))
        elif found := _PROGRESS.match(path.stem):
            # Rendered from a template whose file dates are the template's own: the batch's date.
            progress.append(TermDocument(path, f"发展党员进度表（{found[1]}）", day, branch))
    rows = [m for m in snap.meetings if m.term == term.id and (ws.root / m.path).is_file()]
    minutes = [
        TermDocument(ws.root / m.path, minutes_title(m), m.date, responsible(m, branch), minutes=True)
        for m in rows
    ]
    plan = made("plan", f"{term.label}工作计划")
    summary = f"{term.label}三会一课台账（{'、'.join(SUMMARY_TITLES)}）"
    rest = [
        *made("compilation", f"{term.label}成果汇编", own=True),
        *publicity,
        *progress,
        *made("ledger", summary, SUMMARY_SHEETS),
    ]
    remarks = _same_day_remarks(rows, {m.id: len(plan) + n for n, m in enumerate(rows, 1)})
    minutes = [
        dataclasses.replace(d, remark=remarks.get(m.id, "")) for d, m in zip(minutes, rows, strict=True)
    ]
    return [*plan, *minutes, *rest]


SUMMARY_TITLES = ("合规检查", "各月统计")
