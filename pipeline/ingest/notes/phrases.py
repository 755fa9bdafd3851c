"""Place and topic stated in running text.

A place is the phrase between 在/于 and the verb that opens the meeting ("在明德楼305会议室召开",
"于西苑校区10#517教室召开", "在博文楼外二支部党员活动室召开"), or after 赴/前往/到 for an outing
("到南方红军游击战争纪念馆开展主题党日", "走进某某养老中心，开展……"); a platform named for a meeting held
online ("通过腾讯会议在线召开", "在学习强国平台准时召开"); for a 主题党日, the site its opening visits
("组织全体党员参观某某纪念室，"). It is read only when it ends as places end (室, 厅, 馆, 楼, 中心, 基地,
教室, a room number …, before a second name in brackets) or is a platform by its name, so a clause
("对于党的基层组织建设") is never a place, nor "线上" or "视频会议" a platform. A topic is a title the
report quotes:
"以《…》为题", "主题是“…”", "题目为…", "围绕“…”主题", "“…”主题党日", "作了题为“…”的党课", or the words
after the verb of a headline. Every function takes simplified text and returns a span of it, or "".
"""

from __future__ import annotations

import re

_PLACE_END = re.compile(
    r"(?:室|厅|馆|楼|堂|场|园|中心|基地|旧址|故居|会址|广场|门口|大院|校区|站|所|间|处|院|村|社区|书院|书房|课堂|教室|之家|法庭"
    r"|会场|阵地|展区|展厅|现场|线上|腾讯会议|影城|影院|河口|渡口|路口|园口|山口|旧居|遗址|纪念碑|公司|工厂|农场|景区|码头"
    r"|学校|小学|中学|大学"
    r"|(?:献血|采血|服务|打卡|执勤|教学|接种|宣传)点|网点|站点|景点|[A-Za-z]?\d{2,}[-#]?\d*[A-Za-z]?)$"
)
# A date ("2024年3月", "二〇二四年", "3月12日") is no place; "南方红军三年游击战争纪念馆" is one.
_DATE_WORD = (
    r"\d\s*[年月日]|[〇零一二三四五六七八九十]{2,}年|[〇零一二三四五六七八九十]{1,3}[月日]|年\s*\d|月\s*\d"
)
_NOT_PLACE = re.compile(
    _DATE_WORD
    + r"|之际|期间|前夕|部署|领导|带领|指导|背景|号召|要求|推动|的|了|和|并|全体|同志|等(?:处|地|场所)$"
)
_AT = re.compile(
    r"(?:在|于)(?P<place>[^，。；;、\s在于]{2,24}?)(?:上)?[，,]?(?:联合|共同|一起)?(?:准时|如期|正式|隆重|顺利|成功)?"
    r"(?:召开|举行|开展|进行|组织|集中|举办|开会|上[^，。；]{0,6}?党课|讲授|宣讲|观看|拉开了?(?:帷幕|序幕)|开幕)"
)
# A platform named for a meeting held online: "通过腾讯会议在线召开", "在学习强国平台准时召开", "开展QQ语音
# 线上会议"; "线上", "视频会议" name none.
_PLATFORM = (
    r"(?:腾讯会议|腾讯视频会议|钉钉(?:视频)?(?:会议|群|直播)?|飞书(?:视频)?会议|企业微信(?:视频)?(?:会议)?|微信(?:视频)?群"
    r"|QQ(?:语音|群|视频)|学习强国(?:平台)?|[Zz][Oo][Oo][Mm](?:会议)?|WeLink|[\u4e00-\u9fff]{2,4}云会)"
)
_ONLINE = re.compile(
    rf"(?:通过|利用|借助|采用|依托|使用|在|于|以)[“\"]?(?P<place>{_PLATFORM})[”\"]?(?:平台)?(?:上|的?形式)?[，,]?"
    r"(?:线上|在线|视频|网络|远程)?(?:准时|如期|正式|顺利|成功)?(?:召开|开展|举行|进行|展开|组织|开会)"
)
_ONLINE_MEETING = re.compile(rf"(?:召开|开展|举行)了?(?P<place>{_PLATFORM})(?:线上|在线|视频|网络)?会议")
_PLATFORM_ONLY = re.compile(_PLATFORM)
# "组织全体党员参观梅家坞周恩来纪念室，……", "支部全体党员来到中心鼓楼献血点，……": the site a 主题党日
# visits or goes to, said as the whole object of its clause.
_VISIT = re.compile(
    r"(?:(?:组织|带领)[^，。；]{0,10}?参观了?|来到|前往|走进|赴)(?P<place>[^，。；;、\s和及与]{3,24}?)(?=[，。；]|$)"
)
# "在雅艺楼501党员活动室，戏剧系党支部召开党员大会": the place first, then who met.
_AT_THEN_WHO = re.compile(r"在(?P<place>[^，。；;、\s在于]{2,24}?)[，,][^，。；]{2,24}?(?:召开|举行|开展)")
# "在系办公室对晏书航等3名同志进行了谈话": a place before the person talked to.
_AT_TALK = re.compile(r"在(?P<place>[^，。；;、\s在于]{2,16}?)(?:对|与|同|和)[^，。]{2,24}?(?:进行|开展)")
_GO = re.compile(
    r"(?:赴|前往)(?P<place>[^，。；;、\s]{3,24}?)(?:[，,]?(?:联合|共同|一起)?(?:开展|参观|举行))"
)
# "到…纪念馆开展主题党日": 到 is common, so it is read only in the opening (headline and first sentence),
# never from what followed ("会后，党员们到社区服务中心开展志愿服务").
_GO_TO = re.compile(
    r"(?:来到|走进|到)(?P<place>[^，。；;、\s到]{3,24}?)(?:[，,]?(?:联合|共同|一起)?(?:开展|参观|举行))"
)
_LABELLED = re.compile(r"地点(?:为|是|在)[：:]?(?P<place>[^，。；;\s]{2,24})")


