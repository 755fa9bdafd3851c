"""zhibu profile: the 党组织简介, stated from the active roster."""

from __future__ import annotations

import click

from pipeline import api
from pipeline.commands.base import Command, workspace_option
from pipeline.errors import ExitCode


@click.command("profile", cls=Command)
@workspace_option
@click.option("--docx", "as_docx", is_flag=True, help="同时生成 Word 文档 outbox/党组织简介.docx。")
def command(workspace, as_docx: bool) -> ExitCode:
    """根据当前党员名册生成“党组织简介”（党员人数、支委、职称、学历、荣誉）。"""
    report = api.profile(workspace, docx=as_docx)
    click.echo(report.text)
    if report.docx:
        click.echo(f"已生成 {report.docx}")
    return ExitCode.OK
