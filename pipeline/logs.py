"""zhibu's log: the console lines of ``-v``/``-vv`` and the support log ``.zhibu/zhibu.log``.

Every logger of zhibu is ``zhibu`` or below it (``zhibu.filing``, ``zhibu.watch``, ``zhibu.office``
…), and its lines are in Chinese. On the console (standard error, never mixed into ``--json`` on
standard output, written above any progress bar):

* default and ``-q``: no log line (each command prints its own results);
* ``-v``: zhibu's progress lines; ``-vv``: zhibu's debug lines too, and other libraries' warnings;
  ``-vvv``: every library's debug lines.

A console line never carries a traceback (the exception is named in one line). The support log
of the workspace being worked on (``workspace_log``) keeps zhibu's lines at every level, with
tracebacks, and other libraries' warnings. A line that holds an ID number or a mobile number is
replaced by a notice before any handler sees it.
"""

from __future__ import annotations

import logging
import sys
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from logging.handlers import RotatingFileHandler
from pathlib import Path

from tqdm import tqdm

from pipeline.errors import ZhibuError
from pipeline.ingest.sheets.sensitive import looks_sensitive

ZHIBU = "zhibu"
OPEN_LOGS = 8  # support logs kept open at once (a process may serve several workspaces)
_current: ContextVar[Path | None] = ContextVar("zhibu_support_log", default=None)
log = logging.getLogger(ZHIBU)


def _ours(record: logging.LogRecord) -> bool:
    return record.name == ZHIBU or record.name.startswith(ZHIBU + ".")


def _no_personal_data(record: logging.LogRecord) -> bool:
    """A line with an ID or mobile number (in its text or its exception) is replaced, never written."""
    exc = record.exc_info[1] if record.exc_info else None
    if looks_sensitive(record.getMessage()) or (exc is not None and looks_sensitive(str(exc))):
        record.msg, record.args, record.exc_info, record.exc_text = (
            "（此行含有身份证号或手机号，已隐去）",
            (),
            None,
            None,
        )
    return True


class _Console(logging.Handler):
    """The console lines for the verbosity of the running command."""

    def __init__(self) -> None:
        super().__init__()
        self.verbosity = 0
        self.addFilter(self._wanted)
        self.addFilter(_no_personal_data)

    def _wanted(self, record: logging.LogRecord) -> bool:
        if _ours(record):
            return self.verbosity >= 2 or (self.verbosity == 1 and record.levelno >= logging.INFO)
        return self.verbosity >= 3 or (self.verbosity == 2 and record.levelno >= logging.WARNING)

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:
            text += f"（{type(exc).__name__}: {exc}）"
        if not _ours(record):
            text = f"[{record.name}] {text}"
        if record.levelno >= logging.ERROR:
            return f"错误：{text}"
        return f"注意：{text}" if record.levelno >= logging.WARNING else text

    def emit(self, record: logging.LogRecord) -> None:
        try:
            tqdm.write(self.format(record), file=sys.stderr)
        except Exception:
            self.handleError(record)


class _SupportLog(logging.Handler):
    """Writes each line to the support log of the workspace being worked on (``workspace_log``)."""

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(lambda r: _ours(r) or r.levelno >= logging.WARNING)
        self.addFilter(_no_personal_data)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        self._files: OrderedDict[Path, RotatingFileHandler] = OrderedDict()

    def emit(self, record: logging.LogRecord) -> None:
        path = _current.get()
        if path is None:
            return
        try:
            self._file(path).emit(record)
        except Exception:
            self.handleError(record)

    def _file(self, path: Path) -> RotatingFileHandler:
        if path in self._files:
            self._files.move_to_end(path)
            return self._files[path]
        path.parent.mkdir(parents=True, exist_ok=True)
        # Names that are not valid text are written with escapes.
        handler = RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8", errors="backslashreplace"
        )
        handler.setFormatter(self.formatter)
        self._files[path] = handler
        while len(self._files) > OPEN_LOGS:
            self._files.popitem(last=False)[1].close()
        return handler


_console = _Console()
_support = _SupportLog()


def configure(verbosity: int = 0) -> None:
    """Console and support log for a command run with ``verbosity`` (-q: -1, -v: 1, -vv: 2 …)."""
    root = logging.getLogger()
    for handler in (_console, _support):
        if handler not in root.handlers:
            root.addHandler(handler)
    _console.verbosity = verbosity
    root.setLevel(logging.DEBUG if verbosity >= 3 else logging.WARNING)
    log.setLevel(logging.DEBUG)  # zhibu's own lines always reach the support log
    log.propagate = True
    # A full disk or a read-only .zhibu/ must not print logging tracebacks on the console.
    logging.raiseExceptions = False


@contextmanager
def workspace_log(log_path: Path) -> Iterator[None]:
    """Lines logged inside go to this support log; an unexpected error leaving it is logged there
    with its traceback (zhibu's own errors are the secretary's messages, printed by the caller)."""
    token = _current.set(log_path)
    try:
        yield
    except Exception as exc:
        if not isinstance(exc, ZhibuError):
            log.error("内部错误", exc_info=exc)
        raise
    finally:
        _current.reset(token)
