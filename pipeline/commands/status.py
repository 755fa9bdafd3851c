"""zhibu status: what is due and what is missing in a term, by the rules in zhibu.toml."""

from __future__ import annotations

import json

import click

from pipeline import api
from pipeline.commands.base import Command, date_option, parse_day, workspace_option
from pipeline.errors import ExitCode
from pipeline.ingest.dates import cn_date
from pipeline.term.compliance import Compliance


def _line(check, *, with_period: bool) -> str:
    text = f"{check.period.zh} " if with_period else ""
    text += (
        f"{check.name}：{check.rule.describe()}，已开{check.held}次"
        if not check.rule.pairs
        else f"{check.name}：{check.note}"
    )
    if check.note and not check.rule.pairs:
        text += f"（{check.note}）"
    return text


def print_status(c: Compliance) -> None:
    click.echo(f"{c.term.label}（{cn_date(c.start)}至{cn_date(c.end)}），统计截至{cn_date(c.today)}")
    _print_due(c)
    if c.missing:
        click.secho(f"已结束但未达到要求的周期（{len(c.missing)}项）：", fg="red")
        for x in c.missing:
            click.echo(f"  · {_line(x, with_period=True)}")
    else:
        click.secho("已结束的周期没有缺项。", fg="green")
    if c.quorum:
        click.secho("到会人数提醒：", fg="red")
        for q in c.quorum:
            click.echo(f"  · {q['date']} {q['type']}「{q['title']}」：{q['warning']}")
    for note in c.notes:
        click.secho(f"提醒：{note}", fg="yellow")
    total = c.total
    if total:
        parts = "、".join(f"{t}{n}次" for t, n in sorted(c.counts.items(), key=lambda kv: -kv[1]))
        click.echo(f"本学期已归档{total}次：{parts}。")
    else:
        click.echo("本学期还没有归档的会议记录。")


def _print_due(c: Compliance) -> None:
    """The periods still running: this month, this quarter, then the others."""
    groups = [("month", "本月"), ("quarter", "本季度")]
    shown: set[int] = set()  # ids of the checks listed
    for kind, name in groups:
        due = [x for x in c.due if x.period.kind == kind]
        if due:
            click.secho(f"{name}（{due[0].period.zh}）尚未完成：", fg="yellow")
            for x in due:
                click.echo(f"  · {_line(x, with_period=False)}")
        shown.update(id(x) for x in due)
    other = [x for x in c.due if id(x) not in shown]
    if other:
        click.secho("其他进行中的周期尚未完成：", fg="yellow")
        for x in other:
            click.echo(f"  · {_line(x, with_period=True)}")
    if not c.due and c.start <= c.today <= c.end:
        click.secho("本月和本季度要求的活动都已完成。", fg="green")


@click.command("status", cls=Command)
@workspace_option
@click.option(
    "--term", "term_id", metavar="学期", help="学期编号，例如 2024-2025-1（默认：今天所在的学期）。"
)
@date_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出（供其他程序读取）。")
def command(workspace, term_id: str | None, day: str | None, as_json: bool) -> ExitCode:
    """查看学期进度：本月、本季度还有哪些活动没开，已结束的周期缺了什么，到会人数是否够；
    导入了发展党员登记表时，还列出发展党员已逾期和30天内到期的步骤、不合规定的日期和会议记录核对结果；
    导入了党费登记表时，还列出上月为止的应交、已交党费，未交党费的党员和月份，连续未交的提醒。
    最后是今年考核自评的预计得分、已扣分的项目，以及现在补上可以不扣分的事项（如“本月还没有支委会记录”）。

    只有已经结束的周期才算“缺”，当前周期显示为“待办”，以后的周期不作判断。
    """
    report = api.status(workspace, term=term_id, today=parse_day(day))
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return ExitCode.OK
    print_status(report.compliance)
    for line in report.documents:
        click.secho(f"学期材料：{line}", fg="yellow")
    for line, colour in report.development_lines + report.dues_lines + report.assessment_lines:
        click.secho(line, fg=colour)
    return ExitCode.OK
