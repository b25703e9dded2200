"""`chronicle`: the common chores from one command, with progress bars and plain errors.

    chronicle add FILE... [--title T] [--source-url U] [--published YYYY-MM-DD] [--licence L]
                          [--anchor-mode news|narrative] [--into SUBFOLDER] [--force]
    chronicle run [STAGE...]          # dvc repro, then the summary
    chronicle validate [FOLDER]       # check received tables against the schemas
    chronicle summary [FOLDER]        # what a published folder holds

Run it from the project folder (where params.yaml is); `validate` and `summary` work on any
folder of published tables, Parquet or CSV copies.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import pyarrow.parquet as pq
from tqdm import tqdm

from pipeline.core.config import DEFAULT_PARAMS, ParamsError, load_params
from pipeline.core.io import atomic_open, from_arrow
from pipeline.core.release import csv_path, parquet_path
from pipeline.load import LoadError, read_arrow, table_file
from pipeline.publish.summary import Summary
from schemas import TABLES


class CliError(Exception):
    """A problem to tell the user in one line, without a traceback."""


# --- add ------------------------------------------------------------------------------------


def read_manifest_rows(manifest: Path) -> list[dict[str, str]]:
    """The manifest's rows (empty when there is no manifest yet)."""
    from pipeline.ingest.manifest import MANIFEST_COLUMNS

    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        unknown = sorted(set(reader.fieldnames or ()) - set(MANIFEST_COLUMNS))
        if unknown or "path" not in (reader.fieldnames or ()):
            raise CliError(
                f"{manifest}: columns must be {', '.join(MANIFEST_COLUMNS)}; unknown: {unknown}"
            )
        return [{k: v or "" for k, v in row.items()} for row in reader]


def write_manifest_rows(manifest: Path, rows: list[dict[str, str]]) -> None:
    """Rewrite the manifest atomically with every known column."""
    from pipeline.ingest.manifest import MANIFEST_COLUMNS

    with atomic_open(manifest) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(MANIFEST_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in MANIFEST_COLUMNS} for row in rows)


def manifest_row(relative: str, args: argparse.Namespace) -> dict[str, str]:
    """The manifest row for one added file, checked as ingest will check it."""
    from pipeline.ingest.manifest import parse_manifest_row
    from pipeline.ingest.report import RejectError

    row = {
        "path": relative,
        "title": args.title or "",
        "source_url": args.source_url or "",
        "published": args.published or "",
        "licence": args.licence or "",
        "anchor_mode": args.anchor_mode or "",
    }
    try:
        parse_manifest_row(row)
    except RejectError as err:
        raise CliError(f"--published/--anchor-mode for {err.detail}") from err
    return row


def add(args: argparse.Namespace) -> int:
    """Copy files into raw/ and record them in the manifest."""
    from pipeline.ingest.discover import MEDIA_TYPES

    params = load_params(args.params)
    raw, manifest = params.paths.raw, params.ingest.manifest
    into = PurePosixPath(args.into or ".")
    if into.is_absolute() or ".." in into.parts:
        raise CliError(f"--into {args.into}: must be a folder inside {raw}/")
    sources = [Path(f) for f in args.files]
    for source in sources:
        if not source.is_file():
            raise CliError(f"{source}: no such file")
        if source.suffix.lower() not in MEDIA_TYPES:
            raise CliError(
                f"{source}: Chronicle reads {', '.join(sorted(MEDIA_TYPES))} files; "
                "this one would be rejected (unsupported_type)"
            )
    plan = [(source, (into / source.name).as_posix()) for source in sources]
    new_rows = {relative: manifest_row(relative, args) for _, relative in plan}
    for source, relative in plan:
        target = raw / relative
        if target.exists() and not args.force and target.read_bytes() != source.read_bytes():
            raise CliError(f"{target} exists with other content; use --force to replace it")
    rows = read_manifest_rows(manifest)
    by_path = {row["path"]: row for row in rows}
    added = 0
    for source, relative in tqdm(plan, desc="adding", unit="file", disable=len(plan) < 2):
        target = raw / relative
        if not target.exists() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            added += 1
        row = new_rows[relative]
        if relative in by_path:
            by_path[relative].update({k: v for k, v in row.items() if v})
        else:
            rows.append(row)
            by_path[relative] = row
    write_manifest_rows(manifest, rows)
    print(
        f"{added} file(s) copied into {raw}/, {len(sources)} described in {manifest}. "
        "Next: chronicle run"
    )
    return 0


