"""zhibu run: process everything in the inbox once."""

from __future__ import annotations

import sys

import click

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.commands.summary import print_summary
from pipeline.consume import Processor
from pipeline.logs import setup_file_log


def run_inbox(ws) -> list:
    with Processor(ws) as processor:
        outcomes = processor.process_all()
        print_summary(outcomes, recovered=processor.recovered, waiting=processor.waiting)
        if processor.stopped:  # a full or read-only disk: say so last, exit with an error
            raise processor.stopped
    return outcomes


@click.command("run", cls=Command)
@workspace_option
def command(workspace) -> None:
    """处理收件箱（inbox/）里的全部文件一次，并打印处理结果。

    有文件处理失败时退出码为 1（失败的文件在 inbox/失败/，旁边有原因说明）。
    """
    ws = open_workspace(workspace)
    setup_file_log(ws)
    outcomes = run_inbox(ws)
    sys.exit(1 if any(o.status in ("failed", "partial", "retry") for o in outcomes) else 0)
