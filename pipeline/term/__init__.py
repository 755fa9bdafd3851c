"""Term-level outputs: the compliance check, the 三会一课台账, the 成果汇编, the 学期工作计划,
the term batch, and full-text search."""
