"""zhibu profile: the 党组织简介, stated from the active roster."""

from __future__ import annotations

import click

from pipeline import api
from pipeline.commands.base import Command, parse_day, workspace_option
from pipeline.errors import ExitCode


@click.command("profile", cls=Command)
@workspace_option
@click.option("--docx", "as_docx", is_flag=True, help="同时生成 Word 文档 outbox/党组织简介.docx。")
@click.option(
    "--as-of",
    "as_of",
    metavar="日期",
    help="按名册中的入党、转正时间，写出这一天的情况并以这一天落款，例如 2025-01-31（默认：今天）。",
)
def command(workspace, as_docx: bool, as_of: str | None) -> ExitCode:
    """根据当前党员名册生成“党组织简介”（党员人数、支委、职称、学历、荣誉）。"""
    report = api.profile(workspace, docx=as_docx, as_of=parse_day(as_of, "--as-of"))
    click.echo(report.text)
    if report.docx:
        click.echo(f"已生成 {report.docx}")
    return ExitCode.OK
