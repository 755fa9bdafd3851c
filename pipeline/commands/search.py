"""zhibu search: full-text search over the archived documents."""

from __future__ import annotations

import json

import click

from pipeline import api
from pipeline.commands.base import Command, workspace_option
from pipeline.errors import ExitCode
from pipeline.inbox import printable
from pipeline.term.search import MARK_CLOSE, MARK_OPEN


def _as_typed(value: str | None) -> str | None:
    """A word of the command line as text: bytes that are not UTF-8 (a GBK console on Linux) are
    read as GBK, and the secretary is told so."""
    if value is None:
        return None
    read = printable(value)
    if read != value:
        click.secho(
            f"提醒：输入的「{read}」不是 UTF-8 编码的文字，已按 GBK 编码读取。", fg="yellow", err=True
        )
    return read


def _highlight(text: str) -> str:
    out, rest = [], text
    while MARK_OPEN in rest and MARK_CLOSE in rest:
        before, _, tail = rest.partition(MARK_OPEN)
        word, _, rest = tail.partition(MARK_CLOSE)
        out += [before, click.style(f"{MARK_OPEN}{word}{MARK_CLOSE}", fg="red", bold=True)]
    return "".join(out) + rest


@click.command("search", cls=Command)
@workspace_option
@click.argument("words", nargs=-1, required=True, metavar="关键词...")
@click.option("--type", "type_name", metavar="类型", help="只搜某类会议，例如 支委会。")
@click.option("--term", "term_id", metavar="学期", help="只搜某个学期，例如 2024-2025-1。")
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 1000),
    metavar="条数",
    help="最多显示多少条。",
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出。")
def command(
    workspace, words: tuple[str, ...], type_name: str | None, term_id: str | None, limit: int, as_json: bool
) -> ExitCode:
    """在已归档的会议记录中全文搜索关键词（多个关键词须同时出现），按日期从新到旧列出。

    \b
    例如：zhibu search 三中全会
          zhibu search 发展对象 --type 支委会
    """
    words = tuple(w for w in map(_as_typed, words) if w is not None)
    type_name, term_id = _as_typed(type_name), _as_typed(term_id)
    report = api.search(workspace, words, meeting_type=type_name, term=term_id, limit=limit)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return ExitCode.OK
    if not report.hits:
        click.echo(f"没有找到包含「{report.query}」的文档。")
        return ExitCode.OK
    more = f"（只显示前 {limit} 条，可用 --limit 调整）" if len(report.hits) == limit else ""
    click.echo(f"找到 {len(report.hits)} 份包含「{report.query}」的文档{more}：")
    for n, h in enumerate(report.hits, 1):
        click.echo(f"{n}. {h.date}  {h.type}  {h.title}")
        click.echo(f"   {h.path}")
        click.echo(f"   {_highlight(h.snippet)}")
    return ExitCode.OK
