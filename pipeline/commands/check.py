"""zhibu check FILE...: read inputs and report what would be produced, writing nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.archive.commit import sha256_file
from pipeline.archive.files import render_path
from pipeline.archive.index import read_only_query
from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.errors import ZhibuError
from pipeline.ingest import read_input
from pipeline.records.checks import check_meeting
from pipeline.render.minutes import build_context, render_docx
from pipeline.term.rules import load_rules


def _known_sha(ws, sha: str) -> bool:
    return bool(read_only_query(ws.index_path, "SELECT 1 FROM sources WHERE sha256 = ?", (sha,)))


@click.command("check", cls=Command)
@workspace_option
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="文件...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
def command(workspace, files: tuple[Path, ...]) -> None:
    """检查文件：报告会生成哪些文档、发现哪些问题，不写入任何文件。"""
    ws = open_workspace(workspace)
    cfg = ws.config
    quorum = load_rules(cfg).quorum
    problems = 0
    for path in files:
        click.echo(f"文件「{path.name}」：")
        if _known_sha(ws, sha256_file(path)):
            click.secho("  与已归档的文件内容完全相同，放入收件箱后会被当作重复文件忽略。", fg="cyan")
            continue
        try:
            result = read_input(path, display_name=path.name, kind_hint=None)
        except ZhibuError as err:
            problems += 1
            for line in str(err).splitlines():
                click.secho(f"  {line}", fg="red")
            continue
        for m in result.meetings:
            term = cfg.calendar.term_of(m.date)
            values = {
                "学年": term.year_folder,
                "学期": term.name,
                "日期": m.date.isoformat(),
                "类型": m.type.name,
                "主题": m.title,
            }
            rel = render_path(cfg["archive"]["minutes_path"], values, cfg["archive"]["max_name_length"])
            click.echo(f"  将生成：outbox/{rel}")
            try:
                render_docx(
                    ws.meeting_template(m.type), build_context(m, dict(cfg["branch"]), term.label, quorum)
                )
            except ZhibuError as err:
                problems += 1
                click.secho(f"  模板问题：{err}", fg="red")
            for w in m.warnings + check_meeting(m, quorum):
                click.secho(f"  提醒：{w}", fg="yellow")
        for kind, items in result.items.items():
            click.echo(f"  {kind}：{len(items)} 条")
        for w in result.warnings:
            click.secho(f"  提醒：{w}", fg="yellow")
        for err in result.row_errors:
            problems += 1
            click.secho(f"  {err}", fg="red")
    click.echo(f"检查完毕：{len(files)} 个文件，发现 {problems} 个问题。（没有写入任何文件）")
    sys.exit(1 if problems else 0)
