"""Stage 8, publish: the validated tables as an open dataset, with its metadata and a report.

Each table is streamed from its interim Parquet file in record batches (`publish.batch_rows`)
into `outputs/<table>.parquet` (one row group per batch, typed by the schema, each column's
description in the field metadata) and `outputs/csv/<table>.csv` (lists as JSON arrays, dates as
ISO 8601, formula-like cells neutralised). A `Summary` folds in every batch, so the corpus is
never held in memory. Then come `metrics.json`, `datapackage.json`, `croissant.json`,
`DATA_DICTIONARY.md`, the dataset card `README.md`, `report.html` and the timeline plot. Nothing
depends on the clock: re-runs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.config import Params
from pipeline.core.io import PARQUET_OPTIONS, atomic_open, atomic_path, write_json
from pipeline.core.release import csv_bytes, csv_header, csv_path, parquet_path
from pipeline.core.stage import StageError, log, report_path, table_path, write_run_log
from pipeline.publish.card import dataset_card
from pipeline.publish.croissant import croissant
from pipeline.publish.datapackage import datapackage
from pipeline.publish.dictionary import data_dictionary
from pipeline.publish.provenance import Provenance, gather_provenance, run_record
from pipeline.publish.report import render, timeline_svg
from pipeline.publish.summary import Summary, manifest_warning
from schemas import SCHEMA_VERSION, TABLES, Table, arrow_schema

TIMELINE_PLOT = Path("plots") / "timeline.svg"
"""The timeline as an image, relative to outputs/ (a `dvc plots` definition points at it)."""


# --- streaming one table --------------------------------------------------------------------


def conform(batch: pa.RecordBatch, schema: pa.Schema, where: Path) -> pa.RecordBatch:
    """A batch with the published columns, order, types and field metadata."""
    missing = [name for name in schema.names if name not in batch.schema.names]
    if missing:
        raise StageError(f"publish: {where} lacks columns {missing}; re-run its stage")
    table = pa.Table.from_batches([batch]).select(schema.names).cast(schema)
    return pa.RecordBatch.from_arrays(
        [column.combine_chunks() for column in table.columns], schema=schema
    )


CSV_PIECE_BYTES = 4 << 20
"""Bytes of a batch rendered as CSV lines at a time. Rendering makes several copies of the
text (cells, quoted fields, lines, one Python string), and a batch of documents holds every
text in it: rendered whole, the peak followed the corpus up to `publish.batch_rows` texts."""


def csv_pieces(batch: pa.RecordBatch) -> Iterator[pa.RecordBatch]:
    """The batch as consecutive slices of about `CSV_PIECE_BYTES` each (a row is never cut).

    CSV lines are rendered row by row, so the pieces give the bytes of the whole batch.
    """
    pieces = max(1, -(-batch.nbytes // CSV_PIECE_BYTES))
    rows = max(1, -(-batch.num_rows // pieces))
    for start in range(0, batch.num_rows, rows):
        yield batch.slice(start, rows)


def publish_table(
    source: Path, table: Table, out: Path, csv_out: Path | None, batch_rows: int, summary: Summary
) -> None:
    """Stream one interim table into its Parquet (and CSV) file, feeding the summary."""
    if not source.exists():
        raise StageError(
            f"publish: table '{table.name}' not found at {source}: run the stage that produces it"
        )
    schema = arrow_schema(table)
    summary.begin(table.name)
    reader = pq.ParquetFile(source, pre_buffer=False)  # pre-buffering reads far ahead: on
    # a large file it holds many row groups in memory at once
    csv_file = atomic_open(csv_out, "wb") if csv_out is not None else contextlib.nullcontext()
    with (
        atomic_path(out) as tmp,
        pq.ParquetWriter(tmp, schema, **PARQUET_OPTIONS) as parquet,
        csv_file as handle,
    ):
        if handle:
            handle.write(csv_header(schema.names).encode("utf-8"))
        for raw in reader.iter_batches(batch_size=batch_rows, use_threads=False):
            batch = conform(raw, schema, source)
            parquet.write_batch(batch)
            if handle:
                for piece in csv_pieces(batch):
                    handle.write(csv_bytes(piece))
            summary.add(table.name, batch)


# --- files and reports ----------------------------------------------------------------------


def file_facts(folder: Path, paths: list[str]) -> dict[str, tuple[int, str]]:
    """Size and sha256 of each file (relative to `folder`), read in chunks."""
    facts = {}
    for relative in paths:
        digest = hashlib.sha256()
        with open(folder / relative, "rb") as handle:
            for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(chunk)
        facts[relative] = ((folder / relative).stat().st_size, digest.hexdigest())
    return facts


def stage_reports(interim: Path) -> dict[str, Any]:
    """Every stage's own report (`<interim>/<stage>/report.json`), by stage name."""
    return {
        path.parent.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(interim.glob("*/report.json"))
    }


