"""发展党员登记表: one row a person in the pipeline (申请人 … 预备党员, 正式党员), judged by
《中国共产党发展党员工作细则》 (``pipeline.records.development``).

Dates as people type them; an empty cell is a step not done yet. A date that cannot be read
rejects the row (column named); a person listed twice with different facts rejects the later
row; a step dated before the step it depends on is reported on the row (column named) and the
person is still filed, so the violation shows in zhibu status and the papers. Filed, each person
replaces their earlier state (the history is kept); people whose facts did not change are not
filed again.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter

from pipeline.errors import DateFormatError
from pipeline.ingest.dates import find_date
from pipeline.ingest.sheets import cells
from pipeline.ingest.sheets.base import RowReader, SheetContext
from pipeline.ingest.sheets.columns import KindSpec, S, words
from pipeline.ingest.sheets.layout import Layout
from pipeline.kinds.base import RegisterKind, TermData
from pipeline.kinds.development_form import FORM, NAME
from pipeline.records.crosscheck import Sources, roster_against_register
from pipeline.records.development import DATE_FIELDS, DATE_LISTS, DEPENDS, LABELS, Person, Rules, assess

DATA: TermData[Person] = TermData("development", lambda store: store.development_people())

COLUMNS = KindSpec(
    NAME,
    (
        S("name", "姓名", *words("申请人姓名 发展对象姓名"), weight=1),
        S("gender", "性别", weight=1),
        S("birth", "出生年月", *words("出生日期 出生年月日 出生时间"), weight=1),
        S("unit", "所在单位/班级", *words("所在单位 单位 班级 所在班级 部门 教研室 工作单位"), weight=1),
        S("education", "学历", *words("文化程度 最高学历"), weight=1),
        S(
            "applied",
            "申请入党日期",
            *words("申请入党时间 递交入党申请书日期 递交申请书时间 入党申请时间 申请日期"),
            weight=3,
        ),
        S("talked", "谈话日期", *words("谈话时间 派人谈话日期 谈话人谈话日期")),
        S(
            "activist",
            "确定积极分子日期",
            *words(
                "确定入党积极分子日期 确定积极分子时间 确定为积极分子日期 列为积极分子时间 积极分子确定日期"
            ),
            weight=3,
        ),
        S("activist_filed", "积极分子备案日期", *words("积极分子备案时间"), weight=1),
        S("contacts", "培养联系人", *words("培养人 联系人")),
        S("assessments", "半年考察日期", *words("考察日期 半年考察 考察时间 培养考察日期")),
        S(
            "candidate",
            "确定发展对象日期",
            *words("确定发展对象时间 确定为发展对象日期 列为发展对象时间 发展对象确定日期"),
            weight=3,
        ),
        S("candidate_filed", "发展对象备案日期", *words("发展对象备案时间"), weight=1),
        S("introducers", "入党介绍人", *words("介绍人")),
        S("review", "政审日期", *words("政治审查日期 政审时间 政治审查时间")),
        S("training", "集中培训日期", *words("培训日期 集中培训时间 培训时间")),
        S("training_hours", "培训学时", *words("学时 集中培训学时"), weight=1),
        S("training_both", "集中培训日期/学时", *words("集中培训日期及学时 集中培训"), weight=1),
        S("publicity", "公示起止日期", *words("公示日期 公示时间 公示期 公示起止时间")),
        S("publicity_start", "公示开始日期", *words("公示开始时间")),
        S("publicity_end", "公示结束日期", *words("公示结束时间 公示截止日期")),
        S("committee_review", "支委会审查日期", *words("支委会审查时间"), weight=1),
        S("pre_review", "上级预审日期", *words("预审日期 上级党委预审日期"), weight=1),
        S("volunteer_form", "填写志愿书日期", *words("志愿书日期 填写入党志愿书日期"), weight=1),
        S(
            "accepted",
            "支部大会接收日期",
            *words("支部大会讨论日期 接收预备党员日期 支部大会日期 支部大会讨论接收日期 接收日期"),
            weight=3,
        ),
        S("upper_talk", "上级谈话日期", *words("上级党委谈话日期"), weight=1),
        S("approved", "上级审批日期", *words("上级党委审批日期 审批日期 党委审批日期")),
        S("recorded", "预备党员备案日期", *words("备案日期 接收备案日期 审批备案日期"), weight=1),
        S("party_group", "编入党小组", *words("编入党支部和党小组 所在党小组 党小组"), weight=1),
        S("oath", "入党宣誓日期", *words("宣誓日期 入党宣誓时间")),
        S(
            "probation_checks",
            "预备期考察日期",
            *words("预备期考察 继续教育考察日期 预备党员考察日期 预备期考察时间"),
            weight=1,
        ),
        S("regular_applied", "转正申请日期", *words("提出转正申请日期 转正申请时间")),
        S(
            "regular_meeting",
            "转正大会日期",
            *words("讨论转正日期 支部大会讨论转正日期 转正大会时间"),
            weight=3,
        ),
        S("regular_approved", "转正审批日期", *words("转正审批时间")),
        S("extension", "延长预备期", *words("延长预备期（月） 延长预备期月数"), weight=1),
        S("archived", "材料归档日期", *words("归档日期"), weight=1),
        S("note", "备注", *words("说明"), weight=1),
    ),
    required=(("name",), ("applied", "activist", "candidate", "accepted")),
    minimum=3,
    title_words=("发展党员", "入党积极分子", "发展对象", "入党申请"),
)

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
        education=rr.get("education", cells.one_line) or "",
        contacts="、".join(rr.text("contacts").split("\n")),
        introducers="、".join(rr.text("introducers").split("\n")),
        party_group=rr.get("party_group", cells.one_line) or "",
        note=rr.text("note"),
        sheet=ctx.sheet,
        row=rr.number,
    )
    for key, _ in DATE_FIELDS:
        day = rr.get(key, _day, rr.label(key))
        if day:
            person.dates[key] = day
    for key in DATE_LISTS:
        setattr(person, key, sorted(rr.get(key, _dates_in, rr.label(key)) or []))
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


# --- filing ------------------------------------------------------------------------------------


def file(ctx, result, records, plan, outcome, filed) -> None:
    rules = Rules.from_config(ctx.config.development)
    current = {p.name: p for p in ctx.store.development_people()}
    people: list[Person] = records[NAME]
    changed = [p for p in people if p.name not in current or not current[p.name].same_facts(p)]
    same = len(people) - len(changed)
    if same:
        outcome.warnings.append(f"发展党员登记表中有{same}人的情况与已登记的相同，未重复登记")
    if not changed:
        return
    assessed = [(p, assess(p, rules)) for p in changed]
    for stage, n in Counter(a.stage for _, a in assessed).items():
        outcome.counts[f"发展党员（{stage}）"] = n
    updated = sum(1 for p in changed if p.name in current)
    if updated:
        outcome.warnings.append(f"发展党员登记表：{updated}人的情况已按本表更新，原记录保留为历史")
    flagged = [p.name for p, a in assessed if a.violations]
    if flagged:
        outcome.warnings.append(
            f"发展党员登记表中{len(flagged)}人的日期不符合发展党员工作细则（{'、'.join(flagged)}），"
            "详见 zhibu status 或 zhibu batch 生成的发展党员台账"
        )
    sources = Sources(ctx.store.roster_file(), {p.name: result.display_name for p in changed})
    for found in roster_against_register(ctx.store.active_roster(), changed, rules, sources):
        outcome.warnings.append(f"核对：{found.text}")
    pairs = [(p, a.stage) for p, a in assessed]
    plan.index_writers.append(lambda store, source_id: store.replace_people(source_id, pairs))


KIND = RegisterKind(
    name=NAME,
    folder_words=("发展", "入党", "积极分子"),
    precedence=2,
    layouts=(
        Layout(
            COLUMNS,
            ("name",),
            read_row,
            "姓名、出生年月、申请入党日期、确定积极分子日期、确定发展对象日期、支部大会接收日期、转正大会日期",
        ),
    ),
    form=FORM,
    file=file,
    data=(DATA,),
)
