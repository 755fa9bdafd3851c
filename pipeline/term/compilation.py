"""成果汇编 (.docx): cover, contents, statistics, the achievements by category, the branch profile.

Achievements are those of the term: dated inside the term's bounds, or without a date but
registered for the term. Within a category they are sorted by level (``achievements.level_order``,
highest first, unknown levels last) and then by date. The member count behind them is the number
of distinct names among the 完成人 (ranks and remarks in brackets removed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipeline import wordkit as wk
from pipeline.ingest.dates import cn_date
from pipeline.kinds.achievements import DATA as ACHIEVEMENTS
from pipeline.kinds.achievements import Achievement
from pipeline.records.achievement_terms import normalize_category, normalize_level
from pipeline.records.calendar import Term, TermCalendar
from pipeline.registers.profile import branch_profile
from pipeline.term.data import Snapshot
from pipeline.term.development import compilation_counts, compilation_text

OTHER_LEVEL = "其他"  # the statistics column of levels outside achievements.level_order
UNSTATED_LEVEL = "未注明级别"  # the column of achievements registered without a level (as the 工作总结)

# "支部全体", "课题组": not a person, not counted among the 完成人.
COLLECTIVE_WORDS = ("全体", "团队", "课题组", "项目组", "集体", "支部", "教研室", "小组")
_BRACKETS = re.compile(r"[（(\[【〔][^）)\]】〕]*[）)\]】〕]")
_SEPARATORS = re.compile(r"[、，,；;/／|:：\s]+")
_RANK = re.compile(
    r"(?:第?[0-9一二三四五六七八九十]+(?:名|位|作者|完成人)?|排名\S*|主持人?|负责人|参与人?|"
    r"指导(?:教师|老师)|通讯作者|独立完成|等)$"
)


def author_names(text: str) -> list[str]:
    """'张伟（1/3）、李娜(第二)、王芳等' -> ['张伟', '李娜', '王芳']."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _BRACKETS.sub(" ", text)
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        part = part.strip(" :：。.")
        if not _RANK.sub("", part).strip(" :：。."):
            continue  # only a rank or a role: "排名第一", "主持"
        for _ in range(3):
            stripped = _RANK.sub("", part).strip(" :：。.")
            if stripped == part or len(stripped) < 2:
                break
            part = stripped
        part = re.sub(r"\d+", "", part).strip()
        if part and part not in names and not any(w in part for w in COLLECTIVE_WORDS):
            names.append(part)
    return names


_AUTHOR_SPLIT = re.compile(r"[、，,；;]")
AUTHOR_LINE_CHARS = 9  # one 完成人 with a rank, "沈轶娜（主编）", fits a line of the 完成人 column


def author_lines(text: str) -> str:
    """The 完成人 as typed, one a line (沈轶娜（1）\n夏渊（2）): the table never breaks a name.
    A separator inside brackets ("张伟（主编，第一作者）") stays where it is."""
    parts, depth, current = [], 0, ""
    for ch in (text or "").strip():
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]" and depth:
            depth -= 1
        if depth == 0 and _AUTHOR_SPLIT.fullmatch(ch):
            parts.append(current)
            current = ""
        else:
            current += ch
    return "\n".join(p.strip() for p in [*parts, current] if p.strip())


def _short_authors(rows: list[list[str]]) -> bool:
    """Whether every 完成人 line is short enough to keep the column unwrapped."""
    return all(len(line) <= AUTHOR_LINE_CHARS for row in rows for line in row[2].split("\n"))


def term_achievements(snap: Snapshot, term: Term, calendar: TermCalendar, config) -> list[Achievement]:
    """The term's achievements, each once, with zhibu.toml's current aliases (the same
    normalisation as filing: an alias added since then applies to what was filed before)."""
    start, end = calendar.bounds(term)
    section = config.achievements
    level_aliases = dict(section.level_aliases)
    category_aliases = dict(section.category_aliases)
    seen: set[tuple] = set()
    out: list[Achievement] = []
    for row in snap.of(ACHIEVEMENTS):
        if row.date is not None:
            if not start <= row.date <= end:
                continue
        elif row.term != term.id:
            continue
        item = dataclasses.replace(
            row,
            name=row.name.strip(),
            category=_category(row, category_aliases, tuple(section.category_order)),
            level=normalize_level(row.level, level_aliases)[0],
            authors=row.authors.strip(),
            issuer=row.issuer.strip(),
        )
        key = (item.name, item.category, item.authors, item.date, item.level)
        if key in seen:  # the same row imported again from a corrected register
            continue
        seen.add(key)
        out.append(item)
    return dedupe_achievements(out)


