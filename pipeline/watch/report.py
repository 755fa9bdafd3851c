"""The one Chinese line printed per file by ``zhibu watch``."""

from __future__ import annotations

import datetime as dt

import click

from pipeline.filing.outcome import Outcome, Status

MAX_DETAIL = 90


def _first_line(text: str | None) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


def _outputs(o: Outcome) -> str:
    if not o.outputs:
        counts = "，".join(f"{kind}新增 {n} 条" for kind, n in o.counts.items())
        return f"已登记（{counts}）" if counts else "已归档原件"
    if len(o.outputs) == 1:
        return o.outputs[0]
    return f"{o.outputs[0]} 等 {len(o.outputs)} 份"


def outcome_line(o: Outcome, when: dt.datetime | None = None) -> str:
    """``10:32:05 已处理 支委会.txt → outbox/…/2024-10-08 支委会 ….docx``"""
    stamp = (when or dt.datetime.now()).strftime("%H:%M:%S")
    if o.status == Status.PROCESSED:
        text = f"{stamp} {click.style(o.status.label, fg='green')} {o.name} → {_outputs(o)}"
    elif o.status == Status.PARTIAL:
        text = (
            f"{stamp} {click.style(o.status.label, fg='yellow')} {o.name} → {_outputs(o)}；"
            f"有问题的行：{_first_line(o.error)}"
        )
    elif o.status == Status.DUPLICATE:
        text = f"{stamp} {click.style(o.status.label, fg='cyan')} {o.name}：内容与已归档的文件相同，已删除这份副本"
    elif o.failed_path:
        text = (
            f"{stamp} {click.style(o.status.label, fg='red')} {o.name} → {o.failed_path}"
            f"（原因见旁边的 .原因.txt）：{_first_line(o.error)}"
        )
    else:  # changed or vanished while it was processed: nothing filed, nothing moved
        text = f"{stamp} {click.style(o.status.label, fg='yellow')} {o.name}：{_first_line(o.error)}"
    if o.replaced:
        text += f"（旧版本已移到 {o.replaced[0]}）"
    if o.warnings:
        text += f"（提醒 {len(o.warnings)} 条：{_first_line(o.warnings[0])}{' 等' if len(o.warnings) > 1 else ''}）"
    return text


def error_line(name: str, exc: BaseException, when: dt.datetime | None = None) -> str:
    stamp = (when or dt.datetime.now()).strftime("%H:%M:%S")
    return (
        f"{stamp} {click.style('出错', fg='red')} {name}：处理时发生内部错误（{type(exc).__name__}），"
        "文件仍在收件箱，稍后会再试；详情见 .zhibu/zhibu.log"
    )


def notice_line(text: str, when: dt.datetime | None = None) -> str:
    stamp = (when or dt.datetime.now()).strftime("%H:%M:%S")
    return f"{stamp} {click.style('注意', fg='yellow')} {text}"
