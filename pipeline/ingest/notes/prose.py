"""People stated in running text: 主持人, 记录人, 主讲人, 谈话人 and 谈话对象, absences.

Published reports name people around a verb: "会议由支部书记郑雨航主持", "严可期支部书记主持",
"由冉子期同志讲授", "欧阳岚以《…》为题讲授专题党课", "林晓岚为大家上了一堂生动的党课",
"主持人郝明川宣读了…", "委员俞晓棠作记录", "宁秋白对晏书航等3名同志进行了谈心谈话"; the one
secretary a "支部书记讲党课" names is its lecturer (none when a higher secretary is named too, or the
secretary chairs it); "某某作为……委员列席" sat in; "书记某某以及支部成员甲、乙、丙参加此次会议" attended.
A person is read only when the words next to the verb are a plausible name (a known surname, one
or two given characters, no function word at either end: never "为大家", "由村" or a clause; never a
surname with a title, "柴书记") standing after a role, after 由, or at the start of a clause. Every
place the verb or label occurs is read: two readings naming different people print neither.
Otherwise the field stays blank and the second value returned says the verb was seen, so the run
can ask for a check. Every function takes simplified text.
"""

from __future__ import annotations

import re

from pipeline.chinese import cn_to_int
from pipeline.ingest.names import ROLE_SUFFIXES, plausible_name
from pipeline.records.meeting import Absence

_HAN = "\u4e00-\u9fff"
NAME = f"[{_HAN}]{{2,3}}"
# Titles and roles written before a name: 支部书记, 组织委员, 组长, 青年教师党员 …
ROLE = f"(?:[{_HAN}A-Za-z]{{0,8}}?(?:书记|委员|组长|主任|院长|校长|部长|党员|教师|老师|辅导员|代表|支书))?"
# What may stand right before a name: the start of a clause, 由, a role or title.
_BEFORE_NAME = re.compile(
    "(?:^|[，。；、：:,\\s（(由请邀和与及同是为])$|(?:"
    + "|".join(ROLE_SUFFIXES)
    + r"|支书|党员|成员|代表|同志|员|师|长|人|支部"
    # a unit named before its member: "马克思主义学院王晓东教授", "教务处葛某"
    + r"|学院|院|系|处|局|所|办|科|中心|公司|学校|小学|中学)$"
)
# A role phrase after a name ("严可期支部书记主持"): dropped to find the name before it.
_TRAILING_ROLE = re.compile(
    r"(?:党支部|支部|党总支|党委|学院|系|校|院)?(?:副)?(?:书记|支书|组织委员|宣传委员|纪检委员|委员|组长|主任|院长|校长|老师|教授|同志)$"
)
_CLAUSE = re.compile(r"[，。；;,!！?？\n]")


def _clause_before(text: str, end: int) -> str:
    start = max((m.end() for m in _CLAUSE.finditer(text, 0, end)), default=0)
    return text[start:end]


def name_before(head: str) -> str:
    """The name ending ``head`` (the words before a verb), or ""."""
    head = re.sub(r"(?:同志|老师|教授|同学)$", "", head.strip())
    for text in (head, _TRAILING_ROLE.sub("", head)):
        for n in (3, 2, 4):
            candidate, rest = text[-n:], text[:-n]
            if len(text) >= n and plausible_name(candidate) and _BEFORE_NAME.search(rest):
                return candidate
    return ""


def name_after(tail: str) -> str:
    """The name opening ``tail`` (the words after 主持人/记录人/主讲人), or ""."""
    tail = re.sub(r"^\s*(?:为|是|由)?\s*[：:]?\s*", "", tail)
    # "主讲人为支部书记赵某某同志": the name after its role.
    for text in (tail, re.sub(f"^{ROLE}", "", tail)):
        for n in (3, 2, 4):
            candidate, rest = text[:n], text[n:]
            if plausible_name(candidate) and re.match(
                f"(?:同志|老师|书记|教授|[^{_HAN}]|宣|介|首|作|讲|致|主|代|带|对|向|在|并|于|$)", rest
            ):
                return candidate
    return ""