def _category(row: Achievement, aliases: dict[str, str], order: tuple[str, ...]) -> str:
    """The configured category of a register row; one filed as 其他 (by an older alias table)
    is recognized again from its name (…科技进步奖, 优秀共产党员)."""
    category = row.category.strip() or "其他"
    category = aliases.get(category, category)
    if category not in order:
        category, _ = normalize_category(category, aliases, order)
    if category == "其他":
        guessed, known = normalize_category("", aliases, order, name=row.name)
        category = guessed if known else category
    return category


_TITLE_NOISE = re.compile(r"[\s《》〈〉“”‘’\"'「」『』（）()\[\]【】、，,。.:：;；!！?？·・—\-_]+")


def title_key(name: str) -> str:
    """An achievement's title for comparison: width, case, spaces, quotes, brackets and
    punctuation do not count (《汽车电气设备检修》 = 汽车电气设备检修)."""
    return _TITLE_NOISE.sub("", unicodedata.normalize("NFKC", name or "")).casefold()


def _facts(item: Achievement) -> int:
    return sum(bool(v) for v in (item.authors, item.level, item.issuer, item.date)) + (
        item.category != "其他"
    )


def dedupe_achievements(items: list[Achievement]) -> list[Achievement]:
    """One entry per achievement: the same title in the same year (or one of the two undated),
    however each register laid it out, counts once. The entry kept is the one stating more
    facts (e.g. the one with its 完成人), in the place of the first."""
    kept: list[Achievement] = []
    for item in items:
        key = title_key(item.name)
        for i, other in enumerate(kept):
            same_year = item.date is None or other.date is None or item.date.year == other.date.year
            if key and title_key(other.name) == key and same_year:
                if _facts(item) > _facts(other):
                    kept[i] = item
                break
        else:
            kept.append(item)
    return kept


def sort_key(item: Achievement, order: tuple[str, ...]):
    rank = order.index(item.level) if item.level in order else len(order)
    return (rank, item.date or dt.date.max, item.name)


def categories_in_order(items: list[Achievement], configured: tuple[str, ...]) -> list[str]:
    present = {i.category for i in items}
    return list(configured) + sorted(present - set(configured))


@dataclass
class Statistics:
    categories: list[str]
    levels: list[str]
    table: dict[tuple[str, str], int]
    total: int
    authors: list[str]
    members_among_authors: list[str]

    def by_category(self, category: str) -> int:
        return sum(n for (c, _), n in self.table.items() if c == category)

    def by_level(self, level: str) -> int:
        return sum(n for (_, lv), n in self.table.items() if lv == level)


def _level_column(level: str, order: tuple[str, ...]) -> str:
    if not level:
        return UNSTATED_LEVEL
    return level if level in order else OTHER_LEVEL


def statistics(items: list[Achievement], config, member_names: list[str]) -> Statistics:
    order = tuple(config.achievements.level_order)
    # Columns: the configured levels that occur (all of the first four when nothing does), then 其他
    # (a level outside the order), then 未注明级别 (the register gives none: never counted as 其他).
    used = {_level_column(i.level, order) for i in items}
    levels = [lv for lv in order if lv in used] or list(order[:4])
    levels += [lv for lv in (OTHER_LEVEL, UNSTATED_LEVEL) if lv in used]
    table: Counter[tuple[str, str]] = Counter()
    for i in items:
        table[(i.category, _level_column(i.level, order))] += 1
    authors: list[str] = []
    for i in items:
        for name in author_names(i.authors):
            if name not in authors:
                authors.append(name)
    members = set(member_names)
    return Statistics(
        categories_in_order(items, tuple(config.achievements.category_order)),
        levels,
        dict(table),
        len(items),
        authors,
        [a for a in authors if a in members],
    )


# --- the document ---------------------------------------------------------------------------------


def _statistics_part(doc, heading: str, term: Term, snap: Snapshot, items, stats: Statistics) -> None:
    wk.heading(doc, 1, heading)
    if items:
        summary = f"{term.label}，支部共登记成果{stats.total}项，涉及完成人{len(stats.authors)}人（按完成人姓名去重）"
        if snap.members:
            summary += f"，其中本支部党员{len(stats.members_among_authors)}人"
        parts = [f"{lv}{stats.by_level(lv)}项" for lv in stats.levels if stats.by_level(lv)]
        summary += "。按级别分：" + "、".join(parts) + "。" if parts else "。"
    else:
        summary = f"{term.label}暂无登记的成果。"
    wk.paragraph(doc, summary)
    header = ["类别", *stats.levels, "合计"]
    rows = [
        [c, *[str(stats.table.get((c, lv), 0)) for lv in stats.levels], str(stats.by_category(c))]
        for c in stats.categories
    ]
    rows.append(["合计", *[str(stats.by_level(lv)) for lv in stats.levels], str(stats.total)])
    t = wk.table(doc, header, rows)
    wk.center_cells(t, list(range(1, len(header))))


