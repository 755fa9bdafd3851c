"""The index schema: numbered migrations, applied in order when the index is opened.

Never edit a migration that has shipped; add a new one at the end. A migration is SQL (split on
semicolons: none inside comments), or a Python step given the open connection and the index's
path, run in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from pipeline.store.backfill import talk_people

Step = Callable[[sqlite3.Connection, Path], None]  # a migration written in Python
Migration = str | Step


def add_column(table: str, column: str, kind: str) -> Step:
    """ALTER TABLE … ADD COLUMN, as a step that is a no-op when the column is there (an index whose
    version was set back, as a repair may do, replays the later migrations)."""

    def step(db: sqlite3.Connection, _path: Path) -> None:
        if column not in {r[1] for r in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    return step


def _fact_columns(db: sqlite3.Connection, path: Path) -> None:
    """Migration 11's TEXT columns of ``outputs``, each unless it is there already."""
    for column in ("start_time", "recorder", "lecturer", "party_group", "absentees"):
        add_column("outputs", column, "TEXT")(db, path)


MIGRATIONS: list[Migration] = [
    # 1: sources, outputs, failures, journal
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        original_name TEXT NOT NULL,
        archived_path TEXT,
        kind TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE TABLE outputs (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        path TEXT NOT NULL,
        kind TEXT NOT NULL,
        meeting_type TEXT,
        date TEXT,
        term TEXT,
        title TEXT,
        topic TEXT,
        chair TEXT,
        place TEXT,
        expected INTEGER,
        present INTEGER,
        warnings TEXT NOT NULL DEFAULT '[]',
        body_text TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        replaced_by INTEGER REFERENCES outputs(id)
    );
    CREATE UNIQUE INDEX outputs_active_path ON outputs(path) WHERE active = 1;
    CREATE INDEX outputs_term ON outputs(term, kind, active);
    CREATE INDEX outputs_meeting ON outputs(meeting_type, date, active);
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        sha256 TEXT,
        original_name TEXT NOT NULL,
        failed_path TEXT NOT NULL,
        reason TEXT NOT NULL,
        failed_at TEXT NOT NULL
    );
    CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 2: register kinds. Sensitive roster columns (身份证号, 联系电话) are never stored.
    """
    CREATE TABLE achievements (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        name TEXT NOT NULL,          -- 成果名称
        category TEXT NOT NULL,      -- normalized 类别: 论文, 课题/项目, 教材/著作, 获奖/荣誉 …
        level TEXT NOT NULL DEFAULT '',   -- normalized 级别: 国家级, 省部级, 校级 …
        authors TEXT NOT NULL DEFAULT '', -- 完成人及排名, as typed
        date TEXT,                   -- ISO date (first of month when only a month is known)
        term TEXT,                   -- term id of the date
        issuer TEXT NOT NULL DEFAULT '',  -- 刊物或颁发单位
        evidence TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        sheet TEXT, row INTEGER
    );
    CREATE INDEX achievements_term ON achievements(term, category);
    CREATE TABLE roster_versions (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        imported_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE members (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES roster_versions(id),
        name TEXT NOT NULL, gender TEXT, birth TEXT, ethnicity TEXT, native_place TEXT,
        education TEXT, degree TEXT, title TEXT, title_level TEXT, position TEXT, department TEXT,
        joined TEXT, confirmed TEXT,
        member_type TEXT NOT NULL DEFAULT '正式',   -- 正式 / 预备
        party_group TEXT, party_post TEXT, honours TEXT
    );
    CREATE TABLE plan_items (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        term TEXT,
        month TEXT,                  -- YYYY-MM
        date TEXT,                   -- ISO date when a day was given
        content TEXT NOT NULL,       -- 工作内容
        category TEXT NOT NULL DEFAULT '',
        activity TEXT,               -- canonical meeting type the item schedules, if any
        owner TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE plan_texts (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        term TEXT NOT NULL,
        section TEXT NOT NULL,       -- 指导思想, 工作目标, 主要任务, 保障措施
        body TEXT NOT NULL
    );
    CREATE TABLE signins (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        meeting_type TEXT NOT NULL,
        date TEXT NOT NULL,
        name TEXT NOT NULL,
        present INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX signins_meeting ON signins(meeting_type, date);
    """,
    # 3: search. The FTS5 table (trigram) is a derived copy of outputs, created and
    # rebuilt by pipeline.store.search when this fingerprint of outputs changes; an SQLite
    # without trigram support still opens the index (search then falls back to LIKE).
    """
    CREATE TABLE search_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 4: the 发展党员 register. No semicolons inside comments: the migration runner splits on them.
    """
