"""``zhibu serve``: the watcher of every workspace and the web pages, in one process.

Each workspace's watcher runs in its own thread (the filing session and Watcher of ``zhibu watch``,
holding the workspace lock); uvicorn serves the pages on the main thread and stops on Ctrl-C,
after which every watcher finishes the file at hand and releases its lock.
"""

from __future__ import annotations

import functools
import logging
import socket
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from pipeline.web import backend
from pipeline.web.app import create_app
from pipeline.web.base import Branch, WebState
from pipeline.web.security import is_loopback, valid_hash
from pipeline.web.watching import WatchSession

log = logging.getLogger("zhibu.web")


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound now so that a busy port is reported before anything starts."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        raise backend.Error(
            f"无法在 {host} 的 {port} 端口启动网页工作台（{exc.strerror or exc}）",
            hint=f"可能已经有一个 zhibu serve 在运行（请直接在浏览器打开 http://127.0.0.1:{port}/），"
            "或者换一个端口：zhibu serve --port 8701。",
        ) from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _start_watchers(branches: list[Branch], echo: Callable[[str], None]) -> None:
    several = len(branches) > 1
    for b in branches:
        prefix = f"[{b.name}] " if several else ""

        def say(line: str, p: str = prefix) -> None:
            echo(p + line)

        run = functools.partial(backend.watch, b.root, b.record, say)
        b.watch = WatchSession(b.name, run)
        if b.watch.start():
            continue
        problem = b.watch.error
        b.watch = None
        if problem:
            raise backend.Error(problem)
        message = f"工作区「{b.name}」已经有另一个 zhibu 程序（zhibu watch、zhibu run 或 zhibu serve）在运行"
        if not several:
            raise backend.Error(
                message + "，本次没有启动网页工作台",
                hint="同一个工作区只需要开一个；请找到已经打开的那个窗口继续使用，或等 zhibu run 结束后再启动。",
            )
        echo(f"注意：{message}，这个工作区在网页上只能查看，不能上传或修改。")


def _warm(branch: Branch) -> None:
    try:
        backend.snapshot(branch.workspace())
    except Exception:  # the page that needs it reports the problem
        log.info("could not read the index of %s ahead", branch.root, exc_info=True)


def _stop_watchers(branches: list[Branch]) -> None:
    for b in branches:
        if b.watch is not None:
            b.watch.stop()


def _route_server_logs() -> None:
    """uvicorn's own messages go to the support log, never to the secretary's console."""
    zhibu = logging.getLogger("zhibu")
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers = list(zhibu.handlers)
        logger.propagate = False


def serve(
    roots: list[Path], *, host: str, port: int, open_browser: bool, echo: Callable[[str], None]
) -> None:
    branches = [Branch(str(i), root) for i, root in enumerate(roots, start=1)]
    for b in branches:
        b.workspace()  # not a workspace, a damaged index, a broken zhibu.toml: said before starting
    password_hash, limit = backend.web_settings(branches[0].workspace())
    lan = not is_loopback(host)
    if lan and not valid_hash(password_hash):
        raise backend.Error(
            f"要让其他电脑访问（--host {host}），必须先设置登录口令",
            hint="运行 zhibu serve --set-password 设置口令（加密保存在 zhibu.toml 的 [web] 里），然后再启动。",
        )
    sock = listening_socket(host, port)
    _start_watchers(branches, echo)
    for b in branches:  # read once before the browser opens: the first 首页 then answers at once
        _warm(b)
    state = WebState(branches, port=port, lan=lan, password_hash=password_hash, upload_limit=limit)
    _route_server_logs()
    config = uvicorn.Config(create_app(state), log_config=None, access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    url = f"http://{'127.0.0.1' if not lan else host}:{port}/"
    threading.Thread(target=_announce, args=(server, url, lan, open_browser, echo), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the Ctrl-C again once it has stopped: the normal end
        pass
    finally:
        echo("正在停止：收件箱里正在处理的文件会先处理完……")
        _stop_watchers(branches)
        sock.close()
        echo("网页工作台已停止。")


def _announce(server: uvicorn.Server, url: str, lan: bool, open_browser: bool, echo) -> None:
    while not server.started and not server.should_exit:
        time.sleep(0.05)
    if server.should_exit:
        return
    echo(f"网页工作台已启动：{url}")
    if lan:
        echo("  其他电脑用这台电脑的 IP 地址访问（需要输入口令）。")
    echo("  收件箱同时在自动处理放进来的文件。关闭这个窗口或按 Ctrl-C 停止。")
    if open_browser:
        try:
            webbrowser.open(url)
        except Exception:  # no browser on this machine: the address is printed above
            log.info("could not open a browser")
