"""``python -m pipeline``: the zhibu command line."""

from pipeline.commands.cli import main

main()
