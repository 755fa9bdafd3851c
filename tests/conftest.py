"""Shared fixtures: a fresh workspace made by `zhibu init`, and a CLI invoker.

Every test is hermetic: it starts in an empty folder of its own (a command that forgets ``-w``
finds no workspace instead of the repository's own, where `zhibu demo` may have filed the
samples), every ``python -m pipeline`` subprocess imports this checkout's code whatever the
folder it runs in, the settings that change zhibu's behaviour are taken from the test alone, and
Hypothesis keeps no example database between runs.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from pipeline.commands.cli import cli
from pipeline.config import demo_config_text
from tests.support.workspaces import copy_of, new_workspace, process_state_kept

REPO = Path(__file__).resolve().parents[1]

os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
os.environ.pop("ZHIBU_NO_ROSTER_CACHE", None)  # a benchmark's switch: the tests run the real path
# Scratch folders on the RAM disk where the system has one (unless TMPDIR says otherwise): every
# filing fsyncs what it publishes, and on a virtual disk each fsync waits milliseconds that tell
# a test nothing. The code run is the same; only the waiting goes.
if "TMPDIR" not in os.environ and os.access("/dev/shm", os.W_OK):
    os.environ["TMPDIR"] = "/dev/shm"
    tempfile.tempdir = None
# Every `python -m pipeline` subprocess imports zhibu afresh: they share its compiled bytecode in a
# scratch folder of this session (never in the checkout), whatever PYTHONDONTWRITEBYTECODE says.
_PYCACHE = tempfile.mkdtemp(prefix="zhibu-tests-pycache-")
atexit.register(shutil.rmtree, _PYCACHE, True)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
os.environ["PYTHONPYCACHEPREFIX"] = _PYCACHE
# Examples and constants saved by an earlier run (in .hypothesis/ of the current folder) would make
# a test's outcome depend on that folder: Hypothesis keeps what it writes in a scratch folder of this
# session and no example database; a failing example is printed with the seed that replays it.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="zhibu-tests-hypothesis-")
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, True)
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
settings.register_profile("hermetic", database=None, print_blob=True)
settings.load_profile("hermetic")


@pytest.fixture(autouse=True)
def _own_current_folder(tmp_path_factory, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(autouse=True)
def _process_state_restored() -> Iterator[None]:
    with process_state_kept():
        yield


class Zhibu:
    """Runs zhibu commands in-process through the real click CLI."""

    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool | None = None):
        result = self.runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
        if ok is True:
            assert result.exit_code == 0, result.output
        if ok is False:
            assert result.exit_code != 0, result.output
        return result

    def run(self, ok: bool | None = None):
        return self("run", "-w", self.root, ok=ok)

    def drop(self, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = self.root / "inbox" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def outputs(self, pattern: str = "**/*.docx") -> list[Path]:
        return sorted(p for p in (self.root / "outbox").glob(pattern) if "原始材料" not in p.parts)


@pytest.fixture(scope="session")
def initialised_workspace(tmp_path_factory) -> Path:
    """One workspace made by `zhibu init` with the demo's sample branch and committee (a new
    workspace has none), made once per session: ``ws`` copies it for each test."""
    root = new_workspace(tmp_path_factory.mktemp("initialised") / "ws")
    # `zhibu run` takes a file once it has been unchanged for [watch] settle_seconds (1 s by default):
    # every run right after a drop waits that long. This workspace settles in 0.2 s; the tests of
    # files still being written use their own workspaces and times.
    config = demo_config_text().replace("settle_seconds = 1.0", "settle_seconds = 0.2")
    assert "settle_seconds = 0.2" in config
    (root / "zhibu.toml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture
def ws(tmp_path, initialised_workspace) -> Zhibu:
    """A fresh workspace of the test's own: a copy of what `zhibu init` made."""
    return Zhibu(copy_of(initialised_workspace, tmp_path / "ws"))


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory, initialised_workspace) -> Path:
    """`zhibu demo` run once per session in a copy of the initialised workspace."""
    root = copy_of(initialised_workspace, tmp_path_factory.mktemp("demo") / "ws")
    with process_state_kept():
        Zhibu(root)("demo", "-w", root, ok=True)
    return root


@pytest.fixture
def demo_ws(tmp_path, demo_workspace) -> Zhibu:
    """A workspace of the test's own after `zhibu demo` (a copy of the session's one)."""
    return Zhibu(copy_of(demo_workspace, tmp_path / "ws"))
