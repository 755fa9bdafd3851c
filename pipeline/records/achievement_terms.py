"""What an achievement is: its categories and levels as a branch registers them, and the
spellings that mean each (extendable in zhibu.toml [achievements])."""

from __future__ import annotations

from pipeline.records.text_key import text_key

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
        # the awards and honours schools register, by name
        "教学成果奖",
        "科技进步奖",
        "科学技术奖",
        "科学技术进步奖",
        "技术发明奖",
        "自然科学奖",
        "社科成果奖",
        "哲学社会科学优秀成果奖",
        "优秀论文奖",
        "优秀成果奖",
        "先进个人",
        "先进工作者",
        "先进集体",
        "先进党支部",
        "先进基层党组织",
        "优秀共产党员",
        "优秀党务工作者",
        "优秀教师",
        "优秀教育工作者",
        "优秀班主任",
        "优秀辅导员",
        "师德标兵",
        "师德先进个人",
        "教学名师",
        "劳动模范",
        "三八红旗手",
        "五一劳动奖章",
        "青年五四奖章",
        "嘉奖",
        "记功",
        "奖章",
        "荣誉证书",
        "获奖证书",
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


_TABLES: dict[tuple, dict[str, str]] = {}  # built once per alias set, not once per row


def _alias_table(defaults: dict[str, tuple[str, ...]], extra: dict[str, str] | None) -> dict[str, str]:
    """The lookup table (read-only: it is shared between calls)."""
    cache_key = (id(defaults), tuple(sorted((extra or {}).items())))
    table = _TABLES.get(cache_key)
    if table is None:
        table = {text_key(alias): canon for canon, aliases in defaults.items() for alias in aliases}
        table.update({text_key(k): v.strip() for k, v in (extra or {}).items()})
        if len(_TABLES) > 32:
            _TABLES.clear()
        _TABLES[cache_key] = table
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
    key = text_key(text)
    if key:
        if key in table:
            return table[key], True
        for canon in order:
            if key == text_key(canon):
                return canon, True
        for alias in sorted(table, key=len, reverse=True):
            if len(alias) >= 2 and alias in key:
                return table[alias], True
        # An award or title named in the category column (市科技进步二等奖, 优秀工作者).
        guessed = _guess_category(key, _AWARD_HINTS)
        return (guessed, True) if guessed else ("其他", False)
    guessed = _guess_category(text_key(name), _NAME_HINTS)
    return (guessed, True) if guessed else ("其他", False)


# Words of an award or honour: a text holding one of them is 获奖/荣誉.
_AWARD_HINTS: tuple[tuple[str, str], ...] = tuple(
    (hint, "获奖/荣誉") for hint in ("奖", "称号", "荣誉", "先进", "优秀", "标兵", "模范", "能手", "名师")
)
# Words of the achievement's own name, when the category is empty; the first found wins.
_NAME_HINTS: tuple[tuple[str, str], ...] = (
    ("论文", "论文"),
    ("课题", "课题/项目"),
    ("项目", "课题/项目"),
    ("教材", "教材/著作"),
    ("竞赛", "竞赛指导"),
    ("大赛", "竞赛指导"),
    *_AWARD_HINTS,
    ("报道", "新闻报道"),
    ("援", "对口支援"),
)


def _guess_category(key: str, hints: tuple[tuple[str, str], ...]) -> str:
    for hint, canon in hints:
        if hint in key:
            return canon
    return ""


def normalize_level(text: str, aliases: dict[str, str] | None = None) -> tuple[str, bool]:
    """(canonical level, recognized?). Empty stays empty; unknown text is kept as typed."""
    key = text_key(text)
    if not key:
        return "", True
    table = _alias_table(LEVEL_ALIASES, aliases)
    if key in table:
        return table[key], True
    for part, canon in _LEVEL_CONTAINS:
        if part in key:
            return table.get(text_key(part), canon), True
    return text.strip(), False
