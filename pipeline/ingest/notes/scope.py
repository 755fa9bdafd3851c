"""Whose meeting a report records: one branch's (or one 党小组's), or not a record of one at all.

《中国共产党支部工作条例（试行）》 gives the 三会一课 and the other activities to the branch: a record
files one meeting a branch held. Five shapes of published report are no such record, and are refused
with what was found:

- several branches' own meetings told in one dated sentence ("第一党支部、总务党支部、后勤党支部分别
  组织召开党员大会"): one record per meeting;
- a headline naming a series of activities and none of the eight ("某法庭开展系列活动迎接建党节");
- the 党员大会 of a school's or a company's party organisation that elects its 党委 or 总支, no branch
  named where it is reported;
- a 党员大会 an organisation convenes in its own name when its 党委 is named ("某某社区召开年终党员大会……
  社区党委书记代表社区党委述职"): the 党委's members' meeting;
- an activity a 党委, 党工委 or 机关工委 organised for its members or for several organisations, with no
  branch among the organisers ("6月22日下午，某所党委组织全体在职党员来到……开展了主题党日活动",
  "某机关工委、某局机关党委联合开展……主题党日"). A 党委书记 who joins a branch's meeting, a branch
  of a 党委 ("院党委所属第二党支部"), a 党总支, or a 党委 named before the date ("根据院党委部署，
  3月9日，机关第一党支部……"), or one branch's members organised by a 党委 ("离退处党工委组织离休支部
  党员……") leave the meeting the branch's.
"""

from __future__ import annotations

import re

from pipeline.chinese import to_simplified
from pipeline.errors import Location, NoteFormatError
from pipeline.ingest.dates import iter_dates, normalize
from pipeline.ingest.notes import kinds
from pipeline.ingest.notes.scan import Scanned

# "我院党政第一党支部、总务党支部、……分别组织召开党员大会": several branches' meetings in one report.
_EACH_HELD = re.compile(r"分别(?:组织)?(?:召开|举行|开展)了?")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|「[^」]*」")
# The verb after the date of the sentence that reports the activity, and who stands before it.
_ORGANISES = re.compile(r"召开|举行|开展|举办|组织|进行|来到|前往|赴")
# A 党委 as the one who acts, not a title ("党委书记", "党委委员") or a department ("党委组织部").
_PARTY_COMMITTEE = re.compile(
    r"(?:党委|党工委|工委|党组)(?=$|[、，,]|联合|共同|一起|组织|在|于|到|来到|前往|赴|召开|举行|开展|举办|和|与|及)"
)
_BRANCH = re.compile(r"支部|党小组|总支")
_TIME_OF_DAY = re.compile(r"^(?:上午|下午|中午|晚上|早上|傍晚|晚)")


def _fail(message: str, hint: str, file_name: str) -> NoteFormatError:
    return NoteFormatError(message, hint=hint, location=Location(file=file_name))


def _sentences(s: Scanned, lines: int = 3) -> list[str]:
    return [
        part
        for line in s.prose[:lines]
        for part in re.split(r"(?<=[。！？])", _QUOTED.sub("", to_simplified(normalize(line))))
        if part.strip()
    ]


def check_several(s: Scanned, file_name: str) -> None:
    """A report of the meetings several branches held each on its own is no record of one meeting:
    "……分别召开" after three branches, or "各党支部" holding the meeting ("院党委组织各党支部于1月8日至12日
    召开……")."""
    # A copied page may break a sentence over lines ("1月 / 19日 / 上午，……分别召开"): read it whole.
    joined = _QUOTED.sub("", to_simplified(normalize("".join(line.strip() for line in s.prose[:6]))))
    for sentence in [part for part in re.split(r"(?<=[。！？])", joined) if part.strip()]:
        m = _EACH_HELD.search(sentence) or _EACH_BRANCH.search(sentence)
        if m and iter_dates(sentence) and (sentence[: m.start()].count("支部") >= 3 or "各" in m.group(0)):
            raise _fail(
                f"这份报道写了多个支部：记的是几个支部各自召开的会议（「{sentence[max(0, m.start() - 12) : m.end() + 8]}」），"
                "不是一次会议的记录",
                "一份会议记录只记一次会议：请为本支部开的那次会议单独写一份记录（时间、地点、主持人、内容）。",
                file_name,
            )