def _before_verb(text: str, verb: str) -> tuple[list[str], bool]:
    """Every plausible name standing before ``verb`` in ``text``; whether the verb was seen."""
    matches = list(re.finditer(verb, text))
    return [n for m in matches if (n := name_before(_clause_before(text, m.start())))], bool(matches)


def _after_label(text: str, label: str) -> tuple[list[str], bool]:
    matches = list(re.finditer(label, text))
    return [n for m in matches if (n := name_after(text[m.end() :]))], bool(matches)


def agreed(readings: list[str]) -> str:
    """The one value every reading gives; "" when there is none, or when two readings disagree
    ("会议由甲主持……乙主持了讨论": neither is printed, and the run asks for a check)."""
    unique = list(dict.fromkeys(readings))
    return unique[0] if len(unique) == 1 else ""


def _labelled_or_before(text: str, label: str, verb: str) -> tuple[list[str], bool]:
    """Names after their label ("主持人X") and before their verb ("由X主持"); whether either was seen."""
    after, seen = _after_label(text, label)
    before, seen_verb = _before_verb(text, verb)
    return after + before, seen or seen_verb


def chair(text: str) -> tuple[str, bool]:
    """(name, a chair was mentioned) — "由X主持", "X主持会议", "X担任主持", "主持人X",
    "在X的主持下召开"; blank when two readings name different people."""
    under = []
    for m in re.finditer("的主持下", text):
        head = _clause_before(text, m.start())
        under.append(name_before(head[head.rfind("在") + 1 :] if "在" in head else head))
    found, seen = _labelled_or_before(
        text, "主持人", r"(?:担任|作为)(?:会议)?主持人|(?:担任|作为)?(?:会议)?主持(?!人)"
    )
    return agreed([n for n in under if n] + found), seen or bool(under)


def recorder(text: str) -> tuple[str, bool]:
    """(name, a recorder was mentioned) — "X担任记录", "X负责会议记录", "X作记录", "记录人X",
    "X为会议记录员"; blank when two readings name different people."""
    found, seen = _labelled_or_before(
        text,
        "记录人|记录员",
        r"(?:担任|负责|作|做|为)(?:会议)?记录(?:员|人)?|记录(?=[，。；、\s]|$)",
    )
    return agreed(found), seen


_LECTURE = re.compile(
    r"讲授|主讲|宣讲|讲了|上了|上(?=[^，。]{0,8}党课)|讲(?=[^，。]{0,4}党课)|作了|作(?=[^，。]{0,16}党课)|开展了|带来了"
)
_FOR_AUDIENCE = re.compile(
    f'(?:为|向|给)[{_HAN}]{{1,16}}$|以(?:《[^》]{{1,40}}》|[“"「][^”"」]{{1,40}}[”"」])为(?:主)?题$'
)


_VISITING = re.compile(f"(?:到|来到|深入|走进|前往)[{_HAN}0-9A-Za-z]{{2,16}}$")


# "部党委副书记陈可以“……”为题，为全体党员讲授专题党课": the name stands right before the title's 以.
_TITLED = re.compile(r'以(?:《[^》]{1,60}》|[“"「][^”"」]{1,60}[”"」])为(?:主)?题')


def lecturer(text: str) -> tuple[str, bool]:
    """(name, a lecturer was mentioned) in sentences about a 党课; blank when two readings name
    different people."""
    found, seen = _after_label(text, "主讲人|授课人|主讲")
    for sentence in re.split(r"[。；]", text):
        if "党课" not in sentence and "讲授" not in sentence:
            continue
        titled = [name_before(_clause_before(sentence, m.start())) for m in _TITLED.finditer(sentence)]
        found += [n for n in titled if n]
        for m in _LECTURE.finditer(sentence):
            head = _clause_before(sentence, m.start())
            # "书记赵某在为全体党员上了一堂党课": the name before 在.
            head = re.sub(r"由$|在$", "", _FOR_AUDIENCE.sub("", head))
            # "工会主席张文学到联系的内科五支部给全体党员上党课": the branch visited is not the name.
            head = _VISITING.sub("", head)
            seen = True
            name = name_before(head) or _after_you(head) or _subject_before(sentence, m.start(), head)
            if name:
                found.append(name)
    if not found and _SECRETARY_LECTURES.search(text):
        # The secretary said to chair the 党课 ("党课由党支部书记某某主持") is not said to give it.
        chaired = chair(text)[0]
        found, seen = [n for n in _secretaries(text) if n != chaired], True
    return agreed(found), seen or bool(found)


