"""Filing a 发展党员登记表: each person replaces their earlier state; the history is kept.

Called from ``pipeline.registers.filing.file_register``. People whose facts did not change are
not filed again; the run summary counts the people filed by stage, and names the violations
found (the details are in zhibu status and the papers of zhibu batch).
"""

from __future__ import annotations

from collections import Counter

from pipeline.archive import development_store
from pipeline.records.development import Person, Rules, assess
from pipeline.records.registers import DEVELOPMENT


def people_of(items: list[dict]) -> list[Person]:
    return [Person.from_json(i) for i in items]


def file_development(processor, result, plan, outcome) -> None:
    """The FILING_EXTENSION part for a 发展党员登记表 (``result.items[DEVELOPMENT]``)."""
    rules = Rules.from_config(processor.ws.config["development"])
    current = {p.name: p for p in development_store.active_people(processor.index.db)}
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

    def write(db, source_id):
        development_store.replace_people(db, source_id, pairs)

    plan.index_writers.append(write)
