"""Every error type zhibu raises, in one place.

Each error carries a Chinese message meant for the branch secretary, plus the place it is
about (file, sheet, row, column) and, where we know one, a hint on how to fix it. The text of
``str(error)`` is exactly what the secretary reads in the run summary and in the reason file
written beside a rejected input, so keep messages short, concrete and in Chinese.
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
    """Base of all zhibu errors. ``str()`` gives the full Chinese message."""

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
    """An option of the command line has a value zhibu cannot use (a date, a term, a combination)."""

    exit_code = ExitCode.USAGE


class ConfigError(ZhibuError):
    """zhibu.toml is missing a value, has a wrong type, or an unknown key."""

    def __init__(self, key: str, message: str, *, file: str = "zhibu.toml", hint: str | None = None):
        self.key = key
        super().__init__(f"配置项「{key}」{message}", hint=hint, location=Location(file=file))


class WorkspaceError(ZhibuError):
    """The folder given is not a usable workspace."""


class WorkspaceLockedError(WorkspaceError):
    """Another zhibu process (watch or run) is already working on this workspace."""


# --- inputs ----------------------------------------------------------------------------------


class InputError(ZhibuError):
    """An input file cannot be used. The file goes to inbox/失败/ with this message."""

    exit_code = ExitCode.INPUT_FAILED


class UnsupportedFileError(InputError):
    """A file type we do not read (or a known type we refuse, like .xls)."""


class UnreadableFileError(InputError):
    """The bytes cannot be decoded or the package is corrupt, empty or encrypted."""


class NoteFormatError(InputError):
    """A meeting note lacks something essential or contradicts itself."""


class DateFormatError(InputError):
    """A date that cannot be understood or does not exist (2024年2月30日)."""


class UnknownMeetingTypeError(InputError):
    """The meeting type is neither a canonical name nor a known alias."""


class SheetError(InputError):
    """A spreadsheet problem with a precise sheet/row/column location."""


class RowError(SheetError):
    """One bad row; the rest of the sheet is still processed."""


# --- templates and rendering -----------------------------------------------------------------


class TemplateError(ZhibuError):
    """A Word template is broken, missing or uses what it must not."""


class TemplateVariableError(TemplateError):
    """A template uses a variable the record does not provide (strict undefined)."""

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
    """The sandbox stopped a template that tried to reach Python internals."""


class TemplateLimitError(TemplateSecurityError):
    """A template ran longer, or built more text, than zhibu.toml [render] allows."""

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
    """The archive could not be written (disk full, permissions, a path outside the archive)."""


class StorageError(ArchiveError):
    """The disk is full or the archive/workspace cannot be written: the run stops, inputs stay."""


class LockLostError(StorageError):
    """The workspace lock was deleted and another zhibu holds the new one: the run stops, inputs stay."""


class IndexDamagedError(ArchiveError):
    """The index (.zhibu/index.sqlite3) is missing while the archive has files, or is damaged."""


class ConverterError(ZhibuError):
    """LibreOffice is missing or failed to convert a document."""


class ConverterMissingError(ConverterError):
    """LibreOffice is not installed (or ZHIBU_SOFFICE points nowhere)."""
