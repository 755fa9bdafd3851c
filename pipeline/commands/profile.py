"""zhibu profile: the 党组织简介, stated from the active roster."""

from __future__ import annotations

import sys

import click

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.errors import ExitCode
from pipeline.fs.files import atomic_write_bytes
from pipeline.records.register_rows import Member
from pipeline.registers.profile import branch_profile, profile_docx, profile_path
from pipeline.store import Store


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
def command(workspace, as_docx: bool) -> None:
    """根据当前党员名册生成“党组织简介”（党员人数、支委、职称、学历、荣誉）。"""
    ws = open_workspace(workspace)
    members = _active_members(ws)
    if not members:
        click.secho(
            "还没有导入党员名册：请把党员名册（.xlsx）放进 inbox/ 并运行 zhibu run，再生成简介。",
            fg="red",
            err=True,
        )
        sys.exit(int(ExitCode.INPUT_FAILED))
    cfg = ws.config
    text = branch_profile(members, cfg.committee, cfg.branch_name)
    click.echo(text)
    if as_docx:
        target = profile_path(ws.outbox)
        atomic_write_bytes(target, profile_docx(text, cfg.branch_name))
        click.echo(f"已生成 {target.relative_to(ws.root).as_posix()}")
