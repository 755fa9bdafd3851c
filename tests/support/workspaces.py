"""New workspaces for the tests: `zhibu init` runs once per test session, every test gets a copy.

A copy of the folder `zhibu init` made is what `zhibu init` makes (the same files, contents and
modes; no path of its own is written into any of them), at the cost of a file copy instead of
building the default templates and blank forms again for every test.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner

from pipeline.commands.cli import cli

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
