"""Stage 1, ingest: every file under raw/ becomes a document or a reject, never nothing.

A document row is a file's cleaned text plus its manifest metadata. Files with the same bytes
are one document (one `doc_id`) that records all their paths. Everything else is a row of the
rejects table with a reason, and `report.json` counts both, so that inputs seen = files in
documents + files rejected always holds (the stage checks it).

The stage streams, in two passes, so memory holds one batch of documents and never the corpus:
1. list every file under raw/ and hash it in chunks, keeping only its path and sha256
   (`discover`);
2. read, decode and clean one document at a time, in doc_id order (`read`), and append it to
   `texts.parquet` in row groups of `ingest.batch_size` documents.
Processing in doc_id order makes the output independent of the order the file system lists
files in, so re-runs give byte-identical tables. A document read once is kept in the stage's
cache (`store`), under its bytes' sha256, path and manifest row: a re-run decodes, cleans and
detects the language of new or changed files only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core import cache
from pipeline.core.config import EngineParams, IngestParams, Params
from pipeline.core.engine import LOCAL
from pipeline.core.io import PARQUET_OPTIONS, atomic_path, write_rows
from pipeline.core.stage import (
    StageError,
    cache_path,
    log,
    table_path,
    texts_path,
    write_report,
    write_run_log,
)
from pipeline.ingest.discover import Found, Stamp, current_sha256, scan, stamps
from pipeline.ingest.manifest import Manifest, ManifestEntry, manifest_exists, read_manifest
from pipeline.ingest.read import Group, Outcome, group_copies, read_groups, read_in_processes
from pipeline.ingest.report import RejectError, Report
from pipeline.ingest.store import cached_document, stage_version, store_document, usable_entries
from schemas import TABLES, arrow_schema

if TYPE_CHECKING:
    import pandas as pd

NLP_COLUMNS = ("n_sentences", "model")
"""Documents columns that the nlp stage adds."""

ROW_GROUP_MAX_CHARS = 64_000_000
"""A row group is written once it holds this many characters, even before ingest.batch_size
documents: memory stays bounded, and an Arrow string array stays far below its 2 GB limit."""


# --- documents, in doc_id order --------------------------------------------------------------


@dataclass
class Inputs:
    """Every input file, grouped by bytes, and what they were when the stage began."""

    groups: list[Group]
    stamps: dict[str, Stamp]
    manifest_sha256: str | None


def refuse_conflicts(found: list[Found], manifest: Manifest, name: str, report: Report) -> None:
    """Refuse every row of files with the same bytes whose rows differ; they keep no metadata.

    Files with the same bytes are one document, which carries one row's metadata: taking either
    row would publish one copy's licence or title as the other's ("CC-BY-4.0" for a copy that
    says "All rights reserved"). So each such row becomes a manifest_error reject naming the
    other copies and what differs, and the document carries no manifest metadata until the rows
    agree. Rows that agree are kept.
    """
    described: dict[str, list[str]] = {}
    for item in found:
        if item.path in manifest.entries:
            described.setdefault(item.sha256, []).append(item.path)
    for paths in described.values():
        entries = [manifest.entries[path] for path in paths]
        if len(set(entries)) < 2:
            continue
        differ = [
            f.name for f in fields(ManifestEntry) if len({getattr(e, f.name) for e in entries}) > 1
        ]
        for path in paths:
            others = ", ".join(f"{p} (line {manifest.lines[p]})" for p in paths if p != path)
            detail = (
                f"{path} has the same bytes as {others}, but its {' and '.join(differ)} differ: "
                "the document carries neither row until the rows agree"
            )
            report.reject(
                f"{name} line {manifest.lines[path]}", None, RejectError("manifest_error", detail)
            )
        for path in paths:
            del manifest.entries[path], manifest.lines[path]


def check_raw_dir(raw_dir: Path) -> None:
    """A raw folder that is missing, or not a folder, stops the run naming its param."""
    if not raw_dir.is_dir():
        what = "is not a folder" if raw_dir.exists() else "does not exist"
        raise StageError(
            f"ingest: paths.raw is {raw_dir}/, which {what}: create it and put the documents in "
            "it, or set paths.raw in params.yaml"
        )


def input_groups(raw_dir: Path, params: IngestParams, report: Report) -> Inputs:
    """Every input file, grouped by bytes in doc_id order, each group with its manifest entry.

    Files rejected unread and manifest rows that cannot be used are recorded in `report`.
    """
    check_raw_dir(raw_dir)
    try:
        manifest_exists(params.manifest)  # a link or a folder stops the run before the scan
        before = stamps(raw_dir, params)
        found = scan(raw_dir, params, report)
        manifest = read_manifest(
            params.manifest, [f.path for f in found] + [r["path"] for r in report.rejects], report
        )
    except RejectError as err:  # a manifest that cannot be read at all stops the run
        raise StageError(f"ingest: {err.detail}") from err
    refuse_conflicts(found, manifest, params.manifest.name, report)
    groups = [
        (copies, manifest.entries.get(copies[0].path, ManifestEntry()))
        for copies in group_copies(found, manifest.entries)
    ]
    return Inputs(groups, before, manifest.sha256)


def check_unchanged(raw_dir: Path, params: IngestParams, inputs: Inputs) -> None:
    """Stop the stage if an input changed while it ran, so that DVC records nothing.

    DVC hashes the inputs after the stage: had the stage succeeded, DVC would record the new
    bytes beside outputs made from the old ones, and no later `dvc repro` would redo them.
    Files read are hashed again; every entry of raw/ is compared by its stamp (size, time).
    """
    now = stamps(raw_dir, params)
    changed = {
        path
        for path in inputs.stamps.keys() | now.keys()
        if inputs.stamps.get(path) != now.get(path)
    }
    changed.update(
        copy.path
        for copies, _ in inputs.groups
        for copy in copies
        if current_sha256(copy.file) != copy.sha256
    )
    manifest_now = current_sha256(params.manifest) if params.manifest.is_file() else None
    if manifest_now != inputs.manifest_sha256:
        changed.add(str(params.manifest))
    if changed:
        names = sorted(changed)
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        raise StageError(
            f"ingest: {', '.join(names[:3])}{more} changed while ingest was running, so its "
            "outputs would not match them; nothing was written: run dvc repro again"
        )


def outcome_of(
    group: Group,
    read: Iterator[Outcome],
    cached: set[str],
    store: cache.DocCache | None,
    params: IngestParams,
) -> Outcome:
    """A group's document or rejection: from the cache if `cached`, else the next one `read`.

    A document read now is added to the store.
    """
    copies, entry = group
    if store is not None and copies[0].sha256 in cached:
        document = cached_document(store, copies)
        if document is not None:
            return document, None
        outcome = read_groups(params, [[group]])[0]  # its entry was damaged: read here
    else:
        outcome = next(read)
    if store is not None and outcome[0] is not None:
        store_document(store, copies, entry, outcome[0])
    return outcome


def record(report: Report, copies: list[Found], outcome: Outcome) -> dict | None:
    """A group's document row, counted in `report`; or None, every copy recorded as rejected."""
    document, rejected = outcome
    if rejected is not None:
        reason, detail = rejected
        for copy in copies:
            also = f" (same bytes as {copies[0].path})" if copy is not copies[0] else ""
            report.reject(copy.path, copy.sha256, RejectError(reason, detail + also))
        return None
    assert document is not None
    document.row["paths"] = sorted(copy.path for copy in copies)
    report.document(document.row, document.examples)
    return document.row


