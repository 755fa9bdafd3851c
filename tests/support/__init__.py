"""What the tests share: builders of inputs (notes, registers, the bad-input corpus, 发展党员 data,
school forms), readers of outputs (docx text and fonts, PDF pages) and drivers (the watcher
subprocess, the term workspace). No tests here."""
