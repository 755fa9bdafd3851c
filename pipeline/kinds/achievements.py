"""成果登记表: papers, projects, textbooks, awards … one row an achievement.

Read into ``Achievement`` (category and level in their canonical names, as typed beside), filed
with zhibu.toml's [achievements] aliases applied once, stored in ``achievements``; the same
record comes back from the index for the 成果汇编. Registered again, an achievement is not
counted twice: a known one (same name, category, 完成人 and date) has its level, issuer,
evidence and note updated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipeline.chinese import cn_date
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, words
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind, RenderEnv, TermData, where
from pipeline.kinds.form import MONTH, Col, Form, FormEnv
from pipeline.records.achievement_terms import LEVELS, normalize_category, normalize_level
from pipeline.store.tables import Table

NAME = "成果登记表"


@dataclass
class Achievement:
    """One achievement: as read (``*_text`` as typed), as filed and as the index returns it."""

    name: str
    category: str  # canonical: the default aliases when read, zhibu.toml's applied when filed
    level: str = ""  # canonical (国家级, 省部级 …), or as typed when not recognized
    authors: str = ""
    date: dt.date | None = None  # first of month when only a month was given
    issuer: str = ""
    evidence: str = ""
    note: str = ""
    term: str | None = None  # term id of the date, set when filed
    category_text: str = ""  # as typed
    level_text: str = ""
    month_only: bool = False
    sheet: str | None = None
    row: int | None = None
    id: int | None = None
    source_id: int | None = None

    @property
    def date_text(self) -> str:
        """2024年10月 when only the month is known (stored as its first day), else the whole date."""
        if not self.date:
            return ""
        return f"{self.date.year}年{self.date.month}月" if self.date.day == 1 else cn_date(self.date)

    @property
    def key(self) -> tuple:
        """The same achievement registered again: name, category, 完成人 and date."""
        return (_fold(self.name), self.category, _fold(self.authors), self.date)


TABLE = Table(
    "achievements",
    Achievement,
    ("name", "category", "level", "authors", "date", "term", "issuer", "evidence", "note", "sheet", "row"),
)
DATA: TermData[Achievement] = TermData("achievements", lambda store: store.records(TABLE))

COLUMNS = KindSpec(
    NAME,
    (
        S(
            "name",
            "成果名称",
            *words(
                "成果 题目 论文题目 项目名称 课题名称 获奖名称 荣誉名称 成果题目 著作名称 教材名称 名称 获奖项目 荣誉称号 奖项名称 竞赛名称 报道标题 成果名称（题目）"
            ),
        ),
        S("category", "类别", *words("成果类别 类型 成果类型 分类 成果分类")),
        S(
            "authors",
            "完成人及排名",
            *words(
                "完成人 作者 获奖人 获奖者 负责人 参与人 成员 获得者 指导教师 完成人员 作者及排名 主要完成人 完成人(及排名) 主持人 姓名 党员姓名"
            ),
            weight=1,
        ),
        S("rank", "排名", *words("本人排名 名次 位次 署名顺序 作者排名"), weight=1),
        S("level", "级别", *words("等级 成果级别 获奖级别 层次 级别（国家/省/校）")),
        S(
            "date",
            "时间",
            *words(
                "日期 获得时间 获奖时间 发表时间 立项时间 出版时间 完成时间 年月 时间（年月） 发表（获奖）时间 取得时间"
            ),
            weight=1,
        ),
        S(
            "issuer",
            "刊物或颁发单位",
            *words(
                "刊物/颁发单位 刊物、颁发单位 刊物 发表刊物 期刊 期刊名称 颁发单位 颁奖单位 发证单位 授予单位 主办单位 出版社 立项单位 来源 发布单位 媒体 发表刊物或颁发单位 刊物名称 批准单位"
            ),
        ),
        S("evidence", "佐证材料", *words("证明材料 佐证 附件 材料 证明 支撑材料")),
        S("note", "备注", *words("说明"), weight=1),
    ),
    required=(("name",), ("category", "level", "issuer", "evidence")),
    minimum=3,
    title_words=("成果登记", "成果统计", "成果汇总", "成果一览", "业绩登记", "获奖登记", "成果表"),
)


# --- reading -----------------------------------------------------------------------------------


def _authors(rr: RowReader) -> str:
    authors = rr.text("authors").replace("\n", "、")
    rank = rr.get("rank", cells.one_line) or ""
    if authors and rank:
        return f"{authors}（第{rank}）" if rank.isdigit() else f"{authors}（{rank}）"
    return authors


def read_row(ctx: SheetContext, rr: RowReader) -> Achievement | None:
    name = rr.get("name", cells.one_line) or ""
    if not name and rr.ok:
        rr.fail("name", "没有填写成果名称", hint="请填写成果名称，或删除这一行。")
    when = rr.get("date", cells.period, rr.label("date"))
    date = None
    if when is None and rr.ok and rr.has("date"):
        rr.fail("date", "没有填写时间", hint="请填写获得（发表、立项）时间，例如 2024年10月 或 2024-10-08。")
    elif when is not None:
        year = when.year if when.year is not None else ctx.year_of(when.month)
        if year is None:
            rr.fail(
                "date",
                f"「{rr.label('date')}」只写了月份，没有年份",
                hint="请写成 2024年10月 这样带年份的时间。",
            )
        else:
            when.year = year
            date = when.date()
    category_text = rr.get("category", cells.one_line) or ""
    level_text = rr.get("level", cells.one_line) or ""
    authors = _authors(rr)
    issuer, evidence, note = rr.text("issuer"), rr.text("evidence"), rr.text("note")
    if not rr.ok:
        return None
    category, _ = normalize_category(category_text, name=name)
    level, _ = normalize_level(level_text)
    return Achievement(
        name=name,
        category=category,
        level=level,
        authors=authors,
        date=date,
        issuer=" ".join(issuer.split("\n")),
        evidence=evidence,
        note=note,
        category_text=category_text,
        level_text=level_text,
        month_only=bool(when and when.day is None),
        sheet=ctx.sheet,
        row=rr.number,
    )


# --- filing ------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


def normalized(item: Achievement, config, result, outcome) -> Achievement:
    """The record as filed: category and level with zhibu.toml's aliases, the term of its date."""
    section = config.achievements
    order = section.category_order
    category, known = normalize_category(item.category_text, dict(section.category_aliases), order, item.name)
    if not known:
        what = f"类别「{item.category_text}」无法识别" if item.category_text else "没有填写类别"
        outcome.warnings.append(
            f"{where(result, item.sheet, item.row, '类别')}：{what}，已归入「其他」（可用的类别：{'、'.join(order)}）"
        )
    level, level_known = normalize_level(item.level_text, dict(section.level_aliases))
    if not level_known:
        outcome.warnings.append(
            f"{where(result, item.sheet, item.row, '级别')}：级别「{item.level_text}」无法识别，已按原样保存"
            "（可在 zhibu.toml 的 achievements.level_aliases 中补充）"
        )
    term = config.calendar.term_of(item.date).id if item.date else None
    return dataclasses.replace(item, category=category, level=level, term=term)


