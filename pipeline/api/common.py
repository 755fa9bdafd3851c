"""What every call of the API does first: open the workspace and keep its log."""

from __future__ import annotations

import functools
from pathlib import Path

from pipeline.archive.health import check_index
from pipeline.errors import ZhibuError
from pipeline.logs import workspace_log
from pipeline.render.limits import apply_render_limits
from pipeline.workspace import Workspace


def open_workspace(folder: Path | Workspace) -> Workspace:
    """The workspace, after checking that its index is usable (else ``IndexDamagedError``: run
    zhibu doctor); its render limits (zhibu.toml [render]) apply from now on."""
    ws = folder if isinstance(folder, Workspace) else Workspace.open(folder)
    check_index(ws.index_path, ws.outbox)
    try:
        apply_render_limits(ws.config.render)
    except ZhibuError:  # a broken zhibu.toml is reported by the call that reads it
        pass
    return ws


def in_workspace(call):
    """Open the workspace given first, and keep the call's log lines in its support log."""

    @functools.wraps(call)
    def wrapper(workspace: Path | Workspace, *args, **kwargs):
        ws = open_workspace(workspace)
        with workspace_log(ws.log_path):
            return call(ws, *args, **kwargs)

    return wrapper
