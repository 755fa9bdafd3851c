"""The support log in the workspace (.zhibu/zhibu.log)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from pipeline.workspace import Workspace


def setup_file_log(ws: Workspace) -> None:
    logger = logging.getLogger("zhibu")
    logger.setLevel(logging.INFO)
    target = str(ws.log_path)
    for handler in logger.handlers:
        if getattr(handler, "baseFilename", None) == target:
            return
    ws.state.mkdir(parents=True, exist_ok=True)
    # A full disk or a read-only .zhibu/ must not print logging tracebacks on the console;
    # names that are not valid text are written with escapes.
    logging.raiseExceptions = False
    handler = RotatingFileHandler(
        target, maxBytes=2_000_000, backupCount=3, encoding="utf-8", errors="backslashreplace"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
