"""Helpers of the term tests (batch, status, ledger, compilation, plan, search); no tests here.

Registers (achievements, roster, plan) are stored through the index's own methods, as the
register filing stores them, so the term tests do not depend on the spreadsheet readers.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import uuid
from pathlib import Path

from pipeline.kinds.achievements import TABLE as ACHIEVEMENTS
from pipeline.kinds.achievements import Achievement
from pipeline.kinds.plan import ITEMS, TEXT_TABLE, PlanItem, PlanText
from pipeline.records.register_rows import Member
from pipeline.store import Store

TERM = "2024-2025-1"
TERM_DIR = Path("outbox") / "2024-2025学年" / "第一学期"
LEDGER = "2024-2025学年第一学期三会一课台账.xlsx"
COMPILATION = "2024-2025学年第一学期成果汇编.docx"
PLAN = "2024-2025学年第一学期工作计划.docx"
AFTER_TERM = "2025-02-20"  # "today" in the tests: the whole term has ended


def note(
    type_: str,
    date: str,
    topic: str,
    *,
    chair: str = "沈轶娜",
    expected: int | None = None,
    present: int | None = None,
    extra: str = "",
) -> str:
    lines = [
        f"会议类型：{type_}",
        f"会议主题：{topic}",
        f"时间：{date} 14:30",
        "地点：行政楼302",
        f"主持人：{chair}",
        "记录人：缪巧军",
    ]
    if expected is not None:
        lines.append(f"应到人数：{expected}")
    if present is not None:
        lines.append(f"实到人数：{present}")
    lines += ["会议内容：", f"{topic}。{extra}"]
    return "\n".join(lines) + "\n"


def talk(date: str, talker: str, partner: str) -> str:
    return (
        f"会议类型：谈心谈话\n谈话时间：{date} 16:00\n谈话地点：党支部活动室\n谈话人：{talker}\n"
        f"谈话对象：{partner}\n记录人：{talker}\n谈话内容：\n交流思想和工作情况。\n谈话效果：\n达成共识。\n"
    )


def insert_rows(root: Path, table: str, rows: list[dict], *, kind: str = "成果登记表", texts=()) -> int:
    """Store register rows under a new source, as the register filing would. Returns the source id.

    ``texts``: (term, section, body) of plan texts stored with plan items."""
    with Store(root / ".zhibu" / "index.sqlite3") as store, store.transaction():
        source_id = store.insert_source(uuid.uuid4().hex, f"{kind}.xlsx", "", kind)
        if table == "members":
            store.replace_roster(source_id, [Member.from_row(r) for r in rows])
        elif table == "achievements":
            store.insert_records(ACHIEVEMENTS, source_id, [_achievement(r) for r in rows])
        elif table == "plan_items":
            store.insert_records(ITEMS, source_id, [_plan_item(r) for r in rows])
            store.insert_records(
                TEXT_TABLE, source_id, [PlanText(section, body, term) for term, section, body in texts]
            )
        else:
            raise ValueError(table)
    return source_id


def _achievement(r: dict) -> Achievement:
    day = dt.date.fromisoformat(r["date"]) if r.get("date") else None
    text = {k: r.get(k) or "" for k in ("name", "category", "level", "authors", "issuer", "evidence", "note")}
    return Achievement(**text, date=day, term=r.get("term"), sheet=r.get("sheet"), row=r.get("row"))


def _plan_item(r: dict) -> PlanItem:
    """A plan item from the stored columns (month YYYY-MM, date YYYY-MM-DD, a 时间：… note)."""
    return ITEMS.read({"id": None, "source_id": None} | {c: r.get(c) for c in ITEMS.columns})


def status_json(ws, *args: str) -> dict:
    result = ws("status", "-w", ws.root, "--term", TERM, "--json", *args, ok=True)
    return json.loads(result.output)


def soffice_to_csv(xlsx: Path, out_dir: Path, sheet: int = 1) -> str:
    """Convert one sheet of a workbook with LibreOffice (a private profile) and return the CSV text."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed for this test"
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (out_dir / "profile").resolve().as_uri()
    src = out_dir / "ledger.xlsx"
    shutil.copyfile(xlsx, src)
    # CSV filter options: comma, double quote, UTF-8, line 1, default formats, …, the sheet number.
    filt = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            filt,
            "--outdir",
            str(out_dir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    produced = sorted(out_dir.glob("ledger*.csv"))
    assert produced, "LibreOffice produced no CSV"
    return produced[-1].read_text(encoding="utf-8")
