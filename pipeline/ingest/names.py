"""Name lists: 张三、李四，王五; 赵六 — and absences with reasons in brackets.

Names are compared and counted in one normal form (``normalize_name``): NFKC, the invisible
characters a WeChat copy carries (U+200B, U+200C, U+200D, U+2060, U+FEFF, U+00AD) removed, and the
padding inside a two- to four-character name removed ("夏　渊", "夏 渊" are 夏渊, "缪 巧军" is 缪巧军,
as names are aligned in printed lists). A role written before a name stays with it ("学院党委组织员 陈卫东",
"入党积极分子、吴婷" are one person each).
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.records.meeting import Absence

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_HAN = "\u4e00-\u9fff"
# Spaces that only pad a short name: 夏　渊, 夏 渊, 欧 阳 锋 (each piece one character).
_PADDED = re.compile(f"(?<![{_HAN}])([{_HAN}](?:[ \u3000]+[{_HAN}]){{1,3}})(?![{_HAN}])")
# Chunks of one to three characters split by spaces ("缪 巧军"): one name when they make two to
# four characters and one chunk is a single character (a lone character is never a whole name).
_SPLIT_NAME = re.compile(f"(?<![{_HAN}])([{_HAN}]{{1,3}}(?:[ \u3000]+[{_HAN}]{{1,3}})+)(?![{_HAN}])")
_SEPARATORS = re.compile(r"[、，,；;\s/／|]+")
# A reason in brackets, full- or half-width: 张三（病假）, 李四(出差), 王五【公出】
_WITH_REASON = re.compile(r"([^（(【\[]+?)\s*[（(【\[]\s*([^）)】\]]*)\s*[）)】\]]")
_NONE_WORDS = {"无", "没有", "暂无", "全到", "全部到会", "无缺席", "/", "-", "—", "无人缺席"}
# "共12人", "（12人）" — counts typed after a list are not names.
_COUNT = re.compile(r"[（(]?\s*共?\s*\d+\s*人\s*[）)]?")

# Words that describe the person named next ("入党积极分子、吴婷" is one person): they stay with the name.
ROLE_WORDS = (
    "入党积极分子",
    "积极分子",
    "发展对象",
    "预备党员",
    "正式党员",
    "入党申请人",
    "培养联系人",
    "入党介绍人",
    "群众",
    "党员",
)
# A title ending a word written before a name: 党委组织员, 宣传委员, 支部书记, 系主任 …
ROLE_SUFFIXES = (
    "组织员",
    "书记",
    "委员",
    "主任",
    "院长",
    "校长",
    "主席",
    "部长",
    "处长",
    "科长",
    "组长",
    "干事",
    "老师",
    "教授",
)
# A whole group instead of names: "全体党员", "支部全体党员", "全体支委" — a description, never counted.
_GROUP = re.compile(
    r"^(?:支部|本支部|党支部)?(?:全体|全部|所有)(?:在职|在岗|教工|正式)?(?:党员|支委|委员|支部委员|同志|成员)"
)


# Chinese punctuation around a name ("谢婉清（支部书记）") keeps its full-width form.
_KEEP = set("（）【】，、：；。")


def normalize_name(text: str) -> str:
    """One person's name as compared and counted (see the module docstring)."""
    text = "".join(ch if ch in _KEEP else unicodedata.normalize("NFKC", ch) for ch in text)
    text = text.translate(_INVISIBLE).strip()
    text = _PADDED.sub(lambda m: re.sub(r"[ \u3000]+", "", m.group(1)), text)
    return _SPLIT_NAME.sub(_joined_if_one_name, text)


def _joined_if_one_name(m: re.Match) -> str:
    chunks = m.group(1).split()
    total = sum(len(c) for c in chunks)
    return "".join(chunks) if 2 <= total <= 4 and min(len(c) for c in chunks) == 1 else m.group(1)


def _clean(text: str) -> str:
    return normalize_name(text).strip("。.")


def is_group(text: str) -> bool:
    """ "支部全体党员" names a group, not people: shown as written, never counted."""
    return bool(_GROUP.match(normalize_name(text)))


def is_role(part: str) -> bool:
    return part in ROLE_WORDS or (len(part) >= 3 and part.endswith(ROLE_SUFFIXES))


def split_names(text: str) -> list[str]:
    """Split a list of names; drops counts, the word 无 and duplicates, keeps order.

    A role word standing alone (入党积极分子、吴婷; 发展对象 晏小琪; 学院党委组织员 陈卫东) is joined to
    the name after it.
    """
    text = _COUNT.sub(" ", _clean(text))
    names: list[str] = []
    role = ""
    for part in _SEPARATORS.split(text):
        part = part.strip("：:。.、")
        if not part or part in _NONE_WORDS:
            continue
        if is_role(part):
            role += part
            continue
        part = role + part
        role = ""
        if part not in names:
            names.append(part)
    if role and role not in names:
        names.append(role)
    return names


def split_absences(text: str) -> list[Absence]:
    """'张三（病假）、李四(出差)、王五' -> absences; a name without a reason keeps an empty one.

    Names are normalized; a reason keeps its characters as written (病假，已报备)."""
    text = _COUNT.sub(" ", unicodedata.normalize("NFKC", text).translate(_INVISIBLE).strip().strip("。."))
    if text in _NONE_WORDS:
        return []
    result: list[Absence] = []
    pos = 0
    for m in _WITH_REASON.finditer(text):
        # Names before this bracket that have no reason of their own.
        leading = split_names(text[pos : m.start()] + " " + m.group(1))
        for name in leading[:-1]:
            result.append(Absence(name))
        if leading:
            result.append(Absence(leading[-1], _as_written_reason(m.group(2).strip())))
        pos = m.end()
    result.extend(Absence(name) for name in split_names(text[pos:]))
    seen: set[str] = set()
    unique = []
    for a in result:
        if a.name not in seen:
            seen.add(a.name)
            unique.append(a)
    return unique


