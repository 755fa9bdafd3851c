"""Attendance counts stated in running text or in a list's brackets: 应到 and 实到 of THIS meeting.

A count is read only when the text states, as one exact number, how many members of the branch
were due at the meeting or came to it:

- 实到 as such: "实到15人", "实际到会29人", "支部34党员参加" (no unit), "应到18，实到16" (a pair), "实参会党员17名", "到会党员22名", "出席会议23人",
  "参会党员26人", "与会的正式党员9名", "支部28名党员参加会议", "17名支部成员按时到会",
  "退休和在职共42名党员参加了本次大会";
- 应到 as such: "应到党员18名", "应到会党员人数为21名", "应参会党员19名", "应到会有成员20人",
  "应到39名正式党员"; or the size of the branch where the report also counts who came
  ("支部29名党员，出席会议23人": 29 and 23); everyone: "支部23名党员全部参加",
  "全体14名党员参加" (23 of 23, nobody absent).

Never a count: an approximate number (近60人, 约35名, 50余名, 20多人, 30人左右, 上百名); people who
are not all members ("党员、积极分子共31人", "6名入党积极分子和1名群众列席"); one item of a list
("副书记某某及25名党员", "22名本科生党员及机关党员"); what members did besides attending
("44名党员参加捐款", "136名党员参加了民主测评"); several branches' figures ("各支部", "6个党支部");
the size of a branch with no count of who came; a sum the text does not write ("共十三人参加，一人
因病缺席" states 实到 13, not 应到 14).

Voting members (《中国共产党发展党员工作细则》第二十三条、第三十二条: 预备党员 have no vote) are kept
apart: "应到正式党员32人，实到正式党员27人" are the voting figures; they are 应到/实到 only when
the report counts no one else. Attendance given as separate figures ("参会正式党员13名、预备党员
4名") states no total: 实到 stays blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.chinese import cn_to_int

_D = "0-9零〇一二两三四五六七八九十百"
_NUM = rf"(?<![{_D}])(?P<n>[{_D}]{{1,4}})\s*(?:名|人|位)"
# Members of the branch, with the words that qualify them (中共正式党员, 有表决权的党员, 支部成员).
_WHO = (
    r"(?:中共|全体|支部|本支部|在职|退休|离退休|在册|教工|学生|教师|机关)*"
    r"(?:有表决权的?|有选举权的?)?(?:正式党员|预备党员|党员同志|党员干部|党员教师|党员|同志|支部成员|成员|支部委员|委员|支委)"
)
_CAME = r"(?:参加|出席|参会|到会|与会|参与|到场)"
_SAID_PRESENT = re.compile(
    r"(?:实到|实际到会|实际参会|实际出席|实际参加会议|实参会|实出席)(?:会议|会)?的?"
    rf"(?:{_WHO})?(?:人数)?(?:为|是|有|共|共计)?[：:]?\s*{_NUM}(?:{_WHO})?"
)
_NOUN_PRESENT = re.compile(
    r"(?<![应实])(?:出席会议|参加会议|出席本次会议|参加本次会议|参加此次会议|到会|出席|参会|与会|到场)的?"
    rf"(?:有|为|是)?(?:{_WHO}|人员|人数)?(?:共计|共|计|有|为|是)?[：:]?\s*{_NUM}(?:{_WHO})?"
)
_VERB_PRESENT = re.compile(
    rf"(?P<total>共有|共计|共|计|总计|合计)?{_NUM}(?:{_WHO})?(?:全部|均|都|按时|准时|一起|共同|全员)?{_CAME}"
    r"了?(?P<obj>[^，,。；;！!？?）)]{0,14})"
)
# "支部34党员参加": a count written without its unit, right before the members it counts.
_BARE_PRESENT = re.compile(
    rf"(?P<total>)(?:支部|全支部|共有|共)(?P<n>\d{{1,3}})(?:{_WHO})(?:全部|均|都|按时|准时)?{_CAME}"
    r"了?(?P<obj>[^，,。；;！!？?）)]{0,14})"
)
# "27名党员及19名发展对象参加": the members who came, counted apart from the guests with them.
_WITH_GUESTS = re.compile(rf"{_NUM}(?:{_WHO})(?:及|和|以及|、)(?P<guests>[^，,。；;]{{1,24}}?){_CAME}")
_EVERYONE = (
    re.compile(rf"(?:全体|全部)(?:{_WHO})?共?{_NUM}(?:{_WHO})?(?:全部|均|都)?{_CAME}"),
    re.compile(rf"{_NUM}(?:{_WHO})?(?:全部|均|都|全员){_CAME}"),
)
_SAID_EXPECTED = re.compile(
    r"(?:应到到?|应出席|应参会|应参加)(?:会议|会)?(?:有)?的?"
    rf"(?:{_WHO})?(?:人数|总数)?(?:为|是|有|共)?[：:]?\s*{_NUM}(?:{_WHO})?"
)
# The size of the branch: "支部29名党员", "第二党支部共有党员9名", "支部共有正式党员29名".
_SIZE = re.compile(
    rf"(?:支部|党小组)(?:目前|现在|现)?(?:共有|现有|有|共)?(?:{_WHO})?共?{_NUM}"
    rf"(?![^，,。；;]{{0,12}}{_CAME})(?:{_WHO})?"
)
# "支部共有党员12人，其中正式党员11人": the branch's voting members.
_OF_WHOM_VOTING = re.compile(rf"[，,（(]?其中(?:有表决权的?)?正式党员(?:为|有)?{_NUM}")

# What a clause of attendance may not also count: people who are not members, or guests.
_NOT_MEMBERS = re.compile(
    r"积极分子|发展对象|入党申请人|申请入党|群众|非党|无党派|民主党派|团员|少先队员|师生|家属|教职工|职工"
    r"|嘉宾|来宾|领导|代表|志愿者|(?<!党员)(?:同学|学生|教师)(?!党员)"
)
# Words that make a number approximate, before it or after its unit.
_ABOUT_BEFORE = re.compile(r"(?:近|约|大约|将近|接近|逾|超过)\s*$")
# "数十名", "上百人", "几十位".
_ABOUT_TENS = re.compile(r"(?:数|上|几)\s*$")
_ABOUT_AFTER = re.compile(r"^\s*(?:左右|以上|上下|许)")
# Several branches' figures in one sentence: not one meeting's attendance.
_SEVERAL_BRANCHES = re.compile(r"各(?:党)?支部|[两二三四五六七八九十\d]+个(?:党)?(?:支部|党组织)")
# Several bodies' members in one figure: "甲局机关党委、乙局机关党支部共50名党员参加".
_BODY = r"(?:党委|党工委|工委|党组|总支|支部|党小组)"
_SEVERAL_BODIES = re.compile(rf"{_BODY}[^，,。；;]{{0,12}}?(?:、|和|及|与|以及)[^，,。；;]{{1,20}}?{_BODY}")
# One item of a list of who came ("某某及25名党员"): not a total, unless the total is said (共).
_LIST_BEFORE = re.compile(r"(?:及|和|与|、)\s*$")
# What members did besides attending: "参加捐款", "参加了民主测评", "参加志愿服务".
_OTHER_BUSINESS = re.compile(
    r"捐|献|志愿|培训|考试|比赛|竞赛|义诊|劳动|服务|测评|投票|表决|选举|植树|慰问|发言|汇报|宣誓|交流|签"
)
_MEETING_OBJECT = re.compile(
    r"^(?:(?:本次|此次|这次|该次|今天的|当天的)?[^，,。；;]{0,8}?(?:会议|大会|会|活动|学习|党日|党课))?$"
)
_RESERVE_FIGURE = re.compile(
    rf"预备党员(?:为|有)?[{_D}]{{1,4}}\s*(?:名|人|位)|[{_D}]{{1,4}}\s*(?:名|人|位)(?:的)?预备党员"
)
_CLAUSE_END = re.compile(r"[，,。；;！!？?：:\n]")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")


@dataclass
class _Count:
    value: int
    start: int
    voting: bool  # of the voting (正式) members only
    reserve: bool  # of the 预备党员 only: a part of who came


def _clause_start(text: str, pos: int) -> int:
    return max((m.end() for m in _CLAUSE_END.finditer(text, 0, pos)), default=0)


def _sentence(text: str, pos: int) -> str:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, pos)), default=0)
    end = _SENTENCE_END.search(text, pos)
    return text[start : end.start() if end else len(text)]


def _approximate(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start("n") - 3) : m.start("n")]
    tens = m.group("n")[0] in "十百" and _ABOUT_TENS.search(before)
    return bool(_ABOUT_BEFORE.search(before) or tens or _ABOUT_AFTER.match(text[m.end() : m.end() + 3]))


def _count(text: str, m: re.Match, listed_ok: bool = False, said: str | None = None) -> _Count | None:
    """The count a match states (``said``: the words of the count, the whole match by default), or
    None when it is no exact count of members of this meeting."""
    value = cn_to_int(m.group("n"))
    if not value or _approximate(text, m):
        return None
    before = text[_clause_start(text, m.start()) : m.start("n")]
    if _SEVERAL_BODIES.search(before):
        return None
    # The branch's own name ("学生第一党支部", "机关职工党支部") says nothing of who came.
    before = re.split(r"支部|党小组", before)[-1]
    said = m.group(0) if said is None else said
    if _NOT_MEMBERS.search(before + said) or _SEVERAL_BRANCHES.search(_sentence(text, m.start())):
        return None
    if not listed_ok and _LIST_BEFORE.search(text[max(0, m.start("n") - 3) : m.start("n")]):
        return None
    return _Count(value, m.start(), bool(re.search("正式|表决权|选举权", said)), "预备" in said)


def _verb_count(text: str, m: re.Match) -> _Count | None:
    """ "28名党员参加会议": the verb's object is the meeting, or nothing."""
    # "参与到学习活动中": the meeting, said with 到 … 中.
    obj = re.sub(r"^到(?=.+中$)|(?:当中|之中|中)$", "", m.group("obj"))
    if _OTHER_BUSINESS.search(obj) or not _MEETING_OBJECT.match(obj):
        return None
    return _count(text, m, listed_ok=bool(m.group("total")))


