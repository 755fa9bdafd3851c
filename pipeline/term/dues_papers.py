"""The 党费 papers of a year, written with ``wordkit``, and the year's step of ``zhibu batch --year``:

* 党费收缴情况公示, for the members: 姓名, 月交纳额, 全年应交, 全年实交 — never an income figure;
* 党费基数核算表, marked 内部, for the committee: the one document that shows a 计算基数. The
  index holds no income figure, so the base is read again from the archived original of each
  member's active row (``kinds.dues_base``: the privacy decision); a base that cannot be read
  stays blank and the batch says so;
* the yearly 党费收缴台账 workbook (``term.dues_books``).

``zhibu batch --year 2024-2025`` makes the papers of the calendar year 2024 (党费 are fixed and
accounted by calendar year; the academic year 2024—2025 is the one in which 2024 closes), into
``outbox/2024-2025学年/党费/``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from pipeline import wordkit as wk
from pipeline.errors import ZhibuError
from pipeline.kinds import dues_base as base_kind
from pipeline.kinds import read_input
from pipeline.records.calendar import Term
from pipeline.records.dues import DuesBase, Rules, assess, percent_text, year_of, ym_text, yuan
from pipeline.records.dues_account import ALERT, Account
from pipeline.store import Store
from pipeline.term.batch import Written, publish
from pipeline.term.data import Snapshot, load_snapshot
from pipeline.term.dues import has_dues, rules_of, year_account
from pipeline.term.dues_books import year_workbook

log = logging.getLogger("zhibu")
FOLDER = "党费"
CATEGORY_SHORT = {"在职": "在职", "离退休": "离退休", "学生": "学生", "其他": "其他"}


@dataclass
class DuesReport:
    """What ``zhibu batch --year`` wrote of a year's 党费."""

    year: int
    files: list[Written] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.year}年度党费"

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "files": [{"path": f.path, "status": f.status, "history": f.history} for f in self.files],
            "warnings": self.warnings,
            "errors": self.errors,
        }


def _complete(acc: Account) -> bool:
    return acc.as_of >= acc.last


def _until(acc: Account) -> str:
    return "" if _complete(acc) else f"（截至{ym_text(acc.as_of)}）"


# --- 党费收缴情况公示 ------------------------------------------------------------------------------


def publicity_rows(acc: Account) -> list[list[str]]:
    """序号, 姓名, 月交纳额, 应交, 实交 of each member (blank where the amount due is not known)."""
    rows = []
    for n, a in enumerate(acc.members, 1):
        known = all(a.months[m].due is not None for m in a.owed(acc.first, acc.as_of))
        due = yuan(a.due(acc.first, acc.as_of)) if known else ""
        monthly = "、".join(yuan(d) for d in a.monthly(acc.first, acc.last))
        rows.append([str(n), a.name, monthly, due, yuan(a.paid(acc.first, acc.last))])
    return rows


def publicity_document(acc: Account, branch: str, today: dt.date) -> bytes:
    year = year_of(acc.first)
    title = f"{branch}{year}年度党费收缴情况公示{_until(acc)}"
    doc = wk.new_document(table_size=wk.SMALL_TABLE_SIZE)
    wk.title(doc, title)
    due, paid = acc.total("due", acc.first, acc.as_of), acc.total("paid", acc.first, acc.last)
    text = (
        f"根据党章和党费收缴、使用和管理的有关规定，现将本支部{year}年度党费收缴情况公示如下："
        f"全支部{len(acc.members)}名党员{_until(acc)}应交党费{yuan(due)}元，实交{yuan(paid)}元"
    )
    rows = publicity_rows(acc)
    unknown = [r[1] for r in rows if not r[3]]
    text += f"（{'、'.join(unknown)}的月交纳额尚未核定，未计入应交）。" if unknown else "。"
    owing = [a.name for a in acc.members if a.unpaid(acc.first, acc.as_of)]
    if owing:
        text += f"尚有{len(owing)}名党员有未交的月份，支部将督促按规定补交。"
    wk.paragraph(doc, text)
    head = "全年应交（元）" if _complete(acc) else f"应交（截至{ym_text(acc.as_of)}）"
    table = wk.table(doc, ["序号", "姓名", "月交纳额（元）", head, "全年实交（元）"], rows)
    wk.center_cells(table, (0, 2, 3, 4))
    wk.paragraph(doc, "如有疑问，请在公示期间向支部委员会反映。", wk.LAST)
    wk.signature_block(doc, branch, today)
    return wk.save_dated(doc, title, today)


# --- 党费基数核算表（内部） -------------------------------------------------------------------------


def bands_text(rules: Rules) -> str:
    """在职党员：3000元及以下0.5%，……；离退休党员：……；学生党员和无固定收入党员每月0.20元."""

    def bands(items) -> str:
        out, lower = [], None
        for band in items:
            out.append(f"{band.describe(lower)}{percent_text(band.rate)}")
            lower = band.upper
        return "，".join(out)

    cap = f"；每月交纳额不超过{rules.monthly_cap.normalize():f}元" if rules.monthly_cap else ""
    return (
        f"在职党员按月工资收入（{'、'.join(rules.income_parts)}，扣除{'、'.join(rules.deductions)}）"
        f"计算：{bands(rules.working)}；离退休党员按基本离退休费计算：{bands(rules.retired)}；"
        f"学生党员和无固定收入的党员每月交纳{yuan(rules.fixed_amount)}元{cap}。按全额计算，计算到分。"
    )


