"""zhibu pdf / zhibu print: PDFs for printing and the bound volume of a term."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from tqdm import tqdm

from pipeline.commands.base import Command, open_workspace, workspace_option
from pipeline.errors import ZhibuError
from pipeline.fs.leftovers import sweep_workspace
from pipeline.printing.convert import convert_documents
from pipeline.printing.volume import VolumeEntry, build_volume
from pipeline.records.calendar import Term
from pipeline.render.minutes import DOCUMENT_TITLES
from pipeline.store import Store

VOLUME_NAME = "组织活动记录"


def _term_documents(ws, term: Term, with_pdf: bool = False) -> list:
    with Store(ws.index_path) as store:
        rows = store.term_documents(term.id, with_pdf)
    return [r for r in rows if (ws.root / r.path).is_file()]


def file_title(row) -> str:
    """文件题名 for the 卷内目录: 支委会会议记录（讨论确定发展对象）."""
    title = row.title or Path(row.path).stem
    if not row.meeting_type:
        return title
    kind = DOCUMENT_TITLES.get(row.meeting_type, f"{row.meeting_type}会议记录")
    return kind if title == row.meeting_type else f"{kind}（{title}）"


def conversion_settings(ws) -> dict:
    """zhibu.toml [print]: how many LibreOffice workers, and when one counts as stuck."""
    section = ws.config.print
    return {"workers": section.workers or None, "stall": section.stall_seconds}


def _progress_bar(total: int, label: str):
    bar = tqdm(total=total, desc=label, unit="份", leave=False, disable=total < 2)

    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)

    return bar, update


@click.command("pdf", cls=Command)
@workspace_option
@click.option("--term", "term_id", metavar="学期", help="转换该学期的全部文档，例如 2024-2025-1。")
@click.argument(
    "files", nargs=-1, metavar="[文件...]", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def pdf(workspace, term_id: str | None, files: tuple[Path, ...]) -> None:
    """用 LibreOffice 把 Word 文档转换成 PDF，PDF 放在原文档旁边。

    指定文件（zhibu pdf a.docx b.docx），或用 --term 转换一个学期的全部文档。
    """
    ws = open_workspace(workspace)
    if not files and not term_id:
        raise click.UsageError("请指定要转换的文件，或用 --term 指定学期")
    sources = [p.resolve() for p in files]
    if term_id:
        sources += [ws.root / r.path for r in _term_documents(ws, Term.parse(term_id))]
    if not sources:
        click.echo("没有需要转换的文档。")
        return
    sweep_workspace(ws, holds_lock=False)
    sources = list(dict.fromkeys(sources))
    bar, update = _progress_bar(len(sources), "转换PDF")
    with bar:
        result = convert_documents(
            sources,
            destinations={src: src.with_suffix(".pdf") for src in sources},
            progress=update,
            **conversion_settings(ws),
        )
    for src in sources:
        if src in result.pdfs:
            click.echo(f"  [已转换] {result.pdfs[src]}")
    for err in result.failures.values():
        click.secho(f"  [失败] {err}", fg="red")
    if result.stalled:
        names = "、".join(f"「{p.name}」" for p in result.stalled)
        click.secho(f"LibreOffice 在 {names} 上卡住，已结束并跳过；其余文件照常转换。", fg="red")
    click.echo(f"合计：转换 {len(result.pdfs)} 份，失败 {len(result.failures)} 份。")
    sys.exit(1 if result.failures else 0)


@click.command("print", cls=Command)
@workspace_option
@click.option("--term", "term_id", metavar="学期", help="学期，例如 2024-2025-1（默认：今天所在的学期）。")
def print_volume(workspace, term_id: str | None) -> None:
    """把一个学期的全部文档合成一册便于装订的 PDF：封面、卷内目录、连续页码。

    最后一行输出卷册 PDF 的路径。
    """
    ws = open_workspace(workspace)
    term = Term.parse(term_id) if term_id else ws.config.calendar.term_of(dt.date.today())
    rows = _term_documents(ws, term, with_pdf=True)  # a filed PDF is bound as it is
    if not rows:
        raise ZhibuError(
            f"{term.label}还没有任何已归档的文档", hint="先把会议笔记放进 inbox/ 并运行 zhibu run。"
        )
    entries = [VolumeEntry(file_title(r), dt.date.fromisoformat(r.date), ws.root / r.path) for r in rows]
    dest = ws.outbox / term.year_folder / term.name / f"{term.year_folder}{term.name} {VOLUME_NAME}卷.pdf"
    sweep_workspace(ws, holds_lock=False)
    click.echo(f"正在生成卷册：{len(entries)} 份文档……")
    result = build_volume(
        entries,
        dest,
        branch=ws.config.branch_name,
        term_label=term.label,
        volume_name=VOLUME_NAME,
        work_dir=ws.state,
        **conversion_settings(ws),
    )
    click.echo(
        f"共 {len(entries)} 件，文件页数 {result.numbered_pages} 页（含封面和卷内目录共 {result.page_count} 页）。"
    )
    click.echo(str(result.pdf))


commands = [pdf, print_volume]
