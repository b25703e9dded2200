"""`python -m pipeline.entities`: run the entities stage, as `dvc repro entities` does."""

from pipeline.core.stage import main
from pipeline.entities.stage import run

main(run, uses_pandas=False)
