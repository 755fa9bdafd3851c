"""Typed rows of the registers a secretary keeps (domain.md §6), and their normalization.

Pure: no file I/O. The sheet readers (``pipeline.ingest.sheets``) build these records; the
filing step (``pipeline.registers.filing``) stores them. Normalization follows the domain:
achievement categories and levels have canonical names with common spellings as aliases
(``zhibu.toml`` ``[achievements]`` aliases extend them), and a 职称 is understood from the
title (副教授) or from its level (副高, 高级).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field

# --- register kinds --------------------------------------------------------------------------

MEETINGS = "会议登记表"
SIGNIN = "签到表"
ACHIEVEMENTS = "成果登记表"
ROSTER = "党员名册"
PLAN = "工作计划表"
KINDS = (MEETINGS, SIGNIN, ACHIEVEMENTS, ROSTER, PLAN)

# What an inbox subfolder may be called, per kind (contained in the folder name). Checked in
# this order, so "会议签到" is a sign-in folder and "党员成果" an achievements folder.
FOLDER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SIGNIN, ("签到", "考勤", "出勤")),
    (ROSTER, ("名册", "花名册", "党员信息", "名单")),
    (ACHIEVEMENTS, ("成果", "业绩", "获奖", "荣誉")),
    (PLAN, ("计划",)),
    (MEETINGS, ("会议", "三会一课", "台账", "活动登记")),
)


def kind_from_folder(folder: str | None) -> str | None:
    """The register kind an inbox subfolder stands for (``成果`` → 成果登记表), or None."""
    if not folder:
        return None
    text = "".join(unicodedata.normalize("NFKC", folder).split())
    for kind, words in FOLDER_WORDS:
        if text == kind or any(w in text for w in words):
            return kind
    if text in ("党员", "党员名单"):
        return ROSTER
    return None


# --- achievements ----------------------------------------------------------------------------

CATEGORIES = ("论文", "课题/项目", "教材/著作", "获奖/荣誉", "竞赛指导", "新闻报道", "对口支援", "其他")

# canonical category -> spellings seen in registers (matched exactly, then as a part of the text)
CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "论文": (
        "论文",
        "期刊论文",
        "学术论文",
        "会议论文",
        "核心期刊论文",
        "发表论文",
        "文章",
        "期刊文章",
        "教研论文",
        "科研论文",
        "SCI",
        "EI",
        "CSSCI",
    ),
    "课题/项目": (
        "课题/项目",
        "课题",
        "项目",
        "科研项目",
        "教改项目",
        "教研项目",
        "课题项目",
        "纵向课题",
        "横向课题",
        "科研课题",
        "教改课题",
        "研究课题",
        "立项",
        "基金项目",
    ),
    "教材/著作": (
        "教材/著作",
        "教材",
        "著作",
        "专著",
        "编著",
        "主编教材",
        "规划教材",
        "出版物",
        "书籍",
        "译著",
    ),
    "获奖/荣誉": (
        "获奖/荣誉",
        "获奖",
        "荣誉",
        "荣誉称号",
        "奖励",
        "表彰",
        "先进个人",
        "优秀党员",
        "个人荣誉",
        "集体荣誉",
        "奖项",
        "获奖情况",
        "教学成果奖",
    ),
    "竞赛指导": (
        "竞赛指导",
        "指导竞赛",
        "指导学生竞赛",
        "竞赛",
        "技能大赛",
        "比赛",
        "大赛",
        "指导学生比赛",
        "学生竞赛",
    ),
    "新闻报道": ("新闻报道", "新闻", "报道", "媒体报道", "宣传报道", "宣传"),
    "对口支援": ("对口支援", "支援", "援疆", "援滇", "援藏", "援建", "帮扶", "对口帮扶", "支教"),
    "其他": ("其他", "其它"),
}

LEVELS = ("国际级", "国家级", "省部级", "区县级", "行业级", "校级", "院系级")
LEVEL_ALIASES: dict[str, tuple[str, ...]] = {
    "国际级": ("国际级", "国际"),
    "国家级": ("国家级", "国家", "全国", "全国性", "国家级重点"),
    # Shanghai, Beijing, Tianjin and Chongqing are province-level: their 市级 is 省部级.
    "省部级": ("省部级", "省级", "部级", "省部", "市级", "省市级", "直辖市级", "教育部", "省", "市"),
    "区县级": ("区县级", "区级", "县级", "区", "县", "地市级", "厅局级", "局级"),
    "行业级": ("行业级", "行业", "协会", "学会"),
    "校级": ("校级", "学校", "校", "学院级", "院校级"),
    "院系级": ("院系级", "院级", "系级", "系部级", "二级学院", "部门级"),
}
# Levels recognized inside longer text (国家级一等奖, 上海市三等奖): most specific first.
_LEVEL_CONTAINS: tuple[tuple[str, str], ...] = (
    ("国际", "国际级"),
    ("全国", "国家级"),
    ("国家", "国家级"),
    ("省部", "省部级"),
    ("省级", "省部级"),
    ("部级", "省部级"),
    ("市级", "省部级"),
    ("教育部", "省部级"),
    ("区级", "区县级"),
    ("县级", "区县级"),
    ("行业", "行业级"),
    ("校级", "校级"),
    ("院级", "院系级"),
    ("系级", "院系级"),
)


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def _alias_table(defaults: dict[str, tuple[str, ...]], extra: dict[str, str] | None) -> dict[str, str]:
    table = {_key(alias): canon for canon, aliases in defaults.items() for alias in aliases}
    table.update({_key(k): v.strip() for k, v in (extra or {}).items()})
    return table


def normalize_category(
    text: str, aliases: dict[str, str] | None = None, order: tuple[str, ...] = CATEGORIES, name: str = ""
) -> tuple[str, bool]:
    """(canonical category, recognized?). Unrecognized text becomes 其他.

    ``aliases`` are the configured ones (``achievements.category_aliases``) and win; a category
    the branch listed in ``achievements.category_order`` is taken as it is. An empty category
    is guessed from the achievement's name (…论文, …项目, …奖) when possible.
    """
    table = _alias_table(CATEGORY_ALIASES, aliases)
    key = _key(text)
    if key:
        if key in table:
            return table[key], True
        for canon in order:
            if key == _key(canon):
                return canon, True
        for alias in sorted(table, key=len, reverse=True):
            if len(alias) >= 2 and alias in key:
                return table[alias], True
        return "其他", False
    guess = _key(name)
    for hint, canon in (
        ("论文", "论文"),
        ("课题", "课题/项目"),
        ("项目", "课题/项目"),
        ("教材", "教材/著作"),
        ("竞赛", "竞赛指导"),
        ("大赛", "竞赛指导"),
        ("奖", "获奖/荣誉"),
        ("称号", "获奖/荣誉"),
        ("报道", "新闻报道"),
        ("援", "对口支援"),
    ):
        if hint in guess:
            return canon, True
    return "其他", False


def normalize_level(text: str, aliases: dict[str, str] | None = None) -> tuple[str, bool]:
    """(canonical level, recognized?). Empty stays empty; unknown text is kept as typed."""
    key = _key(text)
    if not key:
        return "", True
    table = _alias_table(LEVEL_ALIASES, aliases)
    if key in table:
        return table[key], True
    for part, canon in _LEVEL_CONTAINS:
        if part in key:
            return table.get(_key(part), canon), True
    return text.strip(), False


# --- 职称 levels (domain.md §6) -----------------------------------------------------------------

TITLE_LEVELS = ("正高", "副高", "高级", "中级", "初级")  # 高级: senior, 正/副 not stated
SENIOR_LEVELS = ("正高", "副高", "高级")

_TITLES: dict[str, str] = {
    **dict.fromkeys(
        (
            "教授",
            "研究员",
            "正高级讲师",
            "正高级工程师",
            "正高级实验师",
            "正高级经济师",
            "正高级会计师",
            "教授级高级工程师",
            "教授级高工",
            "主任医师",
            "编审",
            "译审",
            "研究馆员",
            "正高级教师",
        ),
        "正高",
    ),
    **dict.fromkeys(
        (
            "副教授",
            "副研究员",
            "高级讲师",
            "高级工程师",
            "高级实验师",
            "高级经济师",
            "高级会计师",
            "高级政工师",
            "副主任医师",
            "副编审",
            "副研究馆员",
            "高级教师",
            "高工",
            "高级统计师",
            "高级审计师",
            "高级技师",
        ),
        "副高",
    ),
    **dict.fromkeys(
        (
            "讲师",
            "工程师",
            "实验师",
            "助理研究员",
            "经济师",
            "会计师",
            "政工师",
            "主治医师",
            "馆员",
            "编辑",
            "统计师",
            "审计师",
            "一级教师",
            "技师",
        ),
        "中级",
    ),
    **dict.fromkeys(
        (
            "助教",
            "助理工程师",
            "助理实验师",
            "助理经济师",
            "助理会计师",
            "技术员",
            "研究实习员",
            "助理馆员",
            "二级教师",
            "三级教师",
            "员级",
            "助理讲师",
        ),
        "初级",
    ),
    **{lv: lv for lv in TITLE_LEVELS},
    "正高级": "正高",
    "副高级": "副高",
    "中级职称": "中级",
    "初级职称": "初级",
    "高级职称": "高级",
}
_MIDDLE_SUFFIXES = (
    "讲师",
    "工程师",
    "实验师",
    "经济师",
    "会计师",
    "馆员",
    "医师",
    "政工师",
    "编辑",
    "统计师",
    "审计师",
)


def title_level(title: str, level_text: str = "") -> str:
    """正高 / 副高 / 高级 / 中级 / 初级, or "" when neither the level nor the title tells.

    The level column (副高, 高级…) wins over the title; the title is understood by name
    (副教授 → 副高, 讲师 → 中级) and by its shape (高级… → 副高, 助理… → 初级).
    """
    for text in (level_text, title):
        key = _key(text).replace("（", "(")
        key = re.sub(r"\(.*?\)", "", key)
        if not key:
            continue
        if key in _TITLES:
            return _TITLES[key]
        if key.startswith(("正高", "教授级")):
            return "正高"
        if key.startswith("副高") or (
            key.startswith("副") and any(w in key for w in ("教授", "研究员", "主任", "编审", "馆员"))
        ):
            return "副高"
        if key.startswith("高级"):
            return "副高"
        if key.startswith(("助理", "初级")):
            return "初级"
        if key.startswith("中级"):
            return "中级"
        if key.endswith(("教授", "研究员")):
            return "正高"
        if key.endswith(_MIDDLE_SUFFIXES):
            return "中级"
    return ""


# --- member types and committee posts --------------------------------------------------------

_MEMBER_TYPES = {
    "正式": "正式",
    "正式党员": "正式",
    "预备": "预备",
    "预备党员": "预备",
    "中共党员": "正式",
    "党员": "正式",
    "中共预备党员": "预备",
}
COMMITTEE_WORDS = ("书记", "委员", "支委")


def normalize_member_type(text: str) -> str | None:
    """正式 / 预备 / None when it cannot be understood ("" means not stated)."""
    key = _key(text)
    if not key:
        return ""
    return _MEMBER_TYPES.get(key)


def is_committee_post(post: str) -> bool:
    """党内职务 that makes a member part of the branch committee (not 党小组长)."""
    key = _key(post)
    return bool(key) and "小组" not in key and any(w in key for w in COMMITTEE_WORDS)


def committee_role(post: str) -> str:
    """书记 / 副书记 / 组织委员 … from a 党内职务 such as 党支部书记, 支部委员."""
    key = _key(post).replace("党支部", "").replace("支部", "")
    for role in ("副书记", "书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "统战委员"):
        if role in key:
            return role
    return "委员"


# --- party groups ------------------------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_GROUP = re.compile(r"第?([一二三四五六七八九十\d]{1,3})(?:党)?小?组")


def _cn_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.get(text[1:], 0))
    if len(text) == 2 and text.endswith("十"):
        return _CN_DIGITS.get(text[0], 0) * 10
    if len(text) == 3 and text[1] == "十":
        return _CN_DIGITS.get(text[0], 0) * 10 + _CN_DIGITS.get(text[2], 0)
    return None


def group_key(text: str) -> str:
    """A comparable key for a 党小组 name: 第一党小组 = 一组 = 1组 → "#1"; others as typed."""
    key = _key(text)
    m = _GROUP.search(key)
    if m:
        n = _cn_number(m.group(1))
        if n:
            return f"#{n}"
    return key.replace("党小组", "").replace("小组", "")


def group_named_in(text: str, groups: list[str]) -> str | None:
    """The roster's group that ``text`` (a topic, a file name) names, if any."""
    key = _key(text)
    m = _GROUP.search(key)
    wanted = None
    if m:
        n = _cn_number(m.group(1))
        wanted = f"#{n}" if n else None
    for g in groups:
        gk = group_key(g)
        if wanted and gk == wanted:
            return g
        if not gk.startswith("#") and len(gk) >= 2 and gk in key and ("小组" in key or "组" in key):
            return g
    return None


