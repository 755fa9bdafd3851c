"""zhibu run: process everything in the inbox once."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click
from tqdm import tqdm

from pipeline.commands.base import Command, open_workspace, quiet, workspace_option
from pipeline.commands.summary import print_summary
from pipeline.consume import Outcome, Processor
from pipeline.errors import ExitCode
from pipeline.logs import setup_file_log

# A progress bar appears from this many inputs on (fewer are done before it would help).
PROGRESS_FROM = 5


def run_inbox(ws, *, as_json: bool = False) -> list[Outcome]:
    show = not as_json and not quiet()
    with Processor(ws) as processor:
        outcomes = processor.process_all(
            progress=lambda n: tqdm(
                total=n, desc="处理中", unit="个", leave=False, disable=not show or n < PROGRESS_FROM
            )
        )
        if as_json:
            report = {"recovered": processor.recovered, "inputs": [asdict(o) for o in outcomes]}
            click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            print_summary(outcomes, recovered=processor.recovered, waiting=processor.waiting)
        if processor.stopped:  # a full or read-only disk: say so last, exit with an error
            raise processor.stopped
    notice = ws.config.branch_notice()
    if notice and not as_json:
        click.secho(notice, fg="yellow")
    return outcomes


def exit_code(outcomes: list[Outcome]) -> int:
    failed = any(o.status in ("failed", "partial", "retry") for o in outcomes)
    return ExitCode.INPUT_FAILED if failed else ExitCode.OK


@click.command("run", cls=Command)
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出处理结果（供其他程序读取）。")
def command(workspace, as_json: bool) -> None:
    """处理收件箱（inbox/）里的全部文件一次，并打印处理结果。

    \b
    退出码：0 全部成功；1 有文件处理失败（在 inbox/失败/，旁边有原因说明）；
    2 命令写错；3 工作区、配置或环境有问题（如 zhibu.toml 写错、磁盘已满）。
    """
    ws = open_workspace(workspace)
    setup_file_log(ws)
    sys.exit(int(exit_code(run_inbox(ws, as_json=as_json))))
