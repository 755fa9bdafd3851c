"""zhibu serve: the web workbench in the browser, with the inbox watched in the same process."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.commands.base import Command, verbosity_options
from pipeline.errors import CommandLineError


def _workspaces(ctx: click.Context, param, value: tuple[Path, ...]) -> list[Path]:
    """-w given after the command (any number of times); else -w before it; else the current folder."""
    if value:
        return list(dict.fromkeys(p.resolve() for p in value))
    parent = ctx.parent
    while parent is not None:
        if parent.params.get("workspace"):
            return [Path(parent.params["workspace"]).resolve()]
        parent = parent.parent
    return [Path(".").resolve()]


@click.command("serve", cls=Command)
@verbosity_options
@click.option(
    "-w",
    "--workspace",
    "workspaces",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    callback=_workspaces,
    metavar="文件夹",
    help="工作区文件夹，可以写多次（党总支、组织员同时查看几个支部：-w 支部甲 -w 支部乙）。默认：当前文件夹。",
)
@click.option(
    "--port",
    default=8700,
    show_default=True,
    type=click.IntRange(1, 65535),
    metavar="端口",
    help="网页使用的端口。",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="地址",
    help="监听的地址。默认只有本机能打开；写 0.0.0.0 让局域网里的其他电脑访问（必须先设置口令）。",
)
@click.option("--no-browser", is_flag=True, help="启动后不自动打开浏览器。")
@click.option(
    "--set-password",
    is_flag=True,
    help="设置局域网访问的登录口令（加密保存在 zhibu.toml 的 [web]），然后退出。",
)
def command(workspaces: list[Path], port: int, host: str, no_browser: bool, set_password: bool) -> None:
    """打开网页工作台：在浏览器里上传笔记、查看进度和文档、搜索、生成学期材料、修改设置。

    \b
    启动后同时自动处理收件箱（和 zhibu watch 一样），按 Ctrl-C 停止。
    默认只有本机能打开（http://127.0.0.1:8700/）。
    """
    if set_password:
        _set_password(workspaces[0])
        return
    if not host.strip():
        raise CommandLineError("--host 不能为空", hint="默认 127.0.0.1；局域网访问写 0.0.0.0。")
    from pipeline.web.server import serve

    serve(workspaces, host=host.strip(), port=port, open_browser=not no_browser, echo=click.echo)


def _set_password(root: Path) -> None:
    from pipeline.web import backend
    from pipeline.web.security import hash_password

    ws = backend.open_workspace(root)
    password = click.prompt(
        "请输入新口令（至少 8 个字符，输入时不显示）", hide_input=True, confirmation_prompt="请再输入一次"
    )
    if len(password) < 8:
        raise CommandLineError(
            "口令太短", hint="请用至少 8 个字符的口令，再运行一次 zhibu serve --set-password。"
        )
    backend.set_password_hash(ws, hash_password(password))
    click.echo(
        f"口令已加密保存到 {ws.config_path.name} 的 [web] 一节。现在可以用 --host 让局域网里的电脑访问。"
    )
