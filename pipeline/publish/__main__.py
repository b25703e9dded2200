"""`python -m pipeline.publish`: run the publish stage, as `dvc repro publish` does."""

from pipeline.core.stage import main
from pipeline.publish.stage import run

main(run)