# --- the records -------------------------------------------------------------------------------


@dataclass
class Where:
    """The place of a record in its register, for messages."""

    sheet: str | None = None
    row: int | None = None


@dataclass
class Achievement:
    name: str
    category: str  # canonical (default aliases); re-normalized with config when filed
    category_text: str  # as typed
    level: str
    level_text: str
    authors: str = ""
    date: dt.date | None = None  # first of month when only a month was given
    month_only: bool = False
    issuer: str = ""
    evidence: str = ""
    note: str = ""
    where: Where = field(default_factory=Where)

    def as_item(self) -> dict:
        return asdict(self)


@dataclass
class Member:
    name: str
    gender: str = ""
    birth: str = ""  # ISO date or YYYY-MM
    ethnicity: str = ""
    native_place: str = ""
    education: str = ""
    degree: str = ""
    title: str = ""
    title_level: str = ""  # 正高 / 副高 / 高级 / 中级 / 初级 / ""
    position: str = ""
    department: str = ""
    joined: str = ""
    confirmed: str = ""
    member_type: str = "正式"  # 正式 / 预备
    party_group: str = ""
    party_post: str = ""
    honours: str = ""
    where: Where = field(default_factory=Where)

    COLUMNS = (
        "name",
        "gender",
        "birth",
        "ethnicity",
        "native_place",
        "education",
        "degree",
        "title",
        "title_level",
        "position",
        "department",
        "joined",
        "confirmed",
        "member_type",
        "party_group",
        "party_post",
        "honours",
    )

    def as_item(self) -> dict:
        return asdict(self)

    @classmethod
    def from_row(cls, row) -> Member:
        """From a ``members`` index row or a plain dict."""
        data = dict(row)
        return cls(**{k: (data.get(k) or "") for k in cls.COLUMNS})

    @property
    def is_probationary(self) -> bool:
        return self.member_type == "预备"