def archived_bases(ws, bases: list[DuesBase]) -> tuple[dict[tuple, Decimal | None], list[str]]:
    """(source, year, name) -> the 计算基数, read again from the archived originals; and the
    originals that could not be read."""
    rules = rules_of(ws.config)
    found: dict[tuple, Decimal | None] = {}
    problems: list[str] = []
    with Store(ws.index_path) as store:
        sources = {sid: store.source(sid) for sid in sorted({b.source_id for b in bases if b.source_id})}
    for sid, src in sources.items():
        path = ws.root / src.archived_path if src is not None and src.archived_path else None
        if path is None or not path.is_file():
            problems.append(
                f"找不到归档的原表「{src.original_name if src else sid}」，核算表中的计算基数留空"
            )
            continue
        if src is None:
            continue
        try:
            result = read_input(path, display_name=src.original_name, kind_hint=base_kind.NAME)
        except ZhibuError as err:
            problems.append(f"归档的原表「{src.original_name}」无法读取（{err}），核算表中的计算基数留空")
            continue
        for b in result.items.get(base_kind.NAME, []):
            found[(sid, b.year, b.name)] = base_kind.the_base(b, rules)
    return found, problems


def check_text(b: DuesBase, rules: Rules, base: Decimal | None) -> str:
    """The 核对情况 of one row: the branch's figure against the rules'."""
    if b.basis == "支部决定":
        text = f"按支部决定（{b.note}）" if b.note else "按支部决定"
        ruled = assess(b.category, base, rules).amount
        return text + (f"，按规定为{yuan(ruled)}元" if ruled is not None else "")
    if b.basis == "支部填报":
        return "没有计算基数，按支部填报的数额"
    if b.due is None:
        return "无法计算"
    if b.branch_due is None:
        return ""
    if b.branch_due == b.due:
        return "与支部填报相符"
    return f"支部填报{yuan(b.branch_due)}元，与规定不符"


def base_rows(rows: list[DuesBase], bases: dict[tuple, Decimal | None], rules: Rules) -> list[list[str]]:
    out = []
    for n, b in enumerate(rows, 1):
        base = bases.get((b.source_id, b.year, b.name))
        out.append(
            [
                str(n),
                b.name,
                CATEGORY_SHORT.get(b.category, b.category),
                yuan(base),
                b.rate,
                yuan(b.due),
                check_text(b, rules, base),
            ]
        )
    return out


def base_document(ws, snap: Snapshot, year: int, today: dt.date) -> tuple[bytes | None, list[str]]:
    """The 核算表 of ``year`` (None without one filed) and what could not be read."""
    rows = [b for b in snap.of(base_kind.DATA) if b.year == year]
    if not rows:
        return None, []
    bases, problems = archived_bases(ws, rows)
    branch = ws.config.branch_name
    title = f"{branch}{year}年度党费基数核算表"
    doc = wk.new_document(table_size=wk.SMALL_TABLE_SIZE)
    wk.internal_mark(doc)
    wk.title(doc, title)
    header = ["序号", "姓名", "类别", "计算基数（元）", "交纳比例", "月交纳额（元）", "核对情况"]
    table = wk.table(doc, header, base_rows(rows, bases, rules_of(ws.config)), nowrap=(3, 5))
    wk.center_cells(table, (0, 2, 3, 4, 5))
    wk.paragraph(doc, "说明：" + bands_text(rules_of(ws.config)))
    wk.paragraph(doc, "本表含党员收入信息，仅供支部委员会核定党费使用，不得公开、不得外传。", wk.LAST)
    wk.signature_block(doc, branch, today)
    return wk.save_dated(doc, title, today), problems


# --- zhibu batch --year ------------------------------------------------------------------------


def write_year(ws, start_year: int, today: dt.date) -> DuesReport | None:
    """The 党费 papers of calendar year ``start_year`` (the academic year starting then); None
    when neither register was filed."""
    snap = load_snapshot(ws)
    if not has_dues(snap):
        return None
    report = DuesReport(start_year)
    term = Term(start_year, 1)
    folder = ws.outbox / term.year_folder / FOLDER
    acc = year_account(snap, ws.config, start_year, today)
    if start_year not in acc.based | acc.recorded:
        report.warnings.append(
            f"{start_year}年还没有导入党费基数核算表或党费收缴登记表，没有生成{start_year}年度的党费材料"
        )
        return report
    branch = ws.config.branch_name
    steps: list[tuple[str, Callable[[], tuple[bytes | None, list[str]]]]] = [
        (f"{start_year}年党费收缴台账.xlsx", lambda: (year_workbook(acc, branch, today), []))
    ]
    if start_year in acc.recorded:  # a publicity of payments needs the payments
        steps.append(
            (f"{start_year}年度党费收缴情况公示.docx", lambda: (publicity_document(acc, branch, today), []))
        )
    else:
        report.warnings.append(f"{start_year}年还没有导入党费收缴登记表，没有生成党费收缴情况公示")
    steps.append(
        (f"{start_year}年度党费基数核算表（内部）.docx", lambda: base_document(ws, snap, start_year, today))
    )
    for name, make in steps:
        try:
            data, problems = make()
            report.warnings += problems
            if data is not None:
                report.files.append(publish(ws, folder / name, data, term, today))
        except ZhibuError as err:
            report.errors.append(f"{name}：{err}")
        except Exception as exc:  # one paper failing must not stop the others
            log.exception("党费材料「%s」生成时发生内部错误", name)
            report.errors.append(
                f"{name}：内部错误（{type(exc).__name__}），请把 .zhibu/zhibu.log 发给技术支持人员"
            )
    report.warnings += _reminders(acc)
    return report


def _reminders(acc: Account) -> list[str]:
    alerts = [f.text for f in acc.findings if f.level == ALERT]
    others = len(acc.findings) - len(alerts)
    out = [f"党费：{t}" for t in alerts]
    if others:
        out.append(f"党费：另有{others}条提醒，见党费收缴台账的“提醒”工作表")
    return out
