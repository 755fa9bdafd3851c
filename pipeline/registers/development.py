"""Filing a 发展党员登记表: each person replaces their earlier state; the history is kept.

Called from ``pipeline.registers.filing.file_register``. People whose facts did not change are
not filed again; the run summary counts the people filed by stage, and names the violations
found (the details are in zhibu status and the papers of zhibu batch).
"""

from __future__ import annotations

from collections import Counter

from pipeline.records.development import Person, Rules, assess
from pipeline.records.register_rows import DEVELOPMENT


def people_of(items: list[dict]) -> list[Person]:
    return [Person.from_json(i) for i in items]


def file_development(ctx, result, plan, outcome) -> None:
    """Add a 发展党员登记表's people (``result.items[DEVELOPMENT]``) to the filing; ``ctx`` is the
    ``pipeline.registers.filing.FilingContext``."""
    rules = Rules.from_config(ctx.config.development)
    current = {p.name: p for p in ctx.store.development_people()}
    people = people_of(result.items[DEVELOPMENT])
    changed = [p for p in people if p.name not in current or not current[p.name].same_facts(p)]
    same = len(people) - len(changed)
    if same:
        outcome.warnings.append(f"发展党员登记表中有{same}人的情况与已登记的相同，未重复登记")
    if not changed:
        return
    assessed = [(p, assess(p, rules)) for p in changed]
    stages = Counter(a.stage for _, a in assessed)
    for stage, n in stages.items():
        outcome.counts[f"发展党员（{stage}）"] = n
    updated = sum(1 for p in changed if p.name in current)
    if updated:
        outcome.warnings.append(f"发展党员登记表：{updated}人的情况已按本表更新，原记录保留为历史")
    flagged = [p.name for p, a in assessed if a.violations]
    if flagged:
        outcome.warnings.append(
            f"发展党员登记表中{len(flagged)}人的日期不符合发展党员工作细则（{'、'.join(flagged)}），"
            "详见 zhibu status 或 zhibu batch 生成的发展党员台账"
        )
    pairs = [(p, a.stage) for p, a in assessed]

    plan.index_writers.append(lambda store, source_id: store.replace_people(source_id, pairs))
