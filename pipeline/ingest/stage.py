"""Stage 1, ingest: every file under raw/ becomes a document or a reject, never nothing.

A document row is a file's cleaned text plus its manifest metadata. Files with the same bytes
are one document (one `doc_id`) that records all their paths. Everything else is a row of the
rejects table with a reason, and `report.json` counts both, so that inputs seen = files in
documents + files rejected always holds (the stage checks it).

The stage streams, in two passes, so memory holds one batch of documents and never the corpus:
1. list every file under raw/ and hash it in chunks, keeping only its path and sha256;
2. read, decode and clean one document at a time, in doc_id order, and append it to
   `texts.parquet` in row groups of `ingest.batch_size` documents.
Processing in doc_id order makes the output independent of the order the file system lists
files in, so re-runs give byte-identical tables. A document read once is kept in the stage's
cache (`paths.cache`/ingest), under its bytes' sha256, path and manifest row: a re-run decodes,
cleans and detects the language of new or changed files only.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import io
import os
import stat
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core import cache, ids
from pipeline.core.codedeps import code_paths
from pipeline.core.config import IngestParams, Params
from pipeline.core.io import PARQUET_OPTIONS, atomic_path, write_rows
from pipeline.core.parallel import chunked, map_chunks
from pipeline.core.stage import (
    StageError,
    cache_path,
    log,
    table_path,
    texts_path,
    write_report,
    write_run_log,
)
from pipeline.ingest.decoding import RejectError, decode, html_to_text
from pipeline.ingest.language import ENGLISH_OR_UNKNOWN, detect_language
from pipeline.ingest.repairs import clean_characters, english_words, repair_english_words
from schemas import TABLES, arrow_schema

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RejectError", "ingest", "read_document", "run"]

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}
"""File extensions read as documents, and what kind of text each holds."""

MANIFEST_COLUMNS = ("path", "title", "source_url", "published", "licence", "anchor_mode")

NLP_COLUMNS = ("n_sentences", "model")
"""Documents columns that the nlp stage adds."""

MAX_BYTES_PER_CHAR = 4
"""Most bytes one character takes in a supported encoding (UTF-8, UTF-32): a file larger than
4 × ingest.max_chars bytes is too long whatever its encoding, and is rejected unread."""

HASH_CHUNK = 1 << 20
"""Bytes read at a time when hashing: memory stays flat whatever the file size."""

ROW_GROUP_MAX_CHARS = 64_000_000
"""A row group is written once it holds this many characters, even before ingest.batch_size
documents: memory stays bounded, and an Arrow string array stays far below its 2 GB limit."""

MAX_REPORT_EXAMPLES = 10
"""Examples of each kind of repair kept in report.json, for a reader to check."""


# --- what was found, what became of it -------------------------------------------------------


@dataclass(frozen=True)
class ManifestEntry:
    """Metadata the user gave for one file in raw/manifest.csv."""

    title: str | None = None
    source_url: str | None = None
    published: dt.date | None = None
    licence: str | None = None
    anchor_mode: str | None = None


@dataclass(frozen=True)
class Found:
    """A readable regular file with a supported extension: its path under raw/ and its hash."""

    path: str
    file: Path
    sha256: str


@dataclass
class Report:
    """What ingest did with its inputs; saved as report.json, gathered into metrics.json."""

    inputs: int = 0
    document_files: int = 0
    documents: int = 0
    manifest_rows: int = 0
    rejects: list[dict] = field(default_factory=list)
    repairs: Counter[str] = field(default_factory=Counter)
    repaired_documents: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def reject(self, path: str, sha256: str | None, err: RejectError) -> None:
        """Record one rejected file (or manifest row)."""
        self.rejects.append(
            {"path": path, "sha256": sha256, "reason": err.reason, "detail": err.detail}
        )

    def document(self, row: dict, examples: dict[str, list[str]]) -> None:
        """Count one document and what was repaired in it."""
        self.documents += 1
        self.document_files += len(row["paths"])
        self.languages[row["language"]] += 1
        self.encodings[row["encoding"]] += 1
        for entry in row["repairs"]:
            name, _, n = entry.rpartition(":")
            self.repairs[name] += int(n)
            self.repaired_documents[name] += 1
        for name, found in examples.items():
            kept = self.examples.setdefault(name, [])
            kept.extend(f"{row['path']}: {e}" for e in found[: MAX_REPORT_EXAMPLES - len(kept)])

    @property
    def rejected_files(self) -> int:
        """Rejects that are files (the others are manifest rows)."""
        return sum(1 for r in self.rejects if r["reason"] != "manifest_error")

    def check_nothing_lost(self) -> None:
        """Every input is in documents or rejects; raise if the counts disagree (a bug)."""
        if self.inputs != self.document_files + self.rejected_files:
            raise RuntimeError(
                f"ingest lost files: {self.inputs} inputs, {self.document_files} "
                f"in documents, {self.rejected_files} rejected"
            )

    def as_dict(self) -> dict:
        """The counts as JSON-ready data (sorted keys, so the file is stable)."""
        return {
            "inputs": self.inputs,
            "documents": self.documents,
            "document_files": self.document_files,
            "duplicate_files": self.document_files - self.documents,
            "rejected_files": self.rejected_files,
            "manifest_rows": self.manifest_rows,
            "manifest_rows_rejected": len(self.rejects) - self.rejected_files,
            "rejects_by_reason": dict(Counter(r["reason"] for r in self.rejects)),
            "repairs": dict(self.repairs),
            "repaired_documents": dict(self.repaired_documents),
            "languages": dict(self.languages),
            "encodings": dict(self.encodings),
            "repair_examples": self.examples,
        }


# --- listing raw/ ----------------------------------------------------------------------------


def printable(relative: str) -> str:
    r"""A path as text: bytes that are not UTF-8 in a file name are shown as \\xNN escapes."""
    return os.fsencode(relative).decode("utf-8", errors="backslashreplace")


def walk(raw_dir: Path, skip: Path | None) -> Iterator[tuple[str, Path, OSError | None]]:
    """Every file under raw_dir as (path relative to raw_dir, path, error), sorted by path.

    Hidden and symbolically linked folders are yielded themselves (with a trailing /) and not
    entered, and a folder that cannot be listed is yielded with its error, so that each of them
    can be reported instead of silently skipped. `skip` (the manifest) is left out.
    """
    found: list[tuple[str, Path, OSError | None]] = []
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(raw_dir, onerror=errors.append):
        here = Path(dirpath)
        for name in list(dirnames):
            if name.startswith(".") or (here / name).is_symlink():
                dirnames.remove(name)
                found.append(
                    (f"{(here / name).relative_to(raw_dir).as_posix()}/", here / name, None)
                )
        for name in filenames:
            path = here / name
            if skip is None or name != skip.name or path.resolve() != skip:
                found.append(((path.relative_to(raw_dir)).as_posix(), path, None))
    for err in errors:
        path = Path(err.filename)
        if path != raw_dir:
            found.append((f"{path.relative_to(raw_dir).as_posix()}/", path, err))
    return iter(sorted(found, key=lambda item: item[0]))


def check_entry(relative: str, path: Path, params: IngestParams) -> RejectError | None:
    """Why this file cannot be a document without even reading it, or None."""
    if any(part.startswith(".") for part in relative.rstrip("/").split("/")):
        return RejectError(
            "hidden",
            "names starting with '.' are system or editor files "
            "(.DS_Store, .git/) and are not read",
        )
    if path.is_symlink():
        return RejectError(
            "symlink",
            f"a symbolic link to {printable(os.readlink(path))}: links "
            "are not followed, so no file outside raw/ can be read",
        )
    try:
        info = path.lstat()
    except OSError as err:
        return RejectError("unreadable", f"cannot read its details: {err.strerror}")
    if not stat.S_ISREG(info.st_mode):
        return RejectError("unreadable", "not a regular file (a pipe, socket or device)")
    if PurePosixPath(relative).suffix.lower() not in MEDIA_TYPES:
        return RejectError(
            "unsupported_type",
            f"extension not one of {', '.join(sorted(MEDIA_TYPES))}; the file was not read",
        )
    if info.st_size > MAX_BYTES_PER_CHAR * params.max_chars:
        return RejectError(
            "too_long",
            f"{info.st_size} bytes: more than "
            f"ingest.max_chars={params.max_chars} characters in any encoding; "
            "the file was not read",
        )
    return None


def hash_file(path: Path) -> str:
    """sha256 of a file, read in chunks (bounded memory whatever its size)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan(raw_dir: Path, params: IngestParams, report: Report) -> list[Found]:
    """Pass 1: list and hash every input; record the ones rejected without reading their text."""
    skip = params.manifest.resolve() if params.manifest.exists() else None
    found = []
    for relative, path, error in walk(raw_dir, skip):
        report.inputs += 1
        shown = printable(relative)
        problem = (
            RejectError("unreadable", f"cannot list the folder: {error.strerror}")
            if error
            else check_entry(relative, path, params)
        )
        if problem is None:
            try:
                found.append(Found(shown, path, hash_file(path)))
                continue
            except OSError as err:
                problem = RejectError("unreadable", f"cannot read it: {err.strerror or err}")
        report.reject(shown, None, problem)
    return found