# "院党委组织各党支部于1月8日至12日召开……": every branch holds its own meeting.
_EACH_BRANCH = re.compile(r"各(?:党)?支部(?:分别|均|都)?(?:于|在|召开|举行|开展|组织)")
# "学生第一、二党支部", "第一党支部、第二党支部、第三党支部": several branches named together.
_SEVERAL_NAMED = re.compile(
    r"第?[一二三四五六七八九十\d]{1,2}(?:、第?[一二三四五六七八九十\d]{1,2})+(?:党)?支部"
    r"|支部(?:、|和|与|及|以及)[^，。；、]{0,10}?支部(?![书委成副])"
)
_JOINT_ACT = re.compile(r"召开|举行|组织|开展|参加|出席|参会")
# Activities branches hold together and each records (a joint 主题党日, a 党课 for two branches).
_HELD_TOGETHER = ("主题党日", "党课")


def check_joint(s: Scanned, file_name: str, type_name: str | None) -> None:
    """A meeting of several branches together ("学生第一、二党支部于……召开了接收及转正大会", "第一党支部、
    第二党支部、第三党支部全体支部委员共同参加") is no one branch's meeting: a 党员大会 votes, and a 支委会
    decides, for one branch (《中国共产党支部工作条例（试行）》). A joint 主题党日 or 党课 is each branch's."""
    if type_name in _HELD_TOGETHER:
        return
    for sentence in _sentences(s)[:3]:
        for clause in re.split(r"[，,。；;]", sentence):
            m = _SEVERAL_NAMED.search(clause)
            # "……分别召开": each its own meeting, said so by ``check_several``.
            if m and _JOINT_ACT.search(clause, m.end()) and not _EACH_HELD.search(clause):
                raise _fail(
                    f"这份报道写了多个支部一起开的会（「{clause[:40]}」），不是一个支部的会议记录",
                    "一份会议记录只记一个支部的一次会议：请为本支部单独写一份记录（时间、地点、主持人、内容）。",
                    file_name,
                )


# "滨海法庭开展系列活动庆建党百周年": a headline that reports a series of activities, none of the eight.
_SERIES = re.compile(r"系列活动|系列主题活动|多项活动")
# A 党员大会 that elects a 党委 or a 总支 ("差额选举新一届的党委委员"): the congress of a party committee.
_ELECTS_COMMITTEE = re.compile(
    r"选举(?:产生)?(?:了)?(?:新一届|新一届的|第[一二三四五六七八九十]+届)?(?:党委|党总支|总支|纪委)(?:委员|书记|委员会|班子)"
)


def check_series(s: Scanned, file_name: str) -> None:
    """A report whose headline names a series of activities and none of the eight tells of several
    activities on several days: no record of one meeting."""
    title = to_simplified(s.title)
    if _SERIES.search(title) and not kinds.named_in(_QUOTED.sub("", title)):
        raise _fail(
            f"这份报道记的是一系列活动（标题「{s.title}」），是多次活动，不是一次会议的记录",
            "一份会议记录只记一次会议：请为本支部开的那次会议单独写一份记录（时间、地点、主持人、内容）。",
            file_name,
        )


# The meeting of a 党总支 that elects its committee: "机关总支部委员会选举大会", "选举机关党总支委员".
_TOTAL_BRANCH = re.compile(
    r"(?:党总支|总支部委员会|总支委员会)(?:换届)?(?:选举)?(?:党员)?大会|选举[^，。；,;]{0,6}?(?:党总支|总支)(?:委员|书记)"
)