def _guests_count(text: str, m: re.Match) -> _Count | None:
    guests = m.group("guests")
    if not _NOT_MEMBERS.search(guests) or re.search("党员|同志|委员|支委|成员", guests):
        return None
    c = _count(text, m, listed_ok=True, said=text[m.start() : m.start("guests")])
    return c if c and not c.reserve else None


def _first(text: str, pattern: re.Pattern, read=_count) -> list[_Count]:
    return [c for m in pattern.finditer(text) if (c := read(text, m))]


# "共有31名学生党员、14名正式党员以及17名预备党员参加会议": a total and the parts it is made of.
_TOTAL_WITH_PARTS = re.compile(
    rf"(?:共有|共计|共|总计|合计){_NUM}(?:{_WHO})?[、，,]?(?:其中)?"
    rf"(?P<a>[{_D}]{{1,4}})\s*(?:名|人|位)(?:{_WHO})(?:、|，|,|以及|和|及|与)"
    rf"(?P<b>[{_D}]{{1,4}})\s*(?:名|人|位)(?:{_WHO}){_CAME}"
)


def _total_with_parts(text: str) -> int | None:
    """The total of who came when the parts written after it add up to it; None otherwise."""
    for m in _TOTAL_WITH_PARTS.finditer(text):
        c = _count(text, m, listed_ok=True, said=text[m.start() : m.start("a")])
        a, b = cn_to_int(m.group("a")), cn_to_int(m.group("b"))
        if c and a is not None and b is not None and a + b == c.value:
            return c.value
    return None


