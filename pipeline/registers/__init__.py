"""What register kinds do beyond reading: filing their rows (filing.py, development.py), the
待修正 workbook of bad rows, blanking sensitive columns in archived copies, the blank forms and the
branch profile."""
