"""The ``zhibu`` command group. Each verb lives in its own module."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from pipeline.commands import (
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
from pipeline.errors import ExitCode, ZhibuError
from pipeline.fs.storage import storage_problem


@click.group(cls=Group, context_settings=CONTEXT_SETTINGS)
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
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):  # replaced by a test runner or not a text stream
            pass


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    _safe_console()
    try:
        code = cli.main(args=argv, prog_name="zhibu", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # pragma: no cover - click >= 8.2
        click.echo(exc.ctx.get_help())
        code = 0
    except click.UsageError as exc:
        hint = f"\n运行 {exc.ctx.command_path} --help 查看用法。" if exc.ctx else ""
        click.secho(f"用法错误：{exc.format_message()}{hint}", fg="red", err=True)
        code = ExitCode.USAGE
    except click.Abort:
        click.secho("已中止。", fg="yellow", err=True)
        code = ExitCode.INTERRUPTED
    except ZhibuError as err:
        click.secho(f"错误：{err}", fg="red", err=True)
        code = err.exit_code
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except Exception as exc:  # a bug: a Chinese message, the details in the log, never a traceback
        logging.getLogger("zhibu").error("unexpected error", exc_info=True)
        problem = storage_problem(exc)
        if problem is not None:
            click.secho(f"错误：{problem}", fg="red", err=True)
            code = problem.exit_code
        else:
            click.secho(
                f"错误：程序内部错误（{type(exc).__name__}: {exc}）。\n"
                "处理办法：请把 .zhibu/zhibu.log 发给技术支持人员；收件箱里的文件没有丢失。",
                fg="red",
                err=True,
            )
            code = ExitCode.WORKSPACE
    sys.exit(int(code or 0))
