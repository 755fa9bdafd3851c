"""zhibu doctor: check the index against the archive on disk, and rebuild it from the archive."""

from __future__ import annotations

import click

from pipeline import api
from pipeline.commands.base import Command, workspace_option
from pipeline.errors import ExitCode


@click.command("doctor", cls=Command)
@workspace_option
@click.option("--check", "check_only", is_flag=True, help="只检查并报告问题，不重建索引。")
def command(workspace, check_only) -> ExitCode:
    """检查索引（.zhibu/index.sqlite3）与磁盘上的归档是否一致；不一致、丢失或损坏时，
    根据 outbox 里已归档的原件和文档重建索引。

    \b
    原索引不会删除，会改名保存为 .zhibu/index.damaged-<时间>.sqlite3。
    重建时不会改动、移动或重新生成任何文档。
    """
    found = api.diagnose(workspace)
    if not found.problems:
        click.secho("索引与磁盘上的归档一致，没有发现问题。", fg="green")
        return ExitCode.OK
    for line in found.problems:
        click.secho(f"发现问题：{line}", fg="yellow")
    if check_only:
        click.echo("处理办法：运行 zhibu doctor（不加 --check）重建索引。")
        return found.exit_code
    click.echo("正在根据已归档的原件重建索引……")
    report = api.rebuild(workspace)
    if report.backup:
        click.echo(f"原索引已保存为 {report.backup}")
    click.secho(
        f"索引已重建：原件 {report.sources} 份，文档 {report.documents} 份，历史版本 {report.history} 份，"
        f"失败记录 {report.failures} 条。",
        fg="green",
    )
    for line in report.unreadable:
        click.secho(f"提醒：这份原件没能重新登记：{line}", fg="yellow")
    for line in report.missing:
        click.secho(f"提醒：找不到这份文档，没有登记：{line}", fg="yellow")
    click.echo("学期台账、汇编等汇总文档不在索引里重建，需要时请重新运行 zhibu batch。")
    return ExitCode.OK