# "在我校图书馆三楼召开": the pronoun is not part of the place; "学校第四会议室" is written as the place.
_OUR = re.compile(r"^(?:我校|本校|我院|本院|我系|本系|我们)(?=.{3})")


_DATED = re.compile(
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
)


def _opening(text: str) -> str:
    """The headline and the first sentence; and, when they give no date, the first dated sentence
    among the next few ("为庆祝……开展“……”主题党日活动。7月2日下午，全体党员来到……献血点")."""
    stops = [i for i, ch in enumerate(text) if ch == "。"][:2]
    head = text[: stops[-1]] if len(stops) == 2 else text
    if not _DATED.search(head):
        later = re.split(r"(?<=。)", text[len(head) :])[:4]
        head += next((sentence for sentence in later if _DATED.search(sentence)), "")
    return head


# A place phrase never starts with a preposition, a conjunction or a particle ("对于党的基层组织建设").
_NOT_PLACE_START = re.compile(r"^[对为向和与及等的了由把被将从给让以]")


# "中共某某支部旧址（钟楼）", "深圳美术馆（新馆）": a second name or a part in brackets after the place.
_BRACKETED = re.compile(r"[（(][^（()）]{1,10}[)）]$")


def is_place(phrase: str) -> bool:
    """A place phrase: it ends as places end (室, 厅, 馆, 楼, 中心, a room number …, before a second
    name in brackets), holds no date, no clause word and no punctuation, and starts with no function
    word; or it is an online platform by its name (腾讯会议, 学习强国平台)."""
    if _PLATFORM_ONLY.fullmatch(phrase) or re.fullmatch(f"{_PLATFORM}平台", phrase):
        return True
    bare = _BRACKETED.sub("", phrase)
    return bool(
        2 <= len(phrase) <= 24
        and _PLACE_END.search(bare)
        and not _NOT_PLACE.search(phrase)
        and not _NOT_PLACE_START.search(phrase)
        and not re.search(r"[，,。；;：:！？!?“”\"《》]", phrase)
        and not re.search(r"[（()）]", bare)
    )


def _readings(patterns: tuple[re.Pattern, ...], where: str) -> list[str]:
    return [
        found
        for pattern in patterns
        for m in pattern.finditer(where)
        if is_place(found := _OUR.sub("", m.group("place")))
    ]


def _agreed_place(readings: list[str]) -> str | None:
    """The place all readings name (a longer spelling of the same place wins: "孟河小学创新楼302"
    over "创新楼302"); None when two readings name different places."""
    unique = sorted(set(readings), key=len, reverse=True)
    # "钉钉平台" and "钉钉" are one platform.
    if any(not unique[0].endswith(other) and unique[0] != f"{other}平台" for other in unique[1:]):
        return None
    return unique[0] if unique else ""


def _online(readings: list[str]) -> list[str]:
    """A platform named wins over the bare word "线上" said of the same meeting."""
    if any(_PLATFORM_ONLY.match(r) for r in readings):
        return [r for r in readings if not r.startswith("线上")]
    return readings


def place(text: str, outing: bool = False) -> tuple[str, bool]:
    """(where the meeting was held, whether two readings disagreed): said in the headline or the
    sentence that reports it first, else anywhere in the running text (never the hall of an
    activity that followed). Two different places in the opening are printed as neither. For an
    ``outing`` (a 主题党日) the site the opening says it visited is the place when nothing else is."""
    patterns = (_LABELLED, _ONLINE, _ONLINE_MEETING, _AT, _AT_THEN_WHO, _AT_TALK, _GO, _GO_TO)
    opening = _agreed_place(_online(_readings(patterns, _opening(text))))
    if opening is None:
        return "", True
    if not opening and outing:
        opening = _agreed_place(_readings((_VISIT,), _opening(text))) or ""
    if opening:
        return opening, False
    later = _online(_readings(patterns[:-1], text))
    return (later[0] if later else ""), False


