"""zhibu batch: regenerate a term's (or a year's) 三会一课台账, 成果汇编 and 工作计划."""

from __future__ import annotations

import json
import os
import sys

import click

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.commands.status import date_option, parse_day, pick_terms
from pipeline.consume import Processor
from pipeline.errors import ExitCode
from pipeline.logs import setup_file_log
from pipeline.term.batch import WRITE_LABELS, run_batch
from pipeline.term.rerender import rerender_term

COLORS = {"new": "green", "updated": "green", "unchanged": "cyan"}


def _rerender(ws, terms, jobs: int | None, as_json: bool) -> tuple[bool, list[dict]]:
    """Re-apply the templates to the terms' minutes; (a document could not be made, reports)."""
    failed, out = False, []
    with Processor(ws) as processor:
        for term in terms:
            report = rerender_term(processor, term, workers=jobs or os.cpu_count())
            out.append(
                {
                    "term": term.id,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "problems": report.problems,
                }
            )
            failed = failed or bool(report.problems)
            if as_json:
                continue
            click.echo(
                f"{term.label}：重新生成会议记录 {len(report.updated)} 份，未变化 {report.unchanged} 份。"
            )
            for path in report.updated:
                click.echo(f"  [已更新] {path}")
            for problem in report.problems:
                click.secho(f"  失败：{problem}", fg="red")
    return failed, out


def _as_dict(report) -> dict:
    return {
        "term": report.term.id,
        "files": [
            {"path": str(f.path), "status": f.status, "history": str(f.history) if f.history else None}
            for f in report.files
        ],
        "compliance": report.compliance.messages() if report.compliance else [],
        "warnings": report.warnings,
        "errors": report.errors,
    }


@click.command("batch", cls=Command)
@workspace_option
@click.option(
    "--term", "term_id", metavar="学期", help="学期编号，例如 2024-2025-1（默认：今天所在的学期）。"
)
@click.option(
    "--year", "year_id", metavar="学年", help="学年编号，例如 2024-2025：生成该学年两个学期的材料。"
)
@date_option
@click.option(
    "--rerender",
    is_flag=True,
    help="先用 templates/ 里现在的模板重新生成本学期全部会议记录（改过模板后使用；有变化的旧版本移到“历史版本”）。",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    metavar="N",
    help="重新生成会议记录时同时使用的进程数（默认：CPU 核数）。",
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出结果（供其他程序读取）。")
def command(
    workspace,
    term_id: str | None,
    year_id: str | None,
    day: str | None,
    rerender: bool,
    jobs: int | None,
    as_json: bool,
) -> None:
    """生成学期材料：三会一课台账（.xlsx，含合规检查）、成果汇编和学期工作计划（.docx）。

    \b
    文件写到 outbox/<学年>/<学期>/，例如 outbox/2024-2025学年/第一学期/。
    可以反复运行：内容有变化时旧文件先移到该学期的“历史版本”文件夹，没有变化的文件不会改动。
    最后列出写入的文件和合规提醒。有文件生成失败时退出码为 1。
    """
    ws = open_workspace(workspace)
    setup_file_log(ws)
    today = parse_day(day)
    terms = pick_terms(ws, term_id, year_id, today)
    failed, rerendered = _rerender(ws, terms, jobs, as_json) if rerender else (False, [])
    reports = run_batch(ws, terms, today)
    if as_json:
        data = {"rerender": rerendered, "terms": [_as_dict(r) for r in reports]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        sys.exit(int(ExitCode.INPUT_FAILED if failed or any(r.errors for r in reports) else ExitCode.OK))
    click.echo("已写入：" if any(r.files for r in reports) else "没有写入任何文件。")
    for report in reports:
        for f in report.files:
            label = click.style(f"[{WRITE_LABELS[f.status]}]", fg=COLORS[f.status])
            line = f"  {label} {f.path}"
            if f.history:
                line += f"（旧版本移到 {f.history}）"
            click.echo(line)
    for report in reports:
        lines = (report.compliance.messages() if report.compliance else []) + report.warnings
        click.echo(f"{report.term.label}的合规提醒：" if lines else f"{report.term.label}：没有合规提醒。")
        for line in lines:
            click.secho(f"  {line}", fg="red" if line.startswith(("缺", "到会人数")) else "yellow")
        for err in report.errors:
            failed = True
            for i, line in enumerate(err.splitlines()):
                click.secho(("  失败：" if i == 0 else "    ") + line, fg="red")
    sys.exit(int(ExitCode.INPUT_FAILED if failed else ExitCode.OK))