def documents(
    raw_dir: Path,
    params: IngestParams,
    report: Report,
    processes: int = 1,
    store: cache.DocCache | None = None,
    engine: EngineParams = LOCAL,
) -> Iterator[dict]:
    """Every document row under raw_dir, in doc_id order; rejects are recorded in `report`.

    Files are read, cleaned and their language detected on the `engine`: in `processes`
    local processes (for a corpus large enough to be worth it) or as Dask tasks; the rows
    come back in order. With a `store`, files read by an earlier run come from it, and
    those read now are added to it.
    """
    inputs = input_groups(raw_dir, params, report)
    groups = inputs.groups
    cached = usable_entries(store, groups)
    todo = [group for group in groups if group[0][0].sha256 not in cached]
    read = read_in_processes(params, todo, processes, engine)
    for group in groups:
        row = record(report, group[0], outcome_of(group, read, cached, store, params))
        if row is not None:
            yield row
    if next(read, None) is not None:
        raise AssertionError("ingest: more files read than documents written")
    check_unchanged(raw_dir, params, inputs)
    report.check_nothing_lost()


# --- writing ---------------------------------------------------------------------------------


def texts_schema() -> pa.Schema:
    """Arrow schema of texts.parquet: the documents table without the nlp columns."""
    schema = arrow_schema(TABLES["documents"])
    for name in NLP_COLUMNS:
        schema = schema.remove(schema.get_field_index(name))
    return schema


