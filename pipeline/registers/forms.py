"""Blank registers (表格模板/): one workbook per register kind, ready to fill in Excel or WPS.

Each kind declares its form (``pipeline.kinds.form.Form``); the sign-in sheet lists the active
roster's names.
"""

from __future__ import annotations

import datetime as dt

from pipeline.fs.files import atomic_write_bytes
from pipeline.kinds import KINDS
from pipeline.kinds.form import FormEnv, blank_workbook
from pipeline.store import Store

# register kind -> file name in 表格模板/
FILES = {k.name: k.form.file for k in KINDS if k.form is not None}


def roster_names(ws) -> list[str]:
    """Names of the active roster, read-only; [] when there is no index or no roster yet."""
    store = Store.open_read_only(ws.index_path)
    if store is None:
        return []
    with store:
        return [m.name for m in store.active_roster()]


def write_forms(ws, *, overwrite: bool = False) -> tuple[list[str], list[str]]:
    """Write the blank registers into ``<workspace>/表格模板/``: (written, kept as they were)."""
    cfg = ws.config
    env = FormEnv(
        branch=cfg.branch_name,
        categories=tuple(cfg.achievements.category_order),
        term_label=cfg.calendar.term_of(dt.date.today()).label,
        names=tuple(roster_names(ws)),
    )
    written, kept = [], []
    for kind in KINDS:
        if kind.form is None:
            continue
        target = ws.forms / kind.form.file
        if target.exists() and not overwrite:
            kept.append(kind.form.file)
            continue
        atomic_write_bytes(target, blank_workbook(kind.name, kind.form, env))
        written.append(kind.form.file)
    return written, kept


def init_forms(ws) -> list[str]:
    """INIT_EXTRAS hook of ``zhibu init``: the blank registers, never overwriting."""
    written, _ = write_forms(ws)
    return [f"{ws.forms.name}/{name}" for name in written]
