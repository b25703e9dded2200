"""`python -m pipeline.nlp`: run the nlp stage, as `dvc repro nlp` does."""

from pipeline.core.stage import main
from pipeline.nlp.stage import run

main(run, uses_pandas=False)
