"""zhibu assess: the year's 考核自评 from the archive, with its supporting files."""

from __future__ import annotations

import json

import click

from pipeline import api
from pipeline.chinese import cn_date
from pipeline.commands.base import (
    Command,
    ProgressBar,
    as_of_option,
    date_option,
    parse_day,
    workspace_option,
)
from pipeline.errors import ExitCode
from pipeline.records.assessment import points_text
from pipeline.term.assess_run import AssessReport
from pipeline.term.batch import WRITE_LABELS

COLORS = {"new": "green", "updated": "green", "unchanged": "cyan"}


@click.command("assess", cls=Command)
@workspace_option
@click.option(
    "--year",
    "year_id",
    metavar="年度",
    help="考核年度：自然年写 2024，学年写 2024-2025（按 zhibu.toml 的 [assess] basis；默认：今年）。",
)
@date_option
@as_of_option
@click.option(
    "--pdf", "as_pdf", is_flag=True, help="另把全部支撑材料按编号顺序装订成一个 PDF（需要 LibreOffice）。"
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出结果（供其他程序读取）。")
def command(
    workspace, year_id: str | None, day: str | None, as_of: str | None, as_pdf: bool, as_json: bool
) -> ExitCode:
    """年度考核自评：按考核细则逐项从档案计分，生成考核自评表、支撑材料目录和年度工作总结（草稿）。

    \b
    文件写到 outbox/<年份>考核/（例如 outbox/2024年考核/；按学年考核时 outbox/2024-2025学年/2024—2025学年考核/）；
    支撑材料按编号复制到其中的“支撑材料”文件夹（--pdf 另装订成一个 PDF）。
    扣分逐条写明（如“2024年7月、8月无支委会记录 −1.0”）；要由支部自己评定的指标得分留空，
    Word 批注中列出 zhibu 找到的情况。考核细则默认按通行做法，可把“表格模板/考核细则.xlsx”
    改成本校细则后放入收件箱替换。每次运行都按档案重新计算。有文件生成失败时退出码为 1。
    """
    with ProgressBar("装订支撑材料", "份", tty_only=True, show=not as_json) as bar:
        report = api.assess(
            workspace,
            year=year_id,
            today=parse_day(day),
            as_of=parse_day(as_of, "--as-of"),
            pdf=as_pdf,
            progress=bar,
        )
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return report.exit_code
    print_report(report)
    return report.exit_code


def print_report(report: AssessReport) -> None:
    result = report.result
    click.echo(f"{report.label}（{result.criteria.source}，统计截至{cn_date(report.as_of)}）：")
    for s in result.scored:
        ind = s.indicator
        score = points_text(s.score) if s.score is not None else "待自评"
        click.echo(f"  {ind.area}·{ind.name}：{score}/{points_text(ind.points)}")
        for item in s.lines:
            click.secho(f"      {item.shown}", fg="red" if item.amount < 0 else "green")
    if result.total is not None:
        click.secho(f"合计{points_text(result.total)}分，{result.criteria.grade(result.total)}。", bold=True)
    else:
        click.secho(
            f"已计分的指标合计{points_text(result.measured)}分；另有{points_text(result.pending_points)}分的指标待支部自评"
            f"（都得满分时合计{points_text(result.projected)}分，{result.criteria.grade(result.projected)}）。",
            bold=True,
        )
    click.echo("已写入：")
    for f in report.files:
        line = f"  {click.style(f'[{WRITE_LABELS[f.status]}]', fg=COLORS[f.status])} {f.path}"
        click.echo(line + (f"（旧版本移到 {f.history}）" if f.history else ""))
    click.echo(
        f"  支撑材料：{report.folder}/支撑材料/（新复制{report.copies}份"
        + (f"，移除不再引用的{report.removed}份）" if report.removed else "）")
    )
    if report.pdf:
        click.echo(f"  支撑材料 PDF：{report.pdf}")
    for line in report.warnings:
        click.secho(f"提醒：{line}", fg="yellow")
    for err in report.errors:
        click.secho(f"失败：{err}", fg="red")
