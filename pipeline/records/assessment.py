"""The 考核细则 as data: indicators, the scoring rules zhibu can evaluate, and the grade bands.

A 细则 row is 一级指标, 二级指标, 考评要点, 分值, 计分标准 and 支撑材料. The 计分标准 is one sentence
of a small vocabulary (spaces are ignored, 分 after a number may be written or not):

============================================  ============================================================
计分标准                                         what zhibu counts in the assessed year
============================================  ============================================================
``自评``                                        nothing: the secretary scores it (the facts found are shown)
``每月 支委会 每缺1个月扣0.5``                  each ended period without the activity (the compliance check
``每季度 党课 每缺1次扣1``                      of ``term.compliance``; months exempt in zhibu.toml are not
``每年 组织生活会 未开展扣2``                   judged; 党小组会 per 党小组; 书记讲党课 only the secretary's;
``每年 谈心谈话 未覆盖扣1``                     谈心谈话 the committee–member coverage). Periods: 每月,
                                                每季度, 每半年, 每学期, 每学年, 每年
``每份无签到扣0.5`` / ``支委会 每份无签到扣0.5``  each record (of that activity; without one, of every
                                                activity but 谈心谈话) with no 签到表 filed for it
``每人每月未交党费扣0.5``                       each member-month unpaid in the 党费收缴登记表
``发展党员 每项违规扣1``                        each 发展党员 date breaking the 细则, each step past its limit
``每学期 无工作计划扣1``                        each term of the year without a filed 工作计划表
``每篇 新闻报道 加0.5 最多2``                   each achievement of the category (成果登记表) dated in
``每项 省部级及以上 获奖/荣誉 加1 最多3``       the year, optionally of a level (及以上: or higher)
============================================  ============================================================

A deduction rule starts from the indicator's 分值 and never goes below 0; a bonus rule starts
from 0 and never exceeds its 最多 (the 分值 when none is written). A rule whose facts are not in
the archive (no 党费收缴登记表, no 发展党员登记表) is not scored: the indicator is left for the
secretary and the run says so. Grades: the lowest score of each grade, highest first (default
≥90 优秀, ≥75 良好, ≥60 一般, below 差).

Pure: no I/O. ``parse_rule`` raises ``AssessmentRuleError`` with the Chinese reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from pipeline.errors import AssessmentRuleError
from pipeline.records.achievement_terms import CATEGORIES, LEVELS, normalize_category, normalize_level
from pipeline.records.periods import PERIOD_ALIASES
from pipeline.records.types import resolve_meeting_type

SELF, PERIODS, SIGNIN, DUES, DEVELOPMENT, PLAN, BONUS = (
    "self",
    "periods",
    "signin",
    "dues",
    "development",
    "plan",
    "bonus",
)
SECRETARY_LECTURE = "书记讲党课"
_NUMBER = r"(\d+(?:\.\d+)?)分?"
_PER = "每月|每季度|每半年|每学期|每学年|每年"
_PERIOD_RULE = re.compile(
    rf"^({_PER})(.+?)(?:每缺1?(?:个月|个季度|季度|次|个|期|学期|年)|未(?:开展|召开|举行|覆盖|完成))扣{_NUMBER}$"
)
_SIGNIN_RULE = re.compile(rf"^(.*?)每(?:份|次)(?:记录)?无签到(?:表)?扣{_NUMBER}$")
_DUES_RULE = re.compile(rf"^每人每月未交(?:党费)?扣{_NUMBER}$")
_DEVELOPMENT_RULE = re.compile(rf"^发展党员每(?:项|处|次)违规扣{_NUMBER}$")
_PLAN_RULE = re.compile(rf"^每学期无工作计划扣{_NUMBER}$")
_BONUS_RULE = re.compile(rf"^每(?:篇|项|个|次)(.+?)加{_NUMBER}(?:最多{_NUMBER})?$")

VOCABULARY = (
    "自评；每月 支委会 每缺1个月扣0.5；每季度 党课 每缺1次扣1；每年 组织生活会 未开展扣2；"
    "每份无签到扣0.5；每人每月未交党费扣0.5；发展党员 每项违规扣1；每学期 无工作计划扣1；"
    "每篇 新闻报道 加0.5 最多2；每项 省部级及以上 获奖/荣誉 加1 最多3"
)


@dataclass(frozen=True)
class ScoreRule:
    """A 计分标准 as zhibu evaluates it."""

    kind: str  # SELF, PERIODS, SIGNIN, DUES, DEVELOPMENT, PLAN, BONUS
    text: str = ""  # as written
    amount: Decimal = Decimal(0)  # deducted or added per item
    activity: str = ""  # PERIODS, SIGNIN: the activity (or 书记讲党课); BONUS: the category
    per: str = ""  # PERIODS: a key of periods.PERIOD_KINDS
    level: str = ""  # BONUS: only achievements of this level
    or_higher: bool = False  # BONUS: … or of a higher level
    cap: Decimal | None = None  # BONUS: 最多

    @property
    def bonus(self) -> bool:
        return self.kind == BONUS

    @property
    def measurable(self) -> bool:
        return self.kind != SELF


@dataclass(frozen=True)
class Indicator:
    """One row of the 细则."""

    area: str  # 一级指标
    name: str  # 二级指标
    point: str  # 考评要点
    points: Decimal  # 分值
    rule: ScoreRule
    evidence: str = ""  # 支撑材料
    where: str = ""  # the row it came from, for messages


@dataclass(frozen=True)
class Band:
    grade: str  # 优秀
    minimum: Decimal  # the lowest score of the grade


DEFAULT_BANDS = (
    Band("优秀", Decimal(90)),
    Band("良好", Decimal(75)),
    Band("一般", Decimal(60)),
    Band("差", Decimal(0)),
)


@dataclass(frozen=True)
class Criteria:
    """The whole 细则: its indicators in order and its grade bands (highest first)."""

    indicators: tuple[Indicator, ...]
    bands: tuple[Band, ...] = DEFAULT_BANDS
    source: str = "默认考核细则"  # where it came from, for the documents and messages
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def full_marks(self) -> Decimal:
        return sum((i.points for i in self.indicators), Decimal(0))

    def grade(self, score: Decimal) -> str:
        for band in sorted(self.bands, key=lambda b: b.minimum, reverse=True):
            if score >= band.minimum:
                return band.grade
        return ""


def number(text: str) -> Decimal:
    """A points figure as written (0.5, 2, 1.0)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise AssessmentRuleError(f"「{text}」不是数字") from None
    if not value.is_finite() or value < 0 or value > 1000:
        raise AssessmentRuleError(f"「{text}」不是 0 到 1000 之间的分数")
    return value


