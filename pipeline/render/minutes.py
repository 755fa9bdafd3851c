"""Turn a Meeting record into the variables of a minutes template, and render it.

Template variables are Chinese (``{{ 主持人 }}``) because the person who edits the templates
in Word is the secretary; the list of variables is ``MINUTES_VARIABLES`` and ``zhibu templates
check`` compares each template against it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.chinese import cn_date, cn_ordinal, cn_time
from pipeline.config.schema import BranchSettings
from pipeline.errors import Location, TemplateError, TemplateMissingError, ZhibuError
from pipeline.records.checks import DEFAULT_QUORUM, TALK_SECTIONS
from pipeline.records.meeting import Absence, Meeting, Section
from pipeline.records.types import MEETING_TYPES, get_meeting_type
from pipeline.render.fast import CompiledTemplate

NOTHING = "无"

# Titles of the document by activity; the rest are "<type>会议记录".
DOCUMENT_TITLES = {"党课": "党课记录", "主题党日": "主题党日活动记录", "谈心谈话": "谈心谈话记录"}

MINUTES_VARIABLES = {
    "支部名称",
    "学校",
    "院系",
    "学年学期",
    "文档标题",
    "会议类型",
    "会议名称",
    "主题",
    "日期",
    "时间",
    "地点",
    "主持人",
    "记录人",
    "应到",
    "实到",
    "缺席人数",
    "出席人员",
    "缺席人员",
    "列席人员",
    "议题",
    "到会情况",
    "正文",
    "谈话人",
    "谈话对象",
    "警告",
    "主讲人",
    "听课人员",
    "其他",
    "活动照片",
}
# What {{ 活动照片 }} renders to: invisible characters marking the paragraph where the photos
# of the activity are placed after rendering (pipeline.learn.photos), removed there.
PHOTO_MARK = "\u200b\u2060\u200b"

__all__ = ["MINUTES_VARIABLES", "build_context", "cn_ordinal", "render_docx"]


def _names(names: list[str]) -> str:
    """Names as listed; blank (a line to fill in by hand) when the input lists none."""
    return "、".join(names)


def _absences(absences: list[Absence]) -> str:
    return "、".join(f"{a.name}（{a.reason}）" if a.reason else a.name for a in absences)


def _absent_text(m: Meeting) -> str:
    """缺席人员: the list; 无 only when the note says so or the counts show nobody was missing."""
    if m.absentees:
        return _absences(m.absentees)
    expected, present = m.expected_count(), m.present_count()
    if m.none_absent or (expected is not None and expected == present):
        return NOTHING
    return ""


def _count(n: int | None) -> str:
    return "" if n is None else str(n)


def _time_text(m: Meeting) -> str:
    text = cn_date(m.date)
    if m.time:
        text += " " + cn_time(m.time)
        if m.end_time:
            text += "—" + cn_time(m.end_time)
    return text


def _attendance_sentence(m: Meeting, quorum: dict) -> str:
    """The chair's opening statement; written only when both counts are known."""
    expected, present = m.expected_count(), m.present_count()
    if expected is None:
        return ""
    # Who announced the counts is stated only when the note names the chair.
    chair = f"主持人{m.chair}宣布：" if m.chair else ""
    rule = quorum.get(m.type.name)
    if m.voting_only:
        # "支部共有党员12人，其中正式党员11人……到会有表决权的正式党员10人": say exactly that.
        text = (
            f"{chair}支部共有党员{expected}人，其中有表决权的正式党员{m.voting_expected}人，"
            f"到会有表决权的正式党员{m.voting_present}人"
        )
        if m.absentees:
            text += f"，请假：{_absences(m.absentees)}"
        expected, present = m.voting_expected, m.voting_present
    elif present is None:
        return ""
    else:
        absent = expected - present
        text = f"{chair}本次会议应到{expected}人，实到{present}人"
        if absent > 0:
            text += f"，缺席{absent}人"
            if m.absentees:
                text += f"：{_absences(m.absentees)}"
    if rule and expected and present is not None:
        ok = rule.satisfied(present, expected)
        text += "，到会人数符合规定，会议有效" if ok else f"，到会人数未达到{rule.describe()}的要求"
    return text + "。"


def _absent(expected: int | None, present: int | None) -> int | None:
    """应到 less 实到 (never below 0), when both are known."""
    return max(expected - present, 0) if expected is not None and present is not None else None


def _body(m: Meeting) -> list[dict]:
    sections: list[Section] = []
    if m.agenda:
        sections.append(Section("会议议题", tuple(f"{i}. {item}" for i, item in enumerate(m.agenda, 1))))
    sections.extend(m.sections)
    if m.type.is_talk:
        # The talk record always shows both of its sections; one the note left out stays blank,
        # to be written by hand (``checks.check_meeting`` says so), never with a program's words.
        names = [s.title for s in sections]
        for required in TALK_SECTIONS:
            if required not in names:
                sections.append(Section(required, ("",)))
    return [
        {"编号": f"{cn_ordinal(i)}、", "标题": s.title, "段落": list(s.paragraphs)}
        for i, s in enumerate(sections, 1)
    ]