# "财务处开展支部书记讲党课 … 会上，景某某书记围绕……": a 党课 the report says the secretary gave.
_SECRETARY_LECTURES = re.compile(r"(?<!总)书记(?:讲|上|讲授|宣讲)(?:专题|微)?党课")
_SECRETARY = re.compile(r"(?<!总)(?<!副)书记")
_HIGHER_SECRETARY = re.compile(r"(?:党委|总支|党组|纪委|党工委)(?:副)?书记")


def _secretaries(text: str) -> list[str]:
    """Every name the report gives a 书记 ("支部书记秦某某", "景某某书记"): the lecturer of a
    secretary's 党课 when they are all one person (``agreed``); a deputy (副书记) is someone else."""
    if _HIGHER_SECRETARY.search(text):
        return []  # a 党委's or a 总支's secretary is there too: which one lectured is not said
    names = []
    for m in _SECRETARY.finditer(text):
        before = name_before(_clause_before(text, m.start()))
        after = name_after(text[m.end() :])
        names += [n for n in (before, after) if n]
    return names


# "支部书记孙某同志结合自身经历，为大家讲授了一堂党课": the one who lectured opens the clause before.
_SUBJECT = re.compile(f"^{ROLE}(?P<name>[{_HAN}]{{2,3}}?)(?:同志|老师|教授)")


def _subject_before(sentence: str, verb: int, head: str) -> str:
    """The named subject of the clause before, when the verb's own clause names only the audience."""
    if head.strip():
        return ""
    clause_start = max((m.end() for m in _CLAUSE.finditer(sentence, 0, verb)), default=0)
    previous = _clause_before(sentence, max(clause_start - 1, 0))
    m = _SUBJECT.match(previous.strip())
    return m.group("name") if m and plausible_name(m.group("name")) else ""


def _after_you(head: str) -> str:
    """ "由冉子期同志讲授": the name after 由 when the head ends with 同志."""
    m = re.search(f"由({NAME}|[{_HAN}]{{4}})(?:同志)?$", head)
    return m.group(1) if m and plausible_name(m.group(1)) else ""


# Who the several partners of a talk are: "等3名同志", "等8名表现突出的入党积极分子".
_PARTNER_GROUP = (
    f"[{_HAN}]{{0,8}}?(?:同志|党员|预备党员|入党积极分子|积极分子|发展对象|入党申请人|同学|青年教师|教师)"
)


def talk_pair(text: str) -> tuple[str, str]:
    """(谈话人, 谈话对象): "X与Y进行了谈心谈话", "X在办公室对Y等3名同志进行了谈话",
    "党支部在活动室对Y等8名表现突出的入党积极分子进行谈话" (the talker not named: blank)."""
    for m in re.finditer(r"(?:进行|开展)了?(?:一次)?(?:个别)?(?:谈心谈话|谈心|谈话)", text):
        clause = _clause_before(text, m.start())
        pm = re.search(
            f"(?P<head>.*?)(?:在[^对与同和]{{1,16}})?(?:对|与|同|和|找){ROLE}(?P<partner>{NAME}(?:同志)?"
            f"(?:等[0-9一二三四五六七八九十]{{1,3}}(?:名|位)(?:{_PARTNER_GROUP})?)?)(?:同志)?(?:在[^，。]{{0,16}})?$",
            clause,
        )
        if not pm:
            continue
        partner = pm.group("partner")
        partner = partner if "等" in partner else re.sub(r"同志$", "", partner)
        talker = name_before(re.sub(r"在[^对与同和]{1,16}$", "", pm.group("head")))
        if plausible_name(re.sub(r"(?:同志)?等.*$", "", partner)):
            return talker, partner.replace("同志等", "等")
    return "", ""


# A talk with a group the report describes but does not name ("组织高年级党员同2017级提交入党申请书的
# 同学进行谈话"): the partners are stated, but not as names.
_TALK_WITH_SOMEONE = re.compile(
    r"(?:同|与|对|和|找)[^，。；]{2,30}?(?:进行|开展)了?(?:一次|一场)?(?:个别|集体)?(?:谈心谈话|谈心|谈话)"
)


