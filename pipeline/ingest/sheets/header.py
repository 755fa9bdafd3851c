"""Find the header row of a register sheet and which register it is.

Secretaries' sheets have a title row or two above the header, headers merged over two rows
(人数 above 应到 | 实到), labels with notes in brackets (完成人（及排名）), required-field stars
and stray spaces. The detector looks at the first rows of a sheet, reads each as a one-row
header and, with the row below, as a two-row header (the upper row forward-filled, since
merged cells are empty in read-only mode), and scores every register kind by the columns it
recognizes. The best candidate that has a kind's required columns wins; a kind named by the
inbox folder (or by a correction file's marker) restricts the choice to that kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.ingest.sheets import cells, development_columns
from pipeline.records.register_rows import ACHIEVEMENTS, DEVELOPMENT, MEETINGS, PLAN, ROSTER, SIGNIN

SCAN_ROWS = 20  # header must start within the first 20 non-empty rows


@dataclass(frozen=True)
class Spec:
    key: str
    label: str  # the canonical Chinese column name, for messages
    aliases: tuple[str, ...]  # exact labels (after normalization); the label itself included
    weight: int = 2  # distinctive columns weigh more


@dataclass(frozen=True)
class KindSpec:
    kind: str
    fields: tuple[Spec, ...]
    required: tuple[tuple[str, ...], ...]  # every group needs one of its keys
    minimum: int  # distinct recognized columns needed
    title_words: tuple[str, ...]  # words in a title row that name this register

    def field(self, key: str) -> Spec:
        return next(f for f in self.fields if f.key == key)


def S(key: str, label: str, *aliases: str, weight: int = 2) -> Spec:
    return Spec(key, label, (label, *aliases), weight)


IGNORED = S(
    "_ignored", "序号", "编号", "序", "No", "NO", "No.", "序列号", "错误原因", weight=0
)  # 错误原因: our 待修正 files

# Columns that are never read, stored or copied anywhere (domain.md §6: sensitive).
SENSITIVE = S(
    "_sensitive",
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "身份证",
    "证件号码",
    "证件号",
    "联系电话",
    "电话",
    "手机",
    "手机号",
    "手机号码",
    "联系方式",
    "办公电话",
    "移动电话",
    "电话号码",
    "家庭住址",
    "住址",
    "通讯地址",
    "家庭地址",
    "现住址",
    "电子邮箱",
    "邮箱",
    "电子邮件",
    "微信",
    "微信号",
    "QQ",
    "QQ号",
    "固定电话",
    "座机",
    "联系地址",
    "护照号码",
    # traditional characters
    "身份證",
    "身份證號",
    "身份證號碼",
    "證件號碼",
    "聯繫電話",
    "聯絡電話",
    "電話",
    "手機",
    "手機號碼",
    "行動電話",
    "住址",
    "通訊地址",
    "聯絡地址",
    "電子郵件",
    "電郵",
    "郵箱",
    "微信號",
    weight=0,
)
# English labels, compared without case, spaces and punctuation (ID No., E-mail, Mobile No.).
SENSITIVE_ENGLISH = {
    "id", "idno", "idnumber", "idcard", "idcardno", "idcardnumber", "identitycard", "identityno",
    "identitynumber", "passport", "passportno", "passportnumber", "phone", "phoneno", "phonenumber",
    "mobile", "mobileno", "mobilenumber", "mobilephone", "cellphone", "cell", "cellno", "tel", "telno",
    "telephone", "telephoneno", "contactnumber", "contactno", "contactphone", "email", "emailaddress",
    "mail", "address", "homeaddress", "wechat", "wechatid", "weixin", "qq", "qqno",
}  # fmt: skip
# Parts of a label that make it sensitive wherever they appear in it (紧急联系人电话, 家庭电话).
SENSITIVE_PARTS = (
    "电话",
    "電話",
    "手机",
    "手機",
    "身份证",
    "身份證",
    "身份号",
    "住址",
    "邮箱",
    "郵箱",
    "座机",
)

KIND_SPECS: dict[str, KindSpec] = {
    MEETINGS: KindSpec(
        MEETINGS,
        (
            S(
                "date",
                "日期",
                "会议日期",
                "会议时间",
                "时间",
                "活动时间",
                "活动日期",
                "召开时间",
                "召开日期",
                "开会时间",
                "开会日期",
                "日期时间",
            ),
            S("time", "起止时间", "时间段", "具体时间", "开始时间", "会议时段", "时段", weight=1),
            S("type", "会议类型", "类型", "会议类别", "活动类型", "类别", "会议形式", "活动形式", "形式"),
            S(
                "topic",
                "主题",
                "会议主题",
                "会议名称",
                "活动主题",
                "活动名称",
                "名称",
                "题目",
                "党课题目",
                "党课主题",
                "学习主题",
            ),
            S("place", "地点", "会议地点", "活动地点", "开会地点"),
            S("chair", "主持人", "主持", "主讲人", "主讲", "授课人"),
            S("recorder", "记录人", "记录", "记录员"),
            S("expected", "应到", "应到人数", "应出席", "应出席人数", "应参会人数", "应到会人数"),
            S(
                "present",
                "实到",
                "实到人数",
                "出席人数",
                "参会人数",
                "实际参会人数",
                "到会人数",
                "实出席人数",
            ),
            S("attendees", "参会人员", "出席人员", "到会人员", "参加人员", "参会人员名单", "出席名单"),
            S(
                "absentees",
                "缺席人员及原因",
                "缺席人员",
                "缺席",
                "请假人员",
                "缺席情况",
                "请假情况",
                "缺席人员（原因）",
                "缺席及原因",
                "未到人员及原因",
                "缺席人员及事由",
            ),
            S("observers", "列席人员", "列席"),
            S("agenda", "议题", "会议议题", "议程", "会议议程", "主要议题"),
            S(
                "summary",
                "内容摘要",
                "会议内容",
                "主要内容",
                "内容",
                "摘要",
                "会议纪要",
                "学习内容",
                "活动内容",
                "会议摘要",
                "内容简介",
                weight=1,
            ),
            S("speeches", "发言记录", "发言情况", "讨论情况", "交流发言", weight=1),
            S("resolution", "决议", "会议决议", "决议事项", "决定事项", "表决情况", "决议情况", "会议决定"),
            S("talker", "谈话人"),
            S("talk_partner", "谈话对象", "被谈话人"),
            S("note", "备注", "说明", weight=1),
        ),
        required=(("date",), ("type", "topic")),
        minimum=4,
        title_words=(
            "会议登记",
            "会议台账",
            "会议记录登记",
            "三会一课登记",
            "三会一课台账",
            "会议统计",
            "活动登记",
        ),
    ),
    SIGNIN: KindSpec(
        SIGNIN,
        (
            S("name", "姓名", "党员姓名", "名字", "人员", "参会人", "参会人员"),
            S(
                "sign",
                "签到",
                "签名",
                "签字",
                "本人签名",
                "本人签字",
                "签到情况",
                "到会",
                "到会情况",
                "是否到会",
                "出席",
                "出席情况",
                "签到签名",
                "签到（签名）",
                "参会情况",
                "是否参加",
                "考勤",
            ),
            S("note", "备注", "请假原因", "缺席原因", "原因", "说明", "请假事由", weight=1),
        ),
        required=(("name",), ("sign",)),
        minimum=2,
        title_words=("签到",),
    ),
    ACHIEVEMENTS: KindSpec(
        ACHIEVEMENTS,
        (
            S(
                "name",
                "成果名称",
                "成果",
                "题目",
                "论文题目",
                "项目名称",
                "课题名称",
                "获奖名称",
                "荣誉名称",
                "成果题目",
                "著作名称",
                "教材名称",
                "名称",
                "获奖项目",
                "荣誉称号",
                "奖项名称",
                "竞赛名称",
                "报道标题",
                "成果名称（题目）",
            ),
            S("category", "类别", "成果类别", "类型", "成果类型", "分类", "成果分类"),
            S(
                "authors",
                "完成人及排名",
                "完成人",
                "作者",
                "获奖人",
                "获奖者",
                "负责人",
                "参与人",
                "成员",
                "获得者",
                "指导教师",
                "完成人员",
                "作者及排名",
                "主要完成人",
                "完成人(及排名)",
                "主持人",
                "姓名",
                "党员姓名",
                weight=1,
            ),
            S("rank", "排名", "本人排名", "名次", "位次", "署名顺序", "作者排名", weight=1),
            S("level", "级别", "等级", "成果级别", "获奖级别", "层次", "级别（国家/省/校）"),
            S(
                "date",
                "时间",
                "日期",
                "获得时间",
                "获奖时间",
                "发表时间",
                "立项时间",
                "出版时间",
                "完成时间",
                "年月",
                "时间（年月）",
                "发表（获奖）时间",
                "取得时间",
                weight=1,
            ),
            S(
                "issuer",
                "刊物或颁发单位",
                "刊物/颁发单位",
                "刊物、颁发单位",
                "刊物",
                "发表刊物",
                "期刊",
                "期刊名称",
                "颁发单位",
                "颁奖单位",
                "发证单位",
                "授予单位",
                "主办单位",
                "出版社",
                "立项单位",
                "来源",
                "发布单位",
                "媒体",
                "发表刊物或颁发单位",
                "刊物名称",
                "批准单位",
            ),
            S("evidence", "佐证材料", "证明材料", "佐证", "附件", "材料", "证明", "支撑材料"),
            S("note", "备注", "说明", weight=1),
        ),
        required=(("name",), ("category", "level", "issuer", "evidence")),
        minimum=3,
        title_words=("成果登记", "成果统计", "成果汇总", "成果一览", "业绩登记", "获奖登记", "成果表"),
    ),
    ROSTER: KindSpec(
        ROSTER,
        (
            S("name", "姓名", "党员姓名", weight=1),
            S("gender", "性别"),
            S("birth", "出生年月", "出生日期", "出生年月日", "生日", "出生时间"),
            S("ethnicity", "民族"),
            S("native_place", "籍贯", "出生地"),
            S("education", "学历", "最高学历", "文化程度", "全日制学历"),
            S("degree", "学位", "最高学位"),
            S("title", "职称", "专业技术职务", "专业技术职称", "技术职称", "专业技术职务（职称）"),
            S("title_level", "职称级别", "职称等级", "职称层次", "专业技术职务级别"),
            S("position", "职务/岗位", "职务", "岗位", "行政职务", "现任职务", "职务岗位", "工作岗位"),
            S(
                "department",
                "教研室",
                "部门",
                "所在部门",
                "科室",
                "工作单位",
                "所在教研室",
                "单位",
                "所在单位",
            ),
            S("joined", "入党时间", "入党日期", "入党年月"),
            S("confirmed", "转正时间", "转正日期", "转正年月"),
            S(
                "member_type",
                "党员类别",
                "党员类型",
                "类别",
                "身份",
                "党籍状态",
                "正式/预备",
                "党员身份",
                "人员类别",
            ),
            S("party_group", "所在党小组", "党小组", "小组", "所属党小组"),
            S("party_post", "党内职务", "支部职务", "党内职位", "党务职务", "支部内职务"),
            S("honours", "荣誉", "荣誉称号", "获奖情况", "所获荣誉", "主要荣誉", "获得荣誉", weight=1),
            S("note", "备注", weight=1),
        ),
        required=(("name",),),
        minimum=3,
        title_words=("名册", "花名册", "党员信息", "党员基本信息", "党员名单"),
    ),
    PLAN: KindSpec(
        PLAN,
        (
            S(
                "month",
                "时间/月份",
                "时间",
                "月份",
                "日期",
                "时间安排",
                "计划时间",
                "完成时间",
                "时间节点",
                "月",
                "时间（月份）",
                "实施时间",
                weight=1,
            ),
            S(
                "content",
                "工作内容",
                "内容",
                "工作事项",
                "事项",
                "活动内容",
                "工作任务",
                "主要内容",
                "工作安排",
                "具体内容",
                "重点工作",
                "工作项目",
            ),
            S("category", "类别", "类型", "工作类别", "分类", "板块", "项目类别", weight=1),
            S("owner", "责任人", "负责人", "责任部门", "牵头人", "责任领导", "具体负责", "责任人/部门"),
            S(
                "note",
                "完成标准/备注",
                "备注",
                "完成标准",
                "要求",
                "工作要求",
                "预期成果",
                "完成标准及备注",
                weight=1,
            ),
        ),
        required=(("content",), ("month", "owner")),
        minimum=3,
        title_words=("工作计划", "计划表", "工作安排", "学期计划", "年度计划"),
    ),
}

KIND_SPECS[DEVELOPMENT] = KindSpec(
    DEVELOPMENT,
    tuple(S(key, label, *aliases, weight=w) for key, label, aliases, w in development_columns.COLUMNS),
    required=development_columns.REQUIRED,
    minimum=development_columns.MINIMUM,
    title_words=development_columns.TITLE_WORDS,
)

# 计划说明 (plan text sections: 指导思想 …) live in the plan register as two columns.
PLAN_TEXT_SPEC = KindSpec(
    PLAN,
    (
        S("section", "栏目", "部分", "项目", "板块", "标题"),
        S("body", "内容", "正文", "具体内容", "说明"),
    ),
    required=(("section",), ("body",)),
    minimum=2,
    title_words=(),
)
PLAN_SECTIONS = ("指导思想", "工作目标", "主要任务", "重点工作", "保障措施", "工作思路", "总体思路")


def normalize_label(value) -> str:
    """A header cell for matching: NFKC, no spaces, no required-field stars or trailing colons."""
    if cells.is_blank(value) or not isinstance(value, str):
        return ""
    s = "".join(unicodedata.normalize("NFKC", value).split())
    s = s.strip("*＊※")
    return s


def _strip_brackets(label: str) -> str:
    return re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", "", label)


def _lookup(kind: KindSpec) -> dict[str, str]:
    table = {}
    for spec in (*kind.fields, IGNORED, SENSITIVE):
        for alias in spec.aliases:
            table.setdefault(normalize_label(alias), spec.key)
    return table


_LOOKUPS = {kind: _lookup(spec) for kind, spec in KIND_SPECS.items()}
_SENSITIVE = {normalize_label(a) for a in SENSITIVE.aliases}


def is_sensitive_label(value) -> bool:
    """身份证号, 联系电话 … (also 身份证号码（18位）, 手机号*, 手機號碼, ID No., E-mail)."""
    label = normalize_label(value)
    if not label or len(label) > 24 or re.search(r"\d{4}", label):  # a sentence or a number is no label
        return False
    bare = _strip_brackets(label).strip("*※")
    return (
        label in _SENSITIVE
        or bare in _SENSITIVE
        or any(len(a) >= 3 and a in label for a in _SENSITIVE)
        or any(part in bare for part in SENSITIVE_PARTS)
        or re.sub(r"[\W_]+", "", bare.casefold()) in SENSITIVE_ENGLISH
    )


def sensitive_columns(rows) -> tuple[int, set[int]] | None:
    """(label row number, 0-based columns) of the first row among ``rows`` that labels sensitive columns."""
    for number, values in rows:
        found = sensitive_labels(values)
        if found:
            return number, found
    return None


def sensitive_labels(values) -> set[int]:
    """0-based columns of ``values`` that are sensitive labels, when the row reads as a header
    (at least two cells filled, most of them short texts); empty otherwise."""
    filled = [v for v in values if not cells.is_blank(v)]
    if len(filled) < 2 and not (len(filled) == 1 and len(values) == 1):
        return set()
    texts = [v for v in filled if isinstance(v, str) and len(v.strip()) <= 24]
    if len(texts) * 2 < len(filled):
        return set()
    return {i for i, v in enumerate(values) if isinstance(v, str) and is_sensitive_label(v)}


_LOOKUPS["计划说明"] = _lookup(PLAN_TEXT_SPEC)


def match_label(lookup: dict[str, str], label: str) -> tuple[str | None, bool]:
    """(field key, exact?) for a normalized label; contains-matches use the longest alias."""
    bare = _strip_brackets(label).strip("*※")  # 姓名*（必填） is 姓名
    if not label or ":" in bare or "：" in bare:
        # 会议类型：支委会 is a value line above the header, not a column (应到（单位：人） is one)
        return None, False
    if is_sensitive_label(label):
        return "_sensitive", True  # never read, whatever else the label resembles
    if label in lookup:
        return lookup[label], True
    if bare in lookup:
        return lookup[bare], True
    best = None
    for alias, key in lookup.items():
        if key == "member_type" and not any(word in bare for word in _MEMBER_TYPE_WORDS):
            continue
        if len(alias) >= 2 and alias in bare and (best is None or len(alias) > len(best[0])):
            best = (alias, key)
    return (best[1], False) if best else (None, False)


# A column whose label merely contains 类别 or 身份 (教育类别, 学历类别, 人员身份类别) is 党员类别
# only when the label says so: exact aliases (类别, 身份) match as they are.
_MEMBER_TYPE_WORDS = ("党", "正式", "预备")


@dataclass
class Column:
    index: int  # 0-based
    label: str  # as the secretary sees it (two-row headers joined: 人数/应到)
    key: str | None  # field, "_ignored", "_sensitive" or None (unknown column)
    short: str = ""  # the one label that was recognized (应到), for a one-row copy of the header


@dataclass
class Header:
    kind: str  # register kind (or "计划说明")
    first_row: int  # row number of the (upper) header row
    last_row: int  # row number of the last header row
    columns: list[Column]
    title: str = ""  # text of the rows above the header
    score: int = 0
    by_key: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self):
        for c in self.columns:
            if c.key:
                self.by_key.setdefault(c.key, []).append(c.index)

    def label_of(self, key: str) -> str:
        idx = self.by_key.get(key)
        if idx:
            return self.columns[idx[0]].label
        spec = KIND_SPECS.get(self.kind)
        try:
            return spec.field(key).label if spec else key
        except StopIteration:
            return key

    @property
    def sensitive(self) -> list[int]:
        return self.by_key.get("_sensitive", [])

    @property
    def width(self) -> int:
        return len(self.columns)


def _display(value) -> str:
    return cells.one_line(value) if not cells.is_blank(value) and value is not cells.MISSING_FORMULA else ""


def _is_header_like(values: list) -> bool:
    filled = [v for v in values if not cells.is_blank(v)]
    return len(filled) >= 1 and all(isinstance(v, str) and len(v.strip()) <= 30 for v in filled)


def _candidates(values: list, below: list | None):
    """Readings of a row as a header: alone, and over two rows with the row below.

    Each reading is a list with, per column, the label shown in messages and the options to
    match in order, as (normalized, shown) pairs.
    """
    yield [(_display(v), [(normalize_label(v), _display(v))]) for v in values], 1
    if below is None or not _is_header_like(below):
        return
    width = max(len(values), len(below))
    top = list(values) + [None] * (width - len(values))
    sub = list(below) + [None] * (width - len(below))
    filled_top: list = []
    last = None
    for i in range(width):
        if not cells.is_blank(top[i]):
            last = top[i]
            filled_top.append(top[i])
        else:
            # Merged across (empty in read-only mode): the upper label spans the cells that
            # have their own label below.
            filled_top.append(last if not cells.is_blank(sub[i]) else None)
    reading = []
    for t, s in zip(filled_top, sub, strict=True):
        if not cells.is_blank(s):
            shown = f"{_display(t)}/{_display(s)}" if t and _display(t) != _display(s) else _display(s)
            options = [(normalize_label(s), _display(s))]
            if t:
                options.append((normalize_label(t) + normalize_label(s), f"{_display(t)}{_display(s)}"))
            reading.append((shown, options))
        else:
            reading.append((_display(t), [(normalize_label(t), _display(t))]))
    yield reading, 2


def _score(
    kind: KindSpec, lookup: dict[str, str], reading, relaxed: bool = False
) -> tuple[int, list[str | None], list[str]]:
    keys: list[str | None] = []
    matched: list[str] = []
    seen: dict[str, int] = {}
    for shown, options in reading:
        key, exact, label = None, False, shown
        for option, option_shown in options:
            key, exact = match_label(lookup, option)
            if key:
                label = option_shown
                break
        keys.append(key)
        matched.append(label)
        if key and not key.startswith("_"):
            weight = kind.field(key).weight if exact else 1
            seen[key] = max(seen.get(key, 0), weight)
    required = kind.required[:1] if relaxed else kind.required
    if not all(any(k in seen for k in group) for group in required):
        return 0, keys, matched
    if len(seen) < (2 if relaxed else kind.minimum):
        return 0, keys, matched
    return sum(seen.values()), keys, matched


def title_kind(text: str) -> str | None:
    """The register a title row names (…签到表, …党员名册), if any."""
    key = "".join(unicodedata.normalize("NFKC", text).split())
    for kind in (DEVELOPMENT, SIGNIN, ROSTER, ACHIEVEMENTS, PLAN, MEETINGS):
        if any(w in key for w in KIND_SPECS[kind].title_words):
            return kind
    return None


def _time_beside_date(kind: str, keys: list[str | None], labels: list[str]) -> list[str | None]:
    """日期 | 时间: 时间 alone names a meeting register's date column, but beside a 日期 column it
    holds the time of day (14:30, 下午2:30-4:00) and must not be ignored as a second date."""
    if kind != MEETINGS or "time" in keys or keys.count("date") < 2:
        return keys
    dated = {i for i, k in enumerate(keys) if k == "date" and "日期" in normalize_label(labels[i])}
    if not dated:
        return keys
    return ["time" if k == "date" and i not in dated else k for i, k in enumerate(keys)]


def detect(
    rows: list[tuple[int, list]], *, kinds: tuple[str, ...], named: str | None = None, relaxed: bool = False
) -> Header | None:
    """The header among the first rows of a sheet, or None.

    ``kinds`` are the kinds to consider (one, when the inbox folder names it). ``named`` is a
    kind named by the file (a correction file's marker) and breaks ties. ``relaxed`` (the kind
    is known from the folder) needs only the kind's main column and one more.
    """
    best: tuple | None = None
    scan = [(n, v) for n, v in rows if any(not cells.is_blank(x) for x in v)][:SCAN_ROWS]
    for pos, (number, values) in enumerate(scan):
        strings = sum(1 for v in values if isinstance(v, str) and v.strip())
        if strings < 2:
            continue
        below = scan[pos + 1][1] if pos + 1 < len(scan) and scan[pos + 1][0] == number + 1 else None
        title = " ".join(_display(v) for _, vs in scan[:pos] for v in vs if _display(v))
        mentioned = title_kind(title) or named
        for reading, height in _candidates(values, below):
            for kind_name in kinds:
                spec = PLAN_TEXT_SPEC if kind_name == "计划说明" else KIND_SPECS[kind_name]
                score, keys, matched = _score(spec, _LOOKUPS[kind_name], reading, relaxed)
                if not score:
                    continue
                bonus = 3 if mentioned and mentioned == spec.kind else 0
                # Prefer higher scores, then the one-row reading, then earlier rows.
                rank = (score + bonus, -height, -pos)
                if best is None or rank > best[0]:
                    keys = _time_beside_date(kind_name, keys, matched)
                    columns = [
                        Column(i, reading[i][0] or "", keys[i], matched[i] or "") for i in range(len(keys))
                    ]
                    best = (rank, Header(kind_name, number, number + height - 1, columns, title, score))
    return best[1] if best else None
