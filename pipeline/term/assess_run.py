"""``zhibu assess`` and the assessment step of ``zhibu batch --year``: the year scored from the
archive and its papers written into ``outbox/<year>考核/`` (a 学年: ``outbox/<学年>/<学年>考核/``):

* 考核自评表.docx and 支撑材料目录.docx (``term.assess_papers``);
* ``支撑材料/``: numbered copies of the supporting files (a copy whose file is no longer cited is
  removed: the folder always matches the 目录; the originals stay in the archive);
* 年度工作总结（草稿）.docx (``term.year_summary``).

Everything is recomputed from the index on each run: a document removed or corrected changes the
score next time. Files go through ``term.batch.publish`` (atomic; a differing older version kept
in history).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.chinese import cn_date
from pipeline.errors import ExitCode, ZhibuError
from pipeline.fs.files import publish as publish_file
from pipeline.records.assessment import points_text
from pipeline.term.assess import AssessYear, Result, evaluate
from pipeline.term.assess_facts import assess_year, gather, load_criteria, year_folder
from pipeline.term.assess_papers import COPIES, assessment_table, copy_plan, evidence_list, scores_summary
from pipeline.term.batch import UNCHANGED, Written, publish
from pipeline.term.data import Snapshot, load_snapshot
from pipeline.term.year_summary import summary_document

log = logging.getLogger("zhibu")
_COPY_NAME = re.compile(r"^\d{2,3} ")
HISTORY = "历史版本"  # a replaced version of a year's paper stays in the year's folder
NAMES = ("考核自评表.docx", "考核支撑材料目录.docx", "工作总结（草稿）.docx")


@dataclass
class AssessReport:
    """What ``zhibu assess`` found and wrote."""

    year: AssessYear
    as_of: dt.date
    result: Result
    folder: str = ""  # relative to the workspace root
    files: list[Written] = field(default_factory=list)
    copies: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pdf: str = ""  # the bound PDF of the evidence, with --pdf

    @property
    def label(self) -> str:
        return f"{self.year.label}考核自评"

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.INPUT_FAILED if self.errors else ExitCode.OK

    def as_dict(self) -> dict:
        return {
            "year": self.year.id,
            "label": self.year.label,
            "as_of": self.as_of.isoformat(),
            "criteria": self.result.criteria.source,
            **scores_summary(self.result),
            "folder": self.folder,
            "files": [{"path": f.path, "status": f.status, "history": f.history} for f in self.files],
            "copies": self.copies,
            "removed": self.removed,
            "pdf": self.pdf or None,
            "warnings": self.warnings,
            "errors": self.errors,
        }


def score_year(ws, snap: Snapshot, year: AssessYear, today: dt.date) -> Result:
    """The year scored as of ``today`` (no file written: ``zhibu status``)."""
    criteria = load_criteria(snap)
    return evaluate(criteria, gather(ws, snap, criteria, year, today))


def documents_day(year: AssessYear, today: dt.date, as_of: dt.date | None) -> dt.date:
    """The date the papers carry: ``--as-of``, else the year's last day once it has ended, else today."""
    return as_of or min(today, year.end)


def write_assessment(
    ws, year_text: str | None, today: dt.date, *, as_of: dt.date | None = None, snap: Snapshot | None = None
) -> AssessReport:
    year = assess_year(ws.config, year_text, today)
    snap = snap or load_snapshot(ws)
    day = documents_day(year, today, as_of)
    result = score_year(ws, snap, year, min(today, day) if as_of else today)
    folder = year_folder(ws, year)
    report = AssessReport(year, day, result, folder.relative_to(ws.root).as_posix())
    report.warnings += _run_notes(result)
    branch = ws.config.branch_name
    makers: tuple[Callable[[], tuple[bytes, list[str]]], ...] = (
        lambda: (assessment_table(result, branch, day), []),
        lambda: (evidence_list(result, branch, day), []),
        lambda: summary_document(result, snap, ws.config, branch, day),
    )
    for name, make in zip(NAMES, makers, strict=True):
        try:
            data, gaps = make()
            report.warnings += gaps
            label = year.work_label if name.startswith("工作总结") else year.label
            target = folder / f"{label}{name}"
            report.files.append(publish(ws, target, data, None, day, folder / HISTORY))
        except ZhibuError as err:
            report.errors.append(f"{name}：{err}")
        except Exception as exc:  # one paper failing must not stop the others
            log.exception("考核材料「%s」生成时发生内部错误", name)
            report.errors.append(
                f"{name}：内部错误（{type(exc).__name__}），请把 .zhibu/zhibu.log 发给技术支持人员"
            )
    _copy_evidence(ws, result, folder, report)
    return report