def batches(rows: Iterable[dict], batch_size: int) -> Iterator[list[dict]]:
    """Rows in batches of `batch_size`, cut early once a batch holds ROW_GROUP_MAX_CHARS."""
    batch: list[dict] = []
    chars = 0
    for row in rows:
        batch.append(row)
        chars += row["n_chars"]
        if len(batch) >= batch_size or chars >= ROW_GROUP_MAX_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def write_texts(rows: Iterable[dict], target: Path, batch_size: int) -> None:
    """Stream rows into one Parquet file, a row group per batch, atomically (temp, then rename)."""
    schema = texts_schema()
    with atomic_path(target) as tmp, pq.ParquetWriter(tmp, schema, **PARQUET_OPTIONS) as writer:
        for batch in batches(rows, batch_size):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def rejects_frame(report: Report) -> pd.DataFrame:
    """The rejects table."""
    import pandas as pd

    return pd.DataFrame(report.rejects, columns=["path", "sha256", "reason", "detail"])


@dataclass
class Ingested:
    """Everything ingest produces, in memory (for tests and small corpora)."""

    texts: pd.DataFrame
    rejects: pd.DataFrame
    report: Report


def ingest(raw_dir: Path, params: IngestParams) -> Ingested:
    """Read every file under raw_dir into memory: texts, rejects and the report."""
    import pandas as pd

    report = Report()
    columns = texts_schema().names
    texts = pd.DataFrame(list(documents(raw_dir, params, report)), columns=columns)
    return Ingested(texts, rejects_frame(report), report)


def log_summary(report: Report) -> None:
    """Say what became of the inputs, and why each reject was rejected."""
    log.info(
        "ingest: %d inputs -> %d documents (from %d files), %d rejected files, "
        "%d rejected manifest rows",
        report.inputs,
        report.documents,
        report.document_files,
        report.rejected_files,
        len(report.rejects) - report.rejected_files,
    )
    for row in report.rejects:
        log.warning("rejected %r (%s): %s", row["path"], row["reason"], row["detail"])
    if report.news_without_published:
        log.warning(
            "%d documents in news mode have no published date, so their relative dates "
            "('yesterday') cannot be resolved: give `published` in the manifest (e.g. %s)",
            len(report.news_without_published),
            ", ".join(report.news_without_published[:3]),
        )


def run(params: Params) -> None:
    """Read raw/, write the texts for the nlp stage, the rejects table and the report."""
    report = Report()
    store = cache.DocCache(cache_path(params, "ingest"), stage_version(params.ingest))
    write_texts(
        documents(
            params.paths.raw, params.ingest, report, params.nlp.processes, store, params.engine
        ),
        texts_path(params),
        params.ingest.batch_size,
    )
    store.pack()
    write_run_log(params, "ingest", {"cache": store.counts()})
    write_rows(report.rejects, TABLES["rejects"], table_path(params, "rejects"))
    write_report(params, "ingest", report.as_dict())
    log_summary(report)
