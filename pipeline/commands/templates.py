"""zhibu templates check|restore: keep the Word templates healthy."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import click
from docxtpl import DocxTemplate

from pipeline.commands.base import Command, Group, open_workspace, workspace_option
from pipeline.errors import ZhibuError
from pipeline.records.types import MEETING_TYPES
from pipeline.render.default_templates import DEFAULT_TEMPLATES, write_default_templates
from pipeline.render.environment import make_environment
from pipeline.render.minutes import MINUTES_VARIABLES, build_context, render_docx, sample_meeting

# Loop variables the default templates define themselves.
LOCAL_NAMES = {"节", "段", "loop"}


@click.group("templates", cls=Group)
@click.option(
    "-w",
    "--workspace",
    "workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="文件夹",
    help="工作区文件夹，对其后的子命令有效。",
)
def command(workspace) -> None:
    """检查或恢复 templates/ 里的 Word 模板。"""


def _meeting_type_for(name: str):
    stem = name.rsplit(".", 1)[0]
    for t in MEETING_TYPES:
        if stem == t.name:
            return t
    return next((t for t in MEETING_TYPES if t.template == name), None)


@command.command("check", cls=Command)
@workspace_option
def check(workspace) -> None:
    """用示例数据试填每个模板，列出未知变量（会导致出错）和未使用的变量。"""
    ws = open_workspace(workspace)
    bad = 0
    templates = sorted(p for p in ws.templates.glob("*.docx") if not p.name.startswith("~$"))
    if not templates:
        click.secho("templates/ 里没有模板。运行 zhibu templates restore 恢复默认模板。", fg="red")
        sys.exit(1)
    for path in templates:
        mtype = _meeting_type_for(path.name)
        click.echo(f"模板「{path.name}」{'（' + mtype.name + '）' if mtype else '（未关联会议类型）'}：")
        try:
            used = DocxTemplate(str(path)).get_undeclared_template_variables(jinja_env=make_environment())
        except Exception as exc:
            bad += 1
            click.secho(f"  无法读取模板：{type(exc).__name__}: {exc}", fg="red")
            continue
        unknown = sorted(set(used) - MINUTES_VARIABLES - LOCAL_NAMES)
        unused = sorted(MINUTES_VARIABLES - set(used))
        if unknown:
            bad += 1
            click.secho(f"  未知变量：{'、'.join(unknown)}（记录中没有这些字段，生成时会出错）", fg="red")
        if unused:
            click.echo(f"  未使用的变量：{'、'.join(unused)}")
        if mtype:
            try:
                m = sample_meeting(0, mtype.name)
                render_docx(
                    path,
                    build_context(m, dict(ws.config["branch"]), "示例学期"),
                    display_name=f"templates/{path.name}",
                )
                click.secho("  试填成功。", fg="green")
            except ZhibuError as err:
                bad += 1
                click.secho(f"  试填失败：{err}", fg="red")
    click.echo(f"检查完毕：{len(templates)} 个模板，{bad} 个有问题。")
    sys.exit(1 if bad else 0)


@command.command("restore", cls=Command)
@workspace_option
def restore(workspace) -> None:
    """恢复默认模板；现有模板先备份到 templates/备份/。"""
    ws = open_workspace(workspace)
    backup = ws.templates / "备份" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in DEFAULT_TEMPLATES:
        if (ws.templates / name).exists():
            backup.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ws.templates / name, backup / name)
    written = write_default_templates(ws.templates, overwrite=True)
    click.echo(
        f"已恢复默认模板：{'、'.join(written)}" + (f"（原模板备份在 {backup}）" if backup.exists() else "")
    )