def talk_described(text: str) -> bool:
    """Whether the report says whom the talk was with, named or not."""
    return bool(_TALK_WITH_SOMEONE.search(text))


# 列席 in prose: "院党委副书记王利蕊老师列席会议", "同时邀请党委委员、部长邹余粮、护理部辛霞主任列席",
# "陈植柏、杨英、王桂仙三位同志，根据他们的请求，……列席了支部大会".
_ATTEND_AS_OBSERVER = re.compile(r"列席(?!人员)")
_INVITED = re.compile(r"^(?:同时|并|还|另|另外|会议|本次会议|特|特别)*(?:邀请|特邀|请)?")
_LIST_TAIL = re.compile(
    "(?:等)?(?:[0-9一二三四五六七八九十两]{1,2}(?:位|名|人))?(?:同志|老师|领导)?(?:也|亦|一同|一起|应邀|受邀)*$"
)
_ITEM_ROLE = re.compile(
    r"(?:副)?(?:书记|主任|部长|院长|校长|处长|科长|主席|组织员|委员|老师|教授|同志|主任医师)$"
)
_UNIT_END = re.compile(
    f"(?:{'|'.join(ROLE_SUFFIXES)}|部|处|科|室|院|所|局|委|办|系|组|中心|学院|助理|员|长)$"
)


def _observer_item(item: str) -> str | None:
    """The name in one item of a 列席 list; "" for a title standing alone (党委委员); None otherwise."""
    bare = _ITEM_ROLE.sub("", item)
    for n in (3, 2):
        candidate, rest = bare[-n:], bare[:-n]
        if len(bare) >= n and plausible_name(candidate) and (not rest or _UNIT_END.search(rest)):
            return candidate
    return "" if _UNIT_END.search(item) else None


def _name_list(clause: str) -> list[str]:
    """Every name of a clause that is a list of people (with their titles), or [] — also for a
    list that names only some ("陈某等三位同志")."""
    if re.search("等(?:[0-9一二三四五六七八九十两]|同志|人|$)", clause):
        return []
    items = [i for i in re.split(r"[、和及与]", _LIST_TAIL.sub("", _INVITED.sub("", clause))) if i]
    found = [_observer_item(i) for i in items]
    if not found or None in found or not found[-1]:
        return []
    return [n for n in found if n]


# "列席会议的有张三、李四": the list after the verb.
_LISTED_AFTER = re.compile(r"(?:会议)?(?:的)?(?:人员|同志)?(?:有|为|是)[：:]?(?P<list>[^。；]{2,60})")


def observers(text: str) -> tuple[list[str], bool]:
    """(names, 列席 was mentioned): the people a report says sat in (列席) on the meeting."""
    seen = False
    for m in _ATTEND_AS_OBSERVER.finditer(text):
        seen = True
        after = _LISTED_AFTER.match(text, m.end())
        if after:
            names = _name_list(re.split(r"[，,]", after.group("list"))[0])
            if names:
                return names, True
        sentence_start = max((i.end() for i in re.finditer("[。；]", text[: m.start()])), default=0)
        clauses = re.split(r"[，,]", text[sentence_start : m.start()])
        for clause in reversed(clauses[-4:]):
            # "部长严某作为职能部门党委委员列席": the one who sat in stands before 作为.
            names = _name_list(re.sub(r"作为[^，。；]*$", "", clause.strip()))
            if names:
                return names, True
    return [], seen


# "出席会议的是新选举产生的四名支委：张美玲、魏倩倩、逄秀风、赵燕燕", "参加会议的有：甲、乙、丙".
_WHO_ATTENDED = re.compile(
    r"(?:出席|参加|参会)(?:会议|本次会议|此次会议)?的(?:是|有|人员有|同志有)(?:(?P<intro>[^：:。；，]{0,20})[：:])?"
    r"(?P<list>[^。；，]+)"
)


