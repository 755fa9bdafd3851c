"""Registers: filing, attendance, the branch profile and the blank forms."""
