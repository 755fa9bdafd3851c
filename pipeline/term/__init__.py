"""Term and year outputs from the index: the compliance check, the 三会一课台账 (.xlsx), the 成果汇编,
the 学期工作计划 and the 发展党员 papers (.docx, written with ``pipeline.wordkit``), the term batch
that publishes them, re-rendering, and full-text search."""
