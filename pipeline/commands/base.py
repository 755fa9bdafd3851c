"""Chinese click: help headings, the help option, and translated usage errors.

click's own strings are English; the secretary reads only Chinese, so the command classes
here write their help with Chinese headings and ``main`` translates click's usage errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.archive.health import check_index
from pipeline.errors import ZhibuError
from pipeline.workspace import Workspace

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ChineseHelpMixin:
    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx, formatter):
        rows = [
            (a, _zh_help(b)) for p in self.get_params(ctx) if (r := p.get_help_record(ctx)) for a, b in [r]
        ]
        _section(formatter, "选项", rows)
        if isinstance(self, click.Group):
            commands = [(n, self.get_command(ctx, n)) for n in self.list_commands(ctx)]
            _section(
                formatter,
                "命令",
                [(n, c.get_short_help_str(limit=60)) for n, c in commands if c and not c.hidden],
            )

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出。"
        return option


def _section(formatter, title: str, rows) -> None:
    if rows:
        formatter.write_paragraph()
        formatter.write_text(f"{title}：")
        with formatter.indentation():
            formatter.write_dl(rows)


def _zh_help(text: str) -> str:
    return (
        text.replace("[default: ", "[默认：")
        .replace("default: ", "默认：")
        .replace("[required]", "[必填]")
        .replace("; required", "；必填")
    )


class Command(ChineseHelpMixin, click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(ChineseHelpMixin, click.Group):
    command_class = Command

    def invoke(self, ctx):
        # zhibu's own errors are for the secretary: one Chinese message, no traceback.
        try:
            return super().invoke(ctx)
        except ZhibuError as err:
            click.secho(f"错误：{err}", fg="red", err=True)
            ctx.exit(2)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx, formatter):
        pass  # listed by format_options under 命令


def workspace_option(func):
    return click.option(
        "-w",
        "--workspace",
        "workspace",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default="当前文件夹",
        metavar="文件夹",
        help="工作区文件夹（含 inbox/、outbox/、zhibu.toml）。",
    )(func)


def open_workspace(path: Path) -> Workspace:
    """The workspace, after checking that its index is usable (else: run zhibu doctor)."""
    ws = Workspace.open(path)
    check_index(ws.index_path, ws.outbox)
    return ws


def fail(err: ZhibuError | str, code: int = 2):
    click.secho(f"错误：{err}", fg="red", err=True)
    sys.exit(code)


USAGE_TRANSLATIONS = (
    ("No such option", "没有这个选项"),
    ("No such command", "没有这个命令"),
    ("Missing argument", "缺少参数"),
    ("Missing option", "缺少选项"),
    ("Invalid value for", "参数值无效："),
    ("does not exist", "不存在"),
    ("requires an argument", "需要一个值"),
    ("Got unexpected extra argument", "多余的参数"),
    ("Got unexpected extra arguments", "多余的参数"),
    ("is not a valid integer", "不是有效的整数"),
    ("is not a valid float", "不是有效的数字"),
    ("is not one of", "不是以下之一："),
    ("Directory", "文件夹"),
    ("File", "文件"),
    ("Path", "路径"),
    ("Did you mean", "你是否想输入"),
)


def translate_usage(message: str) -> str:
    for en, zh in USAGE_TRANSLATIONS:
        message = message.replace(en, zh)
    return message
