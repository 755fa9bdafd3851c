"""How often each activity is required, and the quorum of each meeting, as data (《中国共产党支部工作条例（试行）》).

The defaults below follow 《中国共产党支部工作条例（试行）》 and common school practice. A branch
changes them in ``zhibu.toml``; an entry overrides only the fields it names::

    [rules]
    exempt_months = [1, 2, 7, 8]

    [rules.frequencies]
    党课 = { per = "term" }                       # 每学期1次 instead of 每季度
    主题党日 = { per = "month", count = 1, exempt = false }   # also in the vacations
    民主评议党员 = false                          # not checked at all

    [rules.quorum]
    支委会 = { fraction = 0.5, strict = false, source = "《中国共产党支部工作条例（试行）》第十二条" }

Fields of a frequency entry: ``per`` (month | quarter | half-year | term | academic-year | year,
or 月/季度/半年/学期/学年/年), ``count``, ``source``, ``exempt`` (skip the exempt months; monthly
rules only), ``scope`` ("branch" or "group": 党小组会 is required per 党小组), ``activity`` (when
the key is not an activity name, e.g. 书记讲党课), ``by`` (only meetings chaired by the holder of
this committee role count, e.g. "书记"), ``pairs`` (谈心谈话: report committee–member coverage).

This module imports nothing from ``pipeline.config``: the config schema calls
``validate_table`` lazily, so a wrong value is reported when zhibu.toml is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.errors import ConfigError
from pipeline.records.checks import DEFAULT_QUORUM, QuorumRule
from pipeline.records.periods import KIND_NAMES, PERIOD_ALIASES, PERIOD_KINDS
from pipeline.records.types import MEETING_TYPES, resolve_meeting_type

REGULATION = "《中国共产党支部工作条例（试行）》"
USER_SOURCE = "本支部设置（zhibu.toml）"


@dataclass(frozen=True)
class Rule:
    key: str  # name of the rule: the activity, or e.g. 书记讲党课
    activity: str  # canonical meeting type counted
    per: str  # a key of PERIOD_KINDS
    count: int = 1
    source: str = ""
    exempt: bool = True  # monthly rules skip rules.exempt_months
    scope: str = "branch"  # "group": required per 党小组
    by: str = ""  # committee role whose meetings count (书记)
    pairs: bool = False  # 谈心谈话: coverage of committee–member pairs

    def describe(self) -> str:
        """每月至少1次, 书记每年至少讲1次 …"""
        if self.pairs:
            return f"支部委员与每名党员{PERIOD_KINDS[self.per]}至少谈心谈话{self.count}次"
        unit = "各党小组" if self.scope == "group" else ""
        if self.by:
            return f"{self.by}{PERIOD_KINDS[self.per]}至少讲{self.count}次{self.activity}"
        return f"{unit}{PERIOD_KINDS[self.per]}至少{self.count}次"

    @property
    def monthly(self) -> bool:
        return self.per == "month"


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("支部党员大会", "支部党员大会", "quarter", 1, f"{REGULATION}第十一条"),
    Rule("支委会", "支委会", "month", 1, f"{REGULATION}第十二条"),
    Rule("党小组会", "党小组会", "month", 1, f"{REGULATION}第十三条", scope="group"),
    Rule("党课", "党课", "quarter", 1, "学校通行做法（各校不同：每季度、每学期或每半年1次）"),
    Rule("书记讲党课", "党课", "year", 1, f"{REGULATION}：党支部书记每年至少讲1次党课", by="书记"),
    Rule("主题党日", "主题党日", "month", 1, f"{REGULATION}第十六条"),
    Rule("组织生活会", "组织生活会", "year", 1, f"{REGULATION}第十七条"),
    Rule("民主评议党员", "民主评议党员", "year", 1, f"{REGULATION}第十八条"),
    Rule("谈心谈话", "谈心谈话", "year", 1, f"{REGULATION}第十九条", pairs=True),
)

_FIELDS = {"per", "count", "source", "exempt", "scope", "activity", "by", "pairs"}
_SCOPES = {"branch": "branch", "支部": "branch", "group": "group", "党小组": "group", "小组": "group"}
_QUORUM_FIELDS = {"fraction", "strict", "source"}


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...] = DEFAULT_RULES
    exempt_months: tuple[int, ...] = (1, 2, 7, 8)
    quorum: dict[str, QuorumRule] = field(default_factory=lambda: dict(DEFAULT_QUORUM))

    def exempt(self, rule: Rule, month: int | None) -> bool:
        return rule.monthly and rule.exempt and month in self.exempt_months


def _activity_names() -> str:
    return "、".join(t.name for t in MEETING_TYPES)


def _canonical(name: str) -> str | None:
    found = resolve_meeting_type(name, exact=True)
    return found.name if found and "".join(name.split()) in (found.name, *found.aliases) else None


def parse_frequencies(table: dict[str, Any], key: str = "rules.frequencies") -> tuple[Rule, ...]:
    """The default rules with the table's entries applied; ConfigError names the bad key."""
    rules: dict[str, Rule] = {r.key: r for r in DEFAULT_RULES}
    for name, entry in table.items():
        where = f"{key}.{name}"
        canonical = _canonical(name)
        rule_key = canonical or name.strip()
        if entry is False:
            if rule_key not in rules:
                raise ConfigError(where, f"不是已有的规则，无需关闭（已有：{'、'.join(rules)}）")
            del rules[rule_key]
            continue
        if entry is True:
            entry = {}
        _check_table(entry, where)
        base = rules.get(rule_key)
        activity = _rule_activity(entry, base, canonical, where)
        rule = _rule_of(rule_key, activity, base, _rule_values(entry, where), where)
        if rule.pairs and rule.activity != "谈心谈话":
            raise ConfigError(f"{where}.pairs", "只适用于谈心谈话")
        rules[rule_key] = rule
    return tuple(rules.values())


