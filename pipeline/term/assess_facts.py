"""The facts of a year for its assessment, gathered from the index and the outbox (the I/O edge of
``term.assess``): the compliance checks of the year's periods, the minutes and their sign-in
sheets, the achievements, the 党费 account, the 发展党员 register, the plans, and the archived
file behind each fact (its evidence).

The year is a 自然年 or a 学年 (zhibu.toml ``[assess] basis``). A period is judged in the year
that contains its last day (学年: the 2024年第三季度 ends in September, so 2024—2025学年 judges it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from pathlib import Path

from pipeline.chinese import cn_date
from pipeline.errors import CommandLineError
from pipeline.kinds.achievements import DATA as ACHIEVEMENTS
from pipeline.kinds.assessment_rules import DATA as RULE_ROWS
from pipeline.kinds.assessment_rules import GRADES_DATA, criteria_of
from pipeline.kinds.development import DATA as PEOPLE
from pipeline.kinds.dues_payments import DATA as PAYMENTS
from pipeline.kinds.plan import ITEMS_DATA, TEXTS_DATA
from pipeline.records.assessment import PERIODS, Criteria, Indicator
from pipeline.records.calendar import Term, parse_year
from pipeline.records.development import period_counts
from pipeline.records.dues import ym
from pipeline.records.periods import periods_overlapping
from pipeline.records.rules import DEFAULT_RULES, Rule, RuleSet, load_rules
from pipeline.records.same_day import one_per_activity
from pipeline.store import Store
from pipeline.term import development as dev
from pipeline.term.assess import AssessYear, Evidence, YearFacts
from pipeline.term.batch import output_names, term_folder
from pipeline.term.compliance import Check, period_checks
from pipeline.term.data import Snapshot, committee_names
from pipeline.term.documents import minutes_title
from pipeline.term.dues import account
from pipeline.term.volume_pages import volume_pages

SECRETARY_LECTURE = "书记讲党课"


def assess_year(config, text: str | None, today: dt.date) -> AssessYear:
    """The year ``--year`` names (2024, or 2024-2025 for a 学年), by zhibu.toml's basis; the
    current one without it. Under 自然年, 2024-2025 means 2024 (the year it starts in)."""
    academic = config.assess.basis == "学年"
    if text is None:
        start = today.year if not academic else (today.year if today.month >= 9 else today.year - 1)
    else:
        plain = text.strip()
        try:
            start = int(plain) if plain.isdigit() and len(plain) == 4 else parse_year(plain)
        except Exception:  # noqa: BLE001 - parse_year's own error is about --year of batch
            raise CommandLineError(
                f"--year「{text}」无法识别", hint="写成 2024（自然年）或 2024-2025（学年）。"
            ) from None
    if academic:
        return AssessYear(
            f"{start}-{start + 1}",
            dt.date(start, 9, 1),
            dt.date(start + 1, 8, 31),
            f"{start}—{start + 1}学年",
        )
    return AssessYear(str(start), dt.date(start, 1, 1), dt.date(start, 12, 31), f"{start}年")


def year_folder(ws, year: AssessYear) -> Path:
    """Where a year's 考核 papers go: a 学年 in its own folder (outbox/2024-2025学年/2024—2025学年考核/);
    a 自然年, which spans two 学年, in a folder of its own beside them (outbox/2024年考核/)."""
    if not year.id.isdigit():
        return ws.outbox / Term(year.start.year, 1).year_folder / f"{year.label}考核"
    return ws.outbox / f"{year.label}考核"


def load_criteria(snap: Snapshot) -> Criteria:
    return criteria_of(snap.of(RULE_ROWS), snap.of(GRADES_DATA))


def span_rule(activity: str, per: str, ruleset: RuleSet) -> Rule:
    """The compliance rule an indicator checks: zhibu.toml's (党小组 scope, exempt months, the
    secretary's 党课, 谈心谈话 coverage) with the 细则's period."""
    base = next((r for r in (*ruleset.rules, *DEFAULT_RULES) if r.key == activity), None)
    if base is None:
        base = Rule(activity, activity, per)
    return replace(base, per=per, count=base.count if base.pairs else 1)


def year_checks(
    rules: list[Rule], year: AssessYear, config, snap: Snapshot, today: dt.date
) -> dict[tuple[str, str], list[Check]]:
    """The compliance check of every period that ends in the year, per (rule key, period)."""
    ruleset = load_rules(config)
    snap = replace(snap, meetings=one_per_activity([m for m in snap.meetings if m.date <= today]))
    committee = committee_names(config.committee, snap.members)
    out: dict[tuple[str, str], list[Check]] = {}
    for rule in rules:
        checks: list[Check] = []
        for period in periods_overlapping(rule.per, year.start, year.end, config.calendar):
            if year.contains(period.end):
                checks += period_checks(rule, period, snap, committee, ruleset, today, True)
        out[(rule.key, rule.per)] = checks
    return out


class Gatherer:
    """Reads what the facts need; one per run."""

    def __init__(self, ws, snap: Snapshot, year: AssessYear, today: dt.date):
        self.ws, self.snap, self.year, self.today = ws, snap, year, today
        self.as_of = min(today, year.end)
        with Store(ws.index_path) as store:
            self.sources = {s: store.source(s) for s in self._source_ids(store)}
            self.signin_ids = store.signin_sources()
            self.roster_id = store.roster_source()
            self.development_ids = store.development_sources()
        self.pages = volume_pages(ws)

    def _source_ids(self, store: Store) -> set[int]:
        ids = {a.source_id for a in self.snap.of(ACHIEVEMENTS)}
        ids |= {p.source_id for p in self.snap.of(PAYMENTS)}
        ids |= {i.source_id for i in self.snap.of(ITEMS_DATA)} | {
            t.source_id for t in self.snap.of(TEXTS_DATA)
        }
        ids |= set(store.signin_sources().values()) | set(store.development_sources())
        ids.add(store.roster_source())
        return {i for i in ids if i}

    def source(self, source_id: int | None, title: str, day: dt.date | None = None) -> Evidence | None:
        row = self.sources.get(source_id) if source_id else None
        if row is None or not row.archived_path:
            return None
        return Evidence(title or Path(row.original_name).stem, day, row.archived_path)

    def made(self, path: Path, title: str, day: dt.date | None = None) -> list[Evidence]:
        """A document zhibu made (a 工作计划, a 台账), when it exists."""
        if not path.is_file():
            return []
        rel = path.relative_to(self.ws.root).as_posix()
        return [Evidence(title, day, rel, self.pages.get(rel, ""))]


def gather(ws, snap: Snapshot, criteria: Criteria, year: AssessYear, today: dt.date) -> YearFacts:
    g = Gatherer(ws, snap, year, today)
    cfg = ws.config
    facts = YearFacts(year, g.as_of, today)
    ruleset = load_rules(cfg)
    rules = [
        span_rule(i.rule.activity, i.rule.per, ruleset) for i in criteria.indicators if i.rule.kind == PERIODS
    ]
    checks = year_checks(rules, year, cfg, snap, today)
    facts.checks = {
        (i.rule.activity, i.rule.per): checks[(i.rule.activity, i.rule.per)]
        for i in criteria.indicators
        if i.rule.kind == PERIODS
    }
    facts.meetings = [m for m in one_per_activity(snap.meetings) if year.contains(m.date) and m.date <= today]
    facts.minutes_evidence = {
        m.id: Evidence(minutes_title(m), m.date, m.path, g.pages.get(m.path, "")) for m in snap.meetings
    }
    for key, sid in g.signin_ids.items():
        ev = g.source(sid, f"{key[0]}签到表（{cn_date(key[1])}）", key[1])
        if ev is not None:
            facts.signins[key] = ev
    facts.achievements = [(a, g.source(a.source_id, "成果登记表")) for a in snap.of(ACHIEVEMENTS)]
    _dues(g, facts)
    _development(g, facts)
    _plans(g, facts)
    facts.self_facts = lambda indicator: self_facts(g, facts, indicator)
    return facts


def _dues(g: Gatherer, facts: YearFacts) -> None:
    year, cfg = g.year, g.ws.config
    acc = account(
        g.snap, cfg, ym(year.start.year, year.start.month), ym(year.end.year, year.end.month), g.today
    )
    needed = set(range(year.start.year, g.as_of.year + 1))
    if not g.snap.of(PAYMENTS) or not needed <= acc.recorded:
        return
    facts.dues = acc
    ids = sorted({p.source_id for p in g.snap.of(PAYMENTS) if p.year in needed and p.source_id})
    facts.dues_files = [ev for sid in ids if (ev := g.source(sid, "党费收缴登记表")) is not None]
    for y in sorted(needed):
        folder = g.ws.outbox / Term(y, 1).year_folder / "党费"
        facts.dues_files += g.made(folder / f"{y}年党费收缴台账.xlsx", f"{y}年党费收缴台账")


def _development(g: Gatherer, facts: YearFacts) -> None:
    if not g.snap.of(PEOPLE):
        return
    facts.development = dev.assessed(g.snap, g.ws.config, g.as_of)
    facts.development_files = [
        ev for sid in g.development_ids if (ev := g.source(sid, "发展党员登记表")) is not None
    ]


def _plans(g: Gatherer, facts: YearFacts) -> None:
    calendar = g.ws.config.calendar
    for period in periods_overlapping("term", g.year.start, g.year.end, calendar):
        if g.year.contains(period.start) and period.start <= g.as_of:
            facts.terms.append(Term.parse(period.label))
    for term in facts.terms:
        ids = {i.source_id for i in g.snap.of(ITEMS_DATA) if i.term == term.id}
        ids |= {t.source_id for t in g.snap.of(TEXTS_DATA) if t.term == term.id}
        files = [
            ev for sid in sorted(i for i in ids if i) if (ev := g.source(sid, f"{term.label}工作计划表"))
        ]
        if files:
            plan = term_folder(g.ws, term) / output_names(term)["plan"]
            facts.plans[term.id] = files + g.made(plan, f"{term.label}工作计划")


# --- facts beside the indicators left to the secretary ---------------------------------------------


def self_facts(g: Gatherer, facts: YearFacts, indicator: Indicator) -> tuple[list[str], list[Evidence]]:
    """What the archive shows about an indicator left to the secretary, found by its words."""
    text = indicator.name + indicator.point + indicator.evidence
    lines: list[str] = []
    files: list[Evidence] = []
    for words, part in SELF_PARTS:
        if any(w in text for w in words):
            found, shown = part(g, facts)
            lines += found
            files += shown
    return lines, files


def _committee(g: Gatherer, facts: YearFacts) -> tuple[list[str], list[Evidence]]:
    committee = committee_names(g.ws.config.committee, g.snap.members)
    return (
        ["支部委员会：" + "、".join(f"{n}（{r}）" for n, r in committee.items())] if committee else []
    ), []


def _roster(g: Gatherer, facts: YearFacts) -> tuple[list[str], list[Evidence]]:
    members = g.snap.members
    if not members:
        return [], []
    formal = sum(not m.is_probationary for m in members)
    line = f"党员名册：党员{len(members)}人，其中正式党员{formal}人、预备党员{len(members) - formal}人"
    ev = g.source(g.roster_id, "党员名册")
    return [line], [ev] if ev is not None else []


def _training(g: Gatherer, facts: YearFacts) -> tuple[list[str], list[Evidence]]:
    if not g.snap.of(PEOPLE):
        return [], []
    counts = period_counts(g.snap.of(PEOPLE), g.year.start, g.as_of, dev.rules_of(g.ws.config), g.as_of)
    sentence = counts.sentence()
    return ([f"{g.year.label}{sentence}"] if sentence else []), []


def _records(g: Gatherer, facts: YearFacts) -> tuple[list[str], list[Evidence]]:
    lines, files = [], []
    kinds = Counter(m.type for m in facts.meetings)
    if kinds:
        parts = "、".join(f"{k}{n}份" for k, n in kinds.items())
        lines.append(f"{g.year.label}归档会议记录{len(facts.meetings)}份：{parts}")
    for term in facts.terms:
        files += g.made(term_folder(g.ws, term) / output_names(term)["ledger"], f"{term.label}三会一课台账")
    return lines, files


def _achievements(g: Gatherer, facts: YearFacts) -> tuple[list[str], list[Evidence]]:
    mine = Counter(a.category for a, _ in facts.achievements if g.year.contains(a.date))
    if not mine:
        return [], []
    return [f"{g.year.label}成果登记：" + "、".join(f"{k}{n}项" for k, n in mine.items())], []


SELF_PARTS = (
    (("班子", "支委", "履职"), _committee),
    (("名册", "党员管理", "党员信息"), _roster),
    (("积极分子", "培养"), _training),
    (("台账", "档案", "归档", "会议记录"), _records),
    (("品牌", "案例", "特色", "成果"), _achievements),
)
