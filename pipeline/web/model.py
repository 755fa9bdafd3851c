"""What the pages show: plain records the backend fills and the templates render.

Nothing here knows zhibu's internals; every field is already in the words the secretary reads
(Chinese labels, dates as text, paths relative to the workspace).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Link:
    """A file of the workspace the page offers: its path relative to the workspace root."""

    path: str
    label: str


@dataclass
class CheckLine:
    """One rule and period of the compliance check (zhibu status)."""

    name: str
    period: str
    text: str  # 支委会：每月1次，已开0次（说明）
    status: str  # 本期待办 / 缺 …


@dataclass
class Reminder:
    """A 发展党员 step that is overdue or due soon."""

    person: str
    text: str
    due: str
    overdue: bool


@dataclass
class Filing:
    """A filed document: the minutes, and the original the secretary dropped."""

    date: str
    type: str
    title: str
    path: str
    original: str = ""


@dataclass
class Failure:
    """An input set aside in inbox/失败/ and why (its .原因.txt)."""

    name: str
    path: str
    when: str
    reason: list[str]
    advice: list[str]


@dataclass
class Status:
    """The facts of zhibu status for one term, as of one day."""

    term_id: str
    term_label: str
    span: str
    today: str
    month_due: list[CheckLine] = field(default_factory=list)
    quarter_due: list[CheckLine] = field(default_factory=list)
    other_due: list[CheckLine] = field(default_factory=list)
    missing: list[CheckLine] = field(default_factory=list)
    quorum: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: str = ""
    in_term: bool = True


@dataclass
class DevelopmentDue:
    people: int = 0
    remind_days: int = 30
    overdue: list[Reminder] = field(default_factory=list)
    soon: list[Reminder] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class DuesDue:
    """The 党费 of the year of the last ended month: totals, the runs of unpaid months, who owes."""

    filed: bool = False  # a 核算表 or a 收缴登记表 was filed
    year: int = 0
    through: str = ""  # 2024年9月
    recorded: bool = False  # a 收缴登记表 of the year was filed
    due: str = ""
    paid: str = ""
    alerts: list[Reminder] = field(default_factory=list)  # overdue: the 党章第九条 alerts
    unpaid: list[str] = field(default_factory=list)  # 张三：2024年7月至9月
    checks: int = 0  # further reminders (amounts, dates)


@dataclass
class AssessDue:
    """The year's 考核自评 as projected from the archive so far (the ``status`` facts)."""

    label: str = ""  # 2024年
    measured: str = ""  # points of the indicators zhibu scores
    pending: str = ""  # points left to the branch's own judgement
    projected: str = ""
    grade: str = ""
    open: list[str] = field(default_factory=list)  # 支委会：本月还没有支委会记录（…）
    lost: list[str] = field(default_factory=list)  # 支委会：2024年5月无支委会记录 −0.5
    notes: list[str] = field(default_factory=list)  # the archive starts late in the year


@dataclass
class Home:
    branch: str
    status: Status
    development: DevelopmentDue
    latest: list[Filing]
    failures: list[Failure]
    notice: str = ""
    dues: DuesDue = field(default_factory=DuesDue)
    assessment: AssessDue = field(default_factory=AssessDue)


@dataclass
class Category:
    name: str
    documents: list[Filing]


@dataclass
class Archive:
    term_id: str
    term_label: str
    terms: list[tuple[str, str]]  # (id, label), newest first
    categories: list[Category]
    term_files: list[Link]
    count: int = 0


@dataclass
class Hit:
    date: str
    type: str
    title: str
    path: str
    parts: list[tuple[str, bool]]  # the snippet: (text, is a searched word)


@dataclass
class Step:
    number: str
    stage: str
    text: str
    date: str
    actor: str
    state: str  # 已完成 / 未登记 / —


@dataclass
class Person:
    name: str
    stage: str
    next_step: str
    due: str
    overdue: bool
    steps: list[Step]
    problems: list[str]


@dataclass
class Settings:
    name: str
    school: str
    department: str
    committee: list[tuple[str, str]]
    terms: list[tuple[str, str, str, str]]  # id, start, end, plan date


@dataclass
class Outcome:
    """What became of one uploaded file."""

    name: str
    state: str  # waiting | processed | duplicate | failed | partial | retry | gone
    label: str
    outputs: list[Link] = field(default_factory=list)
    reason: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed_path: str = ""


@dataclass
class Overview:
    """One branch's column on the overview page."""

    key: str
    branch: str
    status: Status | None
    development: DevelopmentDue | None
    failures: int
    error: str = ""


@dataclass
class BatchDone:
    """A finished term batch: the files written, the compliance lines, what failed."""

    files: list[Link]
    notes: list[str]
    errors: list[str]
    kind: str = "batch"


@dataclass
class VolumeDone:
    link: Link
    pages: str
    kind: str = "volume"


@dataclass
class Ready:
    """A converted PDF: the page to go to."""

    url: str
    kind: str = "ready"
