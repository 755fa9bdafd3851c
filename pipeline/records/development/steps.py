"""The 25 steps of one person as the 发展党员进度表 shows them: what the register states for each
step (a date, several dates, a name), and whether the step is done, past its time limit, done but
not dated in the register, or still ahead.

A step the register does not date is "未登记" when a later step is dated: the person could not
have got there without it, so it was done and only its date is missing. It is "尚未完成" only
when nothing after it is dated either. A step whose time limit has passed is "已逾期" and also
named among the problems.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.chinese import cn_date
from pipeline.records.development.assess import Assessment
from pipeline.records.development.person import Person
from pipeline.records.development.register import DATE_LISTS, STEPS

DONE, OVERDUE, AHEAD = "已完成", "已逾期", "尚未完成"
UNDATED, UNNAMED = "未登记日期", "未登记"
# Steps the register records by a name rather than a date.
NAME_FIELDS = ("contacts", "introducers", "party_group")


@dataclass(frozen=True)
class StepState:
    number: int
    stage: str
    step: str
    actors: tuple[str, ...]  # who acts (本人, 支委会 …), or the people the register names
    lines: tuple[str, ...]  # what the register states, a line each: dates, 公示, 学时; 截止… when overdue
    state: str  # DONE, OVERDUE, UNDATED / UNNAMED, AHEAD

    @property
    def label(self) -> str:
        return f"第{self.number}步{self.step}"

    @property
    def value(self) -> str:
        return " ".join(self.lines)

    @property
    def actor(self) -> str:
        return "、".join(self.actors)


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.replace("，", "、").replace(",", "、").split("、") if n.strip())


def recorded(a: Assessment, key: str) -> tuple[str, ...]:
    """What the register states for a step's field, a line each; () when it states nothing."""
    p = a.person
    if key in NAME_FIELDS:
        return _names(getattr(p, key))
    if key in DATE_LISTS:
        return tuple(cn_date(day) for day in sorted(getattr(p, key)))
    day = p.get(key)
    lines = [cn_date(day)] if day else []
    if key == "training" and p.training_hours is not None:
        lines.append(f"{p.training_hours:g}学时")
    if key == "committee_review" and p.publicity_start:
        end = a.publicity_end
        lines.append(f"公示{cn_date(p.publicity_start)}")
        if end is not None:
            lines.append(
                "至" + (f"{end.month}月{end.day}日" if end.year == p.publicity_start.year else cn_date(end))
            )
    return tuple(lines)


def _dated(p: Person, key: str) -> bool:
    """Whether the register dates the step (the 公示 dates step 12)."""
    if key == "committee_review" and p.publicity_start:
        return True
    return key not in NAME_FIELDS and p.get(key) is not None


def step_states(a: Assessment, today: dt.date) -> list[StepState]:
    """The 25 steps of ``a``'s person in order, judged as of ``today``."""
    p = a.person
    overdue = {x.number: x for x in a.overdue_steps(today)}
    last_dated = max((number for number, _, _, key, _ in STEPS if _dated(p, key)), default=0)
    out = []
    for number, stage, step, key, actor in STEPS:
        lines = recorded(a, key)
        named = key in NAME_FIELDS
        if number in overdue:
            state = OVERDUE
            lines = lines or (f"截止{cn_date(overdue[number].due)}",)
        elif (named and lines) or (not named and p.get(key) is not None):
            state = DONE
        elif number < last_dated or (key == "committee_review" and p.publicity_start):
            state = UNNAMED if named else UNDATED
        else:
            state = AHEAD
        actors = lines if named and lines else (actor,)
        out.append(StepState(number, stage, step, actors, () if named else lines, state))
    return out


def overdue_problems(a: Assessment, today: dt.date) -> list[str]:
    """Each step past its time limit, as a problem of the person (《中国共产党发展党员工作细则》)."""
    steps = {number: step for number, _, step, _, _ in STEPS}
    return [
        f"第{x.number}步“{steps[x.number]}”已逾期：{x.text}，应于{cn_date(x.due)}前完成"
        for x in a.overdue_steps(today)
    ]


def unrecorded(states: list[StepState]) -> list[StepState]:
    """Steps done (a later step is dated) whose date or name the register does not state."""
    return [s for s in states if s.state in (UNDATED, UNNAMED)]