def document_title(meeting_type: str, branch_name: str = "", party_group: str = "") -> str:
    """支部党员大会会议记录; after a branch name ending in 支部 the title drops its own 支部, so the
    heading reads "…党支部党员大会会议记录", not "…党支部支部党员大会会议记录". A 党小组会 of a
    known group is named by it: "…党支部第一党小组会议记录"."""
    if meeting_type == "党小组会" and party_group:
        return f"{party_group}会议记录"
    title = DOCUMENT_TITLES.get(meeting_type, f"{meeting_type}会议记录")
    if branch_name.strip().endswith("支部") and title.startswith("支部"):
        title = title[2:]
    return title


def build_context(m: Meeting, branch: BranchSettings, term_label: str, quorum: dict | None = None) -> dict:
    """All variables a minutes template may use. ``branch`` is zhibu.toml's [branch];
    ``quorum`` the configured quorum rules (zhibu.toml [rules.quorum]), default 《中国共产党支部工作条例（试行）》.

    A fact no input stated is "" (a line to fill in by hand): counts are never "0" and
    出席人员 never "无" for want of a list."""
    expected, present = m.expected_count(), m.present_count()
    return {
        "支部名称": branch.name,
        "学校": branch.school,
        "院系": branch.department,
        "学年学期": term_label,
        "文档标题": document_title("暨".join((m.type.name, *m.also_types)), branch.name, m.party_group),
        "会议类型": m.type.name,
        "会议名称": m.title,
        "主题": m.topic,
        "日期": cn_date(m.date),
        "时间": _time_text(m),
        "地点": m.place,
        "主持人": m.chair,
        "记录人": m.recorder,
        "应到": _count(expected),
        "实到": _count(present),
        "缺席人数": _count(_absent(expected, present) if m.counts_known() and not m.voting_only else None),
        "出席人员": _names(m.attendees) or m.attendee_group,
        "缺席人员": _absent_text(m),
        "列席人员": _names(m.observers),
        "议题": list(m.agenda),
        "到会情况": _attendance_sentence(m, DEFAULT_QUORUM if quorum is None else quorum),
        "正文": _body(m),
        "谈话人": m.talker or m.chair,
        "谈话对象": m.talk_partner,
        "警告": list(m.warnings),
        "主讲人": m.lecturer,
        "听课人员": m.listeners,
        "其他": [{"标签": label, "内容": value} for label, value in m.extra],
        "活动照片": PHOTO_MARK,
    }


# Compiled templates by (path, mtime, size): a template edited in Word is recompiled on its
# next use, an unchanged one is compiled once per process (the watcher renders many notes).
_COMPILED: dict[tuple[str, int, int], CompiledTemplate] = {}


def compiled_template(template: Path) -> CompiledTemplate:
    st = template.stat()
    key = (str(template.resolve()), st.st_mtime_ns, st.st_size)
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) > 32:
            _COMPILED.clear()
        found = _COMPILED[key] = CompiledTemplate(template)
    return found


def render_docx(template: Path, context: dict, *, display_name: str | None = None) -> bytes:
    """Render a template in zhibu's strict sandbox; returns the .docx bytes.

    Uses the compile-once path of ``pipeline.render.fast``, whose output equals docxtpl's
    (tests/test_fast_render.py checks this on every template and on docxtpl's own cases).
    """
    name = display_name or template.name
    try:
        return compiled_template(template).render_bytes(context)
    except ZhibuError as err:
        raise err.at(file=name, override=True) from None
    except FileNotFoundError:  # deleted since it was looked up
        raise TemplateMissingError.of(name) from None
    except OSError as exc:
        raise TemplateError(
            f"无法读取模板文件（{exc.strerror or exc}）", location=Location(file=name)
        ) from None


def sample_meeting(i: int = 0, type_name: str | None = None) -> Meeting:
    """A realistic meeting, for `zhibu templates check` and the benchmarks."""
    mtype = get_meeting_type(type_name) if type_name else MEETING_TYPES[i % len(MEETING_TYPES)]
    people = ["沈轶娜", "夏渊", "缪巧军", "张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊"]
    day = dt.date(2024, 9, 2) + dt.timedelta(days=i % 120)
    return Meeting(
        type=mtype,
        date=day,
        time=dt.time(14, 30),
        end_time=dt.time(16, 0),
        topic=f"学习贯彻党的二十届三中全会精神（第{i + 1}次）",
        place="行政楼302会议室",
        chair="沈轶娜",
        recorder="缪巧军",
        attendees=people[:8],
        absentees=[Absence("杨帆", "出差"), Absence("赵磊", "病假")],
        observers=["入党积极分子周婷"],
        agenda=["传达学习上级文件精神", "讨论本学期支部工作安排", "其他事项"],
        sections=[
            Section(
                "会议内容",
                (
                    "沈轶娜同志传达了学院党委会议精神，并领学相关文件。",
                    "与会党员结合教学科研工作谈了学习体会 & 下一步打算 <要点>。",
                ),
            ),
            Section(
                "发言记录",
                (
                    "夏渊：要把学习成果转化为推动专业建设的实际成效。",
                    "张伟：建议以教研室为单位开展专题研讨。",
                ),
            ),
            Section("决议", ("同意本学期支部工作安排（赞成8票，反对0票，弃权0票）。",)),
        ],
        talker="沈轶娜",
        talk_partner="张伟",
        source_name=f"sample-{i}.txt",
    )


def sample_context(i: int = 0) -> dict:
    """A realistic minutes context (used by benchmarks/render.py)."""
    m = sample_meeting(i, "支委会")
    return build_context(
        m,
        BranchSettings("汽车运用工程系党支部", "某某职业技术学院", "汽车运用工程系"),
        "2024—2025学年第一学期",
    )