def _activity(text: str) -> str:
    if text == SECRETARY_LECTURE:
        return text
    found = resolve_meeting_type(text, exact=True)
    if found is None or text not in (found.name, *found.aliases):
        raise AssessmentRuleError(
            f"「{text}」不是已知的活动（可用：支部党员大会、支委会、党小组会、党课、书记讲党课、主题党日、"
            "组织生活会、民主评议党员、谈心谈话）"
        )
    return found.name


def _bonus(text: str, found: re.Match) -> ScoreRule:
    what, each, cap = found.group(1), number(found.group(2)), found.group(3)
    level, or_higher = "", False
    for name in sorted(LEVELS, key=len, reverse=True):
        if what.startswith(name):
            level, what = name, what[len(name) :]
            if what.startswith("及以上"):
                or_higher, what = True, what[3:]
            break
    else:
        for word in ("校级", "市级", "省级", "国家级", "省部级"):
            if what.startswith(word):
                level = normalize_level(word)[0]
                what = what[len(word) :]
                if what.startswith("及以上"):
                    or_higher, what = True, what[3:]
    category, known = normalize_category(what)
    if not known or category == "其他" and what != "其他":
        raise AssessmentRuleError(f"「{what}」不是成果登记表的类别（可用：{'、'.join(CATEGORIES)}）")
    return ScoreRule(
        BONUS, text, each, category, level=level, or_higher=or_higher, cap=number(cap) if cap else None
    )


def parse_rule(text: str) -> ScoreRule:
    """The rule a 计分标准 states; AssessmentRuleError (Chinese) when it is outside the vocabulary."""
    plain = "".join(str(text or "").split()).replace("（", "(").replace("）", ")")
    plain = plain.replace("，", "").replace(",", "").replace("；", "").replace("。", "")
    if not plain:
        raise AssessmentRuleError("计分标准是空的")
    if plain in ("自评", "人工评定", "自评打分"):
        return ScoreRule(SELF, text)
    if found := _PERIOD_RULE.match(plain):
        return ScoreRule(
            PERIODS, text, number(found.group(3)), _activity(found.group(2)), PERIOD_ALIASES[found.group(1)]
        )
    if found := _SIGNIN_RULE.match(plain):
        activity = _activity(found.group(1)) if found.group(1) else ""
        return ScoreRule(SIGNIN, text, number(found.group(2)), activity)
    if found := _DUES_RULE.match(plain):
        return ScoreRule(DUES, text, number(found.group(1)))
    if found := _DEVELOPMENT_RULE.match(plain):
        return ScoreRule(DEVELOPMENT, text, number(found.group(1)))
    if found := _PLAN_RULE.match(plain):
        return ScoreRule(PLAN, text, number(found.group(1)))
    if found := _BONUS_RULE.match(plain):
        return _bonus(text, found)
    raise AssessmentRuleError(f"计分标准「{text}」zhibu 无法计算（可写：{VOCABULARY}）")


