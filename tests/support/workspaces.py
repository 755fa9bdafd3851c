"""New workspaces for the tests: `zhibu init` runs once per test session, every test gets a copy.

A copy of the folder `zhibu init` made is what `zhibu init` makes (the same files, contents and
modes; no path of its own is written into any of them), at the cost of a file copy instead of
building the default templates and blank forms again for every test.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from pipeline.commands.cli import cli
from pipeline.render.limits import DEFAULT_LIMITS, set_limits

_made: list[Path] = []


def new_workspace(root: Path) -> Path:
    """A workspace at ``root`` as `zhibu init root` leaves it; returns ``root``."""
    if not _made:
        base = Path(tempfile.mkdtemp(prefix="zhibu-tests-init-"))
        atexit.register(shutil.rmtree, base, True)
        result = CliRunner().invoke(cli, ["init", str(base / "ws")], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        _made.append(base / "ws")
    shutil.copytree(_made[0], root, symlinks=True)
    return root


@contextmanager
def process_state_kept() -> Iterator[None]:
    """What in-process commands leave in this process is undone on leaving: the workspaces' log
    files (the zhibu logger would write every later test's lines into them) and their [render]
    limits. Every test runs inside it (conftest); so does a fixture shared by several tests."""
    logger = logging.getLogger("zhibu")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    try:
        yield
    finally:
        for handler in [h for h in logger.handlers if h not in handlers]:
            logger.removeHandler(handler)
            handler.close()
        logger.setLevel(level)
        logger.propagate = propagate
        set_limits(DEFAULT_LIMITS)


def copy_of(source: Path, root: Path) -> Path:
    """A copy at ``root`` of a workspace a shared fixture built; returns ``root``."""
    shutil.copytree(source, root, symlinks=True)
    return root
