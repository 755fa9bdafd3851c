"""The year's assessment (``zhibu assess``): the 考核细则 scored from the archive, its papers and
the numbered supporting files; ``--pdf`` also binds the supporting files into one PDF."""

from __future__ import annotations

import datetime as dt

from pipeline.api.common import in_workspace
from pipeline.api.printing import conversion_settings
from pipeline.api.reports import AssessReport, Progress
from pipeline.errors import ZhibuError
from pipeline.fs.leftovers import sweep_workspace
from pipeline.printing.volume import VolumeEntry, build_volume
from pipeline.term.assess_papers import number_evidence
from pipeline.term.assess_run import write_assessment
from pipeline.workspace import Workspace

PDF_NAME = "考核支撑材料"


@in_workspace
def assess(
    ws: Workspace,
    *,
    year: str | None = None,
    today: dt.date | None = None,
    as_of: dt.date | None = None,
    pdf: bool = False,
    progress: Progress | None = None,
) -> AssessReport:
    """Score the year (``--year`` 2024, or 2024-2025 for a 学年; default the current one) and write
    考核自评表, 支撑材料目录, 年度工作总结（草稿） and ``支撑材料/`` into its outbox folder."""
    today = today or dt.date.today()
    report = write_assessment(ws, year, today, as_of=as_of)
    if pdf:
        _bind(ws, report, progress)
    return report


def _bind(ws: Workspace, report: AssessReport, progress: Progress | None) -> None:
    """The supporting files in their numbered order, bound in one PDF with a cover and contents."""
    listed, _numbers = number_evidence(report.result)
    entries = [
        VolumeEntry(
            f"{n.number}．{n.evidence.title}", n.evidence.date or report.as_of, ws.root / n.evidence.path
        )
        for n in listed
        if (ws.root / n.evidence.path).is_file()
    ]
    if not entries:
        report.warnings.append("没有可装订的支撑材料，没有生成 PDF")
        return
    dest = ws.root / report.folder / f"{report.year.label}{PDF_NAME}.pdf"
    sweep_workspace(ws, holds_lock=False)
    tick = (lambda done, total: progress(done, total, "转换支撑材料")) if progress else None
    try:
        build_volume(
            entries,
            dest,
            branch=ws.config.branch_name,
            term_label=report.year.label,
            volume_name=PDF_NAME,
            work_dir=ws.state,
            progress=tick,
            **conversion_settings(ws),
        )
    except ZhibuError as err:
        report.errors.append(f"{PDF_NAME} PDF：{err}")
        return
    report.pdf = dest.relative_to(ws.root).as_posix()
