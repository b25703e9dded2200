"""Stage 1, ingest: every file under raw/ becomes a document or a reject, never nothing.

A document row is a file's cleaned text plus its manifest metadata. Files with the same bytes
are one document (one `doc_id`) that records all their paths. Everything else is a row of the
rejects table with a reason, and `report.json` counts both, so that inputs seen = files in
documents + files rejected always holds (the stage checks it).

The stage streams, so memory holds one document or one row group and never the corpus:
1. list every file under raw/ and hash it in chunks, keeping only its path and sha256
   (`discover`); a file whose stamp is as the last run recorded it keeps its hash
   (`hashes`), so an edit re-run reads the bytes of the files it changed only;
2. read, decode and clean the files its cache lacks, one document at a time (`read`), into the
   cache (`store`), under the bytes' sha256, with the paths and manifest row it was read with;
3. write `texts.parquet` from the cache's fragments (`pipeline.core.cache.Fragments`), in
   doc_id order, in row groups of `ingest.batch_size` documents, and the report from the
   counts kept beside them.
Writing in doc_id order makes the output independent of the order the file system lists
files in, so re-runs give byte-identical tables; a re-run decodes, cleans and detects the
language of new or changed files only, and decodes no cached document.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core import cache
from pipeline.core.config import EngineParams, IngestParams, Params
from pipeline.core.engine import LOCAL
from pipeline.core.io import TableWriter, plain_schema, write_rows
from pipeline.core.stage import (
    StageError,
    cache_path,
    log,
    table_path,
    texts_path,
    write_report,
    write_run_log,
)
from pipeline.ingest.discover import Found, current_sha256, scan, stamps
from pipeline.ingest.hashes import KnownHashes, Stamp, read_known, verified, write_known
from pipeline.ingest.manifest import Manifest, ManifestEntry, manifest_exists, read_manifest
from pipeline.ingest.read import Group, group_copies, read_in_processes
from pipeline.ingest.report import REPORT_SCHEMAS, RejectError, Report
from pipeline.ingest.store import stage_version, store_document, usable_entries
from schemas import TABLES, arrow_schema

if TYPE_CHECKING:
    import pandas as pd

NLP_COLUMNS = ("n_sentences", "model")
"""Documents columns that the nlp stage adds."""

# --- documents, in doc_id order --------------------------------------------------------------


@dataclass
class Inputs:
    """Every input file, grouped by bytes, and what they were when the stage began."""

    groups: list[Group]
    stamps: dict[str, Stamp]
    hashed: set[str]
    """Paths of the files hashed by this run; the others' hashes came from the last run's."""
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


def input_groups(
    raw_dir: Path, params: IngestParams, report: Report, known: KnownHashes | None = None
) -> Inputs:
    """Every input file, grouped by bytes in doc_id order, each group with its manifest entry.

    Files rejected unread and manifest rows that cannot be used are recorded in `report`.
    A file whose hash `known` vouches for is not read.
    """
    check_raw_dir(raw_dir)
    try:
        manifest_exists(params.manifest)  # a link or a folder stops the run before the scan
        scanned = scan(raw_dir, params, report, known)
        found = scanned.found
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
    return Inputs(groups, scanned.stamps, scanned.hashed, manifest.sha256)


def check_unchanged(raw_dir: Path, params: IngestParams, inputs: Inputs) -> KnownHashes:
    """Stop the stage if an input changed while it ran, so that DVC records nothing.

    DVC hashes the inputs after the stage: had the stage succeeded, DVC would record the new
    bytes beside outputs made from the old ones, and no later `dvc repro` would redo them.
    Files this run hashed are hashed again; every entry of raw/ is compared by its stamp
    (`hashes.STAMP_FIELDS`), which is what vouched for the hashes taken from the last run.
    Returns the hashes of every file, as checked from the moment the check began (for the
    next run: `hashes`).
    """
    checked_ns = time.time_ns()
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
        if copy.path in inputs.hashed and current_sha256(copy.file) != copy.sha256
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
    found = [copy for copies, _ in inputs.groups for copy in copies]
    return verified(raw_dir, found, inputs.stamps, checked_ns)


def record_rejected(report: Report, copies: list[Found], rejected: tuple[str, str]) -> None:
    """Record every copy of a group that could not be read as rejected."""
    reason, detail = rejected
    for copy in copies:
        also = f" (same bytes as {copies[0].path})" if copy is not copies[0] else ""
        report.reject(copy.path, copy.sha256, RejectError(reason, detail + also))


def read_new(
    raw_dir: Path,
    params: IngestParams,
    report: Report,
    store: cache.DocCache,
    processes: int = 1,
    engine: EngineParams = LOCAL,
) -> tuple[list[str], KnownHashes]:
    """Read the files the store lacks into it; the keys of every document, in doc_id order.

    Files are read, cleaned and their language detected on the `engine`: in `processes`
    local processes (for a corpus large enough to be worth it) or as Dask tasks. A file read
    by an earlier run is not read again: its entry, and its rows in the store's fragments,
    stay, and a file whose stamp is as the last run recorded it is not even hashed (the
    hashes it returns are for the next run). Rejects are recorded in `report`.
    """
    inputs = input_groups(raw_dir, params, report, read_known(store.run_record("hashes"), raw_dir))
    cached = usable_entries(store, inputs.groups)
    todo = [group for group in inputs.groups if group[0][0].sha256 not in cached]
    kept = set(cached)
    for (copies, entry), (document, rejected) in zip(
        todo, read_in_processes(params, todo, processes, engine), strict=True
    ):
        if rejected is not None:
            record_rejected(report, copies, rejected)
            continue
        assert document is not None
        document.row["paths"] = sorted(copy.path for copy in copies)
        store_document(store, copies, entry, document)
        kept.add(copies[0].sha256)
    checked = check_unchanged(raw_dir, params, inputs)
    return [copies[0].sha256 for copies, _ in inputs.groups if copies[0].sha256 in kept], checked


# --- writing ---------------------------------------------------------------------------------


def texts_schema() -> pa.Schema:
    """Arrow schema of texts.parquet: the documents table without the nlp columns."""
    schema = arrow_schema(TABLES["documents"])
    for name in NLP_COLUMNS:
        schema = schema.remove(schema.get_field_index(name))
    return schema


def document_rows(key: str, parts: Iterator[bytes]) -> dict[str, list[dict]]:
    """One document's row of the texts, and what the report counts of it (`Report.document`)."""
    _, data = parts
    document = cache.load_json(data)
    one = Report()
    one.document(document["row"], document["examples"])
    return {"texts": [document["row"]], **one.document_rows()}


