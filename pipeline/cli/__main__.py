"""`python -m pipeline.cli`: the `chronicle` command."""

from pipeline.cli import main

main()
