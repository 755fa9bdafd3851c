"""A person's standing as the roster, the minutes and the 发展党员登记表 each state it, and where
they disagree: what an inspector checks by laying the three side by side.

Pure: records in, findings out. The facts compared:

* 入党时间 is the day the 支部党员大会 accepted (《中国共产党发展党员工作细则》): the roster's
  入党时间, the register's 支部大会接收日期 and the date of the minutes that accept the person
  must be one date.
* 转正时间 is the day the 预备期 ends (``records.development``): the roster's 转正时间 and the
  register's acceptance date one 预备期 later must agree.
* A member the roster lists (正式 or 预备) has been accepted; a register that has the person
  still before acceptance, or confirmed while the roster still says 预备 (or the reverse),
  disagrees with it.
* A decision in the minutes (接收, 转正) that the register does not record; and every decision
  date of the register against the minutes of that day (``register_against_minutes``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from pipeline.chinese import cn_date
from pipeline.records.archived import MeetingRow
from pipeline.records.development import FULL, Person, Rules, probation_end, stage_of
from pipeline.records.register_rows import Member
from pipeline.records.votes import ACCEPT, COMMITTEE, GENERAL, decisions_in, votes_in

ROSTER, REGISTER = "党员名册", "发展党员登记表"
NEAR_DAYS = 60  # minutes this close to the register's date are reported as a mismatch
# (register field, meeting type that decides it, what it decides)
DECIDED_BY = (
    ("activist", COMMITTEE, "确定入党积极分子"),
    ("candidate", COMMITTEE, "确定发展对象"),
    ("accepted", GENERAL, "接收预备党员"),
    ("regular_meeting", GENERAL, "讨论转正"),
)


@dataclass(frozen=True)
class MinutesDecision:
    """One person accepted or confirmed by one meeting's minutes."""

    kind: str  # votes.ACCEPT or votes.CONFIRM
    name: str
    date: dt.date
    where: str  # the minutes, as messages name them: 2024年12月10日支部党员大会记录（path）


@dataclass(frozen=True)
class Finding:
    person: str
    text: str

    def as_dict(self) -> dict:
        return {"person": self.person, "problem": self.text}


@dataclass(frozen=True)
class Sources:
    """The files messages name: the roster's, and each register person's."""

    roster: str = ""
    register: dict[str, str] | None = None

    def roster_label(self) -> str:
        return f"{ROSTER}「{self.roster}」" if self.roster else ROSTER

    def register_label(self, name: str) -> str:
        file = (self.register or {}).get(name, "")
        return f"{REGISTER}「{file}」" if file else REGISTER


def minutes_label(day: dt.date, meeting_type: str, path: str = "") -> str:
    return f"{cn_date(day)}{meeting_type}记录" + (f"（{path}）" if path else "")


def decisions_of(meeting_type: str, day: dt.date, text: str, where: str) -> list[MinutesDecision]:
    """The people a 支部党员大会's minutes accept or confirm."""
    if meeting_type != GENERAL:
        return []
    return [MinutesDecision(dec.kind, name, day, where) for dec in decisions_in(text) for name in dec.names]


def _iso(text: str) -> tuple[int, ...] | None:
    """A roster date (2024-07-01 or 2024-07) as a comparable (year, month[, day])."""
    try:
        parts = tuple(int(x) for x in text[:10].split("-"))
    except ValueError:
        return None
    return parts if len(parts) in (2, 3) else None


def _same_day(roster_text: str, day: dt.date) -> bool:
    parts = _iso(roster_text)
    if parts is None:
        return True  # nothing comparable stated
    return parts == (day.year, day.month, day.day)[: len(parts)]


def _roster_date(text: str) -> str:
    parts = _iso(text)
    if parts is None:
        return text
    return f"{parts[0]}年{parts[1]}月" + (f"{parts[2]}日" if len(parts) == 3 else "")


def minutes_against_records(
    decisions: list[MinutesDecision], members: list[Member], people: list[Person], sources: Sources
) -> list[Finding]:
    """Each decision of the minutes against the roster's 入党时间 and the register's dates."""
    roster = {m.name: m for m in members}
    register = {p.name: p for p in people}
    out: list[Finding] = []
    for dec in decisions:
        member = roster.get(dec.name)
        if dec.kind == ACCEPT and member and member.joined and not _same_day(member.joined, dec.date):
            out.append(
                Finding(
                    dec.name,
                    f"{dec.name}：{sources.roster_label()}列为{member.member_type}党员，入党时间"
                    f"{_roster_date(member.joined)}；{dec.where}接收其为预备党员，两者不一致",
                )
            )
        if people:
            out += _decision_in_register(dec, register.get(dec.name), sources)
    return out


