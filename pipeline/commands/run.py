"""zhibu run: process everything in the inbox once."""

from __future__ import annotations

import json

import click

from pipeline import api
from pipeline.commands.base import Command, ProgressBar, workspace_option
from pipeline.commands.summary import print_summary
from pipeline.errors import ExitCode

# A progress bar appears from this many inputs on (fewer are done before it would help).
PROGRESS_FROM = 5


@click.command("run", cls=Command)
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出处理结果（供其他程序读取）。")
def command(workspace, as_json: bool) -> ExitCode:
    """处理收件箱（inbox/）里的全部文件一次，并打印处理结果。

    \b
    退出码：0 全部成功；1 有文件处理失败（在 inbox/失败/，旁边有原因说明）；
    2 命令写错；3 工作区、配置或环境有问题（如 zhibu.toml 写错、磁盘已满）。
    """
    with ProgressBar("处理中", "个", least=PROGRESS_FROM, show=not as_json) as bar:
        report = api.run(workspace, progress=bar)
    show_run(report, as_json=as_json)
    return report.exit_code


def show_run(report: api.RunReport, *, as_json: bool = False) -> None:
    """The run's summary (or its JSON); a full or read-only disk is said last, as the error."""
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print_summary(report)
    if report.stopped is not None:
        raise report.stopped
    if report.notice and not as_json:
        click.secho(report.notice, fg="yellow")
