"""Every exception type zhibu raises, in one place, each saying when it is raised.

``ZhibuError`` and its subclasses are for the branch secretary: each carries a Chinese message,
the place it is about (file, sheet, row, column) and, where we know one, a hint on how to fix it.
The text of ``str(error)`` is exactly what the secretary reads in the run summary and in the
reason file written beside a rejected input, so keep messages short, concrete and in Chinese.
Each names the ``ExitCode`` a command ends with when it stops on that error.

The signals at the end (``InputChanged``, ``FilingPending``, ``RenderLimitExceeded``,
``UnsupportedPackage``, ``CellProblem``) never reach the secretary as they are: the code that
catches them turns them into an outcome or into one of the errors above.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """What every zhibu command returns; each error type below names its own."""

    OK = 0  # everything done
    INPUT_FAILED = 1  # some inputs failed, or a check found problems (the others went on)
    USAGE = 2  # the command line was wrong
    WORKSPACE = 3  # the workspace, zhibu.toml, a template or the environment (LibreOffice, disk)
    INTERRUPTED = 130  # stopped with Ctrl-C


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and for spreadsheets the sheet, row and column."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(f"文件「{self.file}」")
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.column:
            parts.append(f"「{self.column}」列")
        return "".join(parts)


class ZhibuError(Exception):
    """Base of all zhibu errors, raised as itself for a plain refusal of a command (an unknown
    meeting type given to ``zhibu search``, a term with nothing to print). ``str()`` gives the
    full Chinese message."""

    exit_code = ExitCode.WORKSPACE

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        location: Location | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        self.location = location or Location()
        super().__init__(self.render())

    def render(self) -> str:
        where = self.location.describe()
        text = f"{where}：{self.message}" if where else self.message
        if self.hint:
            text += f"\n处理办法：{self.hint}"
        return text

    def at(self, *, override: bool = False, **where: object) -> ZhibuError:
        """Return the same error with more location details filled in (file name etc.).

        Details already known win (a row found deep in a parser beats a guess from outside),
        unless ``override`` is set (a template named by its path inside the workspace).
        """
        current = self.location.__dict__ | {k: v for k, v in where.items() if v is not None}
        if override:
            merged = current
        else:
            merged = {k: (getattr(self.location, k) or current[k]) for k in current}
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.location = Location(**merged)
        Exception.__init__(clone, clone.render())
        return clone


# --- configuration and workspace -------------------------------------------------------------


class CommandLineError(ZhibuError):
    """Raised when an option of the command line has a value zhibu cannot use (a date, a term, a
    combination of options)."""

    exit_code = ExitCode.USAGE


class ConfigError(ZhibuError):
    """Raised when zhibu.toml cannot be read, or is missing a value, has a wrong type or an unknown key."""

    def __init__(self, key: str, message: str, *, file: str = "zhibu.toml", hint: str | None = None):
        self.key = key
        super().__init__(f"配置项「{key}」{message}", hint=hint, location=Location(file=file))


class WorkspaceError(ZhibuError):
    """Raised when the folder given is not a usable workspace (no zhibu.toml)."""


class WorkspaceLockedError(WorkspaceError):
    """Raised when another zhibu process (watch, run, doctor) already holds the workspace lock."""


# --- inputs ----------------------------------------------------------------------------------


class InputError(ZhibuError):
    """Raised when an input file cannot be used; the file goes to inbox/失败/ with this message."""

    exit_code = ExitCode.INPUT_FAILED


class UnsupportedFileError(InputError):
    """Raised for a file type zhibu does not read (or a known type it refuses)."""


class UnreadableFileError(InputError):
    """Raised when an input's bytes cannot be decoded, or its package is corrupt, empty or encrypted."""


class NoteFormatError(InputError):
    """Raised when a meeting note lacks something essential (a date, a type) or contradicts itself."""


class DateFormatError(InputError):
    """Raised for a date that cannot be understood or does not exist (2024年2月30日)."""


class UnknownMeetingTypeError(InputError):
    """Raised when a meeting type is neither a canonical name nor a known alias."""


class SheetError(InputError):
    """Raised for a spreadsheet problem with a precise sheet/row/column location (a sheet without
    a header the readers know, a sheet too large)."""


class AssessmentRuleError(InputError):
    """Raised when a 计分标准 of the 考核细则 is outside the vocabulary zhibu evaluates
    (``pipeline.records.assessment``); the reader turns it into a row problem naming the cell."""


class RowError(SheetError):
    """Raised for one bad row; it is collected, and the rest of the sheet is still processed."""


# --- templates and rendering -----------------------------------------------------------------


class TemplateError(ZhibuError):
    """Raised when a Word template is broken, missing or uses what it must not."""


class TemplateVariableError(TemplateError):
    """Raised when a template uses a variable the record does not provide (strict undefined)."""

    def __init__(self, template: str, variable: str, *, detail: str | None = None):
        self.template = template
        self.variable = variable
        msg = f"模板使用了未定义的变量「{variable}」"
        if detail:
            msg += f"（{detail}）"
        super().__init__(
            msg,
            hint="请在 Word 中打开该模板，改正或删除这个变量；运行 zhibu templates check 可列出所有问题。",
            location=Location(file=template),
        )


