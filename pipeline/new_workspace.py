"""Creating a workspace: folders, a zhibu.toml with explanations, default templates, blank forms."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import CONFIG_NAME, DEFAULT_CONFIG_TEXT
from pipeline.registers.forms import init_forms
from pipeline.render.default_templates import write_default_templates
from pipeline.workspace import Workspace


def init_workspace(root: Path) -> tuple[Workspace, list[str]]:
    """Create a workspace; never overwrites a file that exists. Returns what was created."""
    ws = Workspace(root)
    ws.root.mkdir(parents=True, exist_ok=True)
    created: list[str] = []
    if not ws.config_path.exists():
        ws.config_path.write_text(DEFAULT_CONFIG_TEXT, encoding="utf-8")
        created.append(CONFIG_NAME)
    ws.ensure_folders()
    created += [f"templates/{n}" for n in write_default_templates(ws.templates, overwrite=False)]
    created += init_forms(ws)
    return ws, created