def _present(text: str, found: dict) -> None:
    """实到 and the voting members present; separate figures (正式 and 预备) state no total."""
    total = _total_with_parts(text)
    if total is not None:
        found.setdefault("present", total)
        return
    said = _first(text, _SAID_PRESENT)
    others = sorted(
        _first(text, _NOUN_PRESENT)
        + _first(text, _VERB_PRESENT, _verb_count)
        + _first(text, _BARE_PRESENT, _verb_count)
        + _first(text, _WITH_GUESTS, _guests_count),
        key=lambda c: c.start,
    )
    plain = {c.value for c in said + others if not (c.reserve or c.voting)}
    if len(plain) > 1:
        # "实到党员15人……共有17名党员参加会议": two counts of who came; neither is printed.
        found["unsure"] = ("present",)
    candidates = said or others
    for c in candidates:
        if c.reserve:
            found["separate"] = True
        elif c.voting:
            found.setdefault("voting_present", c.value)
            # "实到正式党员20人，预备党员3人": the 预备党员 who came are counted apart.
            if _RESERVE_FIGURE.search(_sentence(text, c.start)):
                found["separate"] = True
        elif "present" not in found:
            found["present"] = c.value


def _expected(text: str, found: dict) -> None:
    """应到, as stated or as the size of a branch whose members' attendance is counted."""
    stated = _first(text, _SAID_EXPECTED, lambda t, m: _count(t, m, listed_ok=True))
    sizes = [] if stated else _first(text, _SIZE, lambda t, m: _count(t, m, listed_ok=True))
    counted = "present" in found or "voting_present" in found
    for c in stated + (sizes if counted else []):
        key = "voting_expected" if c.voting else "expected"
        if found.setdefault(key, c.value) != c.value and key == "expected":
            found["unsure"] = found.get("unsure", ()) + ("expected",)
    for m in [*_SAID_EXPECTED.finditer(text), *_SIZE.finditer(text)]:
        voting = _OF_WHOM_VOTING.match(text, m.end())
        if voting and "voting_expected" not in found:
            found["voting_expected"] = cn_to_int(voting.group("n"))


