"""The Chinese run summary: one row per input, then totals and warnings."""

from __future__ import annotations

import click

from pipeline.api.reports import RunReport
from pipeline.filing.outcome import Status

COLORS = {
    Status.PROCESSED: "green",
    Status.DUPLICATE: "cyan",
    Status.FAILED: "red",
    Status.PARTIAL: "yellow",
    Status.RETRY: "yellow",
}


def print_summary(report: RunReport) -> None:
    if report.recovered:
        click.secho(f"已恢复上次中断的 {report.recovered} 项归档操作。", fg="yellow")
    print_waiting(report.waiting)
    if not report.outcomes:
        click.echo("收件箱里没有需要处理的文件。")
        return
    click.echo("处理结果：")
    for o in report.outcomes:
        click.echo(f"  {click.style(f'[{o.status.label}]', fg=COLORS[o.status])} {o.name}")
        for path in o.outputs:
            click.echo(f"      → {path}")
        for path in o.replaced:
            click.echo(f"      旧版本已移到 {path}")
        for kind, n in o.counts.items():
            click.echo(f"      {kind}：新增 {n} 条")
        if o.failed_path:
            click.echo(f"      已移到 {o.failed_path}（原因见旁边的 .原因.txt）")
        if o.error:
            for line in o.error.splitlines():
                click.secho(f"      {line}", fg="red")
        for w in o.warnings:
            click.secho(f"      提醒：{w}", fg="yellow")
    totals = report.counts
    warnings = sum(len(o.warnings) for o in report.outcomes)
    click.echo(
        f"合计：处理 {totals[Status.PROCESSED] + totals[Status.PARTIAL]} 个，生成文档 {report.documents} 份，"
        f"重复 {totals[Status.DUPLICATE]} 个，失败 {totals[Status.FAILED]} 个，部分失败 {totals[Status.PARTIAL]} 个，"
        + (f"未处理（处理中被修改或移走）{totals[Status.RETRY]} 个，" if totals[Status.RETRY] else "")
        + f"提醒 {warnings} 条。"
    )


def print_waiting(waiting: list[str]) -> None:
    """Filings decided earlier whose last step waits for a file another program holds."""
    for name in waiting:
        click.secho(
            f"提醒：之前的一次归档还差最后一步：「{name}」正被其他程序（如 Word/WPS）打开，暂时无法移动；"
            "关闭该文件后，下次处理文件时会自动完成。其他文件照常处理。",
            fg="yellow",
        )
