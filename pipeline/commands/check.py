"""zhibu check FILE...: ``zhibu run`` without writing: the same planning, nothing filed."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline import api
from pipeline.commands.base import Command, workspace_option
from pipeline.errors import ExitCode
from pipeline.filing.dry_run import FileCheck
from pipeline.render.lines import is_blank_field


@click.command("check", cls=Command)
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出（供其他程序读取）。")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="文件...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
def command(workspace, as_json: bool, files: tuple[Path, ...]) -> ExitCode:
    """检查文件：报告会生成哪些文档、各栏填什么、有哪些提醒，与 zhibu run 完全一致，但不写入任何文件。"""
    report = api.check(workspace, files)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for f in report.files:
            _print_file(f)
        click.echo(f"检查完毕：{len(files)} 个文件，发现 {report.problems} 个问题。（没有写入任何文件）")
    return report.exit_code


def _print_file(r: FileCheck) -> None:
    click.echo(f"文件「{r.file}」：")
    if r.duplicate:
        click.secho("  与已归档的文件内容完全相同，放入收件箱后会被当作重复文件忽略。", fg="cyan")
        return
    for doc in r.documents:
        click.echo(f"  将生成：{doc.path}")
        for line in doc.lines:
            click.echo(f"    {line.rstrip()}{'（空白，需手填）' if is_blank_field(line) else ''}")
    for kind, n in r.counts.items():
        click.echo(f"  {kind}：{n} 条")
    for w in r.warnings:
        click.secho(f"  提醒：{w}", fg="yellow")
    for e in r.errors:
        for line in e.splitlines():
            click.secho(f"  {line}", fg="red")
