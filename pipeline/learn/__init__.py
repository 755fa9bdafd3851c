"""Learning a Word template from a filled-in record in the school's own layout.

``labels`` holds the pure rules (which label means which variable), ``docxmap`` applies them
to a document, ``asis`` reads finished records that are filed unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError, Location, TemplateError, UnknownMeetingTypeError
from pipeline.ingest.zipguard import check_office_package
from pipeline.learn.docxmap import LearnReport, has_template_tags, learn_docx
from pipeline.records.types import MEETING_TYPES, MeetingType, resolve_meeting_type

# What a record needs; a form with no place for one of these loses it (reported).
ESSENTIAL = ("时间", "地点", "主持人", "记录人", "正文")
ESSENTIAL_TALK = ("时间", "谈话人", "谈话对象", "正文")


@dataclass
class Learned:
    data: bytes  # the template (.docx)
    report: LearnReport
    meeting_type: MeetingType

    def missing(self) -> list[str]:
        """Essential variables the form has no place for."""
        wanted = ESSENTIAL_TALK if self.meeting_type.is_talk else ESSENTIAL
        have = self.report.variables | ({"时间"} if "日期" in self.report.variables else set())
        return [v for v in wanted if v not in have]


def learn_template(source: Path, type_name: str | None = None, branch_name: str = "") -> Learned:
    """Read a filled-in record and make it a template for one meeting type.

    Raises InputError when the file is not a usable .docx or holds no body area, and
    UnknownMeetingTypeError when the type is neither given nor named in the document."""
    name = source.name
    if source.suffix.lower() != ".docx":
        raise InputError(
            f"只能从 .docx 文件学习模板（这是 {source.suffix or '无扩展名'} 文件）",
            hint="请用 Word/WPS 打开这份记录，“另存为” .docx 格式后再运行。",
            location=Location(file=name),
        )
    if not source.is_file():
        raise InputError("找不到这个文件", location=Location(file=str(source)))
    check_office_package(source, "docx")
    data = source.read_bytes()
    if _tagged(data, name):
        raise InputError(
            "这个文件里已经有 {{ }} 或 {% %} 标记，像是一个模板，不是填好的会议记录",
            hint="请用一份填写完整的会议记录来学习格式；现成的模板直接放进 templates/ 文件夹即可。",
            location=Location(file=name),
        )
    try:
        template, report = learn_docx(data, branch_name)
    except (ValueError, KeyError) as exc:
        raise InputError(
            f"无法读取这个 Word 文档（{type(exc).__name__}）",
            hint="请用 Word/WPS 打开确认能正常显示，再“另存为” .docx。",
            location=Location(file=name),
        ) from None
    if "正文" not in report.variables:
        raise TemplateError(
            "没有找到会议内容（正文）所在的位置，无法生成模板",
            hint="请确认记录里有「会议内容」「会议记录」「主要内容」之类的栏目，后面（或下面一格）是会议的具体内容。",
            location=Location(file=name),
        )
    return Learned(template, report, _meeting_type(type_name, source, data))


def _tagged(data: bytes, name: str) -> bool:
    try:
        return has_template_tags(data)
    except (ValueError, KeyError) as exc:
        raise InputError(
            f"无法读取这个 Word 文档（{type(exc).__name__}）",
            hint="请用 Word/WPS 打开确认能正常显示，再“另存为” .docx。",
            location=Location(file=name),
        ) from None


def _meeting_type(type_name: str | None, source: Path, data: bytes) -> MeetingType:
    names = "、".join(t.name for t in MEETING_TYPES)
    if type_name:
        found = resolve_meeting_type(type_name, exact=True)
        if not found:
            raise UnknownMeetingTypeError(
                f"会议类型「{type_name}」无法识别", hint=f"请写成以下之一：{names}。"
            )
        return found
    from pipeline.ingest.docxnote import docx_to_text

    text = docx_to_text(source)
    first_lines = [line for line in text.splitlines() if line.strip()][:3]
    for candidate in [*first_lines, source.stem]:
        found = resolve_meeting_type(candidate)
        if found:
            return found
    raise UnknownMeetingTypeError(
        "无法从文件的标题或文件名判断这是哪一类会议的记录",
        hint=f"请加上 --type 指定会议类型，例如 --type 支委会。可用的类型：{names}。",
        location=Location(file=source.name),
    )


__all__ = ["Learned", "LearnReport", "learn_template"]
