"""发展党员登记表: one row a person in the pipeline (申请人 … 预备党员, 正式党员).

Dates as people type them; an empty cell is a step not done yet. A date that cannot be read
rejects the row (column named); a person listed twice with different facts rejects the later
row; a step dated before the step it depends on is reported on the row (column named) and the
person is still filed, so the violation shows in zhibu status and the papers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from pipeline.errors import DateFormatError
from pipeline.ingest.dates import find_date
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.records.development import DATE_FIELDS, DEPENDS, LABELS, Person

_HOURS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:学时|课时|小时)")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*(?:月|[-./／])\s*(\d{1,2})\s*(?:日|号)?")
_DAY_ONLY = re.compile(r"(?<!\d)(\d{1,2})\s*(?:日|号)")
_CN_MONTHS = {"半年": 6, "一年": 12, "六个月": 6, "十二个月": 12, "三个月": 3}
DATE_HINT = "请写成 2024年5月10日、2024-05-10、2024.5.10 或 2024/5/10。"


def _norm(value) -> str:
    return unicodedata.normalize("NFKC", cells.text(value))


def _dates_in(raw, label: str) -> list[dt.date]:
    """Every date in a cell: 2024.6.1、2024.12.1; 2024年9月2日至9月6日; 2024.9.2-9.6; 2024年9月2日-6日."""
    cells.check_usable(raw)
    if cells.is_blank(raw):
        return []
    if isinstance(raw, dt.datetime | dt.date) or (isinstance(raw, int | float) and not isinstance(raw, bool)):
        day = _day(raw, label)
        return [day] if day else []
    s = _norm(raw)
    out: list[dt.date] = []
    try:
        while s.strip():
            found = find_date(s)
            if found:
                day, _, end = found
                out.append(day)
                s = s[end:]
                continue
            if not out:
                break
            m = _MONTH_DAY.search(s) or None
            if m:
                out.append(dt.date(out[-1].year, int(m.group(1)), int(m.group(2))))
                s = s[m.end() :]
                continue
            m = _DAY_ONLY.search(s) or re.match(r"\s*[至到~—–-]\s*(\d{1,2})(?!\d)", s)
            if m:
                out.append(out[-1].replace(day=int(m.group(1))))
                s = s[m.end() :]
                continue
            break
    except ValueError:
        raise cells.CellProblem(f"「{label}」里的日期「{cells.text(raw)}」不存在", hint=DATE_HINT) from None
    except DateFormatError as err:  # an impossible date such as 2024年2月30日
        raise cells.CellProblem(f"{label}：{err.message}", err.hint) from None
    if not out:
        raise cells.CellProblem(f"无法识别「{label}」里的日期「{cells.text(raw)}」", hint=DATE_HINT)
    return out


def _day(raw, label: str) -> dt.date | None:
    """One date; the message names the column itself, since it is also the 待修正 reason."""
    try:
        return cells.day(raw, label)
    except cells.CellProblem as problem:
        if problem.message.startswith("日期「"):  # 日期「2024.13.5」不存在 -> 申请入党日期「…」不存在
            raise cells.CellProblem(label + problem.message[2:], problem.hint) from None
        raise


def _hours(raw, label: str) -> float | None:
    cells.check_usable(raw)
    if cells.is_blank(raw):
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    s = _norm(raw)
    m = _HOURS.search(s) or re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*", s)
    if not m:
        raise cells.CellProblem(
            f"「{label}」应为学时数，却写成了「{cells.text(raw)}」", hint="请写数字，例如 24。"
        )
    return float(m.group(1))


def _months(raw, label: str) -> int | None:
    cells.check_usable(raw)
    if cells.is_blank(raw):
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return int(raw)
    s = "".join(_norm(raw).split())
    if s in ("无", "否", "-", "—"):
        return None
    for word, n in _CN_MONTHS.items():
        if word in s:
            return n
    m = re.search(r"(\d+)\s*(个月|月)?", s)
    if m:
        return int(m.group(1)) * (12 if "年" in s and not m.group(2) else 1)
    raise cells.CellProblem(
        f"「{label}」应写延长的月数，却写成了「{cells.text(raw)}」", hint="例如 6个月 或 12个月。"
    )


def _training(rr: RowReader, person: Person) -> None:
    """集中培训日期/学时 in one cell (2024年5月10日—12日，24学时) or in two columns."""
    if rr.has("training_both") and not person.dates.get("training"):
        raw = rr.raw("training_both")
        days = rr.get("training_both", _dates_in, rr.label("training_both")) or []
        if days:
            person.dates["training"] = days[0]
        if isinstance(raw, str) and person.training_hours is None:
            m = _HOURS.search(_norm(raw))
            person.training_hours = float(m.group(1)) if m else None


def _publicity(rr: RowReader, person: Person) -> None:
    start = rr.get("publicity_start", _dates_in, rr.label("publicity_start")) or []
    end = rr.get("publicity_end", _dates_in, rr.label("publicity_end")) or []
    both = rr.get("publicity", _dates_in, rr.label("publicity")) or []
    person.publicity_start = (start or both or [None])[0]
    person.publicity_end = (end or both[1:] or [None])[-1] if (end or len(both) > 1) else None


def _column_of(key: str, rr: RowReader) -> str:
    if key in ("publicity_start", "publicity_end") and not rr.has(key) and rr.has("publicity"):
        return rr.label("publicity")
    if key == "training" and not rr.has(key) and rr.has("training_both"):
        return rr.label("training_both")
    return rr.label(key)


def read_row(ctx: SheetContext, rr: RowReader) -> Person | None:
    name = rr.get("name", cells.name) or ""
    if not name and rr.ok:
        rr.fail("name", "没有填写姓名", hint="请填写姓名，或删除这一行。")
    person = Person(
        name=name,
        gender=rr.get("gender", cells.one_line) or "",
        birth=rr.get("birth", cells.iso_period, rr.label("birth")) or "",
        unit=rr.get("unit", cells.one_line) or "",
        contacts="、".join(rr.text("contacts").split("\n")),
        introducers="、".join(rr.text("introducers").split("\n")),
        note=rr.text("note"),
        sheet=ctx.sheet,
        row=rr.number,
    )
    for key, _ in DATE_FIELDS:
        day = rr.get(key, _day, rr.label(key))
        if day:
            person.dates[key] = day
    person.assessments = sorted(rr.get("assessments", _dates_in, rr.label("assessments")) or [])
    person.training_hours = rr.get("training_hours", _hours, rr.label("training_hours"))
    person.extension_months = rr.get("extension", _months, rr.label("extension"))
    _training(rr, person)
    _publicity(rr, person)
    if rr.ok and not person.dates and not person.publicity_start:
        rr.fail("applied", "没有填写任何日期", hint="请至少填写申请入党日期；没做的步骤空着即可。")
    if not rr.ok:
        return None
    if _duplicate(ctx, rr, person):
        return None
    _order(rr, person)
    return person


def _duplicate(ctx: SheetContext, rr: RowReader, person: Person) -> bool:
    """A second row for the same person: dropped when identical, an error when the facts differ."""
    seen: dict[str, Person] = ctx.state.setdefault("people", {})
    first = seen.get(person.name)
    if first is None:
        seen[person.name] = person
        return False
    if first.same_facts(person):
        ctx.result.warnings.append(
            f"{ctx.location(rr.number).describe()}：{person.name}与第{first.row}行完全相同，已只登记一次"
        )
        return True
    a, b = first.as_json(), person.as_json()
    keys = [k for k in LABELS if k in a["dates"] or k in b["dates"]]
    both = [k for k in keys if k in a["dates"] and k in b["dates"] and a["dates"][k] != b["dates"][k]]
    differs = both or [k for k in keys if a["dates"].get(k) != b["dates"].get(k)]
    differs += [k for k in ("publicity_start", "publicity_end", "birth") if a.get(k) != b.get(k)]
    key = differs[0] if differs else None
    column = _column_of(key, rr) if key else None
    what = f"「{column}」" if column else "内容"
    rr.fail_column(
        column,
        f"{person.name}与第{first.row}行是同一人，但{what}不一致",
        hint="同一人只保留一行；如确有同名，请在姓名后加以区分，例如「张伟（机械）」。",
    )
    return True


def _order(rr: RowReader, person: Person) -> None:
    """Steps out of order: reported with the column; the person is still filed."""
    for key, before in DEPENDS:
        later, earlier = person.get(key), person.get(before)
        if later and earlier and later < earlier:
            rr.fail_column(
                _column_of(key, rr),
                f"{LABELS[key]} {later.isoformat()} 早于{LABELS[before]} {earlier.isoformat()}，步骤顺序不对",
                hint="请核对这两个日期；已按登记表原样登记，改正后把待修正文件放回 inbox 即可更新。",
            )
