"""Pass 2 of ingest: files read into documents, one group of identical files at a time.

A file's bytes are decoded, HTML is reduced to its visible text, the characters are cleaned,
the language detected and, in English, broken words repaired; a news dateline, an HTML page's
furniture lines and Markdown's heading marks are taken out (`pipeline.ingest.boilerplate`).
Files with the same bytes are one document that records all their paths. Groups are read in
chunks, in worker processes when the corpus is large enough to be worth it, and come back in
order.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.core import ids
from pipeline.core.config import EngineParams, IngestParams
from pipeline.core.engine import LOCAL, map_partitions
from pipeline.core.parallel import chunked
from pipeline.core.progress import progress
from pipeline.core.stage import log
from pipeline.ingest.boilerplate import remove_framing
from pipeline.ingest.decoding import Decoded, decode, html_to_text
from pipeline.ingest.discover import MEDIA_TYPE_BY_SUFFIX, Found
from pipeline.ingest.language import ENGLISH_OR_UNKNOWN, detect_language
from pipeline.ingest.manifest import ManifestEntry
from pipeline.ingest.repairs import Cleaned, clean_characters, english_words, repair_english_words
from pipeline.ingest.report import RejectError

Group = tuple[list[Found], ManifestEntry]
"""Files with the same bytes (the described copy first) and the manifest entry of the first."""


@dataclass
class Document:
    """A document row (without the nlp columns) and examples of the repairs made to its text."""

    row: dict
    examples: dict[str, list[str]]


Outcome = tuple[Document | None, tuple[str, str] | None]
"""A group of copies read: its document, or the (reason, detail) of its rejection."""

MIN_CHUNKS_PER_PROCESS = 8
"""Worker processes are used only for corpora of more than 8 chunks (about 128 files)."""
CHUNK_FILES = 16
CHUNK_BYTES = 8_000_000
"""Groups sent to a worker at once: at most this many, of at most this many bytes together
(a larger file goes alone), so the documents in flight stay small."""


# --- one document ----------------------------------------------------------------------------


def guess_title(text: str) -> str | None:
    """A heading-like first line: short, no final full stop, followed by a blank line.

    A Markdown heading's ``#`` marks are already gone (`pipeline.ingest.boilerplate`).
    """
    first, _, rest = text[:1000].partition("\n")
    looks_like_heading = (
        0 < len(first) <= 120 and not first.endswith((".", ",", ";", ":")) and rest.startswith("\n")
    )
    return first if looks_like_heading else None


def read_text(raw: bytes, media_type: str, max_chars: int) -> tuple[Decoded, Cleaned, str | None]:
    """A file's text, decoded, reduced to its visible text and cleaned; or RejectError.

    Returns how it was decoded (its text emptied), the cleaned text and the HTML title if any.
    """
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
    if len(cleaned.text) > max_chars:
        raise RejectError(
            "too_long", f"{len(cleaned.text)} characters, more than ingest.max_chars={max_chars}"
        )
    return decoded, cleaned, html_title


def read_document(
    relative: str, raw: bytes, entry: ManifestEntry, params: IngestParams
) -> Document:
    """Turn one file's bytes into a document row, or raise RejectError."""
    media_type = MEDIA_TYPE_BY_SUFFIX.get(PurePosixPath(relative).suffix.lower())
    if media_type is None:
        raise RejectError(
            "unsupported_type", f"extension not one of {', '.join(sorted(MEDIA_TYPE_BY_SUFFIX))}"
        )
    decoded, cleaned, html_title = read_text(raw, media_type, params.max_chars)
    language = detect_language(cleaned.text)
    if language in ENGLISH_OR_UNKNOWN:
        repair_english_words(cleaned)
    dateline = remove_framing(cleaned, media_type)
    if not cleaned.text.strip():
        raise RejectError("empty", "no text left once its dateline and page furniture are removed")
    repairs = Counter(decoded.repairs) + Counter(cleaned.repairs)
    row = {
        "doc_id": ids.document_id(raw),
        "path": relative,
        "paths": [relative],
        "sha256": ids.sha256_hex(raw),
        "title": entry.title or html_title or guess_title(cleaned.text),
        "source_url": entry.source_url,
        "published": entry.published,
        "dateline": dateline,
        "licence": entry.licence,
        "anchor_mode": entry.anchor_mode or params.default_anchor_mode,
        "language": language,
        "encoding": decoded.encoding,
        "media_type": media_type,
        "repairs": [f"{name}:{n}" for name, n in sorted(repairs.items())],
        "text": cleaned.text,
        "n_chars": len(cleaned.text),
    }
    return Document(row, cleaned.examples)


# --- files with the same bytes ---------------------------------------------------------------


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


# --- many groups, in worker processes --------------------------------------------------------


def preload_detectors() -> None:
    """Load the language model and the English word list in this process."""
    detect_language("preload")
    english_words()


def read_groups(params: IngestParams, chunks: list[list[Group]]) -> list[Outcome]:
    """Read chunks of groups of copies, each with the manifest entry of its first copy."""
    outcomes: list[Outcome] = []
    for copies, entry in (group for chunk in chunks for group in chunk):
        try:
            outcomes.append((read_copies(copies, {copies[0].path: entry}, params), None))
        except RejectError as err:
            outcomes.append((None, (err.reason, err.detail)))
    return outcomes


def file_size(group: Group) -> int:
    """Bytes of a group's first file (0 if it cannot be read: reading it will say why)."""
    try:
        return group[0][0].file.stat().st_size
    except OSError:
        return 0


def read_in_processes(
    params: IngestParams,
    groups: list[Group],
    processes: int,
    engine: EngineParams = LOCAL,
) -> Iterator[Outcome]:
    """The outcome of reading each group, in order, on the engine (`pipeline.core.engine`).

    Locally, in `processes` processes when worth it; on Dask, the files are named by absolute
    paths, since a worker does not run in the stage's folder.
    """
    chunks = list(chunked(groups, CHUNK_FILES, weight=file_size, max_weight=CHUNK_BYTES))
    if engine.kind == "local" and min(processes, len(chunks) // MIN_CHUNKS_PER_PROCESS) > 1:
        preload_detectors()  # loaded once here, then shared by the forked workers (map_chunks)
    if engine.kind == "dask":
        chunks = [[absolute(group) for group in chunk] for chunk in chunks]
    read = map_partitions(
        functools.partial(read_groups, params),
        chunks,
        len(chunks),
        dataclasses.replace(engine, partition_size=1),  # a chunk is already CHUNK_FILES files
        processes,
        chunk_size=1,
        min_items=MIN_CHUNKS_PER_PROCESS,
    )
    return (
        outcome
        for chunk in progress(read, len(groups), "ingest", "document", weight=len)
        for outcome in chunk
    )


def absolute(group: Group) -> Group:
    """A group whose files are named by absolute paths."""
    copies, entry = group
    return [dataclasses.replace(c, file=c.file.absolute()) for c in copies], entry
