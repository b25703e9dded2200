"""`python -m pipeline.happenings`: run the happenings stage, as `dvc repro happenings` does."""

from pipeline.core.stage import main
from pipeline.happenings.stage import run

main(run, uses_pandas=False)