class TemplateSecurityError(TemplateError):
    """Raised when the sandbox stops a template that tried to reach Python internals."""


class TemplateLimitError(TemplateSecurityError):
    """Raised when a template runs longer, or builds more text, than zhibu.toml [render] allows."""

    _WHAT = {
        "time": ("渲染时间超过了上限（{}）", "time_limit_seconds"),
        "size": ("生成的内容超过了上限（{}）", "max_output_chars"),
        "depth": ("嵌套调用过深{}", ""),
    }

    def __init__(self, template: str, kind: str, detail: str):
        self.template = template
        self.kind = kind
        what, setting = self._WHAT.get(kind, self._WHAT["size"])
        hint = "请检查模板中的循环（{% for %}）和重复、填充文字的写法，它们可能写错了。"
        if setting:
            hint += f"如果模板确实需要，可以在 zhibu.toml 的 [render] 中调大 {setting}。"
        super().__init__(
            f"模板{what.format(detail)}，已被安全沙箱停止；本文件没有生成文档",
            hint=hint,
            location=Location(file=template),
        )


# --- archive and external tools --------------------------------------------------------------


class ArchiveError(ZhibuError):
    """Raised when the archive cannot be written (a path outside outbox/, a name taken in 失败/, an
    output open in another program)."""


class StorageError(ArchiveError):
    """Raised when the disk is full or the workspace cannot be written: the run stops, inputs stay."""


class TemplateMissingError(StorageError, TemplateError):
    """Raised when a template a document needs is not in templates/ (deleted or renamed, even while
    ``zhibu watch`` runs): the workspace's fault, not the input's, so the pass stops as for a full
    disk and the inputs stay in the inbox."""

    @classmethod
    def of(cls, file: str) -> TemplateMissingError:
        """The error for template ``file`` (as shown: templates/会议记录.docx)."""
        return cls(
            "找不到模板文件（可能被删除或改名了）。本次处理已停止，尚未处理的文件都原样留在收件箱",
            hint="运行 zhibu templates restore 恢复默认模板，或把自己的模板放回 templates/ 文件夹，然后重新运行。",
            location=Location(file=file),
        )


class LockLostError(StorageError):
    """Raised when the workspace lock was deleted and another zhibu holds the new one: the run stops,
    inputs stay."""


class IndexDamagedError(ArchiveError):
    """Raised when the index (.zhibu/index.sqlite3) is missing while the archive has files, or is
    damaged: every command but ``zhibu doctor`` stops."""


class IndexTooNewError(ArchiveError):
    """Raised when the index was written by a newer zhibu (its schema version is above this
    program's): every command, ``zhibu doctor`` and ``watch`` included, stops without using it."""


class ConverterError(ZhibuError):
    """Raised when LibreOffice failed to convert a document (or, as a subclass, is missing)."""


class ConverterMissingError(ConverterError):
    """Raised when LibreOffice is not installed (or ZHIBU_SOFFICE points nowhere)."""


class BatchConversionError(ConverterError):
    """Raised by ``convert_to_pdf`` when one or more files of a batch failed; the others were
    converted. ``str()`` names the first failed file; ``result`` (a ``ConversionResult``) holds
    every output made and every failure."""

    def __init__(self, result) -> None:
        self.result = result
        first = next(iter(result.failures.values()))
        others = len(result.failures) - 1
        message = first.message
        if others:
            message += f"（另有 {others} 个文件也未能转换）"
        super().__init__(message, hint=first.hint, location=first.location)


class Interrupted(ZhibuError):
    """Raised when the secretary pressed Ctrl-C (a second time in ``zhibu watch``): the command
    stops at once; a filing cut short is finished or undone at the next start."""

    exit_code = ExitCode.INTERRUPTED


# --- signals caught inside zhibu, never shown as they are ------------------------------------


class InputChanged(Exception):
    """Raised while filing an input that changed (saved again, moved away, deleted) between being
    read and being committed: nothing was filed, and the input waits in the inbox for the next
    pass."""


class FilingPending(Exception):
    """Raised after a filing's commit point when some of its renames wait for a file another
    program holds (a previous version open in Word): the filing is decided, and the rest is done
    by the next processing (``pipeline.archive.commit.apply_pending``)."""

    def __init__(self, name: str, cause: OSError):
        self.name = name
        self.path = cause.filename
        super().__init__(f"{name}: {cause}")


class RenderLimitExceeded(Exception):
    """Raised inside a template render that went over its time or size budget (zhibu.toml
    [render]); ``kind`` is "time" or "size". Turned into a ``TemplateLimitError``."""

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(detail)


class UnsupportedPackage(Exception):
    """Raised by the fast renderer when it cannot reproduce plain docxtpl's output for a template;
    the template is then rendered by docxtpl itself."""


class CellProblem(Exception):
    """Raised by a cell reader for a value it cannot use (a date that does not exist, a number
    in words); the row reader turns it into a ``RowError`` naming the sheet, row and column."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