def _everyone(text: str, found: dict) -> None:
    for pattern in _EVERYONE:
        for m in pattern.finditer(text):
            c = _count(text, m, listed_ok=True)
            if c and not c.reserve and not c.voting:
                found.setdefault("present", c.value)
                found.setdefault("expected", c.value)
                found["none_absent"] = True
                return


# "应到18，实到16": both counts said together, without their unit.
_BARE_PAIR = re.compile(
    r"应到(?:会)?(?:党员|正式党员)?(?:人数)?[为是：:]?\s*(?P<e>\d{1,3})\s*[，,、；;]\s*"
    r"实到(?:会)?(?:党员|正式党员)?(?:人数)?[为是：:]?\s*(?P<p>\d{1,3})(?![\d.％%])"
)


def _bare_pair(text: str, found: dict) -> None:
    m = _BARE_PAIR.search(text)
    if m and int(m.group("p")) <= int(m.group("e")):
        voting = "正式" in m.group(0)
        found.setdefault("voting_expected" if voting else "expected", int(m.group("e")))
        found.setdefault("voting_present" if voting else "present", int(m.group("p")))


def counts(text: str) -> dict:
    """expected, present, none_absent and the voting figures stated in ``text`` (simplified)."""
    found: dict = {}
    _everyone(text, found)
    _bare_pair(text, found)
    _present(text, found)
    _expected(text, found)
    if found.get("present") is not None and found.get("expected", 0) < found["present"]:
        found.pop("expected", None)  # a branch smaller than who came is not this meeting's
    separate = found.pop("separate", False)
    for key in found.pop("unsure", ()):
        found.pop(key, None)
        found["unsure_" + key] = True
    voting_present = found.get("voting_present")
    if voting_present and not separate and "present" not in found and "unsure_present" not in found:
        # Only the voting members were counted ("应到39名正式党员，实到34名").
        if found.get("expected") in (None, found.get("voting_expected")):
            found["present"] = voting_present
    if "expected" not in found and found.get("voting_expected") and "present" in found and not separate:
        found["expected"] = found["voting_expected"]
    return {k: v for k, v in found.items() if v is not None}