# --- the default 细则 -----------------------------------------------------------------------------

# (一级指标, 二级指标, 考评要点, 分值, 计分标准, 支撑材料): the six areas of a teacher branch's
# assessment with the measurable rules of published 细则; a school edits them in 表格模板/考核细则.xlsx.
DEFAULT_ROWS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "班子建设",
        "支委会",
        "每月召开支委会，研究支部工作",
        "6",
        "每月 支委会 每缺1个月扣0.5",
        "支委会会议记录",
    ),
    ("班子建设", "班子履职", "支委分工明确、履职尽责，书记抓党建责任落实", "8", "自评", "支委分工、述职材料"),
    (
        "制度建设",
        "支部党员大会",
        "每季度召开支部党员大会",
        "6",
        "每季度 支部党员大会 每缺1次扣1.5",
        "支部党员大会会议记录",
    ),
    ("制度建设", "党小组会", "各党小组每月开展活动", "4", "每月 党小组会 每缺1个月扣0.5", "党小组会会议记录"),
    ("制度建设", "工作计划", "每学期制定工作计划并按计划开展工作", "4", "每学期 无工作计划扣2", "工作计划"),
    ("制度建设", "组织生活会", "每年召开组织生活会", "4", "每年 组织生活会 未开展扣4", "组织生活会会议记录"),
    (
        "制度建设",
        "民主评议党员",
        "每年开展民主评议党员",
        "4",
        "每年 民主评议党员 未开展扣4",
        "民主评议党员记录",
    ),
    (
        "党员发展",
        "发展程序",
        "严格按照发展党员工作细则的程序和时限开展工作",
        "8",
        "发展党员 每项违规扣1",
        "发展党员登记表、发展党员材料",
    ),
    ("党员发展", "培养教育", "入党积极分子培养教育、考察到位", "4", "自评", "入党积极分子考察材料"),
    ("党员教育与管理", "党课", "每季度至少上1次党课", "6", "每季度 党课 每缺1次扣1.5", "党课记录、讲稿"),
    (
        "党员教育与管理",
        "书记讲党课",
        "支部书记每年至少讲1次党课",
        "2",
        "每年 书记讲党课 未开展扣2",
        "党课讲稿",
    ),
    (
        "党员教育与管理",
        "主题党日",
        "每月开展主题党日活动",
        "4",
        "每月 主题党日 每缺1个月扣0.5",
        "主题党日活动记录",
    ),
    (
        "党员教育与管理",
        "谈心谈话",
        "支委与每名党员每年至少谈心谈话1次",
        "4",
        "每年 谈心谈话 未覆盖扣2",
        "谈心谈话记录",
    ),
    (
        "党员教育与管理",
        "党费收缴",
        "党费按时足额交纳，账目清楚",
        "6",
        "每人每月未交党费扣0.5",
        "党费收缴登记表、党费收缴台账",
    ),
    ("党员教育与管理", "党员管理", "党员组织关系、党员信息管理规范", "4", "自评", "党员名册"),
    ("档案管理", "会议签到", "会议记录附签到表", "6", "每份无签到扣0.5", "签到表"),
    (
        "档案管理",
        "台账资料",
        "工作手册、会议记录完整规范，按年度立卷归档",
        "6",
        "自评",
        "三会一课台账、组织活动记录卷",
    ),
    ("宣传工作", "新闻报道", "及时报道支部活动", "6", "每篇 新闻报道 加1 最多6", "新闻报道"),
    ("宣传工作", "获奖荣誉", "支部和党员获得表彰奖励", "4", "每项 获奖/荣誉 加1 最多4", "获奖证书"),
    ("宣传工作", "特色品牌", "打造支部特色品牌，形成工作案例", "4", "自评", "工作案例"),
)


def default_criteria() -> Criteria:
    return Criteria(
        tuple(
            Indicator(area, name, point, number(points), parse_rule(rule), evidence)
            for area, name, point, points, rule, evidence in DEFAULT_ROWS
        )
    )


def bands_text(bands: tuple[Band, ...]) -> str:
    """90分及以上为优秀，75分及以上为良好 …"""
    ordered = sorted(bands, key=lambda b: b.minimum, reverse=True)
    parts = [f"{b.minimum.normalize():f}分及以上为{b.grade}" for b in ordered[:-1]]
    if ordered:
        parts.append(
            f"低于{ordered[-2].minimum.normalize():f}分为{ordered[-1].grade}" if len(ordered) > 1 else ""
        )
    return "，".join(p for p in parts if p)


def points_text(value: Decimal | None) -> str:
    """A score as printed: 6, 5.5, 0.25; '' for none."""
    if value is None:
        return ""
    text = f"{value.quantize(Decimal('0.01')).normalize():f}"
    return text
