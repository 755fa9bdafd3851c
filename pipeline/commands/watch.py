"""zhibu watch: keep running and file every file dropped into the inbox."""

from __future__ import annotations

import logging
import signal
import threading

import click

from pipeline import api
from pipeline.commands.base import Command, workspace_option
from pipeline.commands.summary import print_waiting
from pipeline.errors import ExitCode, Interrupted, WorkspaceError
from pipeline.filing.outcome import Status
from pipeline.render.limits import rendering_in_progress
from pipeline.watch import Watcher, WatchStats

log = logging.getLogger("zhibu.watch")


def _seconds(minimum: float):
    def check(ctx, param, value):
        if value is not None and value < minimum:
            raise click.BadParameter(f"不能小于 {minimum:g} 秒")
        return value

    return check


def _install_signals(watcher: Watcher) -> dict:
    """First Ctrl-C / SIGTERM: finish the current file, then stop. Second Ctrl-C: stop now.
    A Ctrl-C during a template render stops at once: a render writes nothing, so the file
    simply stays in the inbox (and a hostile template cannot keep the watcher running)."""
    received = {"count": 0}

    def handler(signum, frame):
        received["count"] += 1
        if signum == signal.SIGINT and (received["count"] > 1 or rendering_in_progress()):
            raise KeyboardInterrupt
        watcher.request_stop(signal.Signals(signum).name)

    previous = {}
    names = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]  # SIGHUP: terminal closed; SIGBREAK: Windows
    for name in names:
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                previous[sig] = signal.signal(sig, handler)
            except (ValueError, OSError):  # not the main thread, or not supported here
                pass
    return previous


@click.command("watch", cls=Command)
@workspace_option
@click.option(
    "--settle",
    type=float,
    default=None,
    metavar="秒",
    callback=_seconds(0),
    help="文件放入后，大小和修改时间保持不变多少秒才开始处理（默认取 zhibu.toml 中 [watch] 的 settle_seconds）。",
)
@click.option(
    "--polling/--no-polling",
    default=None,
    help="用定时检查代替系统通知。收件箱在网络共享盘、U 盘或同步文件夹里、放入文件后没有反应时使用"
    "（默认取 [watch] 的 polling）。",
)
@click.option(
    "--rescan",
    type=float,
    default=None,
    metavar="秒",
    callback=_seconds(0.1),
    help="每隔多少秒把收件箱完整检查一遍，防止遗漏（默认取 [watch] 的 rescan_seconds）。",
)
def command(workspace, settle, polling, rescan) -> ExitCode:
    """一直运行，自动处理放进收件箱（inbox/）的文件。

    \b
    启动时先处理收件箱里已有的文件，之后每放入一个文件（或一个文件夹），
    等它复制、保存完成后自动处理，每个文件打印一行结果。
    按 Ctrl-C 停止：正在处理的文件会先处理完。
    同一个工作区同时只能运行一个 zhibu watch 或 zhibu run。
    """
    hooks = {"echo": click.echo, "on_started": _banner}
    with api.watching(workspace, settle=settle, polling=polling, rescan=rescan, **hooks) as watcher:
        if notice := watcher.ws.config.branch_notice():
            click.secho(notice, fg="yellow")
        session = watcher.session
        if session.recovered:
            click.secho(f"已恢复上次中断的 {session.recovered} 项归档操作。", fg="yellow")
        print_waiting(session.waiting)
        stats = _watch(watcher)
    counts = stats.counts
    failed = counts[Status.FAILED] + counts[Status.PARTIAL] + counts[Status.RETRY]
    click.echo(
        f"已停止监视。本次处理 {stats.handled} 个文件：成功 {counts[Status.PROCESSED] + counts[Status.PARTIAL]} 个，"
        f"重复 {counts[Status.DUPLICATE]} 个，失败或未处理 {failed} 个。"
    )
    if watcher.storage_error is not None:  # stopped by a full or read-only disk
        raise watcher.storage_error
    return ExitCode.OK


def _watch(watcher: Watcher) -> WatchStats:
    """Run the watcher with zhibu's signal handling, until it is asked to stop."""
    main = threading.current_thread() is threading.main_thread()
    previous = _install_signals(watcher) if main else {}
    try:
        return watcher.run()
    except OSError as exc:  # the inbox cannot be watched at all (permissions, share gone)
        log.error("无法监视收件箱 %s", watcher.inbox, exc_info=exc)
        raise WorkspaceError(
            f"无法监视收件箱「{watcher.inbox}」（{exc.strerror or exc}）。",
            hint="确认这个文件夹存在并且可以访问（网络共享盘请先连接好），然后重新启动 zhibu watch。",
        ) from None
    except KeyboardInterrupt:
        raise Interrupted(
            "\n已立即停止。正在处理的文件如果没有处理完，下次启动时会自动恢复或重新处理，不会丢失。"
        ) from None
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _banner(watcher: Watcher) -> None:
    """Printed once the observer runs and the inbox was scanned: from here on nothing is missed."""
    mode = "定时检查（轮询）" if watcher.supervisor.mode == "polling" else "系统通知"
    click.echo(f"正在监视收件箱：{watcher.inbox}")
    click.echo(f"  放入的文件保持 {watcher.settle:g} 秒不变后自动处理（发现方式：{mode}）。按 Ctrl-C 停止。")
