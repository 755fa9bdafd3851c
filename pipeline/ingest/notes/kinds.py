"""Which activity a note records, from the names meetings go by in published records.

Branches name their meetings after what they decide (预备党员转正大会, 预备党员转正会议, 转正讨论会,
接收预备党员大会, 预备党员接收大会, 预备党员吸收大会, 纳新大会, 换届选举大会, 换届会议, 支部成立大会,
发展讨论大会, 推优大会), after who attends (支委及党小组组长会议, 支委扩大会), by their number ("本学期第一次
会议" of a branch, with all members or a 党员大会's business: a 支部党员大会) or by the usual eight names
(党员固定日活动 is a 主题党日; 党员民主测评 held as its own meeting is the 民主评议党员; a branch's 大会 of
another name, counted against the quorum or of all members, is its 党员大会). The branch's formal name before its verb ("中共某医院支部委员会召开……")
is no 支委会, and a meeting named as the subject of a study ("组织生活会专题学习") is not the meeting.
Each name here maps to one of the eight activities of 《中国共产党支部工作条例
（试行）》; a report names its meeting near the verb that opens it ("召开党员大会，进行了支部委员会选举"
is a 支部党员大会), so the name nearest after 召开/举行/开展 wins over one mentioned later.
A record that is both a 组织生活会 and a 民主评议党员 ("组织生活会暨民主评议党员", "召开组织生活会，
并开展民主评议") is one meeting counted for both (条例第十八条: 民主评议可以结合组织生活会一并进行).
"""

from __future__ import annotations

import re

from pipeline.chinese import to_simplified
from pipeline.ingest.notes.scan import reading
from pipeline.records.types import MeetingType, get_meeting_type, resolve_meeting_type

