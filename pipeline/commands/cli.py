"""The ``zhibu`` command group. Each verb lives in its own module; this one maps the way every
command ends to its exit code, in one place (``ended_by``)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from pipeline import logs
from pipeline.commands import (
    assess,
    batch,
    check,
    demo,
    doctor,
    forms,
    init,
    pdf,
    profile,
    render,
    run,
    search,
    serve,
    status,
    templates,
    watch,
)
from pipeline.commands.base import CONTEXT_SETTINGS, Group, verbosity_options
from pipeline.errors import ExitCode, Interrupted, ZhibuError
from pipeline.fs.storage import storage_problem

log = logging.getLogger("zhibu")


def ended_by(exc: BaseException) -> int:
    """Say why a command stopped, in Chinese and without a traceback; return its exit code."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):  # click >= 8.2: `zhibu` alone
        click.echo(exc.ctx.get_help())
        return ExitCode.OK
    if isinstance(exc, click.UsageError):
        hint = f"\n运行 {exc.ctx.command_path} --help 查看用法。" if exc.ctx else ""
        click.secho(f"用法错误：{exc.format_message()}{hint}", fg="red", err=True)
        return ExitCode.USAGE
    if isinstance(exc, click.Abort):  # Ctrl-C while a command ran (click turns it into Abort)
        click.secho("已中止。", fg="yellow", err=True)
        return ExitCode.INTERRUPTED
    if isinstance(exc, click.exceptions.Exit):
        return exc.exit_code
    if isinstance(exc, Interrupted):
        click.secho(str(exc), fg="yellow", err=True)
        return exc.exit_code
    if isinstance(exc, ZhibuError):
        click.secho(f"错误：{exc}", fg="red", err=True)
        return exc.exit_code
    if not isinstance(exc, Exception):
        raise exc  # SystemExit and the like: not a command's end to report
    log.error("内部错误", exc_info=exc)
    if (problem := storage_problem(exc)) is not None:
        click.secho(f"错误：{problem}", fg="red", err=True)
        return problem.exit_code
    click.secho(
        f"错误：程序内部错误（{type(exc).__name__}: {exc}）。\n"
        "处理办法：请把 .zhibu/zhibu.log 发给技术支持人员；收件箱里的文件没有丢失。",
        fg="red",
        err=True,
    )
    return ExitCode.WORKSPACE


class Cli(Group):
    """The root group: each command returns its exit code or raises; ``main`` ends the process
    with that code (or returns it, ``standalone_mode=False``)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        logs.configure(0)  # -q/-v, parsed next, change it
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except BaseException as exc:
            code = ended_by(exc)
        if not standalone_mode:
            return int(code or 0)
        sys.exit(int(code or 0))


@click.group(cls=Cli, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="zhibu", message="zhibu %(version)s", help="显示版本号并退出。")
@click.option(
    "-w",
    "--workspace",
    "workspace",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="文件夹",
    help="工作区文件夹，对其后的命令都有效（像 git -C）。",
)
@verbosity_options
def cli(workspace: Path | None) -> None:
    """支部文书流水线：把会议笔记和登记表自动整理成规范的会议记录、台账与汇编。

    \b
    常用流程：
      1. 把会议笔记（.txt/.md/.docx）或登记表（.xlsx/.csv）放进 inbox/ 文件夹；
      2. 运行 zhibu run（或一直开着 zhibu watch）；
      3. 到 outbox/ 按 学年/学期/类别 找到生成的会议记录；处理不了的文件在 inbox/失败/，旁边有原因说明。
    """


for _module in (
    init,
    run,
    watch,
    check,
    demo,
    templates,
    batch,
    assess,
    status,
    search,
    pdf,
    forms,
    profile,
    render,
    doctor,
    serve,
):
    for _command in getattr(_module, "commands", None) or [_module.command]:
        cli.add_command(_command)


def _safe_console() -> None:
    """Printing a name that is not valid text (GBK bytes on Linux) must never fail."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue  # replaced by a test runner, or not a text stream
        try:
            reconfigure(errors="replace")
        except ValueError:
            pass


def main(argv: list[str] | None = None) -> None:
    _safe_console()
    cli.main(args=argv, prog_name="zhibu")
