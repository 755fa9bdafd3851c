"""Chinese click: click's own messages from a gettext catalogue, Chinese help headings, and the
options every command shares (-w, -q, -v; --date for the term commands).

click writes its messages (usage errors, "[default: …]") through gettext; the catalogue
``pipeline/locale/zh_CN/LC_MESSAGES/click.po`` (compiled to ``click.mo``) gives the Chinese text
the secretary reads. ``install_catalogue`` points click's modules at it, whatever the
language settings of the PC.
"""

from __future__ import annotations

import datetime as dt
import gettext
from pathlib import Path

import click
from tqdm import tqdm

from pipeline import logs
from pipeline.errors import CommandLineError, ZhibuError
from pipeline.ingest.dates import parse_date

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
            setattr(module, "_", catalogue.gettext)  # noqa: B010 - click's own name for it
        if hasattr(module, "ngettext"):
            setattr(module, "ngettext", catalogue.ngettext)  # noqa: B010


install_catalogue()


class ChineseHelpMixin(click.Command):
    """Help in Chinese: 用法, 选项, 命令 (a base of both Command and Group)."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [r for p in self.get_params(ctx) if (r := p.get_help_record(ctx))]
        _section(formatter, "选项", rows)
        if isinstance(self, click.Group):
            commands = [(n, self.get_command(ctx, n)) for n in self.list_commands(ctx)]
            _section(
                formatter,
                "命令",
                [(n, c.get_short_help_str(limit=60)) for n, c in commands if c and not c.hidden],
            )

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
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
    """-q and -v set what of the log the console shows (``pipeline.logs``); given before or after
    the command, they add up."""
    if value:
        state = ctx.find_root().ensure_object(dict)
        level = state.get("level", 0)
        state["level"] = level - value if param.name == "quiet" else level + value
        logs.configure(state["level"])
    return value


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


date_option = click.option(
    "--date",
    "day",
    metavar="日期",
    help="把这一天当作“今天”来判断哪些周期已结束，例如 2024-10-20（默认：今天）。",
)


as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="日期",
    help="文档的落款日期和统计截至日期，例如 2025-01-20（默认：学期已结束时为学期最后一天，否则为今天）。",
)


def parse_day(text: str | None, option: str = "--date") -> dt.date | None:
    """The --date (or ``option``) value as a day (None: today)."""
    if not text:
        return None
    try:
        return parse_date(text)
    except ZhibuError as err:
        raise CommandLineError(
            f"{option} 的日期「{text}」无法识别（{err.message}）", hint="请写成 2024-10-20。"
        ) from None


class ProgressBar:
    """A progress bar on the console fed by the API's ``progress(done, total, what)``: shown from
    ``least`` items on, never with -q (or ``show`` False: --json); ``tty_only``: only on a terminal."""

    def __init__(self, label: str, unit: str, *, least: int = 2, show: bool = True, tty_only: bool = False):
        self.label, self.unit, self.least, self.tty_only = label, unit, least, tty_only
        self.show = show and not quiet()
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.bar is None:
            if not self.show or total < self.least:
                return
            disable = None if self.tty_only else False  # None: a bar on a terminal, nothing in a pipe
            self.bar = tqdm(total=total, desc=self.label, unit=self.unit, leave=False, disable=disable)
        if self.bar is None:
            return
        if what and self.tty_only:
            self.bar.set_postfix_str(what)
        self.bar.update(done - self.bar.n)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()
