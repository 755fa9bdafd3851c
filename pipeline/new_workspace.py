"""Creating a workspace (``zhibu init``): folders, a zhibu.toml with explanations, default
templates, blank forms; and the sample branch and inputs of ``zhibu demo``."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from pipeline.config import CONFIG_NAME, DEFAULT_CONFIG_TEXT, demo_config_text
from pipeline.fs.files import atomic_write_bytes
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


# --- zhibu demo --------------------------------------------------------------------------------


def use_demo_branch(ws: Workspace) -> bool:
    """A workspace whose zhibu.toml is still the untouched default gets the demo's sample
    branch (its own config); a configured workspace keeps its own branch. True when filled in."""
    try:
        text = ws.config_path.read_text(encoding="utf-8-sig")
    except OSError:
        return False
    if text.replace("\r\n", "\n") != DEFAULT_CONFIG_TEXT:
        return False
    atomic_write_bytes(ws.config_path, demo_config_text().encode("utf-8"))
    ws.__dict__.pop("config", None)  # read again on next use
    return True


def copy_samples(ws: Workspace) -> list[str]:
    """The bundled sample notes and registers copied into the inbox; their paths from the root."""
    copied: list[str] = []
    samples = resources.files("pipeline") / "samples"
    for entry in sorted(samples.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("_", ".")) or entry.name.endswith(".py"):
            continue
        _copy(entry, ws.inbox / entry.name, copied, ws)
    return copied


def _copy(entry, target: Path, copied: list[str], ws: Workspace) -> None:
    if entry.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for child in sorted(entry.iterdir(), key=lambda e: e.name):
            _copy(child, target / child.name, copied, ws)
        return
    with resources.as_file(entry) as src:
        shutil.copyfile(src, target)
    copied.append(target.relative_to(ws.root).as_posix())