def check_congress(s: Scanned, file_name: str, type_name: str) -> None:
    """A 党员大会 of a school's or a company's party organisation that elects its 党委 or 总支, with no
    branch named where it is reported, is the congress of that organisation, not a branch's meeting
    (《中国共产党基层组织选举工作条例》: a 党委 is elected by its 党员大会)."""
    if type_name != "支部党员大会":
        return
    opening = to_simplified(" ".join([s.title, *s.prose[:1]]))
    total = _TOTAL_BRANCH.search(opening)
    if total:  # "举行了机关总支部委员会选举大会": a 党总支's meeting, though its name holds 支部
        raise _fail(
            f"这份报道记的是党总支的会议（「{total.group(0)}」），非支部会议，不是党支部的会议记录",
            "收件箱里只放本支部的会议和活动记录。",
            file_name,
        )
    text = to_simplified(" ".join(s.prose[:8]))
    m = _ELECTS_COMMITTEE.search(text)
    if m and not _BRANCH.search(opening):
        raise _fail(
            f"这份报道记的是党委（或党总支）的党员大会（「{m.group(0)}」），非支部会议，不是党支部的会议记录",
            "收件箱里只放本支部的会议和活动记录。",
            file_name,
        )


def check_organiser(s: Scanned, file_name: str) -> None:
    """An activity organised by a 党委 (not a branch) is no record of a branch's meeting. Read in the
    first dated sentence that has a verb after its date: who stands between the date and the verb."""
    for sentence in _sentences(s):
        dates = iter_dates(sentence)
        verb = _ORGANISES.search(sentence, dates[0][3]) if dates else None
        if not verb:
            continue
        who = sentence[dates[0][3] : verb.start()]
        # "离退处党工委组织离休支部党员……": the members of one branch, organised by its 党委.
        members = sentence[verb.end() : verb.end() + 16] if verb.group(0) == "组织" else ""
        m = _PARTY_COMMITTEE.search(who)
        if m and not _BRANCH.search(who + re.split(r"召开|举行|开展|举办|参加|来到|前往|赴|到", members)[0]):
            organiser = re.sub(_TIME_OF_DAY, "", re.split(r"[，,、]", who[: m.end()])[-1].strip())
            raise _fail(
                f"这份报道记的是{organiser}组织的活动（「{sentence[dates[0][2] : verb.end() + 6]}」），"
                "不是党支部的会议或活动记录",
                "收件箱里只放本支部的会议和活动记录；本支部参加了这次活动时，请写一份本支部的记录"
                "（会议类型、时间、地点、主持人、内容）。",
                file_name,
            )
        return


def check_unit_congress(s: Scanned, file_name: str, type_name: str) -> None:
    """A 党员大会 that an organisation with a 党委 convenes in its own name ("12月20日下午，某某社区召开
    年终党员大会……某某社区党委书记代表社区党委述职") is the meeting of that 党委's members, not a
    branch's: no branch convenes it, none is in its name, and the convener's 党委 is named."""
    if type_name != "支部党员大会":
        return
    text = to_simplified(normalize(" ".join(s.prose[:8])))
    for sentence in _sentences(s, 6):
        dates = iter_dates(sentence)
        verb = re.compile(r"召开|举行").search(sentence, dates[0][3]) if dates else None
        if not verb:
            continue
        who = re.sub(_TIME_OF_DAY, "", sentence[dates[0][3] : verb.start()].strip(" ，,、")).strip(" ，,")
        named = re.split(r"[，。；,;]", sentence[verb.end() :])[0]
        if 2 <= len(who) <= 16 and not _BRANCH.search(who + named) and f"{who}党委" in text:
            raise _fail(
                f"这份报道记的是{who}党委的党员大会（「{sentence[dates[0][2] : verb.end() + 12]}」），"
                "非支部会议，不是党支部的会议记录",
                "收件箱里只放本支部的会议和活动记录。",
                file_name,
            )
        return
