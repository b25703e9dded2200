"""`chronicle validate` and `chronicle summary`: read a folder of published tables."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.common import CliError, Command, output_folder
from pipeline.core.progress import progress

if TYPE_CHECKING:
    from pipeline.publish.summary import Summary

FOLDER = click.argument("folder", required=False, type=click.Path(path_type=Path))
"""A folder of published tables; params.yaml `paths.outputs` when not given."""


def available_format(folder: Path, name: str) -> str | None:
    """`parquet` or `csv`: the first format a table is found in, if any."""
    from pipeline.load import table_file

    for fmt in ("parquet", "csv"):
        if table_file(folder, name, fmt).exists():
            return fmt
    return None


def expected_digests(folder: Path) -> dict[str, str]:
    """The sha256 of each file, as datapackage.json and croissant.json state them."""
    expected: dict[str, str] = {}
    package = folder / "datapackage.json"
    if package.exists():
        for resource in json.loads(package.read_text(encoding="utf-8")).get("resources", []):
            if str(resource.get("hash", "")).startswith("sha256:"):
                expected[resource["path"]] = resource["hash"].removeprefix("sha256:")
    croissant = folder / "croissant.json"
    if croissant.exists():
        for item in json.loads(croissant.read_text(encoding="utf-8")).get("distribution", []):
            if item.get("sha256") and item.get("contentUrl"):
                expected[item["contentUrl"]] = item["sha256"]
    return expected


def integrity_problems(folder: Path) -> list[str]:
    """Files whose sha256 differs from datapackage.json / croissant.json."""
    problems = []
    for relative, sha256 in sorted(expected_digests(folder).items()):
        path = folder / relative
        if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            problems.append(
                f"{relative}: sha256 differs from the metadata (changed or "
                "damaged after publishing)"
            )
    return problems


@click.command(cls=Command)
@FOLDER
@click.pass_context
def validate(ctx: click.Context, folder: Path | None) -> None:
    """Check published tables against the schemas.

    FOLDER (default: params.yaml `paths.outputs`) holds the tables as Parquet or as CSV
    copies; their keys, links and offsets are checked, and the checksums its metadata states.
    """
    from pipeline.core.io import from_arrow
    from pipeline.core.release import csv_path, parquet_path
    from pipeline.load import LoadError, read_arrow
    from pipeline.validate.stage import validate as validate_tables
    from schemas import TABLES

    folder = output_folder(ctx, folder)
    missing = [n for n in TABLES if available_format(folder, n) is None]
    if missing:
        raise CliError(
            f"{folder}: missing table(s) {', '.join(missing)} (looked for "
            f"{parquet_path(missing[0])} and {csv_path(missing[0])})"
        )
    problems = integrity_problems(folder)
    tables = {}
    for name in progress(TABLES, len(TABLES), "reading", "table"):
        try:
            tables[name] = from_arrow(read_arrow(name, folder, available_format(folder, name)))
        except LoadError as err:
            problems.append(str(err))
    if len(tables) == len(TABLES):
        problems += [str(f) for f in validate_tables(tables, min_rows={})]
    if problems:
        click.echo(f"{folder}: {len(problems)} problem(s)\n", err=True)
        click.echo("\n".join(problems), err=True)
        ctx.exit(1)
    rows = ", ".join(f"{n} {len(f)}" for n, f in tables.items())
    click.echo(f"{folder}: valid ({rows})")


def summarise(folder: Path, top: int = 10) -> Summary:
    """Stream a published folder's tables into a Summary."""
    import pyarrow.parquet as pq

    from pipeline.core.release import csv_path, parquet_path
    from pipeline.load import read_arrow, table_file
    from pipeline.publish.summary import Summary
    from schemas import TABLES

    summary = Summary(top_entities=top, max_documents=0, max_rejects=0)
    for name in progress(TABLES, len(TABLES), "reading", "table"):
        fmt = available_format(folder, name)
        if fmt is None:
            raise CliError(
                f"{folder}: table {name} not found ({parquet_path(name)} or {csv_path(name)})"
            )
        summary.begin(name)
        if fmt == "parquet":
            reader = pq.ParquetFile(table_file(folder, name, fmt), pre_buffer=False)
            for batch in reader.iter_batches(use_threads=False):
                summary.add(name, batch)
        else:
            summary.add(name, read_arrow(name, folder, fmt))
    return summary


def format_summary(summary: Summary) -> str:
    """The summary in a few lines of text, ending with the manifest rows that were not used."""
    from pipeline.publish.summary import manifest_warning
    from schemas import TABLES

    lines = ["rows: " + ", ".join(f"{n} {summary.rows[n]}" for n in TABLES)]
    span = summary.date_range
    lines.append(
        f"dated events: {summary.rows['events']}"
        + (f", from {span[0].isoformat()} to {span[1].isoformat()}" if span else "")
    )
    for title, table, column in (
        ("events per precision", "events", "precision"),
        ("entities per label", "entities", "label"),
        ("rejects per reason", "rejects", "reason"),
    ):
        counts = summary.counts(table, column)
        lines.append(f"{title}: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "none"))
    if summary.entities:
        lines.append(
            "most mentioned: "
            + ", ".join(f"{e.name} ({e.label}, {e.n_mentions})" for e in summary.entities)
        )
    if summary.manifest_problems:
        lines.append(manifest_warning(summary.manifest_problems))
    return "\n".join(lines)


@click.command(cls=Command)
@FOLDER
@click.option("--top", default=10, show_default=True, help="Most-mentioned entities to list.")
@click.pass_context
def summary(ctx: click.Context, folder: Path | None, top: int) -> None:
    """What a folder of published tables holds.

    FOLDER defaults to params.yaml `paths.outputs`.
    """
    from pipeline.load import LoadError

    folder = output_folder(ctx, folder)
    try:
        click.echo(format_summary(summarise(folder, top)))
    except LoadError as err:
        raise CliError(str(err)) from err
