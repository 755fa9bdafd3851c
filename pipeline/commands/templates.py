"""zhibu templates check|restore|learn: keep the Word templates healthy, learn the school's own."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import api
from pipeline.commands.base import Command, Group, workspace_option
from pipeline.errors import ExitCode
from pipeline.render.template_check import TemplateCheck


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


@command.command("check", cls=Command)
@workspace_option
def check(workspace) -> ExitCode:
    """用示例数据试填每个模板，列出未知变量（会导致出错）和未使用的变量。"""
    report = api.templates_check(workspace)
    if not report.checks:
        click.secho("templates/ 里没有模板。运行 zhibu templates restore 恢复默认模板。", fg="red")
        return report.exit_code
    for c in report.checks:
        show_check(c)
    bad = sum(not c.ok for c in report.checks)
    click.echo(f"检查完毕：{len(report.checks)} 个模板，{bad} 个有问题。")
    return report.exit_code


def show_check(c: TemplateCheck, *, show_unused: bool = True) -> None:
    """The check of one template, as the secretary reads it."""
    click.echo(
        f"模板「{c.name}」{'（' + c.meeting_type + '）' if c.meeting_type else '（未关联会议类型）'}："
    )
    if c.unreadable:
        click.secho(f"  无法读取模板：{c.unreadable}", fg="red")
        return
    if c.unknown:
        click.secho(f"  未知变量：{'、'.join(c.unknown)}（记录中没有这些字段，生成时会出错）", fg="red")
    if c.unused and show_unused:
        click.echo(f"  未使用的变量：{'、'.join(c.unused)}")
    if c.tried and c.error:
        click.secho(f"  试填失败：{c.error}", fg="red")
    elif c.tried:
        click.secho("  试填成功。", fg="green")


@command.command("learn", cls=Command)
@click.argument("record", metavar="会议记录.docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "type_name",
    metavar="会议类型",
    help="这份格式用于哪类会议（如 支委会、党课）；不写时从文件标题或文件名判断。",
)
@workspace_option
def learn(record: Path, type_name: str | None, workspace) -> ExitCode:
    """从一份填好的会议记录（学校规定的格式）学出模板：字体、边框、页眉页脚、徽标都保留，
    填写的内容换成变量，存为 templates/<会议类型>.docx；以后这类会议都按这个格式生成。"""
    report = api.templates_learn(workspace, record, type_name)
    show_learn_report(record.name, report.learned)
    backup = f"（原模板备份在 {report.backup}）" if report.backup else ""
    click.echo(f"已生成模板 {report.template}{backup}。")
    show_check(report.check, show_unused=False)
    if not report.check.ok:
        click.secho("模板试填没有通过，请按上面的提示修改，或删除这个模板改用默认模板。", fg="red")
        return report.exit_code
    click.echo(f"以后「{report.learned.meeting_type.name}」的会议笔记都会按这个格式生成会议记录。")
    return ExitCode.OK


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
def restore(workspace) -> ExitCode:
    """恢复默认模板；现有模板先备份到 templates/备份/。"""
    report = api.templates_restore(workspace)
    backup = f"（原模板备份在 {report.backup}）" if report.backup else ""
    click.echo(f"已恢复默认模板：{'、'.join(report.written)}{backup}")
    return ExitCode.OK