COLUMNS = ["序号", "成果名称", "完成人", "级别", "时间", "刊物或颁发单位"]
NO_ROSTER = "成果汇编中没有“支部简介”：还没有导入党员名册（把党员名册放进 inbox/ 后重新运行 zhibu batch）"
NO_REGISTER = (
    "成果汇编中没有成果统计和成果清单：还没有导入成果登记表（把成果登记表放进 inbox/ 后重新运行 zhibu batch）"
)


def build_compilation(
    term: Term, calendar: TermCalendar, config, snap: Snapshot, today: dt.date, *, paginate=None
) -> tuple[bytes, dict]:
    """The 成果汇编 of a term; returns the .docx bytes and a summary (counts) for messages and tests.

    The contents list the page of each heading: the document is printed once through
    LibreOffice (``paginate``, default :func:`wk.toc_page_numbers`), the pages read back and
    the numbers written in; without LibreOffice Word fills them in when the file is opened.
    """
    branch = config.branch_name
    items = term_achievements(snap, term, calendar, config)
    stats = statistics(items, config, snap.member_names())
    rows_of, widths = _category_tables(items, stats, tuple(config.achievements.level_order))
    listed = list(rows_of)

    # No register of achievements at all: the branch has not said what it achieved, so the
    # statistics and the list are left out (a table of noughts would say it achieved nothing).
    registered = bool(snap.of(ACHIEVEMENTS))
    headings: list[tuple[int, str]] = [(0, "一、成果统计概况"), (0, "二、成果清单")] if registered else []
    for n, c in enumerate(listed, 1):
        headings.append((1, f"{wk.heading_number(2, n)}{c}（{len(rows_of[c])}项）"))
    # The profile states the roster as it stood on the compilation's date; no roster, no section.
    profile = branch_profile(snap.members, config.committee, branch, today)
    development_text = compilation_text(snap, term, config, today)
    if profile or development_text:
        headings.append((0, f"{wk.heading_number(1, 3 if registered else 1)}支部简介"))
    warnings = [] if registered else [NO_REGISTER]
    warnings += [] if profile else [NO_ROSTER]
    if not headings:
        return b"", {"total": 0, "warnings": warnings}  # nothing to compile: no document

    def compose(page_numbers: dict[str, int]) -> bytes:
        doc = wk.new_document()
        wk.cover_page(doc, branch, "成果汇编", term.label, date_line=f"编制日期：{cn_date(today)}")
        wk.start_numbered_body(doc)
        wk.toc(doc, headings, page_numbers)
        if registered:
            _statistics_part(doc, headings[0][1], term, snap, items, stats)
            wk.heading(doc, 1, headings[1][1])
            if not listed:
                wk.paragraph(doc, "本学期暂无登记的成果。")
            for (_, heading), c in zip(headings[2:], listed, strict=False):
                wk.heading(doc, 2, heading)
                t = wk.table(doc, COLUMNS, rows_of[c], widths)
                wk.center_cells(t, [0, 3, 4])
        if profile or development_text:
            wk.heading(doc, 1, headings[-1][1])
        for text in (profile, development_text):
            if text:
                wk.paragraph(doc, text)
        return wk.save_dated(doc, f"{branch}{term.label}成果汇编", today)

    data = compose({})
    numbers = (paginate or wk.toc_page_numbers)(data, [text for _, text in headings])
    if numbers:
        data = compose(numbers)
    return data, _summary(stats, compilation_counts(snap, term, config, today)) | {"warnings": warnings}


def _summary(stats: Statistics, development: dict) -> dict:
    """The counts of a compilation, for messages and tests."""
    return {
        "total": stats.total,
        "by_category": {c: stats.by_category(c) for c in stats.categories},
        "table": {f"{c}|{lv}": n for (c, lv), n in stats.table.items()},
        "authors": len(stats.authors),
        "members_among_authors": len(stats.members_among_authors),
        "development": development,
    }


def _category_tables(
    items: list[Achievement], stats: Statistics, order: tuple[str, ...]
) -> tuple[dict[str, list[list[str]]], list[float]]:
    """The rows of each category's table (categories with items, in order) and one set of widths
    for all of them, so that the columns line up down the pages; the 完成人 one a line, the column
    as wide as the longest of them when they are short, so that no name breaks."""
    rows_of = {}
    for c in stats.categories:
        mine = sorted([i for i in items if i.category == c], key=lambda i: sort_key(i, order))
        if mine:
            rows_of[c] = [
                [str(n), i.name, author_lines(i.authors), i.level, i.date_text, i.issuer]
                for n, i in enumerate(mine, 1)
            ]
    rows = [row for table in rows_of.values() for row in table]
    widths = wk.fit_widths(COLUMNS, rows, nowrap=(0, 2, 3, 4) if _short_authors(rows) else (0, 3, 4))
    return rows_of, widths
