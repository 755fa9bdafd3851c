"""zhibu forms and zhibu profile: the blank registers, and the 党组织简介 from the roster."""

from __future__ import annotations

import sys

import click

from pipeline.archive.files import atomic_write_bytes
from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.records.registers import Member
from pipeline.registers.forms import write_forms
from pipeline.registers.profile import branch_profile, profile_docx, profile_path
from pipeline.store import Store


@click.command("forms", cls=Command)
@workspace_option
@click.option("--force", is_flag=True, help="覆盖 表格模板/ 里已有的同名表格。")
def forms(workspace, force: bool) -> None:
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


def _active_members(ws) -> list[Member] | None:
    """The active roster, read-only; None when nothing was imported yet."""
    store = Store.open_read_only(ws.index_path)
    if store is None:
        return None
    with store:
        return store.active_roster() or None


@click.command("profile", cls=Command)
@workspace_option
@click.option("--docx", "as_docx", is_flag=True, help="同时生成 Word 文档 outbox/党组织简介.docx。")
def profile(workspace, as_docx: bool) -> None:
    """根据当前党员名册生成“党组织简介”（党员人数、支委、职称、学历、荣誉）。"""
    ws = open_workspace(workspace)
    members = _active_members(ws)
    if not members:
        click.secho(
            "还没有导入党员名册：请把党员名册（.xlsx）放进 inbox/ 并运行 zhibu run，再生成简介。",
            fg="red",
            err=True,
        )
        sys.exit(1)
    cfg = ws.config
    text = branch_profile(members, cfg.committee, cfg.branch_name)
    click.echo(text)
    if as_docx:
        target = profile_path(ws.outbox)
        atomic_write_bytes(target, profile_docx(text, cfg.branch_name))
        click.echo(f"已生成 {target.relative_to(ws.root).as_posix()}")


commands = [forms, profile]