def _copy_evidence(ws, result: Result, folder: Path, report: AssessReport) -> None:
    plan = copy_plan(ws, result, folder)
    wanted = {target.name for _src, target in plan}
    copies = folder / COPIES
    for path in sorted(copies.iterdir()) if copies.is_dir() else []:
        if path.is_file() and _COPY_NAME.match(path.name) and path.name not in wanted:
            path.unlink()  # a copy no longer cited: the original stays in the archive
            report.removed += 1
    for source, target in plan:
        try:
            if target.is_file() and target.read_bytes() == source.read_bytes():
                continue
            publish_file(target, source=source)
            report.copies += 1
        except OSError as exc:
            report.errors.append(f"支撑材料「{target.name}」无法复制（{exc.strerror or exc}）")


def _run_notes(result: Result) -> list[str]:
    """What the run says: indicators not scored and why, and those left to the secretary."""
    out = [f"{s.indicator.name}：{s.reason}，自评得分留空" for s in result.scored if s.reason]
    out += _archive_notes(result)
    selfs = [s.indicator.name for s in result.scored if s.score is None and not s.reason]
    if selfs:
        out.append(
            f"以下{len(selfs)}项由支部自评，自评表中得分留空（Word 批注中有 zhibu 找到的情况）：{'、'.join(selfs)}"
        )
    return out


def _archive_notes(result: Result) -> list[str]:
    """Points lost only because the archive starts late in the year (or holds no meeting of it)."""
    meetings = result.facts.meetings
    first = min((m.date for m in meetings), default=None)
    if first is None:
        return [f"档案中没有{result.facts.year.label}的会议记录，各项组织生活都按没有开展计分"]
    if any(c.status == "missing" and c.period.end < first for cs in result.facts.checks.values() for c in cs):
        return [
            f"档案中{result.facts.year.label}最早的会议记录是{cn_date(first)}，此前的月份都按没有记录计分"
            "（有纸质记录的，把笔记或扫描件放入收件箱归档后重新运行）"
        ]
    return []


__all__ = ["NAMES", "UNCHANGED", "AssessReport", "documents_day", "score_year", "write_assessment"]


# --- zhibu status -----------------------------------------------------------------------------------


def status_part(ws, snap: Snapshot, today: dt.date) -> tuple[dict, list[tuple[str, str | None]]]:
    """The current year's projected score, the points lost so far and what would recover the ones
    at risk now (``zhibu status``: ``assessment`` of ``--json``, and its lines)."""
    year = assess_year(ws.config, None, today)
    result = score_year(ws, snap, year, today)
    lost = [(s, line) for s in result.scored for line in s.lines if line.amount < 0]
    data: dict = {
        "year": year.id,
        "label": year.label,
        "measured": points_text(result.measured),
        "pending_points": points_text(result.pending_points),
        "projected": points_text(result.projected),
        "projected_grade": result.criteria.grade(result.projected),
        "lost": [{"indicator": s.indicator.name, "text": line.shown} for s, line in lost],
        "open": [{"indicator": s.indicator.name, "text": t} for s in result.scored for t in s.open],
        "notes": _archive_notes(result),
    }
    lines: list[tuple[str, str | None]] = [
        (
            f"{year.label}考核自评（按{result.criteria.source}预计）：可计分的指标得{data['measured']}分，"
            f"另有{data['pending_points']}分待支部自评；都得满分时{data['projected']}分（{data['projected_grade']}）。",
            None,
        )
    ]
    lines += [(f"  提醒：{note}", None) for note in data["notes"]]
    if data["open"]:
        lines.append(("  现在补上可以不扣分：", "yellow"))
        lines += [(f"    · {x['indicator']}：{x['text']}", None) for x in data["open"]]
    if lost:
        lines.append((f"  已扣分（{len(lost)}条）：", "red"))
        lines += [(f"    · {x['indicator']}：{x['text']}", None) for x in data["lost"]]
    return {"assessment": data}, lines
