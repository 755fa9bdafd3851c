"""Finished minutes filed as they are: read type, date and topic, never re-render.

A secretary who already wrote the minutes in Word drops them into ``inbox/原样归档/``; a
.docx dropped anywhere else that is already a complete record in one of the branch's own
templates (its fixed labels are all there, filled) is recognised too. The document is filed
byte for byte; what is read from it (type, date, topic, people, body) only feeds the index,
the ledger, search and the print volume.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document

from pipeline.errors import InputError, Location, UnsupportedFileError
from pipeline.ingest.docxnote import docx_to_text
from pipeline.ingest.note import parse_note
from pipeline.ingest.result import IngestResult
from pipeline.ingest.zipguard import check_office_package
from pipeline.learn import labels as L
from pipeline.records.meeting import Meeting
from pipeline.records.types import resolve_meeting_type

ASIS_DIR = "原样归档"
ASIS_KIND = "原样归档"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
# Paragraph-level blocks ({%p if %} … {%p endif %}): paragraphs a filled-in record may not have.
_OPEN = re.compile(r"\{%-?p\s*(?:if|for)\b")
_CLOSE = re.compile(r"\{%-?p\s*end(?:if|for)\b")
# A template is recognised in a document when this share of its fixed texts is there.
MIN_FRAGMENTS = 5
MIN_SHARE = 0.9

# template variable -> the label the note parser reads
_NOTE_LABEL = {
    "会议名称": "会议名称",
    "主题": "主题",
    "会议类型": "会议类型",
    "时间": "时间",
    "日期": "日期",
    "地点": "地点",
    "主持人": "主持人",
    "记录人": "记录人",
    "应到": "应到人数",
    "实到": "实到人数",
    "出席人员": "出席人员",
    "缺席人员": "缺席人员",
    "列席人员": "列席人员",
    "议题": "会议议题",
    "谈话人": "谈话人",
    "谈话对象": "谈话对象",
}


@dataclass
class FiledAsIs(Meeting):
    """A meeting read from a finished record; ``original`` is filed instead of a rendering.

    ``suffix`` is the filed document's (.docx, or .pdf for a PDF or a scan made searchable);
    ``photos`` and ``pages`` (the later pages of a scan) are archived beside the original."""

    original: bytes = b""
    suffix: str = ".docx"
    photos: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)


def original_of(meeting: Meeting) -> bytes | None:
    """The finished document to file for this meeting, or None when it is to be rendered."""
    return meeting.original if isinstance(meeting, FiledAsIs) and meeting.original else None


def filed_suffix(meeting: Meeting) -> str:
    """The file type of the document filed for this meeting."""
    return meeting.suffix if isinstance(meeting, FiledAsIs) and meeting.original else ".docx"


def normalize_record_text(text: str) -> str:
    """The text of a finished record as the note parser reads it: spaced labels squeezed
    (``时  间`` → ``时间``), one field per line, signature lines dropped."""
    lines: list[str] = []
    for line in text.splitlines():
        segments = L.split_label_line(line)
        if not segments or segments[0].label_start > 2:
            lines.append(line)
            continue
        for seg in segments:
            value = line[seg.value_start : seg.value_end]
            if seg.label.role == L.SIGNATURE:
                continue
            if seg.label.role == L.BODY:
                lines.append(f"{L.squeeze(seg.label.text)}：{value}")
            elif seg.label.variable in _NOTE_LABEL:
                lines.append(f"{_NOTE_LABEL[seg.label.variable]}：{value}")
    return "\n".join(lines)


def read_asis(path: Path, name: str, templates: Path | None = None) -> IngestResult:
    """Read a finished record for filing as it is; InputError says why it cannot be.

    The type is read from a 会议类型 field, the headings, the file name, or else from the
    per-type template (templates/党课.docx) whose layout the record is filled in. A PDF with a
    text layer (exported from Word/WPS) is read the same way and filed as the PDF it is."""
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".pdf"):
        raise UnsupportedFileError(
            f"「{ASIS_DIR}」文件夹只收 Word 文档（.docx）和 PDF，这是 {path.suffix or '无扩展名'} 文件",
            hint="请用 Word/WPS 打开后“另存为” .docx 或导出为 PDF，再放入 inbox/原样归档/。",
            location=Location(file=name),
        )
    if suffix == ".pdf":
        from pipeline.ingest.pdfnote import pdf_text

        text = pdf_text(path)
        if not text:
            raise UnsupportedFileError("这个 PDF 没有文字层（是扫描件）", location=Location(file=name))
    else:
        text = docx_to_text(path)

    def fallback() -> str | None:
        template = matching_template(path, templates) if templates is not None else None
        return template.stem if template else None

    meeting = parse_record(text, name, path.stem, fallback)
    filed = as_filed(meeting, path.read_bytes(), suffix)
    filed.warnings.append("已按原样归档（未重新生成）")
    return IngestResult(kind=ASIS_KIND, meetings=[filed])


def record_lines(text: str, stem: str, fallback_type: Callable[[], str | None] | None = None) -> str:
    """The text of a finished record, normalized, with a 会议类型 line when the record has none:
    the type is then read from its headings, the file name, or the template it is filled in."""
    lines = normalize_record_text(text).split("\n")
    # The lines above the first field are the record's headings (branch, 支委会会议记录): they
    # name the type, never the topic, and the note parser would read the second as body text.
    at = next((i for i, line in enumerate(lines) if re.search(r"[：:]", line)), 0)
    heads = [line for line in lines[:at] if line.strip()]
    lines = lines[at:]
    if not any(re.match(r"\s*会议类型\s*[：:]", line) for line in lines):
        found = next((t for t in map(resolve_meeting_type, [*heads, stem]) if t), None)
        typed = fallback_type() if found is None and fallback_type else None
        if typed:
            found = resolve_meeting_type(typed, exact=True)
        if found:
            lines.insert(0, f"会议类型：{found.name}")
    return "\n".join(lines)


def parse_record(
    text: str, name: str, stem: str, fallback_type: Callable[[], str | None] | None = None
) -> Meeting:
    """The meeting of a finished record's text; InputError with the as-is hint when its type or
    date cannot be read."""
    try:
        return parse_note(record_lines(text, stem, fallback_type), name)
    except InputError as err:
        raise InputError(
            f"无法原样归档：{err.message}",
            hint="原样归档需要从记录中读出会议类型和日期：请确认记录里写有「会议时间：2024年10月8日」"
            "这样的一行、标题里有会议类型（如「支委会会议记录」），或把文件名改成"
            "「2024-10-08 支委会 会议记录.docx」后重新放入。",
            location=Location(file=name),
        ) from None


def as_filed(meeting: Meeting, original: bytes, suffix: str = ".docx") -> FiledAsIs:
    """The meeting with the document to file in place of a rendering."""
    fields = {k: getattr(meeting, k) for k in Meeting.__dataclass_fields__}
    filed = FiledAsIs(**fields, original=original, suffix=suffix)
    if not filed.topic:
        # No 会议名称/主题 field: the agenda names the meeting, else the type does.
        filed.topic = "；".join(filed.agenda)
    return filed


# --- recognising a complete record in the branch's own template ------------------------------

_LAYOUTS: dict[tuple[str, int], tuple[list[str], tuple]] = {}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _layout(template: Path) -> tuple[list[str], tuple]:
    """The fixed texts of a template (each paragraph's text around its tags) and its shape."""
    key = (str(template), template.stat().st_mtime_ns)
    if key not in _LAYOUTS:
        texts, shape = _read_layout(template)
        fragments = []
        depth = 0  # inside {% if %} / {% for %}: text that a record may not have
        for line in texts:
            opened = len(_OPEN.findall(line))
            closed = len(_CLOSE.findall(line))
            if depth == 0 and not opened and not closed:
                for piece in _TAG.split(line):
                    piece = piece.strip(" \u3000\t")
                    if len(piece) >= 2:
                        fragments.append(piece)
            depth = max(depth + opened - closed, 0)
        _LAYOUTS[key] = (fragments, shape)
    return _LAYOUTS[key]


def _read_layout(path: Path) -> tuple[list[str], tuple]:
    """Paragraph texts, and the shape of the tables (columns and rows of each; the rows of a
    template grow in a record only when a row is repeated, which zhibu's templates do not do)."""
    body = Document(str(path)).element.body
    texts = ["".join(t.text or "" for t in p.iter(_W + "t")) for p in body.iter(_W + "p")]
    shape = tuple(
        (len(tbl.findall(f"{_W}tblGrid/{_W}gridCol")), len(tbl.findall(f"{_W}tr")))
        for tbl in body.iter(_W + "tbl")
    )
    return texts, shape


def matching_template(path: Path, templates: Path) -> Path | None:
    """The branch template this .docx is a complete, filled-in record of, if any: the same
    tables, and (nearly) all the template's fixed texts."""
    if path.suffix.lower() == ".pdf":
        return _matching_pdf(path, templates)
    if path.suffix.lower() != ".docx":
        return None
    try:
        check_office_package(path, "docx")
        texts, shape = _read_layout(path)
    except Exception:  # not readable here: the usual reader reports it
        return None
    joined = "\n".join(texts)
    if _TAG.search(joined):
        return None
    for template in sorted(templates.glob("*.docx")):
        if template.name.startswith("~$"):
            continue
        try:
            fragments, template_shape = _layout(template)
        except Exception:
            continue
        # Tables added after the template's own (the photos) do not change the layout.
        if len(fragments) < MIN_FRAGMENTS or shape[: len(template_shape)] != template_shape:
            continue
        present = sum(1 for f in fragments if f in joined)
        if present / len(fragments) >= MIN_SHARE:
            return template
    return None


def _matching_pdf(path: Path, templates: Path) -> Path | None:
    """The branch template a PDF exported from a record is filled in: (nearly) all the template's
    fixed texts are in its text, compared without spaces (a PDF keeps no table structure)."""
    from pipeline.ingest.pdfnote import pdf_text

    try:
        text = L.squeeze(pdf_text(path))
    except Exception:  # not readable here: the usual reader reports it
        return None
    if not text or _TAG.search(text):
        return None
    for template in sorted(templates.glob("*.docx")):
        if template.name.startswith("~$"):
            continue
        try:
            fragments = [L.squeeze(f) for f in _layout(template)[0]]
        except Exception:
            continue
        if (
            len(fragments) >= MIN_FRAGMENTS
            and sum(f in text for f in fragments) / len(fragments) >= MIN_SHARE
        ):
            return template
    return None


def read_if_asis(path: Path, name: str, kind_hint: str | None, templates: Path) -> IngestResult | None:
    """The as-is reading of an input, or None when it is an ordinary note or sheet."""
    if kind_hint == ASIS_DIR:
        return read_asis(path, name, templates)
    if kind_hint is None and matching_template(path, templates):
        return read_asis(path, name, templates)
    return None
