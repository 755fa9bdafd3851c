"""The year's assessment papers, written with ``wordkit``: the 考核自评表 and the 支撑材料目录, and
the numbered copies of the supporting files (``支撑材料/``).

Numbering (the choice): the supporting files are numbered once, in the order of the indicators
that cite them (a file cited by two indicators keeps its first number); the 自评表 lists each
indicator's numbers ("1—12、15"). An indicator left for the secretary has its 自评得分 blank,
with a Word comment giving the facts zhibu found (not printed); the total and the grade are
printed only when every indicator is scored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath

from pipeline import wordkit as wk
from pipeline.chinese import cn_date
from pipeline.fs.files import safe_file_name
from pipeline.records.assessment import bands_text, points_text
from pipeline.term.assess import Evidence, Result, Scored

COPIES = "支撑材料"


@dataclass(frozen=True)
class Numbered:
    number: int
    evidence: Evidence
    indicators: tuple[str, ...]  # the 二级指标 citing it

    def copy_name(self) -> str:
        suffix = PurePosixPath(self.evidence.path).suffix
        return safe_file_name(f"{self.number:02d} {self.evidence.title}", suffix, 80)


def number_evidence(result: Result) -> tuple[list[Numbered], dict[int, list[int]]]:
    """Every supporting file once, numbered; and each indicator's numbers (by its position)."""
    order: dict[str, int] = {}
    files: dict[str, Evidence] = {}
    cited: dict[str, list[str]] = {}
    numbers: dict[int, list[int]] = {}
    for i, s in enumerate(result.scored):
        for ev in s.evidence:
            if ev.path not in order:
                order[ev.path] = len(order) + 1
                files[ev.path] = ev
            cited.setdefault(ev.path, []).append(s.indicator.name)
            numbers.setdefault(i, [])
            if order[ev.path] not in numbers[i]:
                numbers[i].append(order[ev.path])
    listed = [Numbered(n, files[p], tuple(dict.fromkeys(cited[p]))) for p, n in order.items()]
    return listed, numbers


def ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> 1—3、5."""
    out: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}—{run[-1]}")
        run = [n]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}—{run[-1]}")
    return "、".join(out)


def _explain(s: Scored) -> str:
    return "\n".join(line.shown for line in s.lines)


def _comment_of(s: Scored) -> str:
    """What the secretary sees beside a blank score (a Word comment)."""
    if s.reason:
        head = f"zhibu 无法计分：{s.reason}。请核实后填写自评得分。"
    else:
        head = (
            f"此项由支部自评（计分标准：{s.indicator.rule.text}），满分{points_text(s.indicator.points)}分。"
        )
    found = "；".join(s.facts)
    return head + (f"\nzhibu 从档案中找到：{found}。" if found else "\nzhibu 没有找到与此项直接相关的记录。")


def assessment_table(result: Result, branch: str, day: dt.date) -> bytes:
    year = result.facts.year
    title = f"{branch}{year.label}考核自评表"
    doc = wk.new_document(table_size=wk.SMALL_TABLE_SIZE)
    wk.title(doc, title)
    criteria = result.criteria
    wk.paragraph(
        doc,
        f"考核依据：{criteria.source}。考核期间：{cn_date(year.start)}至{cn_date(result.facts.as_of)}。"
        f"评定等级：{bands_text(criteria.bands)}。",
    )
    _listed, numbers = number_evidence(result)
    rows = []
    for i, s in enumerate(result.scored):
        ind = s.indicator
        label = ind.name + (f"\n{ind.point}" if ind.point else "")
        rows.append(
            [
                str(i + 1),
                ind.area,
                label,
                points_text(ind.points),
                points_text(s.score),
                _explain(s),
                ranges(numbers.get(i, [])),
            ]
        )
    full = criteria.full_marks
    rows.append(["", "合计", "", points_text(full), points_text(result.total), "", ""])
    header = ["序号", "一级指标", "二级指标及考评要点", "分值", "自评得分", "扣分、加分说明", "支撑材料编号"]
    # 扣分、加分说明 holds the long lines (every month and date deducted): it gets the room; 序号,
    # 分值 and 自评得分 stay unbroken, 一级指标 and 支撑材料编号 take four characters a line.
    t = wk.table(doc, header, rows, [9, 20, 28, 10, 13, 56, 20])
    wk.center_cells(t, (0, 1, 3, 4, 6))
    wk.merge_down(t, 1)
    for i, s in enumerate(result.scored):
        if s.score is None:
            cell = t.rows[i + 1].cells[4].paragraphs[0]
            wk.comment(doc, cell.add_run(""), _comment_of(s))
    total_cell = t.rows[-1].cells[4].paragraphs[0]
    par = wk.paragraph(doc, "评定等级：" + (criteria.grade(result.total) if result.total is not None else ""))
    if result.total is None:
        left = [s.indicator.name for s in result.scored if s.score is None]
        wk.comment(
            doc,
            total_cell.add_run(""),
            f"还有{len(left)}项待支部评定（{'、'.join(left)}），填写后合计。"
            f"zhibu 已计算的{len(result.scored) - len(left)}项合计{points_text(result.measured)}分。",
        )
        wk.comment(doc, par.runs, "各项得分填齐后，按合计分数和考核依据中的等级评定。")
    wk.signature_block(doc, branch, day)
    return wk.save_dated(doc, title, day)


def evidence_list(result: Result, branch: str, day: dt.date) -> bytes:
    year = result.facts.year
    title = f"{branch}{year.label}考核支撑材料目录"
    doc = wk.new_document(table_size=wk.SMALL_TABLE_SIZE)
    wk.title(doc, title)
    listed, _numbers = number_evidence(result)
    with_pages = any(n.evidence.page for n in listed)
    header = ["编号", "材料名称", "日期", "存放位置" + ("及卷内页码" if with_pages else ""), "对应指标"]
    rows = []
    for n in listed:
        ev = n.evidence
        where = folder_lines(ev.path) + (f"\n卷内{ev.page.rpartition('》')[2]}" if ev.page else "")
        rows.append(
            [str(n.number), ev.title, cn_date(ev.date) if ev.date else "", where, "、".join(n.indicators)]
        )
    if rows:
        t = wk.table(doc, header, rows, nowrap=(0, 2, 3))
        wk.center_cells(t, (0, 2))
        note = (
            f"支撑材料共{len(rows)}份，按编号存放在“{COPIES}”文件夹中；存放位置是 outbox 中原件所在的文件夹"
        )
        if with_pages:
            note += "，卷内页码是该学期《组织活动记录卷》的页码"
        wk.paragraph(doc, note + "。", wk.LAST)
    else:
        par = wk.paragraph(doc, "")
        wk.comment(doc, par.add_run(""), "档案中还没有可作为支撑材料的文件。")
    wk.signature_block(doc, branch, day)
    return wk.save_dated(doc, title, day)


def folder_lines(path: str) -> str:
    """The folder of an archived file, in outbox: its 学年/学期 on one line and the rest on the
    next ("2024-2025学年/第一学期/" / "会议记录/支委会"), so that no path wraps inside a word."""
    parts = PurePosixPath(path.removeprefix("outbox/")).parent.parts
    if len(parts) <= 2:
        return "/".join(parts)
    return "/".join(parts[:2]) + "/\n" + "/".join(parts[2:])


def copy_plan(ws, result: Result, folder: Path) -> list[tuple[Path, Path]]:
    """(source, target) of each numbered copy; sources that no longer exist are left out."""
    listed, _numbers = number_evidence(result)
    out = []
    for n in listed:
        source = ws.root / n.evidence.path
        if source.is_file():
            out.append((source, folder / COPIES / n.copy_name()))
    return out


def scores_summary(result: Result) -> dict:
    """Figures for the run's messages and ``--json``."""
    return {
        "measured": points_text(result.measured),
        "pending_points": points_text(result.pending_points),
        "total": points_text(result.total),
        "grade": result.criteria.grade(result.total) if result.total is not None else "",
        "projected": points_text(result.projected),
        "projected_grade": result.criteria.grade(result.projected),
        "full_marks": points_text(result.criteria.full_marks),
        "indicators": [
            {
                "area": s.indicator.area,
                "name": s.indicator.name,
                "points": points_text(s.indicator.points),
                "score": points_text(s.score),
                "lines": [line.shown for line in s.lines],
                "facts": s.facts,
                "open": s.open,
                "reason": s.reason,
                "evidence": [e.path for e in s.evidence],
            }
            for s in result.scored
        ],
    }


ZERO = Decimal(0)