FRAGMENTS = cache.Fragments(
    {"texts": plain_schema(texts_schema()), **REPORT_SCHEMAS}, document_rows
)
"""The texts and the report's counts are kept per cache shard (`cache.Fragments`)."""


def write_texts(store: cache.DocCache, target: Path, batch_size: int, report: Report) -> None:
    """Write the texts from the store's fragments.

    A row group holds `batch_size` documents (or `BYTES_PER_GROUP` of text). The documents'
    counts are added to `report`.
    """
    counted: dict[str, list[pa.Table]] = {name: [] for name in REPORT_SCHEMAS}
    with TableWriter(texts_schema(), target, rows_per_group=batch_size) as out:
        for fragments in store.tables():
            out.write_table(fragments["texts"])
            for name in counted:
                counted[name].append(fragments[name])
    report.add_document_rows(
        {
            name: pa.concat_tables(tables or [REPORT_SCHEMAS[name].empty_table()])
            for name, tables in counted.items()
        }
    )


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
    with tempfile.TemporaryDirectory() as tmp:
        store = cache.DocCache(Path(tmp) / "cache", stage_version(params), FRAGMENTS)
        ingest_into(raw_dir, params, report, store, Path(tmp) / "texts.parquet")
        rows = pq.read_table(Path(tmp) / "texts.parquet").to_pylist()
    texts = pd.DataFrame(rows, columns=texts_schema().names)
    return Ingested(texts, rejects_frame(report), report)


def ingest_into(
    raw_dir: Path,
    params: IngestParams,
    report: Report,
    store: cache.DocCache,
    target: Path,
    processes: int = 1,
    engine: EngineParams = LOCAL,
) -> None:
    """Read what is new under raw_dir into the store, then write the texts to `target`.

    Once all went well, the files' hashes are recorded for the next run (`DocCache.run_record`).
    """
    keys, checked = read_new(raw_dir, params, report, store, processes, engine)
    store.finish(keys)
    write_texts(store, target, params.batch_size, report)
    report.check_nothing_lost()
    write_known(store.run_record("hashes"), checked)


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
    store = cache.DocCache(cache_path(params, "ingest"), stage_version(params.ingest), FRAGMENTS)
    for attempt in (1, 2):
        report = Report()
        try:
            ingest_into(
                params.paths.raw,
                params.ingest,
                report,
                store,
                texts_path(params),
                params.nlp.processes,
                params.engine,
            )
            break
        except cache.CorruptEntryError as err:
            if attempt == 2:
                raise StageError(
                    f"ingest: the cache stays damaged ({err}): delete {store.root} and run again"
                ) from err
            log.warning("ingest: %s; reading the files of damaged entries again", err)
    write_run_log(params, "ingest", {"cache": store.counts()})
    write_rows(report.rejects, TABLES["rejects"], table_path(params, "rejects"))
    write_report(params, "ingest", report.as_dict())
    log_summary(report)
