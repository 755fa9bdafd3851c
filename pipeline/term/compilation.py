"""成果汇编 (.docx): cover, contents, statistics, the achievements by category, the branch profile.

Achievements are those of the term: dated inside the term's bounds, or without a date but
registered for the term. Within a category they are sorted by level (``achievements.level_order``,
highest first, unknown levels last) and then by date. The member count behind them is the number
of distinct names among the 完成人 (ranks and remarks in brackets removed).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipeline import wordkit as wk
from pipeline.ingest.dates import cn_date
from pipeline.records.calendar import Term, TermCalendar
from pipeline.records.register_rows import normalize_category
from pipeline.term.data import Snapshot, committee_names
from pipeline.term.development import compilation_counts, compilation_text

log = logging.getLogger("zhibu")

OTHER_LEVEL = "其他"
# Spellings of the levels that the register may keep as typed.
LEVEL_SYNONYMS = {
    "省级": "省部级",
    "部级": "省部级",
    "省部": "省部级",
    "国家": "国家级",
    "全国": "国家级",
    "市": "市级",
    "区级": "市级",
    "校": "校级",
    "院级": "校级",
    "学校": "校级",
}

# "支部全体", "课题组": not a person, not counted among the 完成人.
COLLECTIVE_WORDS = ("全体", "团队", "课题组", "项目组", "集体", "支部", "教研室", "小组")
_BRACKETS = re.compile(r"[（(\[【〔][^）)\]】〕]*[）)\]】〕]")
_SEPARATORS = re.compile(r"[、，,；;/／|:：\s]+")
_RANK = re.compile(
    r"(?:第?[0-9一二三四五六七八九十]+(?:名|位|作者|完成人)?|排名\S*|主持人?|负责人|参与人?|"
    r"指导(?:教师|老师)|通讯作者|独立完成|等)$"
)


@dataclass(frozen=True)
class Achievement:
    name: str
    category: str
    level: str
    authors: str
    date: dt.date | None
    issuer: str

    @property
    def date_text(self) -> str:
        if not self.date:
            return ""
        return f"{self.date.year}年{self.date.month}月" if self.date.day == 1 else cn_date(self.date)


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


def normalize_level(level: str, order: tuple[str, ...], aliases: dict[str, str]) -> str:
    """The register stores normalized levels already; this only maps what is still outside the order."""
    level = (level or "").strip()
    level = aliases.get(level, level)
    if level in order:
        return level
    level = LEVEL_SYNONYMS.get(level, level)
    return level if level in order else (level or OTHER_LEVEL)


def term_achievements(snap: Snapshot, term: Term, calendar: TermCalendar, config) -> list[Achievement]:
    start, end = calendar.bounds(term)
    section = config.achievements
    order = tuple(section.level_order)
    level_aliases = dict(section.level_aliases)
    category_aliases = dict(section.category_aliases)
    seen: set[tuple] = set()
    out: list[Achievement] = []
    for row in snap.achievements:
        day = None
        if row.get("date"):
            try:
                day = dt.date.fromisoformat(str(row["date"])[:10])
            except ValueError:
                day = None
        if day is not None:
            if not start <= day <= end:
                continue
        elif row.get("term") != term.id:
            continue
        category = _category(row, category_aliases, tuple(section.category_order))
        item = Achievement(
            name=(row.get("name") or "").strip(),
            category=category,
            level=normalize_level(row.get("level") or "", order, level_aliases),
            authors=(row.get("authors") or "").strip(),
            date=day,
            issuer=(row.get("issuer") or "").strip(),
        )
        key = (item.name, item.category, item.authors, item.date, item.level)
        if key in seen:  # the same row imported again from a corrected register
            continue
        seen.add(key)
        out.append(item)
    return dedupe_achievements(out)


def _category(row: dict, aliases: dict[str, str], order: tuple[str, ...]) -> str:
    """The configured category of a register row; one filed as 其他 (by an older alias table)
    is recognized again from its name (…科技进步奖, 优秀共产党员)."""
    category = (row.get("category") or "").strip() or "其他"
    category = aliases.get(category, category)
    if category not in order:
        category, _ = normalize_category(category, aliases, order)
    if category == "其他":
        guessed, known = normalize_category("", aliases, order, name=row.get("name") or "")
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


def statistics(items: list[Achievement], config, member_names: list[str]) -> Statistics:
    order = tuple(config.achievements.level_order)
    # Columns: the configured levels that occur (all of the first four when nothing does), then 其他.
    used = {i.level for i in items}
    levels = [lv for lv in order if lv in used] or list(order[:4])
    levels += [OTHER_LEVEL] if any(i.level not in order for i in items) else []
    table: Counter[tuple[str, str]] = Counter()
    for i in items:
        table[(i.category, i.level if i.level in order else OTHER_LEVEL)] += 1
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


# --- the branch profile -------------------------------------------------------------------------

SENIOR_TITLES = (
    "教授",
    "研究员",
    "正高级讲师",
    "正高级工程师",
    "副教授",
    "副研究员",
    "高级讲师",
    "高级工程师",
    "高级实验师",
    "高级经济师",
    "高级会计师",
    "正高",
    "副高",
    "高级",
)
MIDDLE_TITLES = ("讲师", "工程师", "实验师", "助理研究员", "中级", "经济师", "会计师")


def title_level(member: dict) -> str:
    """高级 / 中级 / 其他, from 职称级别 or else the title itself (高级 = 正高 + 副高)."""
    for text in (member.get("title_level") or "", member.get("title") or ""):
        text = text.strip()
        if not text:
            continue
        if text.startswith(("助理", "初级")) or text in ("助教",):
            return "其他"
        if any(t in text for t in SENIOR_TITLES):
            return "高级"
        if any(t in text for t in MIDDLE_TITLES):
            return "中级"
    return "其他"


def own_profile(members: list[dict], committee, branch_name: str) -> str:
    """The profile stated from the roster, in the style of a branch construction plan: "有正式党员28人……高级职称4人"."""
    roles = committee_names(committee, members)
    secretary = [n for n, r in roles.items() if r in ("书记",)]
    others = [n for n, r in roles.items() if r not in ("书记",)]
    lead = f"党支部书记{'、'.join(secretary)}" if secretary else ""
    if others:
        lead += ("，" if lead else "") + f"支部委员{'、'.join(others)}"
    if not members:
        text = f"{branch_name}尚未导入党员名册，无法统计党员情况。"
        return text + (f"{lead}。" if lead else "")
    formal = sum(1 for m in members if (m.get("member_type") or "正式") != "预备")
    probation = len(members) - formal
    counts = Counter(title_level(m) for m in members)
    studies = [f"{m.get('degree') or ''}{m.get('education') or ''}" for m in members]
    doctors = sum(1 for s in studies if "博士" in s)
    masters = sum(1 for s in studies if "硕士" in s and "博士" not in s)
    honoured = sum(1 for m in members if (m.get("honours") or "").strip())
    text = f"{branch_name}有正式党员{formal}人"
    if probation:
        text += f"、预备党员{probation}人"
    if lead:
        text += f"，{lead}"
    text += f"。支部党员中高级职称{counts['高级']}人、中级职称{counts['中级']}人；博士{doctors}人、硕士{masters}人"
    if honoured:
        text += f"；获得各类荣誉的党员{honoured}人"
    return text + "。"


def branch_profile_text(members: list[dict], committee, branch_name: str) -> str:
    """The registers engineer's ``branch_profile`` when it is installed, else ours."""
    try:
        from pipeline.registers.profile import branch_profile  # type: ignore[import-not-found]
    except ImportError:
        return own_profile(members, committee, branch_name)
    try:
        return branch_profile(members, committee, branch_name)
    except Exception:  # noqa: BLE001 - a profile problem must not stop the compilation
        log.exception("branch_profile failed; using the built-in profile")
        return own_profile(members, committee, branch_name)


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
    order = tuple(config.achievements.level_order)
    stats = statistics(items, config, snap.member_names())
    by_category = {
        c: sorted([i for i in items if i.category == c], key=lambda i: sort_key(i, order))
        for c in stats.categories
    }
    listed = [c for c in stats.categories if by_category[c]]

    headings: list[tuple[int, str]] = [(0, "一、成果统计概况"), (0, "二、成果清单")]
    for n, c in enumerate(listed, 1):
        headings.append((1, f"{wk.heading_number(2, n)}{c}（{len(by_category[c])}项）"))
    headings.append((0, "三、支部简介"))

    rows_of = {
        c: [
            [str(n), i.name, i.authors, i.level, i.date_text, i.issuer]
            for n, i in enumerate(by_category[c], 1)
        ]
        for c in listed
    }
    # One set of widths for every category's table, so that the columns line up down the pages.
    widths = wk.fit_widths(COLUMNS, [row for c in listed for row in rows_of[c]], nowrap=(0, 3, 4))

    development_text = compilation_text(snap, term, calendar)

    def compose(page_numbers: dict[str, int]) -> bytes:
        doc = wk.new_document()
        wk.cover_page(doc, branch, "成果汇编", term.label, date_line=f"编制日期：{cn_date(today)}")
        wk.start_numbered_body(doc)
        wk.toc(doc, headings, page_numbers)
        _statistics_part(doc, headings[0][1], term, snap, items, stats)
        wk.heading(doc, 1, headings[1][1])
        if not listed:
            wk.paragraph(doc, "本学期暂无登记的成果。")
        for (_, heading), c in zip(headings[2:], listed, strict=False):
            wk.heading(doc, 2, heading)
            t = wk.table(doc, COLUMNS, rows_of[c], widths)
            wk.center_cells(t, [0, 3, 4])
        wk.heading(doc, 1, headings[-1][1])
        wk.paragraph(doc, branch_profile_text(snap.members, config.committee, branch))
        if development_text:
            wk.paragraph(doc, development_text)
        return wk.save_dated(doc, f"{branch}{term.label}成果汇编", today)

    data = compose({})
    numbers = (paginate or wk.toc_page_numbers)(data, [text for _, text in headings])
    if numbers:
        data = compose(numbers)
    return data, {
        "total": stats.total,
        "by_category": {c: stats.by_category(c) for c in stats.categories},
        "table": {f"{c}|{lv}": n for (c, lv), n in stats.table.items()},
        "authors": len(stats.authors),
        "members_among_authors": len(stats.members_among_authors),
        "development": compilation_counts(snap, term, calendar),
    }
