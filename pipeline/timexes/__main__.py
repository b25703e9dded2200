"""`python -m pipeline.timexes`: run the timexes stage, as `dvc repro timexes` does."""

from pipeline.core.stage import main
from pipeline.timexes.stage import run

main(run, uses_pandas=False)
