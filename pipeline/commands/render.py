"""zhibu render REGISTER --template T: one document per register row, through the batch renderer."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import api
from pipeline.commands.base import Command, ProgressBar, workspace_option
from pipeline.errors import ExitCode


@click.command("render", cls=Command)
@workspace_option
@click.argument("register", metavar="登记表", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--template",
    "-t",
    "template",
    required=True,
    metavar="模板",
    help="Word 模板：templates/ 里的模板名（如 会议记录）或模板文件的路径。",
)
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="文件夹",
    help="生成到哪个文件夹（默认 outbox/批量生成/<登记表名>/）。",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    metavar="N",
    help="同时使用的进程数（默认：CPU 核数）。",
)
def command(workspace, register: Path, template: str, out_dir: Path | None, jobs: int | None) -> ExitCode:
    """按登记表每一行套用模板，生成一份 Word 文档（不归档、不改动收件箱）。

    \b
    例如：zhibu render 会议登记表.xlsx --template 会议记录
          zhibu render 成果登记表.xlsx --template 证书.docx --out D:\\证书
    模板里用列名作变量，例如 {{ 成果名称 }}、{{ 完成人 }}；会议登记表的每一行与会议记录模板的变量相同。
    """
    with ProgressBar("生成文档", "份", least=50) as bar:
        report = api.render(workspace, register, template, out=out_dir, jobs=jobs, progress=bar)
    for err in report.skipped:
        click.secho(f"  跳过：{err}", fg="yellow")
    if not report.rows:
        click.echo(f"登记表「{register.name}」里没有可以生成文档的行。")
        return report.exit_code
    for where, message in report.failures:
        click.secho(f"  [失败] {where}：{message}", fg="red")
    click.echo(
        f"合计：生成 {report.succeeded} 份，失败 {len(report.failures)} 份，跳过有错误的行 "
        f"{len(report.skipped)} 行。文档在 {report.folder}"
    )
    return report.exit_code
