"""The 发展党员登记表 as data: its date columns, the order of the steps, the 25 steps of
《中国共产党发展党员工作细则》 and the stage names."""

from __future__ import annotations

# --- the register's date columns: key, label ---------------------------------------------------

DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("applied", "申请入党日期"),
    ("talked", "谈话日期"),
    ("activist", "确定积极分子日期"),
    ("activist_filed", "积极分子备案日期"),
    ("candidate", "确定发展对象日期"),
    ("candidate_filed", "发展对象备案日期"),
    ("review", "政审日期"),
    ("training", "集中培训日期"),
    ("committee_review", "支委会审查日期"),
    ("pre_review", "上级预审日期"),
    ("volunteer_form", "填写志愿书日期"),
    ("accepted", "支部大会接收日期"),
    ("upper_talk", "上级谈话日期"),
    ("approved", "上级审批日期"),
    ("recorded", "预备党员备案日期"),
    ("oath", "入党宣誓日期"),
    ("regular_applied", "转正申请日期"),
    ("regular_meeting", "转正大会日期"),
    ("regular_approved", "转正审批日期"),
    ("archived", "材料归档日期"),
)
LABELS = dict(DATE_FIELDS) | {
    "publicity_start": "公示开始日期",
    "publicity_end": "公示结束日期",
    "assessments": "半年考察日期",
    "probation_checks": "预备期考察日期",
    "birth": "出生年月",
    "extension": "延长预备期",
}

# Each dated step and the step it depends on: a date earlier than its prerequisite is wrong.
DEPENDS: tuple[tuple[str, str], ...] = (
    ("talked", "applied"),
    ("activist", "applied"),
    ("activist_filed", "activist"),
    ("candidate", "activist"),
    ("candidate_filed", "candidate"),
    ("review", "candidate"),
    ("training", "activist"),
    ("publicity_start", "candidate"),
    ("committee_review", "candidate"),
    ("pre_review", "committee_review"),
    ("volunteer_form", "candidate"),
    ("accepted", "candidate"),
    ("upper_talk", "accepted"),
    ("approved", "accepted"),
    ("recorded", "approved"),
    ("oath", "accepted"),
    ("regular_applied", "accepted"),
    ("regular_meeting", "accepted"),
    ("regular_approved", "regular_meeting"),
    ("archived", "regular_meeting"),
)
# A later step that is done while an earlier one on the main line is not.
MAIN_LINE = ("applied", "activist", "candidate", "accepted", "regular_meeting", "regular_approved")

# The 25 steps of the 发展党员工作细则: (number, stage, step, register field, who acts). The field
# is a date column (a key of DATE_FIELDS), a list of dates (assessments, probation_checks) or a
# name column (contacts, introducers, party_group): every step a branch records has its column.
STAGES = ("申请入党", "入党积极分子", "发展对象", "接收预备党员", "预备党员教育考察和转正")
STEPS: tuple[tuple[int, str, str, str, str], ...] = (
    (1, STAGES[0], "递交入党申请书", "applied", "本人"),
    (2, STAGES[0], "党组织派人谈话", "talked", "党支部"),
    (3, STAGES[1], "推荐和确定入党积极分子", "activist", "支委会"),
    (4, STAGES[1], "报上级党委备案", "activist_filed", "党支部"),
    (5, STAGES[1], "指定培养联系人", "contacts", "支委会"),
    (6, STAGES[1], "培养教育考察（半年考察）", "assessments", "党支部"),
    (7, STAGES[2], "确定发展对象", "candidate", "支委会"),
    (8, STAGES[2], "报上级党委备案", "candidate_filed", "党支部"),
    (9, STAGES[2], "确定入党介绍人", "introducers", "党支部"),
    (10, STAGES[2], "政治审查", "review", "党支部"),
    (11, STAGES[2], "集中培训", "training", "上级党委"),
    (12, STAGES[3], "支委会审查", "committee_review", "支委会"),
    (13, STAGES[3], "上级党委预审", "pre_review", "上级党委"),
    (14, STAGES[3], "填写入党志愿书", "volunteer_form", "本人"),
    (15, STAGES[3], "支部党员大会讨论接收", "accepted", "支部党员大会"),
    (16, STAGES[3], "上级党委派人谈话", "upper_talk", "上级党委"),
    (17, STAGES[3], "上级党委审批", "approved", "上级党委"),
    (18, STAGES[3], "备案", "recorded", "上级党委"),
    (19, STAGES[4], "编入党支部和党小组", "party_group", "党支部"),
    (20, STAGES[4], "入党宣誓", "oath", "党支部"),
    (21, STAGES[4], "继续教育考察", "probation_checks", "党支部"),
    (22, STAGES[4], "提出转正申请", "regular_applied", "本人"),
    (23, STAGES[4], "支部党员大会讨论转正", "regular_meeting", "支部党员大会"),
    (24, STAGES[4], "上级党委审批", "regular_approved", "上级党委"),
    (25, STAGES[4], "材料归档", "archived", "党支部"),
)

# Columns that hold several dates (半年考察, 预备期考察).
DATE_LISTS = ("assessments", "probation_checks")

# Current stage names (status, ledger).
APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY, FULL, EXTENDED = (
    "申请人",
    "积极分子",
    "发展对象",
    "预备党员",
    "正式党员",
    "延长预备期",
)
