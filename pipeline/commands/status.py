"""zhibu status: what is due and what is missing in a term, by the rules in zhibu.toml."""

from __future__ import annotations

import datetime as dt
import json

import click

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.errors import CommandLineError, ZhibuError
from pipeline.ingest.dates import cn_date, parse_date
from pipeline.records.calendar import Term, parse_year
from pipeline.records.rules import load_rules
from pipeline.term import development
from pipeline.term.compliance import Compliance, check_term
from pipeline.term.data import load_snapshot

date_option = click.option(
    "--date",
    "day",
    metavar="日期",
    help="把这一天当作“今天”来判断哪些周期已结束，例如 2024-10-20（默认：今天）。",
)


def parse_day(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return parse_date(text)
    except ZhibuError as err:
        raise CommandLineError(
            f"--date 的日期「{text}」无法识别（{err.message}）", hint="请写成 2024-10-20。"
        ) from None


def pick_terms(ws, term_id: str | None, year_id: str | None, today: dt.date) -> list[Term]:
    if term_id and year_id:
        raise CommandLineError(
            "--term 和 --year 只能选一个",
            hint="生成一个学期用 --term 2024-2025-1，生成整个学年用 --year 2024-2025。",
        )
    if year_id:
        start = parse_year(year_id)
        return [Term(start, 1), Term(start, 2)]
    if term_id:
        return [Term.parse(term_id)]
    return [ws.config.calendar.term_of(today)]


def status_data(c: Compliance) -> dict:
    exempt = c.ruleset.exempt_months
    return {
        "term": c.term.id,
        "term_name": c.term.label,
        "start": c.start.isoformat(),
        "end": c.end.isoformat(),
        "today": c.today.isoformat(),
        "due": [x.as_dict(exempt) for x in c.due],
        "missing": [x.as_dict(exempt) for x in c.missing],
        "quorum": c.quorum,
        "warnings": c.warnings,
        "unattributed": [
            {"id": m.id, "date": m.date.isoformat(), "type": m.type, "title": m.title, "path": m.path}
            for m in c.unattributed
        ],
        "counts": c.counts,
        "total": c.total,
        "notes": c.notes,
        "checks": [x.as_dict(exempt) for x in c.checks],
    }


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
    groups = [("month", "本月"), ("quarter", "本季度")]
    shown = set()
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


@click.command("status", cls=Command)
@workspace_option
@click.option(
    "--term", "term_id", metavar="学期", help="学期编号，例如 2024-2025-1（默认：今天所在的学期）。"
)
@date_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出（供其他程序读取）。")
def command(workspace, term_id: str | None, day: str | None, as_json: bool) -> None:
    """查看学期进度：本月、本季度还有哪些活动没开，已结束的周期缺了什么，到会人数是否够；
    导入了发展党员登记表时，还列出发展党员已逾期和30天内到期的步骤、不合规定的日期和会议记录核对结果。

    只有已经结束的周期才算“缺”，当前周期显示为“待办”，以后的周期不作判断。
    """
    ws = open_workspace(workspace)
    today = parse_day(day)
    term = pick_terms(ws, term_id, None, today)[0]
    cfg = ws.config
    snap = load_snapshot(ws)
    compliance = check_term(term, cfg.calendar, load_rules(cfg), snap, cfg.committee, today)
    if as_json:
        data = status_data(compliance) | development.status_data(snap, cfg, today)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_status(compliance)
        for line, colour in development.status_lines(snap, cfg, today):
            click.secho(line, fg=colour)