_ANY_NUMBER = re.compile(rf"[{_D}]+")
_ABOUT = re.compile(r"[近约余多]|左右|以上|上下")


def field_count(value: str, key: str) -> tuple[int | None, bool]:
    """A 应到/实到 line's value (``key`` "expected" or "present"): (the count, True) when it is one
    exact number ("12人", "12人（其中预备党员2人）"); (None, True) when it has no number at all;
    (None, False) when it cannot be read with certainty: approximate ("30余人") or several numbers
    that do not say which one is this line's ("正式党员10人，预备党员2人")."""
    bare = re.sub(r"[（(][^）)]*[）)]", "", value)
    numbers = _ANY_NUMBER.findall(bare)
    if not numbers:
        return None, True
    if _ABOUT.search(bare):
        return None, False
    if len(numbers) == 1:
        return cn_to_int(numbers[0]), True
    found = counts(value).get(key)
    return found, found is not None


# "会议由…主持，全体党员参加了会议", "支部所有教工党员出席并参加了此次的党组织生活会": a clause that is
# wholly the branch's members as a group and the verb that says they came; the group may be named by
# the project or workshop the branch is ("某某项目全体党员参加此次会议") or be plainly "支部党员".
_MEMBERS = r"(?:全体|所有)(?:支部)?(?:在职|在岗|教工|正式|退休|学生|研究生|本科生)?党员(?:同志|教师)?"
_GROUP_CAME = re.compile(
    rf"(?:^|(?<=[，。；：]))(?P<group>(?:本支部|党支部|支部)?{_MEMBERS}"
    rf"|[\u4e00-\u9fff]{{2,6}}?(?:项目|项目部|车间){_MEMBERS}|(?:本支部|党支部|支部)党员)"
    r"(?:都|均|全部|准时|按时)?(?:出席并参加|参加|参会|出席|到会)了?"
    r"(?:(?:本次|此次|这次)的?[^，。；]{0,12}|会议|大会|活动|党课|学习)?(?=[，。；]|$)"
)
# "某某党支部全体党员在多媒体教室召开……": the branch's members as the subject of the meeting's verb;
# the group is the members ("全体党员"), the branch before them is whose meeting it is.
_GROUP_MET = re.compile(
    rf"(?:^|(?<=[，。；：]))[^，。；：]{{0,24}}?(?:党支部|支部)(?P<group>{_MEMBERS})"
    r"(?:在|于)[^，。；]{1,24}?(?:召开|举行|开展)"
)
# "请党委副书记某某为全体党员讲党课": a 党课's audience, the members as a group.
_GROUP_TAUGHT = re.compile(
    rf"(?:为|给|向)(?P<group>(?:本支部|党支部|支部)?{_MEMBERS})"
    r"(?:讲授?|上了?|作了?|做了?)(?:一堂|一场|一次|一节)?[^，。；]{0,8}?党课"
)


def group_came(opening: str) -> str:
    """The group the report's opening says came ("全体党员", "支部全体党员", "全体支部党员"), as
    written; "" when none, or when two clauses name different groups. A group is shown, never
    counted; a clause that adds anyone to it ("书记某某及全体党员参加") is no group."""
    found = {m.group("group") for pattern in (_GROUP_CAME, _GROUP_MET) for m in pattern.finditer(opening)}
    return found.pop() if len(found) == 1 else ""


def group_taught(opening: str) -> str:
    """The group a 党课 was given to ("为全体党员讲党课"), as written; "" when none or two differ."""
    found = {m.group("group") for m in _GROUP_TAUGHT.finditer(opening)}
    return found.pop() if len(found) == 1 else ""