def _as_written_reason(reason: str) -> str:
    """NFKC turned a full-width comma into ","; in a Chinese reason it stays "，"."""
    return reason.replace(",", "，")


# Chinese surnames (the common single ones and the compound ones), for telling a name from a
# function word or a clause in running text ("为大家", "党的基层" are no names).
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲"
    "翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米"
    "柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班"
    "储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云"
    "容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭"
    "干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由訾蓟郗糜荀贝樊侍郦晏赖兆菅佴续逄濮尹乜步刀"
    "代鱼候洪郇隗缑庹禤昌冒弓贲桓宦靖蒯羿蹇谯芈雒仉闾凃贡眭钮汲兀"
    "張劉陳楊黃趙吳週孫馬鄭謝許韓馮鄧蕭董蘇葉呂蔣錢盧陸範賈韋鄒熊邱閆薛龍顧龔嚴戴孔湯溫顏莊聶魯嶽翟殷詹歐關蘭焦俞"
    "祝寧紀單霍塗駱藍辛靳鮑華喻滕饒穆農簡車項連蘆竇戚岑費卜馮樂冀鄔邊師欒隋鄺譚衛鍾侯賀"
)
_SURNAMES_2 = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "令狐",
    "夏侯",
    "轩辕",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "百里",
    "呼延",
    "澹台",
    "万俟",
    "申屠",
    "欧陽",
    "司馬",
    "諸葛",
)
# Words that are never a given name: the end of a clause or a pronoun read as one.
_NOT_GIVEN = set("的了着过在为与及等是也都就还把被将对向从到给让以由因这那们")
# Words of the sentence around a name that are never a given name ("大家", "主持"); their characters
# alone may be (家豪, 加加, 任远).
_NOT_GIVEN_WORDS = ("大家", "主持", "记录", "讲授", "参加", "出席", "担任", "党委", "支部", "党员", "委员")
# Words a clause starts with whose first character is also a surname ("宣布本次会议…", "高度重视").
_NOT_NAME_START = {
    "宣布",
    "宣读",
    "宣讲",
    "宣传",
    "首先",
    "介绍",
    "全体",
    "全部",
    "支部",
    "党支",
    "党员",
    "党委",
    "党总",
    "会议",
    "本次",
    "随后",
    "最后",
    "通过",
    "代表",
    "候选",
    "同志",
    "书记",
    "委员",
    "组织",
    "高度",
    "严格",
    "认真",
    "深入",
    "共同",
    "明确",
    "强调",
    "希望",
    "要求",
    "结合",
    "围绕",
    "按照",
    "根据",
    "经过",
    "大家",
    "各位",
    "应到",
    "实到",
    "参加",
    "出席",
    "主持",
    "记录",
    "讲授",
    "学习",
    "重温",
    "集中",
    "时间",
    "地点",
    "上午",
    "下午",
    "晚上",
    "中午",
    "华诞",
    "文件",
    "会上",
    "国歌",
    "国际",
    "南方",
    "西方",
    "北方",
    "万众",
    "于是",
    "和谐",
    "司机",
    "安排",
    "师生",
    "师范",
    "党课",
    "全院",
    "全校",
    "全系",
    "全员",
    "成员",
    "学生",
    "教师",
    "老师",
    "同学",
    "干部",
    "职工",
    "群众",
    "家属",
    "单位",
    "部门",
}


# Words a name read from running text never starts or ends with: a preposition, a conjunction, a
# particle or the unit word that stands next to a name ("由村支部书记主持" is no 由村, "由吴疆书记主持"
# no 由吴疆, "向全体党员" no 向全). A person of such a surname is read from a 主持人 line. 和 may end a
# name (致和, 清和 are common given names); it never starts one.
EDGE_WORDS = set("由在对为向和与及等的了村组")
_LAST_EDGE_WORDS = EDGE_WORDS - {"和"}
# Titles that stand after a surname ("王书记", "李老师"): a title, never a given name.
TITLES = (
    "书记",
    "支书",
    "委员",
    "主任",
    "院长",
    "校长",
    "部长",
    "局长",
    "处长",
    "科长",
    "所长",
    "站长",
    "队长",
    "村长",
    "镇长",
    "乡长",
    "县长",
    "市长",
    "厂长",
    "经理",
    "主席",
    "组长",
    "干事",
    "老师",
    "教授",
    "同志",
    "医生",
    "博士",
    "总",
)


def plausible_name(text: str) -> bool:
    """A plausible Chinese personal name: a known surname and one or two given characters
    (three after a compound surname), none of them a function word, not a surname with a title
    ("王书记"), its first character none of ``EDGE_WORDS`` and its last none of them but 和."""
    name = normalize_name(text)
    if not re.fullmatch(f"[{_HAN}]{{2,4}}", name) or name[:2] in _NOT_NAME_START:
        return False
    if name[0] in EDGE_WORDS or name[-1] in _LAST_EDGE_WORDS or name[1:] in TITLES or name[2:] in TITLES:
        return False
    for surname in (name[:2], name[:1]):
        given = name[len(surname) :]
        if (surname in _SURNAMES_2 or (len(surname) == 1 and surname in _SURNAMES_1)) and 1 <= len(
            given
        ) <= 2:
            return not (set(given) & _NOT_GIVEN) and given not in _NOT_GIVEN_WORDS
    return False
