"""`python -m pipeline.validate`: run the validate stage, as `dvc repro validate` does."""

from pipeline.core.stage import main
from pipeline.validate.stage import run

main(run)
