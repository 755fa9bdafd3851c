"""Registers (issue 3): filing, attendance, the branch profile and the blank forms."""
