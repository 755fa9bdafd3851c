"""The ``zhibu`` command group. Each verb lives in its own module."""

from __future__ import annotations

import logging
import sys

import click

from pipeline.archive.storage import storage_problem
from pipeline.commands.base import CONTEXT_SETTINGS, Group, translate_usage
from pipeline.errors import ZhibuError


@click.group(cls=Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="zhibu", message="zhibu %(version)s", help="显示版本号并退出。")
def cli() -> None:
    """支部文书流水线：把会议笔记和登记表自动整理成规范的会议记录、台账与汇编。

    \b
    常用流程：
      1. 把会议笔记（.txt/.md/.docx）或登记表（.xlsx/.csv）放进 inbox/ 文件夹；
      2. 运行 zhibu run（或一直开着 zhibu watch）；
      3. 到 outbox/ 按 学年/学期/类别 找到生成的会议记录；处理不了的文件在 inbox/失败/，旁边有原因说明。
    """


def _register() -> None:
    from pipeline.commands import check, demo, init, run, templates

    for module in (init, run, demo, check, templates):
        cli.add_command(module.command)
    for name in ("watch", "registers", "batch", "status", "search", "pdf", "render", "doctor"):
        try:
            module = __import__(f"pipeline.commands.{name}", fromlist=["command"])
        except ModuleNotFoundError as exc:
            if exc.name != f"pipeline.commands.{name}":
                raise
            continue
        for command in getattr(module, "commands", [module.command] if hasattr(module, "command") else []):
            cli.add_command(command)


_register()


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
        click.secho(f"用法错误：{translate_usage(exc.format_message())}{hint}", fg="red", err=True)
        code = 2
    except click.Abort:
        click.secho("已中止。", fg="yellow", err=True)
        code = 1
    except ZhibuError as err:
        click.secho(f"错误：{err}", fg="red", err=True)
        code = 2
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except Exception as exc:  # a bug: a Chinese message, the details in the log, never a traceback
        logging.getLogger("zhibu").error("unexpected error", exc_info=True)
        problem = storage_problem(exc)
        if problem is not None:
            click.secho(f"错误：{problem}", fg="red", err=True)
        else:
            click.secho(
                f"错误：程序内部错误（{type(exc).__name__}: {exc}）。\n"
                "处理办法：请把 .zhibu/zhibu.log 发给技术支持人员；收件箱里的文件没有丢失。",
                fg="red",
                err=True,
            )
        code = 3
    sys.exit(code or 0)