def _decision_in_register(dec: MinutesDecision, p: Person | None, sources: Sources) -> list[Finding]:
    label = sources.register_label(dec.name)
    what = "接收其为预备党员" if dec.kind == ACCEPT else "讨论其转正"
    if p is None:
        return [Finding(dec.name, f"{dec.name}：{dec.where}{what}，{REGISTER}中没有此人")]
    key, column = (
        ("accepted", "支部大会接收日期") if dec.kind == ACCEPT else ("regular_meeting", "转正大会日期")
    )
    if p.get(key) is None:
        return [Finding(dec.name, f"{dec.name}：{dec.where}{what}，{label}没有填写{column}")]
    return []  # a differing date is reported from the register's side (register_against_minutes)


def roster_against_register(
    members: list[Member], people: list[Person], rules: Rules, sources: Sources
) -> list[Finding]:
    """Each person in both the roster and the register: 入党时间, 转正时间 and 正式/预备 compared."""
    register = {p.name: p for p in people}
    out: list[Finding] = []
    for m in members:
        p = register.get(m.name)
        if p is None:
            continue
        out += _member_against_person(m, p, rules, sources)
    return out


def _member_against_person(m: Member, p: Person, rules: Rules, sources: Sources) -> list[Finding]:
    roster, label, name = sources.roster_label(), sources.register_label(p.name), m.name
    accepted = p.get("accepted")
    if accepted is None:
        return [
            Finding(
                name,
                f"{name}：{roster}列为{m.member_type}党员，{label}中还是{stage_of(p)}（没有支部大会接收日期）",
            )
        ]
    out: list[Finding] = []
    if m.joined and not _same_day(m.joined, accepted):
        out.append(
            Finding(
                name,
                f"{name}：{roster}的入党时间是{_roster_date(m.joined)}，{label}的支部大会接收日期是"
                f"{cn_date(accepted)}，两者不一致",
            )
        )
    end = probation_end(p, rules)
    if m.confirmed and end and not _same_day(m.confirmed, end):
        out.append(
            Finding(
                name,
                f"{name}：{roster}的转正时间是{_roster_date(m.confirmed)}，按{label}（{cn_date(accepted)}接收）"
                f"预备期满、转正时间应为{cn_date(end)}",
            )
        )
    full = stage_of(p) == FULL
    approved = p.get("regular_approved")
    if m.member_type == "预备" and full and approved:
        out.append(
            Finding(name, f"{name}：{label}记录已于{cn_date(approved)}批准转正，{roster}仍列为预备党员")
        )
    elif m.member_type == "正式" and not full:
        out.append(Finding(name, f"{name}：{roster}列为正式党员，{label}中尚未批准转正（{stage_of(p)}）"))
    return out


# --- the register's decision dates against the minutes of that day -----------------------------


@dataclass
class MinutesCheck:
    person: str
    step: str
    date: dt.date
    meeting_type: str
    problem: str  # "" when the minutes are in order
    path: str = ""

    def as_dict(self) -> dict:
        return {
            "person": self.person,
            "step": self.step,
            "date": self.date.isoformat(),
            "meeting_type": self.meeting_type,
            "problem": self.problem,
            "path": self.path,
        }

    @property
    def fact(self) -> str:
        """The check without the person's name (for a paper or a row that names them)."""
        head = f"{self.step}（{cn_date(self.date)}，{self.meeting_type}）"
        return f"{head}：{self.problem}" if self.problem else f"{head}：会议记录相符"

    @property
    def text(self) -> str:
        return f"{self.person} {self.fact}"


def _text(m: MeetingRow) -> str:
    return "\n".join((m.title, m.topic, m.body_text))


def register_against_minutes(people: list[Person], meetings: list[MeetingRow]) -> list[MinutesCheck]:
    """Every decision date of the register against the archived minutes of that day."""
    by_type: dict[str, list[MeetingRow]] = defaultdict(list)
    for m in meetings:
        by_type[m.type].append(m)
    out = []
    for p in people:
        for key, mtype, step in DECIDED_BY:
            day = p.get(key)
            if day is not None:
                out.append(_check_one(p.name, step, day, mtype, by_type[mtype]))
    return out


def _check_one(name: str, step: str, day: dt.date, mtype: str, meetings: list[MeetingRow]) -> MinutesCheck:
    same_day = [m for m in meetings if m.date == day]
    naming = [m for m in same_day if name in _text(m)]
    if naming:
        m = naming[0]
        if mtype == GENERAL and not votes_in(m.body_text):
            return MinutesCheck(
                name, step, day, mtype, "会议记录中没有表决情况（赞成、反对、弃权票数）", m.path
            )
        return MinutesCheck(name, step, day, mtype, "", m.path)
    near = [
        m for m in meetings if m.date != day and abs((m.date - day).days) <= NEAR_DAYS and name in _text(m)
    ]
    if near:
        m = min(near, key=lambda m: abs((m.date - day).days))
        return MinutesCheck(
            name, step, day, mtype, f"会议记录的日期是{cn_date(m.date)}，与登记表不一致", m.path
        )
    if same_day:
        return MinutesCheck(name, step, day, mtype, f"当天的{mtype}记录中没有提到{name}", same_day[0].path)
    return MinutesCheck(name, step, day, mtype, f"没有找到当天的{mtype}记录")
