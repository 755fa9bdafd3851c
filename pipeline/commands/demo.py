"""zhibu demo: copy the bundled sample inputs into the inbox and run the pipeline."""

from __future__ import annotations

import shutil
import sys
from importlib import resources

import click

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.commands.run import run_inbox
from pipeline.config import DEFAULT_CONFIG_TEXT, demo_config_text
from pipeline.fs.files import atomic_write_bytes
from pipeline.logs import setup_file_log


def use_demo_branch(ws) -> bool:
    """A workspace whose zhibu.toml is still the untouched default gets the demo's sample
    branch (its own config); a configured workspace keeps its own branch."""
    try:
        text = ws.config_path.read_text(encoding="utf-8-sig")
    except OSError:
        return False
    if text.replace("\r\n", "\n") != DEFAULT_CONFIG_TEXT:
        return False
    atomic_write_bytes(ws.config_path, demo_config_text().encode("utf-8"))
    ws.__dict__.pop("config", None)  # re-read on next use
    return True


def copy_samples(ws) -> list[str]:
    copied = []
    samples = resources.files("pipeline") / "samples"
    for entry in sorted(samples.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("_", ".")) or entry.name.endswith(".py"):
            continue
        _copy(entry, ws.inbox / entry.name, copied, ws)
    return copied


def _copy(entry, target, copied, ws) -> None:
    if entry.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for child in sorted(entry.iterdir(), key=lambda e: e.name):
            _copy(child, target / child.name, copied, ws)
        return
    with resources.as_file(entry) as src:
        shutil.copyfile(src, target)
    copied.append(target.relative_to(ws.root).as_posix())


@click.command("demo", cls=Command)
@workspace_option
def command(workspace) -> None:
    """演示：把自带的示例笔记和登记表放进收件箱，然后运行一次 zhibu run。"""
    ws = open_workspace(workspace)
    setup_file_log(ws)
    if use_demo_branch(ws):
        click.echo(f"已在 {ws.config_path.name} 中填入示例支部（汽车运用工程系党支部）的名称和支委名单。")
    copied = copy_samples(ws)
    click.echo(f"已放入 {len(copied)} 个示例文件到 {ws.inbox}。")
    outcomes = run_inbox(ws)
    click.echo(f"请到 {ws.outbox} 查看生成的会议记录。")
    sys.exit(1 if any(o.status == "failed" and not o.name.startswith("示例-错误") for o in outcomes) else 0)
