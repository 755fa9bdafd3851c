"""zhibu pdf / zhibu print: PDFs for printing and the bound volume of a term."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import api
from pipeline.commands.base import (
    Command,
    ProgressBar,
    as_of_option,
    date_option,
    parse_day,
    workspace_option,
)
from pipeline.errors import ExitCode


@click.command("pdf", cls=Command)
@workspace_option
@click.option("--term", "term_id", metavar="学期", help="转换该学期的全部文档，例如 2024-2025-1。")
@click.argument(
    "files", nargs=-1, metavar="[文件...]", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def pdf(workspace, term_id: str | None, files: tuple[Path, ...]) -> ExitCode:
    """用 LibreOffice 把 Word 文档和表格转换成 PDF，PDF 放在原文档旁边。

    指定文件（zhibu pdf a.docx b.docx），或用 --term 转换一个学期的全部文档（工作计划、
    会议记录、成果汇编、发展党员材料、三会一课台账）。
    """
    if not files and not term_id:
        raise click.UsageError("请指定要转换的文件，或用 --term 指定学期")
    with ProgressBar("转换PDF", "份") as bar:
        report = api.pdf(workspace, files, term=term_id, progress=bar)
    if not report.sources:
        click.echo("没有需要转换的文档。")
        return ExitCode.OK
    for src in report.sources:
        if src in report.pdfs:
            click.echo(f"  [已转换] {report.pdfs[src]}")
    for err in report.failures.values():
        click.secho(f"  [失败] {err}", fg="red")
    if report.stalled:
        names = "、".join(f"「{p.name}」" for p in report.stalled)
        click.secho(f"LibreOffice 在 {names} 上卡住，已结束并跳过；其余文件照常转换。", fg="red")
    click.echo(f"合计：转换 {len(report.pdfs)} 份，失败 {len(report.failures)} 份。")
    return report.exit_code


@click.command("print", cls=Command)
@workspace_option
@click.option("--term", "term_id", metavar="学期", help="学期，例如 2024-2025-1（默认：今天所在的学期）。")
@date_option
@as_of_option
def print_volume(workspace, term_id: str | None, day: str | None, as_of: str | None) -> ExitCode:
    """把一个学期的全部文档合成一册便于装订的 PDF：封面、卷内目录（含责任者）、连续页码。

    \b
    按归档顺序：学期工作计划、会议记录（按日期）、成果汇编、发展对象公示、发展党员进度表、
    三会一课台账的合规检查和各月统计。还没有生成的学期材料先按 zhibu batch 的规则生成
    （--as-of 另选落款日期）；已有的按原样装订。最后一行输出卷册 PDF 的路径。
    """
    with ProgressBar("转换卷内文件", "份") as bar:

        def progress(done: int, total: int, what: str) -> None:
            if done == 0:
                click.echo(f"正在生成卷册：{total} 份文档……")
            bar(done, total, what)

        report = api.print_term(
            workspace,
            term=term_id,
            today=parse_day(day),
            as_of=parse_day(as_of, "--as-of"),
            progress=progress,
        )
    for written in report.made:
        click.echo(f"  [新建] {written.path}")
    for line in report.warnings:
        click.secho(f"  提醒：{line}", fg="yellow")
    for d in report.contents:
        if d.remark:
            click.secho(f"  提醒：卷内「{d.title}」{d.remark}", fg="yellow")
    volume = report.volume
    click.echo(
        f"共 {report.documents} 件，文件页数 {volume.numbered_pages} 页（含封面和卷内目录共 {volume.page_count} 页）。"
    )
    click.echo(str(volume.pdf))
    return ExitCode.OK


commands = [pdf, print_volume]
