"""What every stage shares: where tables live, logging, and a clean exit on expected errors."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.core.config import Params, ParamsError, load_params
from schemas import TABLES

log = logging.getLogger("chronicle")


class StageError(RuntimeError):
    """An expected failure with a message meant for the user (no traceback needed)."""


def table_path(params: Params, name: str) -> Path:
    """Where the stage that produces table `name` writes it, before publishing."""
    return params.paths.interim / TABLES[name].stage / f"{name}.parquet"


def stage_dir(params: Params, stage: str) -> Path:
    """The interim folder of one stage."""
    return params.paths.interim / stage


def texts_path(params: Params) -> Path:
    """The ingested texts, the documents table without the nlp stage's columns (ingest -> nlp)."""
    return stage_dir(params, "ingest") / "texts.parquet"


def mentions_path(params: Params) -> Path:
    """Corrected mentions, before canonical entities (written by events, read by entities)."""
    return stage_dir(params, "events") / "mentions.parquet"


def arguments_path(params: Params) -> Path:
    """Participants before entity linking (written by events, read by entities)."""
    return stage_dir(params, "events") / "arguments.parquet"


def ungrouped_events_path(params: Params) -> Path:
    """Events before their happenings (written by events, read by happenings)."""
    return stage_dir(params, "events") / "events.parquet"


GROUP_COLUMNS = ("happening_id", "grouped_by")
"""The events columns the happenings stage adds (`ungrouped_events_path` lacks them)."""


def cache_path(params: Params, stage: str) -> Path:
    """The per-document result cache of one stage (see `pipeline.core.cache`)."""
    return params.paths.cache / stage


def main(run: Callable[[Params], None], uses_pandas: bool = True) -> None:
    """Run a stage's `run(params)` from the command line with readable errors.

    A stage that streams rows and never makes a pandas frame passes `uses_pandas=False`,
    which keeps pyarrow from importing pandas (see `pipeline.core.io.hide_pandas_from_pyarrow`).
    """
    from pipeline.core.parallel import die_with_parent

    die_with_parent(os.getppid(), signal.SIGTERM)  # `dvc repro` killed: the stage stops too
    use_system_allocator()
    if not uses_pandas:
        from pipeline.core.io import hide_pandas_from_pyarrow

        hide_pandas_from_pyarrow()
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(name)s %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    try:
        run(load_params())
    except (ParamsError, StageError, FileNotFoundError) as err:
        log.error("%s", err)
        sys.exit(1)


def use_system_allocator() -> None:
    """Give Arrow's buffers to the C library's malloc, which returns freed memory.

    Arrow's default pool (mimalloc) keeps freed memory for reuse: measured on 10,000
    documents, the stages' peak memory was 20 to 90 MB higher with it, and a stage's peak
    varied by tens of MB from run to run; their speed was the same. `pipeline/__init__.py`
    asks for this pool before pyarrow loads (so mimalloc never starts); this call covers a
    process that imported pyarrow first.
    """
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def report_path(params: Params, stage: str) -> Path:
    """Counts a stage reports about its own work (what it kept, skipped or repaired)."""
    return stage_dir(params, stage) / "report.json"


def write_report(params: Params, stage: str, counts: dict) -> None:
    """Save a stage's counts; publish gathers them into outputs/metrics.json."""
    from pipeline.core.io import write_json  # local: io imports schemas, which is heavier

    write_json(counts, report_path(params, stage))


def run_log_path(params: Params, stage: str) -> Path:
    """How the last run of a stage went: work done and cache use.

    Kept outside every DVC output: it depends on what the cache held, not on the data, so
    a fresh clone would otherwise record different outputs (and publish different metrics).
    """
    return params.paths.cache / "runs" / f"{stage}.json"


def write_run_log(params: Params, stage: str, stats: dict) -> None:
    """Save a stage's run statistics (see `run_log_path`)."""
    from pipeline.core.io import write_json

    write_json(stats, run_log_path(params, stage))
