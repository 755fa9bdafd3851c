"""Template variables for each row of a register, for ``zhibu render`` (one document per row).

Each kind gives its own (``RegisterKind.variables``): a meeting row gets exactly the variables of
the minutes templates; the other kinds their Chinese column names (``{{ 成果名称 }}``,
``{{ 姓名 }}`` …) so that a template the secretary writes reads like her spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.config.schema import BranchSettings
from pipeline.ingest.result import IngestResult
from pipeline.kinds import KINDS
from pipeline.kinds.base import RenderEnv


def row_contexts(
    result: IngestResult, branch: BranchSettings, term_label_of, quorum: dict | None = None
) -> Iterator[tuple[str, dict, str]]:
    """(document title, context, where) for every good row; ``where`` names sheet and row (or the file)."""
    env = RenderEnv(branch, term_label_of, quorum)
    for kind in KINDS:
        if kind.variables is None:
            continue
        records = result.meetings if kind.meetings else result.items.get(kind.name, [])
        for record in records:
            yield kind.variables(record, env)