# --- manifest --------------------------------------------------------------------------------


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def parse_manifest_row(row: dict[str | None, str | list[str]]) -> tuple[str, ManifestEntry]:
    """Check one manifest row: (path as written, entry), or RejectError saying what is wrong."""
    if row.get(None):
        raise RejectError("manifest_error", "more fields than the header has columns")
    values = {k: v for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
    path = (values.get("path") or "").strip()
    if not path:
        raise RejectError("manifest_error", "the path column is empty")
    published = _optional(values.get("published"))
    try:
        date = dt.date.fromisoformat(published) if published else None
    except ValueError as err:
        raise RejectError(
            "manifest_error", f"{path}: published '{published}' is not a date in YYYY-MM-DD form"
        ) from err
    anchor_mode = _optional(values.get("anchor_mode"))
    if anchor_mode not in (None, "news", "narrative"):
        raise RejectError(
            "manifest_error", f"{path}: anchor_mode '{anchor_mode}' must be news or narrative"
        )
    return path, ManifestEntry(
        _optional(values.get("title")),
        _optional(values.get("source_url")),
        date,
        _optional(values.get("licence")),
        anchor_mode,
    )


def manifest_key(path: str) -> str | None:
    """A manifest or file path as a lookup key (NFC, / separators), or None if it leaves raw/.

    Absolute paths and '..' are refused, so a manifest row can never point outside raw/ (no path
    traversal). NFC makes a name typed on one system match the same name stored decomposed.
    """
    candidate = PurePosixPath(unicodedata.normalize("NFC", path.replace("\\", "/")))
    if candidate.is_absolute() or ".." in candidate.parts or not candidate.parts:
        return None
    return str(candidate)


def read_manifest_text(manifest: Path) -> str:
    """The manifest's text; a manifest that is not UTF-8 stops the run with the byte position."""
    try:
        return manifest.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RejectError(
            "manifest_error", f"{manifest} is not UTF-8 (byte {err.start}); save it as UTF-8 CSV"
        ) from err


def read_manifest(
    manifest: Path, inputs: Iterable[str], report: Report
) -> dict[str, ManifestEntry]:
    """Manifest entries by input path; a bad row becomes a reject, a bad file stops the run.

    Rows naming a path outside raw/, a file that does not exist, or a path listed twice are
    rejected (reason manifest_error) under the name '<manifest> line N', so a typo is visible
    instead of silently ignored. The file itself is still ingested, without that metadata.
    """
    if not manifest.exists():
        return {}
    by_key = {manifest_key(path): path for path in inputs}
    entries: dict[str, ManifestEntry] = {}
    first_line: dict[str, int] = {}
    reader = csv.DictReader(io.StringIO(read_manifest_text(manifest), newline=""))
    columns = reader.fieldnames or []
    unknown = sorted(set(columns) - set(MANIFEST_COLUMNS))
    if unknown or "path" not in columns:
        raise RejectError(
            "manifest_error",
            f"{manifest}: columns must be "
            f"{', '.join(MANIFEST_COLUMNS)} (path required); unknown: {unknown}",
        )
    try:
        for row in reader:
            line = reader.line_num
            report.manifest_rows += 1
            try:
                written, entry = parse_manifest_row(row)
                key = manifest_key(written)
                if key is None:
                    raise RejectError(
                        "manifest_error", f"path '{written}' points outside raw/ and is refused"
                    )
                if key not in by_key:
                    raise RejectError("manifest_error", f"no file raw/{written}")
                if key in first_line:
                    raise RejectError(
                        "manifest_error",
                        f"path '{written}' is already described on line {first_line[key]}",
                    )
            except RejectError as err:
                report.reject(f"{manifest.name} line {line}", None, err)
                continue
            first_line[key] = line
            entries[by_key[key]] = entry
    except csv.Error as err:
        raise RejectError("manifest_error", f"{manifest} line {reader.line_num}: {err}") from err
    return entries


# --- one document ----------------------------------------------------------------------------


def guess_title(text: str, media_type: str) -> str | None:
    """A heading-like first line: short, no final full stop, followed by a blank line."""
    first, _, rest = text[:1000].partition("\n")
    if media_type == "text/markdown" and first.startswith("#"):
        return first.lstrip("#").strip() or None
    looks_like_heading = (
        0 < len(first) <= 120 and not first.endswith((".", ",", ";", ":")) and rest.startswith("\n")
    )
    return first if looks_like_heading else None


@dataclass
class Document:
    """A document row (without the nlp columns) and examples of the repairs made to its text."""

    row: dict
    examples: dict[str, list[str]]


def read_document(
    relative: str, raw: bytes, entry: ManifestEntry, params: IngestParams
) -> Document:
    """Turn one file's bytes into a document row, or raise RejectError."""
    media_type = MEDIA_TYPES.get(PurePosixPath(relative).suffix.lower())
    if media_type is None:
        raise RejectError(
            "unsupported_type", f"extension not one of {', '.join(sorted(MEDIA_TYPES))}"
        )
    if not raw or raw.isspace():  # (raw.strip() would copy a large file)
        raise RejectError("empty", "the file is empty or holds only whitespace")
    decoded = decode(raw)
    text, html_title = decoded.text, None
    decoded.text = ""  # the text can be large: keep one copy of it alive at a time
    if media_type == "text/html":
        text, html_title = html_to_text(text)
    cleaned = clean_characters(text)
    del text
    if not cleaned.text:
        raise RejectError("empty", "no text left after cleaning")
    if len(cleaned.text) > params.max_chars:
        raise RejectError(
            "too_long",
            f"{len(cleaned.text)} characters, more than ingest.max_chars={params.max_chars}",
        )
    language = detect_language(cleaned.text)
    if language in ENGLISH_OR_UNKNOWN:
        repair_english_words(cleaned)
    repairs = Counter(decoded.repairs) + Counter(cleaned.repairs)
    sha = ids.sha256_hex(raw)
    return Document(
        {
            "doc_id": ids.document_id(raw),
            "path": relative,
            "paths": [relative],
            "sha256": sha,
            "title": entry.title or html_title or guess_title(cleaned.text, media_type),
            "source_url": entry.source_url,
            "published": entry.published,
            "licence": entry.licence,
            "anchor_mode": entry.anchor_mode or params.default_anchor_mode,
            "language": language,
            "encoding": decoded.encoding,
            "media_type": media_type,
            "repairs": [f"{name}:{n}" for name, n in sorted(repairs.items())],
            "text": cleaned.text,
            "n_chars": len(cleaned.text),
        },
        cleaned.examples,
    )


def read_copies(
    copies: list[Found], entries: dict[str, ManifestEntry], params: IngestParams
) -> Document:
    """Read a document from the first of its copies (files with the same bytes).

    The first copy is the one the manifest describes, else the first path in sort order; its
    metadata and file type are used and every copy's path is recorded in `paths`.
    """
    first = copies[0]
    try:
        raw = first.file.read_bytes()
    except OSError as err:
        raise RejectError("unreadable", f"cannot read it: {err.strerror or err}") from err
    if ids.sha256_hex(raw) != first.sha256:
        raise RejectError("unreadable", "the file changed while ingest was reading it; run again")
    document = read_document(first.path, raw, entries.get(first.path, ManifestEntry()), params)
    document.row["paths"] = sorted(copy.path for copy in copies)
    return document


def group_copies(found: list[Found], entries: dict[str, ManifestEntry]) -> list[list[Found]]:
    """Files grouped by identical bytes, in doc_id order; described copies first in each group."""
    groups: dict[str, list[Found]] = {}
    for item in found:
        groups.setdefault(item.sha256, []).append(item)
    ordered = [
        sorted(copies, key=lambda c: (c.path not in entries, c.path))
        for _, copies in sorted(groups.items())
    ]
    for copies in ordered:
        described = [c.path for c in copies[1:] if c.path in entries]
        if described:
            log.warning(
                "manifest rows for %s ignored: same bytes as %s, whose row is used",
                described,
                copies[0].path,
            )
    return ordered


Outcome = tuple[Document | None, tuple[str, str] | None]
"""A group of copies read: its document, or the (reason, detail) of its rejection."""

MIN_CHUNKS_PER_PROCESS = 8
"""Worker processes are used only for corpora of more than 8 chunks (about 128 files)."""
CHUNK_FILES = 16
CHUNK_BYTES = 8_000_000
"""Groups sent to a worker at once: at most this many, of at most this many bytes together
(a larger file goes alone), so the documents in flight stay small."""


def preload_detectors() -> None:
    """Load the language model and the English word list in this process."""
    detect_language("preload")
    english_words()


def read_groups(
    params: IngestParams,
    chunks: list[list[tuple[list[Found], ManifestEntry]]],
) -> list[Outcome]:
    """Read chunks of groups of copies, each with the manifest entry of its first copy."""
    outcomes: list[Outcome] = []
    for copies, entry in (group for chunk in chunks for group in chunk):
        try:
            outcomes.append((read_copies(copies, {copies[0].path: entry}, params), None))
        except RejectError as err:
            outcomes.append((None, (err.reason, err.detail)))
    return outcomes


def file_size(group: tuple[list[Found], ManifestEntry]) -> int:
    """Bytes of a group's first file (0 if it cannot be read: reading it will say why)."""
    try:
        return group[0][0].file.stat().st_size
    except OSError:
        return 0


# --- the cache of documents read ------------------------------------------------------------

CACHE_LIBRARIES = ("charset-normalizer", "py3langid", "pyspellchecker")
"""Libraries that decode, detect the language and repair: an upgrade re-reads every file."""


def stage_version(params: IngestParams) -> str:
    """What a cached document depends on besides its file: code, params and libraries."""
    settings = {
        "default_anchor_mode": params.default_anchor_mode,
        "max_chars": params.max_chars,
        "libraries": {name: importlib.metadata.version(name) for name in CACHE_LIBRARIES},
    }
    return cache.version_of(*code_paths("pipeline.ingest"), settings=settings)


def cache_inputs(copies: list[Found], entry: ManifestEntry) -> dict:
    """What one document is read from, besides its bytes (its entry's name): path and metadata."""
    return {"path": copies[0].path, "manifest": dataclasses.asdict(entry)}


def store_document(
    store: cache.DocCache, copies: list[Found], entry: ManifestEntry, document: Document
) -> None:
    """Keep a document read, under its bytes' sha256."""
    cache.write_entry(
        store.path(copies[0].sha256),
        [
            cache.dump_json({"inputs": cache_inputs(copies, entry)}),
            cache.dump_json({"row": document.row, "examples": document.examples}),
        ],
    )
    store.computed += 1


def cached_document(store: cache.DocCache, copies: list[Found]) -> Document | None:
    """A document kept by an earlier run (None, and the entry dropped, if it is damaged)."""
    try:
        _, data = cache.read_entry(store.path(copies[0].sha256))
    except cache.CorruptEntryError as err:
        store.drop(copies[0].sha256, f"corrupt ({err})")
        return None
    store.reused += 1
    return Document(**cache.load_json(data))


def documents(
    raw_dir: Path,
    params: IngestParams,
    report: Report,
    processes: int = 1,
    store: cache.DocCache | None = None,
) -> Iterator[dict]:
    """Every document row under raw_dir, in doc_id order; rejects are recorded in `report`.

    Files are read, cleaned and their language detected in `processes` processes (for a
    corpus large enough to be worth it); the rows come back in order. With a `store`, files
    read by an earlier run come from it, and those read now are added to it.
    """
    if not raw_dir.is_dir():
        raise StageError(f"ingest: the raw folder {raw_dir}/ does not exist (paths.raw)")
    found = scan(raw_dir, params, report)
    try:
        entries = read_manifest(
            params.manifest, [f.path for f in found] + [r["path"] for r in report.rejects], report
        )
    except RejectError as err:  # a manifest that cannot be read at all stops the run
        raise StageError(f"ingest: {err.detail}") from err
    groups = [
        (copies, entries.get(copies[0].path, ManifestEntry()))
        for copies in group_copies(found, entries)
    ]
    kept = (
        set()
        if store is None
        else {
            copies[0].sha256
            for copies, entry in groups
            if store.usable(copies[0].sha256, cache_inputs(copies, entry), verify=False)
        }
    )
    if store is not None:
        store.keep_only({copies[0].sha256 for copies, _ in groups})
    todo = [group for group in groups if group[0][0].sha256 not in kept]
    chunks = list(chunked(todo, CHUNK_FILES, weight=file_size, max_weight=CHUNK_BYTES))
    if min(processes, len(chunks) // MIN_CHUNKS_PER_PROCESS) > 1:  # as map_chunks decides
        preload_detectors()  # loaded once here, then shared by the forked workers
    read = (
        outcome
        for chunk in map_chunks(
            functools.partial(read_groups, params),
            chunks,
            len(chunks),
            processes,
            chunk_size=1,
            min_items=MIN_CHUNKS_PER_PROCESS,
        )
        for outcome in chunk
    )
    for copies, entry in groups:
        document = None
        if store is not None and copies[0].sha256 in kept:
            document = cached_document(store, copies)
        if document is not None:
            rejected = None
        else:
            document, rejected = (
                next(read)
                if copies[0].sha256 not in kept
                else read_groups(params, [[(copies, entry)]])[0]
            )  # its entry was damaged: read here
            if store is not None and document is not None:
                store_document(store, copies, entry, document)
        if rejected is not None:
            reason, detail = rejected
            for copy in copies:
                also = f" (same bytes as {copies[0].path})" if copy is not copies[0] else ""
                report.reject(copy.path, copy.sha256, RejectError(reason, detail + also))
            continue
        assert document is not None
        document.row["paths"] = sorted(copy.path for copy in copies)
        report.document(document.row, document.examples)
        yield document.row
    if next(read, None) is not None:
        raise AssertionError("ingest: more files read than documents written")
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


def run(params: Params) -> None:
    """Read raw/, write the texts for the nlp stage, the rejects table and the report."""
    report = Report()
    store = cache.DocCache(cache_path(params, "ingest"), stage_version(params.ingest))
    write_texts(
        documents(params.paths.raw, params.ingest, report, params.nlp.processes, store),
        texts_path(params),
        params.ingest.batch_size,
    )
    write_run_log(params, "ingest", {"cache": store.counts()})
    write_rows(report.rejects, TABLES["rejects"], table_path(params, "rejects"))
    write_report(params, "ingest", report.as_dict())
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