_QUOTE = r"(?:《([^》]{3,40})》|[“「\"]([^”」\"]{3,40})[”」\"])"
# A short word between a theme and the name ("七一", "6月"), never a verb: "“线上线下”结合开展主题党日"
# says how the activity was held, not its theme.
_BETWEEN = r"(?:(?!开展|召开|举行|举办|组织|进行|结合|精神)[^，。；,;“”《》「」\"\s]){0,4}?"
_THEMES = (
    f"以{_QUOTE}为(?:主)?题",
    f"(?:主题|题目)(?:为|是)[：:]?{_QUOTE}",
    f"题为{_QUOTE}",
    f"围绕\\s*{_QUOTE}(?:这一|这个|的)?(?:活动)?主题",
    f"{_QUOTE}(?:为主题)",
    # "“……”主题党日", "“……”七一主题党日活动" (a short word between: 七一, 6月, 庆七一).
    f"{_QUOTE}{_BETWEEN}的?(?:专题)?(?:主题党日|专题党课|党课|主题教育|专题学习|主题活动|专题组织生活会|组织生活会|学习会|专题微党课)",
    f"(?:举行|开展)了?{_QUOTE}",
)
# The patterns before this index state a title outright (以……为题, 主题为, 题为 …); the next one is a
# quote before an activity's name, which may be a slogan.
_SLOGAN = 5
# "学习领会党的“二十大”会议精神专题组织生活会": a quote inside a longer name is no theme.
_PART_OF_NAME = re.compile(r"党的[“「\"]\Z")
# "从指导思想、“党建+重点工作”主题活动、宣传工作……宣讲了计划": one item of a list of what was said.
_LISTED = re.compile(r"[、]")
_UNQUOTED = re.compile(r"(?:主题|题目)(?:为|是)[：:]?(?P<topic>[^“「\"《，。；;\s]{4,30})(?=[。；，]|$)")
# "开展不忘初心·牢记使命·瞻仰红船主题党日活动": a theme written without quotes before the activity.
_BARE_THEME = re.compile(r"开展了?(?P<topic>[^，。、“”《》「」\s]{4,24}?)(?:主题党日|主题活动)")
_NOT_THEME = re.compile(r"^\d|月份|本月|支部|党员|全体|系列|一次|专题$")


def quoted_theme(text: str, own_names: tuple[str, ...] = ()) -> str:
    """The theme the report gives its meeting. Of several quoted titles, the one written before the
    meeting's own name ("开展了“缅怀先烈”主题党日活动") wins over a part of it named later ("为与会党员上了
    一堂题为《……》的专题党课"); otherwise the first one in the text."""
    found = sorted(
        (m.start(), m.group(1) or m.group(2), m.end(1) if m.group(1) else m.end(2), i < _SLOGAN)
        for i, pattern in enumerate(_THEMES[:-1])
        for m in re.finditer(pattern, text)
        if not _PART_OF_NAME.search(text, 0, m.start() + 1) and not _LISTED.match(text, m.end())
    )
    names = "|".join(map(re.escape, own_names))
    own = re.compile(f'[”》」"]{_BETWEEN}的?(?:专题|主题)?(?:{names})')
    titled = [
        (theme, end) for _, theme, end, stated in found if stated and own_names and own.match(text, end)
    ]
    if titled:
        # "开展了题为《……》的党课": the title stated for the meeting itself wins over a headline's
        # slogan ("开展“……”专题党课活动"); two different titles (two lectures) are neither.
        return titled[0][0] if len({theme for theme, _ in titled}) == 1 else ""
    for _, theme, end, _stated in found:
        if own_names and own.match(text, end):
            return theme
    if found:
        return found[0][1]
    opened = [
        (m.group(1) or m.group(2), m.end(1) if m.group(1) else m.end(2))
        for m in re.finditer(_THEMES[-1], text)
    ]
    # "开展“致敬英雄”清明节网络祭扫党日活动" wins over a campaign quoted before it ("开展“……”宣传教育活动").
    near = re.compile(f'[”》」"][^，。；“”《》「」"]{{0,12}}?(?:{names})')
    for theme, end in opened:
        if own_names and near.match(text, end):
            return theme
    if opened:
        return opened[0][0]
    m = _UNQUOTED.search(text)
    if m:
        return m.group("topic")
    m = _BARE_THEME.search(text)
    return m.group("topic") if m and not _NOT_THEME.search(m.group("topic")) else ""


_VERB = re.compile(r"(?:召开|举行|开展|组织开展|举办|讲授)")


def headline_topic(title: str, type_names: tuple[str, ...]) -> str:
    """The topic in a news headline: the words after the branch and its verb (召开/举行/开展 …);
    never words around a quotation that no theme pattern took ("开展“七一”主题党日活动")."""
    m = _VERB.search(title)
    if not m or re.search(r"[，。；“”《》「」\"]", title):
        return ""
    rest = title[m.end() :].strip(" ，。")
    for name in sorted(type_names, key=len, reverse=True):
        if rest == name or rest == name + "活动":
            return ""
        if rest.startswith(name) and len(rest) - len(name) >= 4:
            rest = rest[len(name) :]
            break
    return rest.strip(" ，。")
