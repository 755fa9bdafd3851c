"""zhibu check FILE...: ``zhibu run`` without writing: the same planning, nothing filed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.consume import read_dropped
from pipeline.errors import ZhibuError
from pipeline.fs.files import sha256_file
from pipeline.planning import PlanningState, plan_minutes
from pipeline.render.lines import document_lines, is_blank_field
from pipeline.render.minutes import render_docx
from pipeline.store import Store

# The fields shown for each planned document, in the order of the minutes.
SHOWN_FIELDS = (
    "会议名称",
    "时间",
    "地点",
    "主持人",
    "记录人",
    "应到",
    "实到",
    "出席人员",
    "缺席人员",
    "列席人员",
)


def check_file(ws, state: PlanningState, store: Store | None, path: Path) -> dict:
    """What ``zhibu run`` would do with one file, as data (no file is written)."""
    report: dict = {
        "file": path.name,
        "duplicate": False,
        "documents": [],
        "counts": {},
        "warnings": [],
        "errors": [],
    }
    if store is not None and store.source_by_sha(sha256_file(path)):
        report["duplicate"] = True
        return report
    name = _display_name(ws, path)
    try:
        result = read_dropped(path, name, None, ws)
        result.ensure_content()
    except ZhibuError as err:
        report["errors"].append(err.at(file=name).render())
        return report
    report["warnings"] += result.warnings
    for m in result.meetings:
        planned = plan_minutes(m, state)
        doc = {
            "path": f"outbox/{planned.rel_path}",
            "fields": {k: _text(planned.context.get(k)) for k in SHOWN_FIELDS},
            "lines": [],  # every line the document will carry, read back from the rendered document
            "warnings": planned.warnings,
        }
        try:
            doc["lines"] = document_lines(render_docx(ws.meeting_template(m.type), planned.context))
        except ZhibuError as err:
            report["errors"].append(f"模板问题：{err}")
        report["documents"].append(doc)
        report["warnings"] += planned.warnings
    report["counts"] = {kind: len(items) for kind, items in result.items.items()}
    report["errors"] += [str(e) for e in result.row_errors]
    return report


def _display_name(ws, path: Path) -> str:
    """As ``zhibu run`` names the file: relative to the inbox (its folders may give the year);
    a file elsewhere keeps its folder's name for the same reason."""
    full = path.resolve()
    if full.is_relative_to(ws.inbox):
        return full.relative_to(ws.inbox).as_posix()
    return f"{full.parent.name}/{full.name}" if full.parent.name else full.name


def _text(value) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


@click.command("check", cls=Command)
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出（供其他程序读取）。")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="文件...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
def command(workspace, as_json: bool, files: tuple[Path, ...]) -> None:
    """检查文件：报告会生成哪些文档、各栏填什么、有哪些提醒，与 zhibu run 完全一致，但不写入任何文件。"""
    ws = open_workspace(workspace)
    store = Store.open_read_only(ws.index_path)
    try:
        state = PlanningState.read(ws.config, store)
        reports = [check_file(ws, state, store, path) for path in files]
    finally:
        if store is not None:
            store.close()
    problems = sum(len(r["errors"]) for r in reports)
    if as_json:
        click.echo(json.dumps({"files": reports, "problems": problems}, ensure_ascii=False, indent=2))
    else:
        for r in reports:
            _print_report(r)
        click.echo(f"检查完毕：{len(files)} 个文件，发现 {problems} 个问题。（没有写入任何文件）")
    sys.exit(1 if problems else 0)


def _print_report(r: dict) -> None:
    click.echo(f"文件「{r['file']}」：")
    if r["duplicate"]:
        click.secho("  与已归档的文件内容完全相同，放入收件箱后会被当作重复文件忽略。", fg="cyan")
        return
    for doc in r["documents"]:
        click.echo(f"  将生成：{doc['path']}")
        for line in doc["lines"]:
            click.echo(f"    {line.rstrip()}{'（空白，需手填）' if is_blank_field(line) else ''}")
    for kind, n in r["counts"].items():
        click.echo(f"  {kind}：{n} 条")
    for w in r["warnings"]:
        click.secho(f"  提醒：{w}", fg="yellow")
    for e in r["errors"]:
        for line in e.splitlines():
            click.secho(f"  {line}", fg="red")
