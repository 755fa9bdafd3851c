"""zhibu render REGISTER --template T: one document per register row, through the batch renderer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from tqdm import tqdm

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.errors import Location, TemplateError
from pipeline.fs.files import safe_file_name
from pipeline.kinds import read_input
from pipeline.records.rules import load_rules
from pipeline.registers.rendering import row_contexts
from pipeline.render.fast import render_batch


def _template_path(ws, name: str) -> Path:
    candidates = [Path(name), ws.templates / name, ws.templates / f"{name}.docx"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise TemplateError(
        "找不到模板文件",
        hint="写模板的路径，或 templates/ 里的模板名，例如 --template 会议记录。",
        location=Location(file=name),
    )


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
def command(workspace, register: Path, template: str, out_dir: Path | None, jobs: int | None) -> None:
    """按登记表每一行套用模板，生成一份 Word 文档（不归档、不改动收件箱）。

    \b
    例如：zhibu render 会议登记表.xlsx --template 会议记录
          zhibu render 成果登记表.xlsx --template 证书.docx --out D:\\证书
    模板里用列名作变量，例如 {{ 成果名称 }}、{{ 完成人 }}；会议登记表的每一行与会议记录模板的变量相同。
    """
    ws = open_workspace(workspace)
    cfg = ws.config
    template_path = _template_path(ws, template)
    result = read_input(register, display_name=register.name)
    for err in result.row_errors:
        click.secho(f"  跳过：{err}", fg="yellow")
    target = out_dir or ws.outbox / "批量生成" / safe_file_name(register.stem, "", 60)
    target.mkdir(parents=True, exist_ok=True)
    limit = cfg.archive.max_name_length
    rows = list(
        row_contexts(result, cfg.branch, lambda d: cfg.calendar.term_of(d).label, load_rules(cfg).quorum)
    )
    if not rows:
        click.echo(f"登记表「{register.name}」里没有可以生成文档的行。")
        sys.exit(1)
    jobs_list = [
        (context, target / safe_file_name(f"{i:04d} {title}", ".docx", limit))
        for i, (title, context, _) in enumerate(rows, 1)
    ]
    # The batch consumes jobs lazily, so a bar over the job stream follows the rendering.
    progress = tqdm(jobs_list, desc="生成文档", unit="份", leave=False, disable=len(jobs_list) < 50)
    batch = render_batch(template_path, progress, workers=jobs or os.cpu_count())
    progress.close()
    for failure in batch.failures:
        click.secho(f"  [失败] {rows[failure.index][2]}：{failure.message}", fg="red")
    click.echo(
        f"合计：生成 {batch.succeeded} 份，失败 {len(batch.failures)} 份，跳过有错误的行 "
        f"{len(result.row_errors)} 行。文档在 {target}"
    )
    sys.exit(1 if batch.failures else 0)