CREATE TABLE development (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    name TEXT NOT NULL,
    stage TEXT NOT NULL,          -- 申请人, 积极分子, 发展对象, 预备党员, 正式党员, 延长预备期
    data TEXT NOT NULL,           -- the person as JSON (dates ISO)
    imported_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    replaced_by INTEGER REFERENCES development(id)
);
CREATE INDEX development_active ON development(active, name);
""",
    # 5: a meeting that counts for further activities ("组织生活会暨民主评议党员": filed once under its
    # first activity, counted for both in the ledger and the compliance check). Names joined by ","
    """
    ALTER TABLE outputs ADD COLUMN also_types TEXT NOT NULL DEFAULT '';
    """,
    # 6: 谈心谈话: who talked with whom, known when the minutes are planned (谈话人, 谈话对象)
    """
ALTER TABLE outputs ADD COLUMN talker TEXT;
ALTER TABLE outputs ADD COLUMN partner TEXT;
""",
    # 7: the same for talks filed before 6, read once from their archived documents
    talk_people,
    # 8: 党员名册: the month a member's organisation was transferred out (转出时间), ISO date or YYYY-MM
    add_column("members", "transferred_out", "TEXT"),
    # 9: 党费基数核算表 (pipeline.kinds.dues_base): the band and the monthly amount due, never the income
    # figures (计算基数 and salary components stay in the archived register). Amounts as decimal text
    """
CREATE TABLE IF NOT EXISTS dues_bases (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',     -- 在职 / 离退休 / 学生 / 其他
    due TEXT,                              -- the monthly amount due, NULL when it cannot be computed
    basis TEXT NOT NULL DEFAULT '',        -- 按比例 / 定额 / 支部决定 / 支部填报 / 不详
    rate TEXT NOT NULL DEFAULT '',         -- 1%
    band TEXT NOT NULL DEFAULT '',         -- 3000元以上至5000元（含）
    branch_due TEXT,                       -- 月交纳额 as the branch computed it
    branch_rate TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    sheet TEXT, row INTEGER,
    active INTEGER NOT NULL DEFAULT 1      -- 0: replaced by a newer register (kept as history)
);
CREATE INDEX IF NOT EXISTS dues_bases_year ON dues_bases(year, active);
""",
    # 10: 党费收缴登记表 (pipeline.kinds.dues_payments): one row a payment, or months 免交 or left unpaid
    # with a reason, for the months first..last (YYYY-MM)
    """
CREATE TABLE IF NOT EXISTS dues_payments (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    name TEXT NOT NULL,
    first TEXT NOT NULL DEFAULT '',
    last TEXT NOT NULL DEFAULT '',
    amount TEXT,                           -- decimal text, NULL for 免交 and reasons
    mark TEXT NOT NULL DEFAULT '',         -- '' / 免交 / 原因 / 大额
    paid_on TEXT,
    collector TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    year INTEGER,                          -- the register's year
    sheet TEXT, row INTEGER,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS dues_payments_name ON dues_payments(name, active);
""",
    # 11: what tells one activity from another and names who was responsible: the start time
    # (HH:MM), the 记录人 and 主讲人, the 党小组 a 党小组会 belongs to, the absentees (names joined
    # by "、"). NULL for minutes filed before (their facts are then unknown, never guessed).
    _fact_columns,
    # 12: 考核细则 (pipeline.kinds.assessment_rules): the school's indicators and grades as written
    # (checked when read); a newer 细则 retires the rows before it (active = 0, kept as history)
    """
CREATE TABLE IF NOT EXISTS assessment_rules (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    area TEXT NOT NULL DEFAULT '',         -- 一级指标
    name TEXT NOT NULL,                    -- 二级指标
    point TEXT NOT NULL DEFAULT '',        -- 考评要点
    points TEXT NOT NULL,                  -- 分值, decimal text
    rule TEXT NOT NULL,                    -- 计分标准
    evidence TEXT NOT NULL DEFAULT '',     -- 支撑材料
    sheet TEXT, row INTEGER,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS assessment_grades (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    grade TEXT NOT NULL,
    minimum TEXT NOT NULL,                 -- the lowest score of the grade, decimal text
    sheet TEXT, row INTEGER,
    active INTEGER NOT NULL DEFAULT 1
);
""",
    # 13: the SHA-256 of the archived copy (a register's copy has its personal columns blanked), so
    # that a duplicate is removed only while a true copy is on disk. NULL for inputs filed before
    add_column("sources", "archived_sha256", "TEXT"),
]
