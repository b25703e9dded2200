"""`python -m pipeline.ingest`: run the ingest stage, as `dvc repro ingest` does."""

from pipeline.core.stage import main
from pipeline.ingest.stage import run

main(run, uses_pandas=False)