# The next clause of a list of who came that goes on with a group: "，多名学生党员和预备党员".
_MORE_ATTENDEES = re.compile(
    r"[，,](?:以及|及|和|还有|另有)?[^，。；]{0,16}?(?:党员|同志|成员|对象|代表|老师|领导|群众|积极分子|同学)等?(?=[，。；]|$)"
)


def attendees(text: str) -> tuple[list[str], bool]:
    """(the people a report lists as present, when the list is wholly names with their titles;
    whether the report counts them too: "出席会议的是新选举产生的四名支委：甲、乙、丙、丁"). Only a
    counted list says who came, all of them: the names of a list may be only the guests of note."""
    for m in _WHO_ATTENDED.finditer(text):
        if _MORE_ATTENDEES.match(text, m.end()):
            continue  # "…有书记某某同志，多名教工党员，…": the list goes on with people not named
        names = _name_list(m.group("list").strip())
        if names:
            said = re.search(f"({_NUM})(?:名|位|个|人)", m.group("intro") or "")
            return names, said is not None and cn_to_int(said.group(1)) == len(names)
    for m in _LIST_CAME.finditer(text):
        names = _name_list(m.group("list").replace("以及", "、").strip())
        if len(names) >= 3:
            return names, False
    return [], False


# "党支部书记于某老师以及支部成员刘某、崔某、冯某参与此次会议": a clause that is a list of names
# (three or more, with their titles) before the verb.
_LIST_CAME = re.compile(
    r"(?:^|[。；，])(?P<list>[^。；，]{4,80}?、[^。；，]{2,80}?)(?:参与|参加|出席)了?(?:此次|本次|这次)?(?:会议|活动)(?=[，。；]|$)"
)


# Reasons for an absence as people write them, in order: the first that matches wins.
_REASONS: tuple[tuple[str, str], ...] = (
    (r"因病(?:请假|缺席|未参加|未到会)?|请病假|病假|生病", "病假"),
    (r"因公出差|因出差(?:请假)?|出差", "出差"),
    (r"因事(?:请假)?|请事假|事假", "事假"),
    (r"因公外出|公出", "公出"),
    (r"休假", "休假"),
    (r"产假", "产假"),
    (r"(在外[^，。；、]{1,4}?)(?:缺席|请假|未参加|未到会)", ""),
    (r"(外出[^，。；、]{1,4}?)(?:缺席|请假|未参加|未到会)", ""),
    (r"因([^，。；、]{1,6}?)(?:请假|缺席|未参加|未到会)", ""),
)
_NUM = "[0-9一二三四五六七八九十两]{1,3}"


def all_absent_named(text: str, named: int) -> bool:
    """Whether the report counts its absentees and names them all ("缺席3人（甲出差、乙病假、丙事假）"):
    then they add up to 应到 with who came; names given in passing ("甲因病请假") may not be all."""
    m = re.search(f"缺席({_NUM})人", text)
    return m is not None and cn_to_int(m.group(1)) == named


def absentees(text: str) -> list[Absence]:
    """Absences stated clause by clause: 钱晓岚因病请假，孔令博因公出差，柏春燕事假."""
    found: list[Absence] = []
    m = re.search(f"缺席{_NUM}人[（(]({NAME})[，,、]([^）)、]{{1,8}})[）)]", text)
    if m and plausible_name(m.group(1)):
        found.append(Absence(m.group(1), m.group(2)))
    m = re.search(f"缺席{_NUM}人[（(]([^）)]+)[）)]", text)
    if m:
        # 缺席3人（尹若溪出差、聂文博病假）: each item a name and its reason.
        for item in re.split(r"[、，,；;]", m.group(1)):
            found.extend(absentees(item.strip()) if not item.strip().startswith("缺席") else [])
    for clause in re.split(r"[，。；;\n]", text):
        clause = clause.strip()
        for pattern, reason in _REASONS:
            m = re.search(f"(?:^|{ROLE})({NAME})(?:同志)?(?:{pattern})", clause)
            if m and plausible_name(m.group(1)) and _BEFORE_NAME.search(clause[: m.start(1)]):
                why = reason or m.group(m.lastindex or 0)
                found.append(Absence(m.group(1), why))
                break
    unique: dict[str, Absence] = {}
    for a in found:
        unique.setdefault(a.name, a)
    return list(unique.values())
