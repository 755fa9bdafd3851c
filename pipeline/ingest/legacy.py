"""Old Word, WPS and spreadsheet formats: converted with LibreOffice, then read as usual.

``.doc``, ``.wps`` and ``.odt`` become .docx; ``.xls``, ``.et`` and ``.ods`` become .xlsx. The
conversion uses the same converter as ``zhibu pdf`` (private profile, no macros, no links,
watchdog) on a copy in a temporary folder; the input itself is not touched, so the filing
archives the original exactly as it came. Without LibreOffice the reason says how to install
it, or to "另存为" .docx/.xlsx in Word/WPS.

Templates may also be .doc: :func:`docx_template` converts ``templates/<名称>.doc`` once into
``templates/<名称>.docx`` (again whenever the .doc is saved anew) and rendering uses the .docx.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import (
    ConverterError,
    ConverterMissingError,
    Location,
    TemplateError,
    UnsupportedFileError,
)
from pipeline.fs.files import publish
from pipeline.fs.leftovers import LEGACY_PREFIX, owned_temp_dir
from pipeline.office.convert import convert_documents
from pipeline.office.soffice import INSTALL_HINT

#: Legacy suffix -> (target format, suffix LibreOffice knows the file by).
LEGACY_SUFFIXES = {
    ".doc": ("docx", ".doc"),
    ".wps": ("docx", ".wps"),
    ".odt": ("docx", ".odt"),
    ".xls": ("xlsx", ".xls"),
    ".et": ("xlsx", ".xls"),  # WPS 表格 files are Excel 97–2003 workbooks
    ".ods": ("xlsx", ".ods"),
}
TEMPLATE_SUFFIXES = (".doc", ".wps", ".odt")

_SAVE_AS = {"docx": "Word/WPS 文字", "xlsx": "Excel/WPS 表格"}


def _save_as_hint(target: str) -> str:
    return f"也可以用 {_SAVE_AS[target]} 打开该文件，“另存为” .{target} 格式后重新放入收件箱。"


def _convert(path: Path, target: str, tmp: Path, as_suffix: str) -> Path:
    """Convert a copy of ``path`` in ``tmp``; the converted file, or a ConverterError."""
    src = tmp / f"input{as_suffix}"
    shutil.copyfile(path, src)
    result = convert_documents([src], tmp / "out", target=target, workers=1, durable=False)
    if src in result.failures:
        raise result.failures[src]
    return result.pdfs[src]


@contextlib.contextmanager
def modern_copy(path: Path, name: str) -> Iterator[Path]:
    """A .docx/.xlsx converted from the legacy file ``path``, alive for the ``with`` block.

    Raises UnsupportedFileError (Chinese, naming ``name``) when it cannot be converted.
    """
    target, as_suffix = LEGACY_SUFFIXES[path.suffix.lower()]
    with owned_temp_dir(LEGACY_PREFIX) as tmp:
        try:
            converted = _convert(path, target, tmp, as_suffix)
        except ConverterMissingError as err:
            raise UnsupportedFileError(
                f"{path.suffix.lower()} 格式的文件需要用 LibreOffice 转换为 .{target} 才能读取，但{err.message}",
                hint=INSTALL_HINT.split("也可以")[0] + _save_as_hint(target),
                location=Location(file=name),
            ) from None
        except ConverterError as err:
            raise UnsupportedFileError(
                f"无法把 {path.suffix.lower()} 文件转换为 .{target}（{err.message}）",
                hint=_save_as_hint(target),
                location=Location(file=name),
            ) from None
        except OSError as exc:
            raise UnsupportedFileError(
                f"无法读取文件（{exc.strerror or exc}）", location=Location(file=name)
            ) from None
        yield converted


def docx_template(path: Path) -> Path:
    """``path`` (a .docx template), first converted from a newer .doc/.wps/.odt of the same name."""
    for suffix in TEMPLATE_SUFFIXES:
        legacy = path.with_suffix(suffix)
        if not legacy.is_file():
            continue
        if path.is_file() and path.stat().st_mtime >= legacy.stat().st_mtime:
            return path
        with owned_temp_dir(LEGACY_PREFIX) as tmp:
            try:
                converted = _convert(legacy, "docx", tmp, suffix)
            except (ConverterError, OSError) as err:
                raise TemplateError(
                    f"模板是 {suffix} 格式，无法转换为 .docx（{getattr(err, 'message', err)}）",
                    hint="请用 Word 或 WPS 打开该模板，“另存为” .docx 格式。",
                    location=Location(file=f"templates/{legacy.name}"),
                ) from None
            publish(path, source=converted)
        return path
    return path
