"""Chinese click: click's own messages from a gettext catalogue, Chinese help headings, and the
options every command shares (-w, -q, -v).

click writes its messages (usage errors, "[default: …]") through gettext; the catalogue
``pipeline/locale/zh_CN/LC_MESSAGES/click.po`` (compiled to ``click.mo``) gives the Chinese text
the secretary reads. ``install_catalogue`` points click's modules at it, whatever the
language settings of the PC.
"""

from __future__ import annotations

import gettext
import logging
import sys
from pathlib import Path

import click

from pipeline.archive.health import check_index
from pipeline.errors import ExitCode, ZhibuError
from pipeline.render.limits import apply_render_limits
from pipeline.workspace import Workspace

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def install_catalogue() -> None:
    """Make click speak Chinese: its modules look up ``_`` and ``ngettext`` when they format a
    message, so they are pointed at the Chinese catalogue."""
    catalogue = gettext.translation("click", LOCALE_DIR, languages=["zh_CN"])
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = catalogue.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = catalogue.ngettext


install_catalogue()


class ChineseHelpMixin:
    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx, formatter):
        rows = [r for p in self.get_params(ctx) if (r := p.get_help_record(ctx))]
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
            ctx.exit(int(err.exit_code))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx, formatter):
        pass  # listed by format_options under 命令


def _workspace_default(ctx: click.Context, param, value: Path | None) -> Path:
    """-w after the command wins; else -w before it (``zhibu -w D:\\支部 run``); else the
    current folder."""
    if value is not None:
        return value
    parent = ctx.parent
    while parent is not None:
        if parent.params.get("workspace"):
            return parent.params["workspace"]
        parent = parent.parent
    return Path(".")


def _verbosity(ctx: click.Context, param, value: int) -> int:
    """-q and -v set the console log level; given before or after the command, the last wins."""
    if value:
        state = ctx.find_root().ensure_object(dict)
        level = state.get("level", 0)
        state["level"] = level - value if param.name == "quiet" else level + value
        apply_log_level(state["level"])
    return value


def apply_log_level(level: int) -> None:
    logging.getLogger().setLevel(
        logging.ERROR
        if level < 0
        else logging.WARNING
        if level == 0
        else logging.INFO
        if level == 1
        else logging.DEBUG
    )


def quiet(ctx: click.Context | None = None) -> bool:
    """True when -q was given: no progress bars, only results and errors."""
    ctx = ctx or click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().ensure_object(dict).get("level", 0) < 0)


def verbosity_options(func):
    func = click.option(
        "-v",
        "--verbose",
        "verbose",
        count=True,
        expose_value=False,
        callback=_verbosity,
        help="显示更多过程信息（-vv 更详细）。",
    )(func)
    return click.option(
        "-q",
        "--quiet",
        "quiet",
        count=True,
        expose_value=False,
        callback=_verbosity,
        help="只显示结果和错误，不显示进度。",
    )(func)


def workspace_option(func):
    """-w FOLDER, and -q/-v: the options every command has."""
    func = verbosity_options(func)
    return click.option(
        "-w",
        "--workspace",
        "workspace",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        callback=_workspace_default,
        show_default="当前文件夹",
        metavar="文件夹",
        help="工作区文件夹（含 inbox/、outbox/、zhibu.toml）；也可以写在命令前：zhibu -w 文件夹 命令。",
    )(func)


def open_workspace(path: Path) -> Workspace:
    """The workspace, after checking that its index is usable (else: run zhibu doctor)."""
    ws = Workspace.open(path)
    check_index(ws.index_path, ws.outbox)
    try:
        apply_render_limits(ws.config.render)
    except ZhibuError:  # a broken zhibu.toml is reported by the command that reads it
        pass
    return ws


def fail(err: ZhibuError | str, code: int = ExitCode.WORKSPACE):
    click.secho(f"错误：{err}", fg="red", err=True)
    sys.exit(int(code))
