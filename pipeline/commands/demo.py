"""zhibu demo: copy the bundled sample inputs into the inbox and run the pipeline."""

from __future__ import annotations

import click

from pipeline import api
from pipeline.commands.base import Command, ProgressBar, workspace_option
from pipeline.commands.summary import print_summary
from pipeline.errors import ExitCode


@click.command("demo", cls=Command)
@workspace_option
def command(workspace) -> ExitCode:
    """演示：把自带的示例笔记和登记表放进收件箱，然后运行一次 zhibu run。"""
    with ProgressBar("处理中", "个", least=5) as bar:
        report = api.demo(workspace, progress=bar)
    if report.filled_branch:
        click.echo("已在 zhibu.toml 中填入示例支部（汽车运用工程系党支部）的名称和支委名单。")
    click.echo(f"已放入 {len(report.copied)} 个示例文件到 {report.inbox}。")
    print_summary(report.run)
    if report.run.stopped is not None:
        raise report.run.stopped
    if report.run.notice:
        click.secho(report.run.notice, fg="yellow")
    click.echo(f"请到 {report.outbox} 查看生成的会议记录。")
    return report.exit_code
