"""zhibu templates check|restore|learn: keep the Word templates healthy, learn the school's own."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import click
from docxtpl import DocxTemplate

from pipeline.commands.base import Command, Group, open_workspace, workspace_option
from pipeline.errors import ZhibuError
from pipeline.fs.files import atomic_write_bytes
from pipeline.learn import learn_template
from pipeline.records.types import MEETING_TYPES
from pipeline.render.default_templates import DEFAULT_TEMPLATES, OPTIONAL_VARIABLES, write_default_templates
from pipeline.render.development_templates import ROW_NAMES as DEVELOPMENT_ROW_NAMES
from pipeline.render.development_templates import VARIABLES as DEVELOPMENT_VARIABLES
from pipeline.render.environment import make_environment
from pipeline.render.minutes import MINUTES_VARIABLES, build_context, render_docx, sample_meeting

# Loop variables the default templates define themselves.
LOCAL_NAMES = {"节", "段", "项", "末节", "loop"}


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
    """检查、恢复 templates/ 里的 Word 模板，或从本校格式的会议记录学出模板。"""


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
    templates = sorted(p for p in ws.templates.glob("*.docx") if not p.name.startswith("~$"))
    if not templates:
        click.secho("templates/ 里没有模板。运行 zhibu templates restore 恢复默认模板。", fg="red")
        sys.exit(1)
    bad = sum(not check_template(ws, path) for path in templates)
    click.echo(f"检查完毕：{len(templates)} 个模板，{bad} 个有问题。")
    sys.exit(1 if bad else 0)


def check_template(ws, path: Path, *, show_unused: bool = True) -> bool:
    """Print the check of one template; True when it has no problem."""
    mtype = _meeting_type_for(path.name)
    click.echo(f"模板「{path.name}」{'（' + mtype.name + '）' if mtype else '（未关联会议类型）'}：")
    try:
        used = DocxTemplate(str(path)).get_undeclared_template_variables(jinja_env=make_environment())
    except Exception as exc:
        click.secho(f"  无法读取模板：{type(exc).__name__}: {exc}", fg="red")
        return False
    ok = True
    known = DEVELOPMENT_VARIABLES.get(path.name, MINUTES_VARIABLES)
    unknown = sorted(set(used) - known - LOCAL_NAMES - DEVELOPMENT_ROW_NAMES - OPTIONAL_VARIABLES)
    unused = sorted(known - set(used))
    if unknown:
        ok = False
        click.secho(f"  未知变量：{'、'.join(unknown)}（记录中没有这些字段，生成时会出错）", fg="red")
    if unused and show_unused:
        click.echo(f"  未使用的变量：{'、'.join(unused)}")
    if mtype:
        try:
            m = sample_meeting(0, mtype.name)
            render_docx(
                path,
                build_context(m, ws.config.branch, "示例学期"),
                display_name=f"templates/{path.name}",
            )
            click.secho("  试填成功。", fg="green")
        except ZhibuError as err:
            ok = False
            click.secho(f"  试填失败：{err}", fg="red")
    return ok


@command.command("learn", cls=Command)
@click.argument("record", metavar="会议记录.docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "type_name",
    metavar="会议类型",
    help="这份格式用于哪类会议（如 支委会、党课）；不写时从文件标题或文件名判断。",
)
@workspace_option
def learn(record: Path, type_name: str | None, workspace) -> None:
    """从一份填好的会议记录（学校规定的格式）学出模板：字体、边框、页眉页脚、徽标都保留，
    填写的内容换成变量，存为 templates/<会议类型>.docx；以后这类会议都按这个格式生成。"""
    ws = open_workspace(workspace)
    learned = learn_template(record, type_name, ws.config.branch.name)
    show_learn_report(record.name, learned)
    target = ws.templates / f"{learned.meeting_type.name}.docx"
    backup = None
    if target.exists():
        backup = ws.templates / "备份" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, backup / target.name)
    atomic_write_bytes(target, learned.data)
    click.echo(
        f"已生成模板 templates/{target.name}" + (f"（原模板备份在 {backup}）" if backup else "") + "。"
    )
    if not check_template(ws, target, show_unused=False):
        click.secho("模板试填没有通过，请按上面的提示修改，或删除这个模板改用默认模板。", fg="red")
        sys.exit(1)
    click.echo(f"以后「{learned.meeting_type.name}」的会议笔记都会按这个格式生成会议记录。")


def show_learn_report(name: str, learned) -> None:
    report = learned.report
    click.echo(f"从「{name}」学到的格式（{learned.meeting_type.name}）：")
    click.echo("  填写内容 → 变量：")
    for variable, where in report.mapped:
        click.echo(f"    {variable:　<5} ← {where}")
    if report.cleared:
        click.echo("  清空的位置：")
        for label, where in report.cleared:
            click.echo(f"    {label} ← {where}")
    if report.fixed:
        click.echo("  原样保留的文字（每份记录都一样）：")
        for text, where in report.fixed:
            click.echo(f"    「{text}」 {where}")
    missing = learned.missing()
    if missing:
        click.secho(
            f"  注意：这个格式里没有放以下内容的位置，生成的记录中不会出现：{'、'.join(missing)}", fg="yellow"
        )


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