def write_text(text: str, target: Path) -> None:
    """Write a generated text file atomically, UTF-8 with LF line endings."""
    with atomic_open(target) as handle:
        handle.write(text)


def publish_tables(params: Params, summary: Summary) -> dict[str, tuple[int, str]]:
    """Stream every table to outputs/ (Parquet, and CSV unless `publish.csv` is off).

    Returns the size and sha256 of each file written, by path relative to outputs/.
    """
    out, options = params.paths.outputs, params.publish
    for name, table in TABLES.items():
        publish_table(
            table_path(params, name),
            table,
            out / parquet_path(name),
            out / csv_path(name) if options.csv else None,
            options.batch_rows,
            summary,
        )
    return file_facts(
        out,
        [parquet_path(n) for n in TABLES] + ([csv_path(n) for n in TABLES] if options.csv else []),
    )


def write_metadata(
    params: Params, summary: Summary, provenance: Provenance, files: dict[str, tuple[int, str]]
) -> None:
    """Write metrics, the Data Package, Croissant, data dictionary, card, report and plot."""
    out, options = params.paths.outputs, params.publish
    write_json(
        {
            "schema_version": SCHEMA_VERSION,
            **summary.metrics(),
            "stages": stage_reports(params.paths.interim),
        },
        out / "metrics.json",
    )
    write_json(
        datapackage(
            files=files, csv=options.csv, creator=options.creator, homepage=options.homepage
        ),
        out / "datapackage.json",
    )
    write_json(
        croissant(provenance, files, options.creator, options.homepage), out / "croissant.json"
    )
    write_text(data_dictionary(), out / "DATA_DICTIONARY.md")
    write_text(
        dataset_card(summary, provenance, options.creator, options.homepage), out / "README.md"
    )
    write_text(render(summary, provenance), out / "report.html")
    write_text(timeline_svg(summary.intervals) + "\n", out / TIMELINE_PLOT)


STAGING = ".staging"
"""The folder inside outputs/ where a release is written before it replaces the last one."""

RELEASE_FOLDERS = ("csv", "plots")
"""Folders of outputs/ that publish fills: a file in them that a new release lacks goes."""


def swap_in(staging: Path, final: Path) -> None:
    """Move a complete release from `staging` into `final`, file by file.

    Each file replaces its old version in one rename, so a reader sees the old file or the
    new one, whole. A crash between two renames leaves each file whole but some still from
    the last release: the next `dvc repro publish` (or `dvc checkout`) makes them agree.
    """
    names = {path.relative_to(staging) for path in staging.rglob("*") if path.is_file()}
    for name in sorted(names):
        (final / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, final / name)
    for folder in RELEASE_FOLDERS:
        if (final / folder).is_dir():
            for old in sorted((final / folder).rglob("*")):
                if old.is_file() and old.relative_to(final) not in names:
                    old.unlink()


def build_release(params: Params) -> Summary:
    """Write every table, its metadata, card and report to `params.paths.outputs`."""
    options = params.publish
    summary = Summary(
        options.report_top_entities, options.report_max_documents, options.report_max_rejects
    )
    files = publish_tables(params, summary)
    provenance = gather_provenance(params, list(summary.counts("documents", "model")))
    write_metadata(params, summary, provenance, files)
    return summary


def run(params: Params) -> None:
    """Publish every validated table with metrics, metadata, dataset card and report.

    The release is written to a staging folder and moved into outputs/ only once complete:
    a publish that fails (a full disk, a bad table) leaves the last good release in place
    (dvc.yaml declares publish's outputs `persist`, so DVC does not delete them first).
    """
    report = report_path(params, "validate")
    if not report.exists() or not json.loads(report.read_text()).get("ok"):
        raise StageError("publish: no passing validation report; run the validate stage first")
    final = params.paths.outputs
    staging = final / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # left by a publish that was killed
    try:
        staged = dataclasses.replace(
            params, paths=dataclasses.replace(params.paths, outputs=staging)
        )
        summary = build_release(staged)
        swap_in(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_run_log(params, "publish", run_record(params))
    log.info("publish: %s", ", ".join(f"{n} {summary.rows[n]}" for n in TABLES))
    if summary.manifest_problems:  # the last lines of `dvc repro`: a user sees them
        log.warning("%s", manifest_warning(summary.manifest_problems))
