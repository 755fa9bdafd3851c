"""Shared fixtures: a fresh workspace made by `zhibu init`, and a CLI invoker."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.commands.cli import cli
from pipeline.config import demo_config_text

REPO = Path(__file__).resolve().parents[1]


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


@pytest.fixture
def ws(tmp_path) -> Zhibu:
    root = tmp_path / "ws"
    z = Zhibu(root)
    z("init", root, ok=True)
    # The tests use the demo's sample branch and committee (a new workspace has none).
    (root / "zhibu.toml").write_text(demo_config_text(), encoding="utf-8")
    return z
