"""发展党员 (《中国共产党发展党员工作细则》): each person's path through the 5 stages and 25 steps, by the rules.

Pure: no I/O. A ``Person`` is one row of the 发展党员登记表 (dates as the register states them;
an empty date is a step not done yet). ``assess`` gives the current stage, the next step with
its due date and the violations of the 发展党员工作细则, under ``Rules`` (each period a setting
in zhibu.toml ``[development]``); ``deadlines`` every step that has a time limit. Working days
come from ``chinese_calendar`` (official holidays and make-up working days); years it does not
cover fall back to Monday–Friday. Dates in messages are written as GB/T 9704 writes them
(2024年5月10日).

The 预备期 is one year from the day the 支部党员大会 accepted (入党时间); it ends, and the member
becomes full (转正时间), on the same date a year later: accepted 2024-10-22 → 2025-10-22, as the
党员档案 record it. A 转正 discussed before that date is early.
"""

from pipeline.records.development.assess import (
    Assessment,
    Deadline,
    Step,
    Violation,
    assess,
    deadlines,
    next_step,
    probation_end,
    stage_of,
    violations,
)
from pipeline.records.development.counts import PeriodCounts, period_counts
from pipeline.records.development.person import Person, Rules, add_months, birth_date, birth_month, d
from pipeline.records.development.register import (
    ACTIVIST,
    APPLICANT,
    CANDIDATE,
    DATE_FIELDS,
    DATE_LISTS,
    DEPENDS,
    EXTENDED,
    FULL,
    LABELS,
    MAIN_LINE,
    PROBATIONARY,
    STAGES,
    STEPS,
)
from pipeline.records.development.steps import StepState, overdue_problems, step_states, unrecorded

__all__ = [
    "ACTIVIST",
    "APPLICANT",
    "CANDIDATE",
    "DATE_FIELDS",
    "DATE_LISTS",
    "DEPENDS",
    "EXTENDED",
    "FULL",
    "LABELS",
    "MAIN_LINE",
    "PROBATIONARY",
    "STAGES",
    "STEPS",
    "Assessment",
    "Deadline",
    "PeriodCounts",
    "Person",
    "Rules",
    "Step",
    "StepState",
    "Violation",
    "add_months",
    "assess",
    "birth_date",
    "birth_month",
    "d",
    "deadlines",
    "next_step",
    "overdue_problems",
    "period_counts",
    "probation_end",
    "stage_of",
    "step_states",
    "unrecorded",
    "violations",
]
