"""zhibu init: create a new workspace."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import api
from pipeline.commands.base import Command, workspace_option
from pipeline.errors import ExitCode


@click.command("init", cls=Command)
@workspace_option
@click.argument(
    "directory", metavar="文件夹", type=click.Path(file_okay=False, path_type=Path), required=False
)
def command(workspace: Path, directory: Path | None) -> ExitCode:
    """在指定文件夹（默认当前文件夹）创建工作区：inbox/、outbox/、templates/（默认模板）和带说明的 zhibu.toml。

    已有的文件不会被覆盖。
    """
    report = api.init(directory or workspace)
    click.echo(f"工作区已就绪：{report.root}")
    for name in report.created:
        click.echo(f"  新建 {name}")
    click.echo(
        "下一步：用记事本打开 zhibu.toml 填写支部名称和支委名单，然后把会议笔记放进 inbox/，运行 zhibu run。"
    )
    return ExitCode.OK