# --- run ------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """`dvc repro` (the stages given, or all), then the summary of what was published."""
    result = subprocess.run([sys.executable, "-m", "dvc", "repro", *args.stages])
    if result.returncode != 0:
        raise CliError(
            f"dvc repro failed (exit {result.returncode}); the messages above say "
            "which stage and why"
        )
    params = load_params(args.params)
    print()
    print(format_summary(summarise(params.paths.outputs)))
    return 0


# --- validate -------------------------------------------------------------------------------


def _available_format(folder: Path, name: str) -> str | None:
    for fmt in ("parquet", "csv"):
        if table_file(folder, name, fmt).exists():
            return fmt
    return None


def integrity_problems(folder: Path) -> list[str]:
    """Files whose size or sha256 differ from datapackage.json / croissant.json."""
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
    problems = []
    for relative, sha256 in sorted(expected.items()):
        path = folder / relative
        if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
            problems.append(
                f"{relative}: sha256 differs from the metadata (changed or "
                "damaged after publishing)"
            )
    return problems


def validate(args: argparse.Namespace) -> int:
    """Check a folder of published tables: schemas, keys, offsets, and file checksums."""
    from pipeline.validate.stage import validate as validate_tables

    folder = Path(args.folder)
    if not folder.is_dir():
        raise CliError(f"{folder}: no such folder")
    missing = [n for n in TABLES if _available_format(folder, n) is None]
    if missing:
        raise CliError(
            f"{folder}: missing table(s) {', '.join(missing)} (looked for "
            f"{parquet_path(missing[0])} and {csv_path(missing[0])})"
        )
    problems = integrity_problems(folder)
    tables = {}
    for name in tqdm(TABLES, desc="reading", unit="table"):
        try:
            tables[name] = from_arrow(read_arrow(name, folder, _available_format(folder, name)))
        except LoadError as err:
            problems.append(str(err))
    if len(tables) == len(TABLES):
        problems += [str(f) for f in validate_tables(tables, min_rows={})]
    if problems:
        print(f"{folder}: {len(problems)} problem(s)\n", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    rows = ", ".join(f"{n} {len(f)}" for n, f in tables.items())
    print(f"{folder}: valid ({rows})")
    return 0


# --- summary --------------------------------------------------------------------------------


def summarise(folder: Path, top: int = 10) -> Summary:
    """Stream a published folder's tables into a Summary."""
    summary = Summary(top_entities=top, max_documents=0, max_rejects=0)
    for name in tqdm(TABLES, desc="reading", unit="table", leave=False):
        fmt = _available_format(folder, name)
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
    """The summary in a few lines of text."""
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
    return "\n".join(lines)


def summary(args: argparse.Namespace) -> int:
    """Print what a published folder holds."""
    folder = Path(args.folder)
    if not folder.is_dir():
        raise CliError(f"{folder}: no such folder")
    print(format_summary(summarise(folder, args.top)))
    return 0


# --- entry point ----------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    """The command line."""
    top = argparse.ArgumentParser(prog="chronicle", description=__doc__.splitlines()[0])
    top.add_argument(
        "--params", type=Path, default=DEFAULT_PARAMS, help="params file (default: params.yaml)"
    )
    commands = top.add_subparsers(dest="command", required=True)

    p = commands.add_parser(
        "add", help="copy documents into raw/ and describe them in the manifest"
    )
    p.add_argument("files", nargs="+", help=".txt, .md or .html files")
    p.add_argument("--title")
    p.add_argument("--source-url")
    p.add_argument("--published", help="publication date, YYYY-MM-DD")
    p.add_argument("--licence")
    p.add_argument("--anchor-mode", choices=("news", "narrative"))
    p.add_argument("--into", help="subfolder of raw/ to copy into")
    p.add_argument("--force", action="store_true", help="replace a different file of the same name")
    p.set_defaults(func=add)

    p = commands.add_parser("run", help="build the dataset (dvc repro) and summarise it")
    p.add_argument("stages", nargs="*", help="stages to reproduce (default: all)")
    p.set_defaults(func=run)

    p = commands.add_parser(
        "validate", help="check a folder of published tables against the schemas"
    )
    p.add_argument("folder", nargs="?", default="outputs")
    p.set_defaults(func=validate)

    p = commands.add_parser("summary", help="what a folder of published tables holds")
    p.add_argument("folder", nargs="?", default="outputs")
    p.add_argument("--top", type=int, default=10, help="most-mentioned entities to list")
    p.set_defaults(func=summary)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; expected problems print one line and exit 1 (usage errors exit 2)."""
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, ParamsError, LoadError, FileNotFoundError) as err:
        print(f"chronicle {args.command}: error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
