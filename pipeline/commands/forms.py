"""zhibu forms: the blank registers a secretary fills in."""

from __future__ import annotations

import click

from pipeline import api
from pipeline.commands.base import Command, workspace_option
from pipeline.errors import ExitCode


@click.command("forms", cls=Command)
@workspace_option
@click.option("--force", is_flag=True, help="覆盖 表格模板/ 里已有的同名表格。")
def command(workspace, force: bool) -> ExitCode:
    """在工作区的 表格模板/ 文件夹生成各类空白登记表（会议登记表、签到表、成果登记表、党员名册、工作计划表、发展党员登记表、党费基数核算表、党费收缴登记表）。

    表格带标题行、固定的表头、日期格式和下拉选项；填好后放进 inbox/ 即可。
    已有的表格不会被覆盖（除非加 --force）。
    """
    report = api.forms(workspace, overwrite=force)
    for name in report.written:
        click.echo(f"  新建 {report.folder.name}/{name}")
    for name in report.kept:
        click.echo(f"  已有 {report.folder.name}/{name}（未覆盖；加 --force 可重新生成）")
    click.echo(f"空白登记表在：{report.folder}")
    return ExitCode.OK