CORRECTED = ("level", "issuer", "evidence", "note")


def file(ctx, result, records, plan, outcome, filed) -> None:
    order = ctx.config.achievements.category_order
    existing = {a.key: a for a in ctx.store.records(TABLE)}
    inserts, updates, same = [], [], 0
    seen: dict[tuple, int] = {}
    counts: Counter = Counter()
    for item in records[NAME]:
        new = normalized(item, ctx.config, result, outcome)
        if new.key in seen:
            outcome.warnings.append(
                f"{where(result, new.sheet, new.row)}：与第{seen[new.key]}行是同一项成果，已只登记一次"
            )
            continue
        seen[new.key] = new.row or 0
        old = existing.get(new.key)
        if old is None:
            inserts.append(new)
            counts[new.category] += 1
        elif any(getattr(old, k) != getattr(new, k) for k in CORRECTED):
            updates.append((old.id, new))
        else:
            same += 1
    for category in sorted(counts, key=lambda c: order.index(c) if c in order else len(order)):
        outcome.counts[f"成果（{category}）"] = counts[category]
    if updates:
        outcome.warnings.append(f"{len(updates)}项成果此前已登记过，已按本表更新级别、单位等信息")
    if same:
        outcome.warnings.append(f"{same}项成果此前已登记过，内容相同，未重复添加")

    def write(store, source_id):
        store.insert_records(TABLE, source_id, inserts)
        for old_id, new in updates:
            store.update_record(TABLE, old_id, source_id, new, (*CORRECTED, "sheet", "row"))

    plan.index_writers.append(write)


def days(result, records, calendar) -> list[dt.date]:
    return [a.date for a in records[NAME] if a.date]


# --- zhibu render and zhibu forms ----------------------------------------------------------------


def variables(a: Achievement, env: RenderEnv) -> tuple[str, dict, str]:
    context = env.base() | {
        "成果名称": a.name,
        "类别": a.category,
        "完成人": a.authors,
        "级别": a.level,
        "时间": (f"{a.date.year}年{a.date.month}月" if a.month_only else cn_date(a.date)) if a.date else "",
        "刊物或颁发单位": a.issuer,
        "佐证材料": a.evidence,
        "备注": a.note,
    }
    return a.name or NAME, context, f"工作表「{a.sheet or ''}」第{a.row or '?'}行"


def _columns(env: FormEnv) -> list[Col]:
    return [
        Col("序号", 6),
        Col("成果名称", 36),
        Col("类别", 12, choices=env.categories),
        Col("完成人及排名", 22),
        Col("级别", 10, choices=LEVELS),
        Col("时间", 14, MONTH),
        Col("刊物或颁发单位", 26),
        Col("佐证材料", 18),
        Col("备注", 16),
    ]


KIND = RegisterKind(
    name=NAME,
    folder_words=("成果", "业绩", "获奖", "荣誉"),
    precedence=4,
    layouts=(
        Layout(COLUMNS, ("name", "date"), read_row, "成果名称、类别、完成人、级别、时间、刊物或颁发单位"),
    ),
    form=Form(
        "成果登记表.xlsx", _columns, "每行一项成果；时间写到月份即可（2024年10月）；类别、级别从下拉列表选择"
    ),
    file=file,
    days=days,
    data=(DATA,),
    variables=variables,
)
