"""`python -m pipeline.events`: run the events stage, as `dvc repro events` does."""

from pipeline.core.stage import main
from pipeline.events.stage import run

main(run, uses_pandas=False)
