"""zhibu forms: the blank registers a secretary fills in."""

from __future__ import annotations

import click

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.registers.forms import write_forms


@click.command("forms", cls=Command)
@workspace_option
@click.option("--force", is_flag=True, help="覆盖 表格模板/ 里已有的同名表格。")
def command(workspace, force: bool) -> None:
    """在工作区的 表格模板/ 文件夹生成各类空白登记表（会议登记表、签到表、成果登记表、党员名册、工作计划表）。

    表格带标题行、固定的表头、日期格式和下拉选项；填好后放进 inbox/ 即可。
    已有的表格不会被覆盖（除非加 --force）。
    """
    ws = open_workspace(workspace)
    written, kept = write_forms(ws, overwrite=force)
    for name in written:
        click.echo(f"  新建 {ws.forms.name}/{name}")
    for name in kept:
        click.echo(f"  已有 {ws.forms.name}/{name}（未覆盖；加 --force 可重新生成）")
    click.echo(f"空白登记表在：{ws.forms}")
