"""Read an input file into records, with precise errors. Dispatches on the file type."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import Location, UnsupportedFileError, ZhibuError
from pipeline.ingest.docxnote import docx_to_text
from pipeline.ingest.legacy import LEGACY_SUFFIXES, modern_copy
from pipeline.ingest.note import parse_note
from pipeline.ingest.pdfnote import pdf_text
from pipeline.ingest.result import IngestResult
from pipeline.ingest.sheets import SUFFIXES as SHEET_SUFFIXES
from pipeline.ingest.sheets import read_register
from pipeline.ingest.sheets.layout import SheetKind
from pipeline.ingest.textfile import decode_text

NOTE_SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf"}

MAX_NOTE_BYTES = 5 * 1024 * 1024
_TEMPLATE_TAG = re.compile(r"\{\{[^}]*\}\}|\{%-?p?\s")
_HAS_DATE_FIELD = re.compile(r"^\s*(?:会议|活动|谈话)?(?:时间|日期)\s*[：:]\s*\S", re.MULTILINE)


@dataclass(frozen=True)
class NoteLimits:
    """How long a note may be (zhibu.toml [render] max_note_lines, max_note_chars): a note
    within both is rendered within the default [render] limits; a longer one is no meeting note."""

    max_lines: int = 10_000  # lines with text
    max_chars: int = 500_000


def read_input(
    path: Path,
    *,
    display_name: str | None = None,
    kind_hint: str | None = None,
    kinds: Sequence[SheetKind] | None = None,
    limits: NoteLimits = NoteLimits(),
) -> IngestResult:
    """Read one input file. ``kind_hint`` is the inbox subfolder's name, if any; ``kinds`` the
    register kinds a spreadsheet may be (``pipeline.kinds.read_input`` hands them all in);
    ``limits`` how long a note may be.

    Raises an InputError (with the file name filled in) when the file cannot be used at all.
    """
    name = display_name or path.name
    suffix = path.suffix.lower()
    if suffix in LEGACY_SUFFIXES:  # .doc/.xls...: read the .docx/.xlsx LibreOffice makes of it
        with modern_copy(path, name) as modern:
            return read_input(modern, display_name=name, kind_hint=kind_hint, kinds=kinds, limits=limits)
    try:
        if suffix in SHEET_SUFFIXES:
            if kinds is None:
                raise TypeError("reading a register needs the register kinds (pipeline.kinds.read_input)")
            return read_register(path, name, kind_hint, kinds=kinds)
        if suffix not in NOTE_SUFFIXES:
            raise UnsupportedFileError(
                f"不支持 {suffix or '无扩展名'} 的文件",
                hint="会议笔记请存为 .txt、.md、.docx 或 PDF；扫描件、照片存为 PDF、.jpg 或 .png；登记表请存为 .xlsx 或 .csv。",
            )
        if suffix not in (".docx", ".pdf") and path.stat().st_size > MAX_NOTE_BYTES:
            raise UnsupportedFileError(
                f"文件太大（{path.stat().st_size // (1024 * 1024)} MB），不像是一份会议笔记",
                hint="会议笔记通常只有几十 KB；请确认放入的文件是否正确。",
            )
        text = _note_text(path, suffix, name)
        _check_length(text, path.stat().st_size, limits)
        if _TEMPLATE_TAG.search(text) and not _HAS_DATE_FIELD.search(text):
            raise UnsupportedFileError(
                "这是一个 Word 模板（含 {{ }} 或 {% %} 标记），不是会议笔记",
                hint="模板请放到工作区的 templates/ 文件夹；收件箱里只放会议笔记和登记表。",
            )
        return IngestResult(kind="note", meetings=[parse_note(text, name)])
    except ZhibuError as err:
        raise err.at(file=name) from None
    except OSError as exc:
        raise UnsupportedFileError(
            f"无法读取文件（{exc.strerror or exc}）", location=Location(file=name)
        ) from None


def _check_length(text: str, size: int, limits: NoteLimits) -> None:
    """Refuse a note longer than ``limits``, naming its size, lines and characters."""
    lines = sum(1 for line in text.splitlines() if line.strip())
    if lines <= limits.max_lines and len(text) <= limits.max_chars:
        return
    raise UnsupportedFileError(
        f"这份笔记太长：{size / (1024 * 1024):.1f} MB、{lines:,} 行、{len(text):,} 个字符，"
        f"超过了一份会议笔记的上限（{limits.max_lines:,} 行、{limits.max_chars:,} 个字符），没有生成会议记录",
        hint="请确认放入的文件是否正确（会议笔记通常只有几十到几百行）；确实是一份很长的记录时，请分成几份放入，"
        "或在 zhibu.toml 的 [render] 中调大 max_note_lines、max_note_chars。",
    )


def _note_text(path: Path, suffix: str, name: str) -> str:
    if suffix == ".docx":
        return docx_to_text(path)
    if suffix == ".pdf":
        text = pdf_text(path)
        if not text:  # a scan reaches the OCR reader first (pipeline.scan); this is a last word
            raise UnsupportedFileError(
                "这个 PDF 没有文字层（是扫描件），无法作为笔记读取",
                hint="扫描件请直接放入收件箱，zhibu 会识别文字后归档。",
            )
        return text
    return decode_text(path.read_bytes(), name)
