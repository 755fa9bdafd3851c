"""What every register shares beyond its kind (``pipeline.kinds``): filing a register read
(filing.py: each kind's rows, the 待修正 workbook of bad rows, the sanitized archived copy), the
blank forms of all kinds, ``zhibu render`` rows, blanking sensitive columns, the branch profile."""