@dataclass
class PlanItem:
    content: str
    term: str | None = None  # term id from the sheet's title or file name
    year: int | None = None
    month: int | None = None
    day: int | None = None
    time_text: str = ""  # the 时间 cell when it is not a month (每月, 全学期 …)
    category: str = ""
    activity: str | None = None  # canonical meeting type the item schedules
    owner: str = ""
    note: str = ""
    where: Where = field(default_factory=Where)

    def as_item(self) -> dict:
        return asdict(self)


@dataclass
class PlanText:
    section: str
    body: str
    term: str | None = None
    where: Where = field(default_factory=Where)

    def as_item(self) -> dict:
        return asdict(self)


@dataclass
class SignIn:
    """One line of a sign-in sheet."""

    meeting_type: str
    date: dt.date
    name: str
    present: bool
    note: str = ""
    topic: str = ""
    where: Where = field(default_factory=Where)
    block: int = 0  # which block of a sheet printed with 姓名|签到 repeated side by side

    def as_item(self) -> dict:
        return asdict(self)


@dataclass
class SignInSheet:
    """The attendance of one meeting, as a sign-in sheet gives it."""

    meeting_type: str
    date: dt.date
    topic: str = ""
    entries: list[SignIn] = field(default_factory=list)
    source: str = ""

    @property
    def present(self) -> list[str]:
        return [e.name for e in self.entries if e.present]

    @property
    def absent(self) -> list[SignIn]:
        return [e for e in self.entries if not e.present]


def committee(members: list[Member], config_committee=()) -> list[tuple[str, str]]:
    """(name, role) of the branch committee: the roster's 党内职务, else zhibu.toml [[committee]]."""
    from_roster = [(m.name, committee_role(m.party_post)) for m in members if is_committee_post(m.party_post)]
    if from_roster:
        return from_roster
    return [(c["name"].strip(), (c.get("role") or "委员").strip()) for c in config_committee]