def _check_table(entry: Any, where: str) -> None:
    """ConfigError unless a [rules.frequencies] entry is a table of known fields."""
    if not isinstance(entry, dict):
        raise ConfigError(
            where,
            f'应为 {{ per = "month", count = 1 }} 形式的表，或写 false 表示不检查，实际写的是「{entry!r}」',
        )
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ConfigError(
            f"{where}.{sorted(unknown)[0]}", f"是未知的规则字段（可用：{'、'.join(sorted(_FIELDS))}）"
        )


def _rule_activity(entry: dict[str, Any], base: Rule | None, canonical: str | None, where: str) -> str:
    """The activity a rule counts: its ``activity`` field, else the rule's own or the entry's name."""
    activity: str | None = entry.get("activity", base.activity if base else canonical)
    if "activity" in entry:
        if not isinstance(activity, str) or not _canonical(activity):
            raise ConfigError(
                f"{where}.activity", f"「{activity}」不是已知的活动（可用：{_activity_names()}）"
            )
        activity = _canonical(activity)
    if activity is None:
        raise ConfigError(
            where,
            f'不是已知的活动名称（可用：{_activity_names()}）；自定义规则请加 activity = "活动名称"',
        )
    return activity


def _rule_of(rule_key: str, activity: str, base: Rule | None, values: dict[str, Any], where: str) -> Rule:
    """A new rule from the entry's values, or the default rule with them applied (its source becomes the
    user's when its period or count changes)."""
    if base is None:
        if "per" not in values:
            raise ConfigError(where, '新规则必须写明 per（周期），例如 per = "month"')
        return Rule(rule_key, activity, **{"source": USER_SOURCE, **values})
    changed = any(values.get(k, getattr(base, k)) != getattr(base, k) for k in ("per", "count"))
    if changed and "source" not in values:
        values["source"] = USER_SOURCE
    return replace(base, activity=activity, **values)