# (pattern, activity) — patterns on simplified text without spaces; longer, more specific first.
_NAMES: tuple[tuple[str, str], ...] = (
    # "开展组织生活会专题学习", "召开组织生活会动员部署会": the coming meeting is the subject, not the meeting.
    (r"组织生活会(?!专题学习|学习研讨|集中学习|前|筹备|准备|动员|部署|方案|通知)", "组织生活会"),
    (
        r"(?>(?:党员)?民主评议(?:党员)?(?:大会|会议|会|工作|活动)?)(?!专题学习|学习研讨|集中学习|筹备|准备|动员|部署|方案|通知)",
        "民主评议党员",
    ),
    # "召开了2023年度党支部和党员民主测评": the members' 测评 held as its own meeting.
    (r"(?:党支部和|支部和)?党员民主测评(?:大会|会议|会)?(?!表|环节|结果|票)", "民主评议党员"),
    (
        r"主题党日|主体党日|党日活动|党员活动日|党员(?:固定)?(?:教育)?主题日|(?:党员)?固定(?:活动)?日活动|党员固定活动日",
        "主题党日",
    ),
    (r"(?:专题|微)?党课", "党课"),
    (
        r"党小组(?:会议|会|学习会|学习|组织生活)|小组会"
        r"|党小组[^，。；]{0,16}?(?:召开|举行|开展)了?[^，。；]{0,10}?(?:学习会|会议|组织生活|专题会|交流会)",
        "党小组会",
    ),
    (
        r"支委(?:会|扩大会|会议)|支部委员(?:会)?会议|支委及[^，。]{1,10}?会议|(?<!总)支部委员会(?!委员|选举|换届|召开|举行|开展|组织|于|在|联合|党员|全体)"
        r"|(?:支委|支部委员|党组织委员)(?:及|和|与|、)党小组组?长(?:会议|会)",
        "支委会",
    ),
    (
        r"(?:支部|全体)?党员大会|支部大会|党支部大会|支部党员会|全体党员会议|转正大会|(?:接收|发展)?预备党员(?:转正)?大会"
        r"|(?:预备党员|学生党员|党员)?(?:接收|发展|吸收|纳新)(?:预备党员|新党员)?(?:[及和暨与]转正)?(?:讨论)?大会"
        r"|(?:接收|吸收|发展)(?:预备党员|新党员)讨论会"
        r"|发展(?:讨论|对象推优|党员)?大会|推优大会|换届(?:选举|改选)?(?:党员)?(?:大会|会议)|(?:支部|支委)?选举大会|成立大会"
        r"|转正(?:讨论|表决)?(?:会议|会)|接收预备党员(?:讨论)?(?:会议|会)|(?:预备党员)?审批大会",
        "支部党员大会",
    ),
    (r"谈心谈话|谈心|(?:个别|集体)?谈话(?:活动)?", "谈心谈话"),
)
_PATTERN = re.compile("|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(_NAMES)))
# Verbs that open the meeting a sentence reports.
_OPENING = re.compile(r"召开|举行|开展|组织召开|组织开展|举办|进行|开了|讲授|上了|召集")
# A meeting with a general name decides what only a 支部党员大会 decides (接收预备党员, 转正, 选举):
# 《中国共产党发展党员工作细则》第二十四条、第三十二条; 支部委员会由党员大会选举.
_GENERAL = re.compile(r"(?:支部(?:扩大)?会议|党支部会议|支部会|支部全体会议)(?!议?室|议?厅)")
_ENLARGED = re.compile(r"扩大会议")
# A branch's 大会 of another name ("召开了2023年度工作总结及考核大会"): its members' meeting when the
# report counts it against the quorum, says all members came, or does a 党员大会's business.
_BIG_MEETING = re.compile(r"大会(?!堂|议室|议厅)")
_QUORUM = re.compile(r"规定人数|法定人数|有效人数|超过(?:应到会?)?(?:党员)?(?:人数)?的?半数|过半数")
# A branch's meeting called by its number only ("开展了本学期第一次会议", "召开新学年第一次支部会议").
_NUMBERED = re.compile(
    r"^了?(?:本学期|新学期|本学年|新学年|本年度|本月|本季度)?的?第[一二三四五六七八九十\d]{1,2}次(?:支部)?(?:全体)?(?:党员)?会议"
)
# What only a 支部党员大会 does, or who only it gathers: 接收预备党员, 转正, 选举 (细则第二十四条、第三十二条),
# 确定发展对象, or all the members of the branch.
_MEMBERS_DECIDE = re.compile(
    r"转正|接收[^，。]{0,12}预备党员|转为预备党员|吸收[^，。]{0,12}预备党员|换届|选举产生|发展对象"
)
_ALL_MEMBERS = re.compile(r"全体(?:正式|在职)?党员")
_BOTH = re.compile(
    r"组织生活会[^。]{0,24}?(?:暨|和|及|并|同时|、|，)[^。]{0,16}?民主评议|民主评议[^。]{0,8}?(?:暨|和|及)[^。]{0,6}组织生活会"
)


def _compact(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", reading(text))


def named_in(text: str) -> MeetingType | None:
    """The activity a short text names (a title, a file name, a 会议名称 value), or None."""
    return _near(_compact(text), 0, whole=True)


_DATED = re.compile(r"\d{1,2}\s*月\s*\d{1,2}|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日")


# A meeting of another kind named after the verb: "举行政治理论学习会", "召开党员座谈会". (A meeting
# named by its business, "召开确定发展对象会议", is of the kind its members make: not this.)
_OTHER_MEETING = re.compile(
    r"^了?[^，。；]{0,20}?(?:学习会|座谈会|研讨会|报告会|交流会|分享会|推进会|部署会|宣讲会|联欢会|读书会|茶话会"
    r"|学习教育活动|教育实践活动)"
    r"(?=[，。；]|$)"
)


def _sentences(texts: list[str]) -> list[str]:
    return [part for text in texts for part in re.split(r"(?<=[。！？!?；])", text) if part.strip()]


def names_other_meeting(texts: list[str]) -> bool:
    """Whether the dated sentence that opens the report names a meeting that is none of the eight:
    the report has said what it held, and a later mention ("要求开展组织生活会") is not it."""
    for sentence in (s for s in _sentences(texts) if _DATED.search(s)):
        text = _compact(sentence)
        if named_in(text):  # "第三党小组召开学习会": the sentence names its kind after all
            return False
        for verb in _OPENING.finditer(text):
            if _near(text, verb.end()):
                return False
            if _OTHER_MEETING.match(text[verb.end() :]):
                return True
    return False


def reported_in(sentences: list[str]) -> MeetingType | None:
    """The activity the first sentence that opens a meeting (召开/举行/开展 …) reports; a sentence
    with a date reports the meeting, one without may state a principle ("经常性开展谈心谈话是……")."""
    sentences = _sentences(sentences)
    context = _compact("".join(sentences))
    dated = [s for s in sentences if _DATED.search(s)]
    for sentence in dated + [s for s in sentences if s not in dated]:
        text = _compact(sentence)
        for verb in _OPENING.finditer(text):
            found = _near(text, verb.end(), context=context)
            if found:
                return found
    return None


# "通过本次主题党日学习活动，……": the report names its own meeting further down.
_THIS = re.compile(r"(?:本次|此次|这次)")


def this_meeting(texts: list[str]) -> MeetingType | None:
    """The activity the report calls "本次/此次 …" when its opening named none of the eight; two
    different names give none."""
    found = {
        t.name
        for text in texts
        for m in _THIS.finditer(_compact(text))
        if (t := _at_start(_compact(text)[m.end() : m.end() + 12]))
    }
    return get_meeting_type(found.pop()) if len(found) == 1 else None


def _at_start(text: str) -> MeetingType | None:
    m = _PATTERN.match(text)
    return _named(m) if m else None


def _named(m: re.Match[str]) -> MeetingType | None:
    """The meeting type whose name ``_PATTERN`` matched (its groups are k0, k1, … by ``_NAMES``)."""
    return get_meeting_type(_NAMES[int((m.lastgroup or "k0")[1:])][1])


def _near(text: str, start: int, whole: bool = False, context: str = "") -> MeetingType | None:
    """The meeting named within the clause after ``start`` (up to 。 or ；), or in the whole text.
    A general name ("支部会议", "本学期第一次会议" of a branch) is a 支部党员大会 when the report
    (``context``) says the meeting does what only one does, or gathers all members."""
    stops = [i for i in (text.find("。", start), text.find("；", start)) if i >= 0]
    end = len(text) if whole or not stops else min(stops)
    clause = text[start:end]
    m = _PATTERN.search(clause)
    if m:
        return _named(m)
    general = _GENERAL.search(clause) or ("支部" in text[:start] and _NUMBERED.match(clause))
    if general and (_MEMBERS_DECIDE.search(text + context) or _ALL_MEMBERS.search(text + context)):
        return get_meeting_type("支部党员大会")
    if _ENLARGED.search(clause) and _MEMBERS_DECIDE.search(text):
        return get_meeting_type("支部党员大会")
    members = _MEMBERS_DECIDE.search(text + context) or _ALL_MEMBERS.search(text + context)
    if "支部" in text[:start] and _BIG_MEETING.search(clause) and (members or _QUORUM.search(text + context)):
        return get_meeting_type("支部党员大会")
    return None


def declared(value: str) -> MeetingType | None:
    """A 会议类型 field: an exact name or alias first, then any name it contains."""
    simple = to_simplified(value)
    return resolve_meeting_type(simple, exact=True) or named_in(simple) or resolve_meeting_type(simple)


def also_types(primary: MeetingType, texts: list[str]) -> tuple[str, ...]:
    """A 组织生活会 held together with the 民主评议党员 counts for both."""
    if primary.name not in ("组织生活会", "民主评议党员"):
        return ()
    other = "民主评议党员" if primary.name == "组织生活会" else "组织生活会"
    for text in texts:
        if _BOTH.search(_compact(text)):
            return (other,)
    return ()
