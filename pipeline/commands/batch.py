"""zhibu batch: regenerate a term's (or a year's) 三会一课台账, 成果汇编 and 工作计划."""

from __future__ import annotations

import json

import click

from pipeline import api
from pipeline.chinese import cn_date
from pipeline.commands.assess import COLORS, print_report
from pipeline.commands.base import (
    Command,
    ProgressBar,
    as_of_option,
    date_option,
    parse_day,
    workspace_option,
)
from pipeline.errors import ExitCode
from pipeline.term.batch import WRITE_LABELS, TermReport
from pipeline.term.dues_papers import DuesReport


@click.command("batch", cls=Command)
@workspace_option
@click.option(
    "--term", "term_id", metavar="学期", help="学期编号，例如 2024-2025-1（默认：今天所在的学期）。"
)
@click.option(
    "--year", "year_id", metavar="学年", help="学年编号，例如 2024-2025：生成该学年两个学期的材料。"
)
@date_option
@as_of_option
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
    as_of: str | None,
    rerender: bool,
    jobs: int | None,
    as_json: bool,
) -> ExitCode:
    """生成学期材料：三会一课台账（.xlsx，含合规检查）、成果汇编和学期工作计划（.docx）。

    \b
    文件写到 outbox/<学年>/<学期>/，例如 outbox/2024-2025学年/第一学期/；导入了党费登记表时，
    --year 2024-2025 还生成2024年度的党费收缴台账、收缴情况公示和基数核算表（内部），写到 outbox/2024-2025学年/党费/，
    以及该年度的考核自评表、支撑材料目录和工作总结草稿（同 zhibu assess）。
    过去学期的材料落款为学期最后一天，其中的统计、逾期等都按那一天计算；--as-of 另选日期。
    可以反复运行：内容有变化时旧文件先移到该学期的“历史版本”文件夹，没有变化的文件不会改动。
    最后列出写入的文件和合规提醒。有文件生成失败时退出码为 1。
    """
    with ProgressBar("生成学期材料", "项", tty_only=True, show=not as_json) as bar:
        report = api.batch(
            workspace,
            term=term_id,
            year=year_id,
            today=parse_day(day),
            as_of=parse_day(as_of, "--as-of"),
            rerender=rerender,
            jobs=jobs,
            progress=bar,
        )
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return report.exit_code
    for term, rerendered in report.rerendered:
        click.echo(
            f"{term.label}：重新生成会议记录 {len(rerendered.updated)} 份，未变化 {rerendered.unchanged} 份。"
        )
        for path in rerendered.updated:
            click.echo(f"  [已更新] {path}")
        for problem in rerendered.problems:
            click.secho(f"  失败：{problem}", fg="red")
    _print_terms(report.terms)
    if report.dues is not None:
        _print_dues(report.dues)
    if report.assessment is not None:
        print_report(report.assessment)
    return report.exit_code


def _print_terms(terms: list[TermReport]) -> None:
    click.echo("已写入：" if any(t.files for t in terms) else "没有写入任何文件。")
    for t in terms:
        for f in t.files:
            line = f"  {click.style(f'[{WRITE_LABELS[f.status]}]', fg=COLORS[f.status])} {f.path}"
            if f.history:
                line += f"（旧版本移到 {f.history}）"
            click.echo(line)
    for t in terms:
        if t.as_of:
            click.echo(f"{t.term.label}的材料落款和统计截至{cn_date(t.as_of)}。")
        lines = (t.compliance.messages() if t.compliance else []) + t.warnings
        click.echo(f"{t.term.label}的合规提醒：" if lines else f"{t.term.label}：没有合规提醒。")
        for line in lines:
            click.secho(f"  {line}", fg="red" if line.startswith(("缺", "到会人数")) else "yellow")
        for err in t.errors:
            for i, line in enumerate(err.splitlines()):
                click.secho(("  失败：" if i == 0 else "    ") + line, fg="red")


def _print_dues(dues: DuesReport) -> None:
    click.echo(f"{dues.label}：")
    for f in dues.files:
        line = f"  {click.style(f'[{WRITE_LABELS[f.status]}]', fg=COLORS[f.status])} {f.path}"
        click.echo(line + (f"（旧版本移到 {f.history}）" if f.history else ""))
    for line in dues.warnings:
        click.secho(f"  {line}", fg="red" if "党章第九条" in line else "yellow")
    for err in dues.errors:
        click.secho(f"  失败：{err}", fg="red")