def _rule_values(entry: dict[str, Any], where: str) -> dict[str, Any]:
    """The checked fields of one [rules.frequencies] entry (per, count, exempt, pairs, source, by, scope)."""
    values: dict[str, Any] = {}
    if "per" in entry:
        values["per"] = _per(entry["per"], where)
    if "count" in entry:
        count = entry["count"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 0 or count > 100:
            raise ConfigError(f"{where}.count", f"应为 0 到 100 之间的整数，实际写的是「{count!r}」")
        values["count"] = count
    for flag in ("exempt", "pairs"):
        if flag in entry:
            if not isinstance(entry[flag], bool):
                raise ConfigError(f"{where}.{flag}", f"应为 true 或 false，实际写的是「{entry[flag]!r}」")
            values[flag] = entry[flag]
    for text in ("source", "by"):
        if text in entry:
            if not isinstance(entry[text], str):
                raise ConfigError(f"{where}.{text}", f"应为用引号括起来的文字，实际写的是「{entry[text]!r}」")
            values[text] = entry[text].strip()
    if "scope" in entry:
        values["scope"] = _scope(entry["scope"], where)
    return values


def _per(written: Any, where: str) -> str:
    """A rule's period: month, quarter, … or its Chinese alias (月、季度、…)."""
    per = PERIOD_ALIASES.get(written, written) if isinstance(written, str) else written
    if per not in PERIOD_KINDS:
        raise ConfigError(
            f"{where}.per",
            f"应为 {' / '.join(PERIOD_KINDS)}（或 月、季度、半年、学期、学年、年），实际写的是「{written!r}」",
        )
    return per


def _scope(written: Any, where: str) -> str:
    """A rule's scope: "branch" or "group"."""
    scope = _SCOPES.get(written) if isinstance(written, str) else None
    if not scope:
        raise ConfigError(
            f"{where}.scope", f'应为 "branch"（按支部）或 "group"（按党小组），实际写的是「{written!r}」'
        )
    return scope


def parse_quorum(table: dict[str, Any], key: str = "rules.quorum") -> dict[str, QuorumRule]:
    quorum = dict(DEFAULT_QUORUM)
    for name, entry in table.items():
        where = f"{key}.{name}"
        activity = _canonical(name)
        if activity is None:
            raise ConfigError(where, f"不是已知的活动名称（可用：{_activity_names()}）")
        if entry is False:
            quorum.pop(activity, None)
            continue
        if not isinstance(entry, dict):
            raise ConfigError(
                where,
                f"应为 {{ fraction = 0.5, strict = true }} 形式的表，或写 false 表示不检查，实际写的是「{entry!r}」",
            )
        unknown = set(entry) - _QUORUM_FIELDS
        if unknown:
            raise ConfigError(
                f"{where}.{sorted(unknown)[0]}", f"是未知的字段（可用：{'、'.join(sorted(_QUORUM_FIELDS))}）"
            )
        base = quorum.get(activity, QuorumRule(0.5, True, USER_SOURCE))
        fraction = entry.get("fraction", base.fraction)
        if isinstance(fraction, bool) or not isinstance(fraction, int | float) or not 0 < fraction <= 1:
            raise ConfigError(
                f"{where}.fraction", f"应为 0 到 1 之间的数（半数写 0.5），实际写的是「{fraction!r}」"
            )
        strict = entry.get("strict", base.strict)
        if not isinstance(strict, bool):
            raise ConfigError(
                f"{where}.strict", f"应为 true（超过）或 false（不少于），实际写的是「{strict!r}」"
            )
        same = (float(fraction), strict) == (base.fraction, base.strict)
        source = entry.get("source", base.source if same else USER_SOURCE)
        if not isinstance(source, str):
            raise ConfigError(f"{where}.source", f"应为用引号括起来的文字，实际写的是「{source!r}」")
        quorum[activity] = QuorumRule(float(fraction), strict, source)
    return quorum


def validate_table(kind: str, key: str, value: dict) -> dict:
    """Called by the config schema: check a [rules.*] table, return it unchanged."""
    (parse_frequencies if kind == "frequencies" else parse_quorum)(value, key)
    return value


def load_rules(config: Any) -> RuleSet:
    """The rules of a workspace's validated Config (duck-typed: the config package sits above records)."""
    section = config.rules
    return RuleSet(
        rules=parse_frequencies(section.frequencies),
        exempt_months=tuple(section.exempt_months),
        quorum=parse_quorum(section.quorum),
    )


def describe_rule(rule: Rule, exempt_months: tuple[int, ...]) -> str:
    """The rule and its source, for a cell comment or a message."""
    text = f"要求：{rule.describe()}"
    if rule.monthly and rule.exempt and exempt_months:
        text += f"（{'、'.join(f'{m}月' for m in sorted(exempt_months))}为假期，不检查）"
    if rule.scope == "group":
        text += "。党员名册有“所在党小组”时按各党小组分别统计（会议记录的主题或文件名须写明党小组名称），否则按全支部统计"
    text += f"\n依据：{rule.source or USER_SOURCE}"
    return text


__all__ = [
    "DEFAULT_RULES",
    "KIND_NAMES",
    "Rule",
    "RuleSet",
    "describe_rule",
    "load_rules",
    "parse_frequencies",
    "parse_quorum",
    "validate_table",
]
