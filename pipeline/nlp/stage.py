"""Stage 2, nlp: parse every document with spaCy once; later stages reuse the parse.

Writes the documents table (texts plus sentence counts and the model used) and the sentences
table, and keeps each parsed document in the parse store (`pipeline.nlp.store`, its format
and its readers), so that:

- the dates, events and entities stages never run the model again;
- a re-run parses only documents that are new or changed (see `pipeline.core.cache`);
- very long documents are parsed in segments of at most ``nlp.max_segment_chars``, so memory
  is bounded by the segment size, not the document size;
- section headings (`pipeline.nlp.headings`) are sentences of their own, never glued to the
  sentence after them, and every sentence records the section it is in.

The parsing itself runs on the engine (`pipeline.core.engine`): local worker processes
(``engine.kind: local``, ``nlp.n_process`` of them) or tasks on a Dask cluster (``engine.kind:
dask``). Both run the same task, `parse_partition`, on batches of segments and send back the
encoded parts, which this process writes; so they give identical results.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from spacy.language import Language

from pipeline.core import cache
from pipeline.core.codedeps import code_paths
from pipeline.core.config import Params
from pipeline.core.engine import map_partitions
from pipeline.core.io import TableWriter, iter_rows, plain_schema
from pipeline.core.memory import return_freed_memory
from pipeline.core.model import describe, load_model
from pipeline.core.parallel import chunked, release_free_memory
from pipeline.core.progress import progress
from pipeline.core.stage import log, table_path, texts_path, write_run_log
from pipeline.nlp import fast
from pipeline.nlp import store as parse_store
from pipeline.nlp.headings import find_headings, heading_name, mark_boundaries
from schemas import TABLES, arrow_schema

Item = tuple[str, str]
"""A document to parse: (doc_id, text)."""


_BREAKS = (
    re.compile(r"\n\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?][\"')\]]?\s"),
    re.compile(r"\s"),
)
"""Where a long text may be cut, best first: paragraph, line, sentence end, any space."""


# --- segments ----------------------------------------------------------------------------------


def segments(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Cut `text` into consecutive (start, end) pieces of at most `max_chars` characters.

    Each cut falls at the best break found in the second half of the window (a paragraph
    break if there is one), so sentences are almost never split. The pieces cover the text
    exactly, so offsets within a piece plus its start are offsets into the text.
    """
    bounds, start = [], 0
    while len(text) - start > max_chars:
        window = text[start + max_chars // 2 : start + max_chars]
        cut = max_chars
        for pattern in _BREAKS:
            found = [m.end() for m in pattern.finditer(window)]
            if found:
                cut = max_chars // 2 + found[-1]
                break
        bounds.append((start, start + cut))
        start += cut
    bounds.append((start, len(text)))
    return bounds


@dataclass(frozen=True)
class Segment:
    """A piece of a document to parse: its place in the document and its text."""

    doc_id: str
    index: int
    count: int
    """How many segments the document has."""
    offset: int
    text_sha256: str
    """Digest of the whole document's text (see `text_digest`)."""
    text: str
    headings: tuple[tuple[int, int], ...] = ()
    """The heading lines in this segment, as (start, end) offsets into its text."""

    @property
    def is_last(self) -> bool:
        """Whether this segment ends its document."""
        return self.index == self.count - 1


def text_digest(text: str) -> str:
    """sha256 of a cleaned text: a parse is reused only for the exact text it was made of.

    The same raw bytes (the same doc_id) can clean to a new text when the ingest rules change.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_documents(
    items: Iterable[Item], max_chars: int, heading_max_words: int
) -> Iterator[Segment]:
    """Every segment of every document, in order, with the headings each one holds.

    Headings are found in the whole text (whether a line is one depends on what is around
    it), then given to the segment they lie in, in its own offsets.
    """
    for doc_id, text in items:
        bounds = segments(text, max_chars)
        digest = text_digest(text)
        headings = find_headings(text, heading_max_words)
        for index, (start, end) in enumerate(bounds):
            inside = tuple(
                (h.start - start, h.end - start)
                for h in headings
                if start <= h.start and h.end <= end
            )
            yield Segment(doc_id, index, len(bounds), start, digest, text[start:end], inside)


# --- engines -----------------------------------------------------------------------------------

Result = tuple[Segment, bytes, bytes, bytes]
"""A parsed segment: the segment and its three parts in the store (`parse_store.encode_segment`)."""


def parse_segments(
    segments_: Iterable[Segment], n_segments: int, params: Params
) -> Iterator[Result]:
    """Parse on the configured engine (`pipeline.core.engine`), a batch of segments per task.

    Each worker loads the model once and returns encoded results, so the stage's process
    holds no model and no Docs: it only writes what comes back, in order. One process (or a
    small job) parses here, in this process.
    """
    work = functools.partial(
        parse_partition,
        model=params.nlp.model,
        labels=params.nlp.entity_labels,
        batch_size=params.nlp.batch_size,
        batch_chars=params.nlp.batch_chars,
    )
    for results in map_partitions(
        work,
        segments_,
        n_segments,
        params.engine,
        params.nlp.processes,
        chunk_size=params.nlp.batch_size,
        min_items=params.nlp.batch_size,
    ):
        yield from results


_WORKER_MODELS: dict[str, Language] = {}
"""Models loaded in this process (a Dask worker loads each model once, then reuses it)."""


def batches(partition: list[Segment], size: int, max_chars: int) -> Iterator[list[Segment]]:
    """Consecutive batches of at most `size` segments and `max_chars` characters.

    A batch's memory in the model grows with its characters, not its count: sixteen long
    articles need three times what sixteen short ones do. Bounding both keeps a worker's
    peak the same whatever the corpus holds. A segment longer than `max_chars` is a batch
    of its own.
    """
    return chunked(partition, size, weight=lambda segment: len(segment.text), max_weight=max_chars)


def unload_models() -> None:
    """Drop the models this process loaded and hand their memory back to the system.

    A small job is parsed here, not in workers; the model is not needed for writing the
    tables, whose documents row group holds every text of a corpus of news articles, so
    the two would otherwise add up at the stage's peak.
    """
    _WORKER_MODELS.clear()
    release_free_memory()


def parse_partition(
    partition: list[Segment], model: str, labels: tuple[str, ...], batch_size: int, batch_chars: int
) -> list[Result]:
    """Task: parse a partition of segments; returns their cache parts, in order.

    Each segment's headings are made sentences of their own before the parser runs.
    """
    if model not in _WORKER_MODELS:
        _WORKER_MODELS[model] = load_model(model, replace=fast.REPLACEMENTS)
    nlp = _WORKER_MODELS[model]
    results: list[Result] = []
    for batch in batches(partition, batch_size, batch_chars):
        stream = nlp.pipe(
            ((mark_boundaries(nlp.make_doc(s.text), s.headings), s) for s in batch),
            as_tuples=True,
            batch_size=len(batch),
        )
        results += [
            (
                segment,
                *parse_store.encode_segment(
                    segment.doc_id, segment.offset, doc, labels, segment.headings
                ),
            )
            for doc, segment in stream
        ]
    return results


# --- the stage ---------------------------------------------------------------------------------


def stage_version(params: Params, model: str) -> str:
    """What a cached parse depends on: this module, the model and the parse parameters."""
    settings = {
        "model": model,
        "labels": params.nlp.entity_labels,
        "max_segment_chars": params.nlp.max_segment_chars,
        "heading_max_words": params.nlp.heading_max_words,
    }
    return cache.version_of(*code_paths("pipeline.nlp"), settings=settings)


def store_results(results: Iterable[Result], store: cache.DocCache) -> None:
    """Write each document's store entry as its segments arrive (`pipeline.nlp.store`).

    Only one segment is held at a time, so a very long document costs no more memory than a
    short one.
    """
    writer: cache.EntryWriter | None = None
    try:
        for segment, *parts in results:
            if segment.index == 0:
                writer = store.writer(segment.doc_id)
                writer.add_json(parse_store.header(segment.text_sha256, segment.count))
            for part in parts:
                writer.add(part)
            if segment.is_last:
                writer.close()
                writer = None
                store.computed += 1
    finally:
        if writer is not None:  # interrupted half-way through a document: leave nothing
            writer.abort()


def parse_missing(params: Params, texts: Path, missing: dict[str, int]) -> Iterator[Result]:
    """Parse the documents in `missing` (doc_id: length), with the configured engine."""
    items = (
        (row["doc_id"], row["text"])
        for row in iter_rows(texts, ["doc_id", "text"])
        if row["doc_id"] in missing
    )
    pieces = split_documents(items, params.nlp.max_segment_chars, params.nlp.heading_max_words)
    n_segments = sum(-(-n // params.nlp.max_segment_chars) for n in missing.values())
    yield from progress(parse_segments(pieces, n_segments, params), n_segments, "nlp", "segment")


def run(params: Params) -> None:
    """Parse new or changed texts, then write the documents and sentences tables."""
    model = describe(params.nlp.model)
    store = cache.DocCache(parse_store.store_dir(params), stage_version(params, model), FRAGMENTS)
    cache.build_with_recovery(lambda verify: build(params, store, model, verify), "nlp")


def number_sentences(segments: Iterable[dict]) -> Iterator[list[dict]]:
    """Each segment's rows of the sentences table, numbered across the document, with sections.

    `segments` are a document's rows in the parse store, in order. A heading opens a section:
    it and the sentences after it, up to the next heading, have its `section_index` (1 for
    the first heading) and its name as `section`. Sentences before the first heading are in
    section 0, which has no name.
    """
    index, section_index, section = 0, 0, None
    for data in segments:
        for row in data["sentences"]:
            if row["is_heading"]:
                section_index += 1
                section = heading_name(row["text"])
            row.update(sentence_index=index, section_index=section_index, section=section)
            index += 1
        yield data["sentences"]


def document_rows(doc_id: str, parts: Iterator[bytes]) -> dict[str, list[dict]]:
    """One parsed document's rows of the sentences table, and its sentence count."""
    sentences = [row for rows in number_sentences(parse_store.read_rows(parts)) for row in rows]
    return {"sentences": sentences, "counts": [{"doc_id": doc_id, "n_sentences": len(sentences)}]}


_DOCUMENTS = plain_schema(arrow_schema(TABLES["documents"]))
FRAGMENTS = cache.Fragments(
    {
        "sentences": plain_schema(arrow_schema(TABLES["sentences"])),
        "counts": pa.schema([_DOCUMENTS.field("doc_id"), _DOCUMENTS.field("n_sentences")]),
    },
    document_rows,
)
"""The sentences table and the sentence counts are kept per cache shard (`cache.Fragments`)."""


def documents_table(texts: Path, counts: pa.Table, model: str) -> Iterator[pa.Table]:
    """The documents table, a row group of the texts at a time, with sentence counts and model.

    `counts` are the sentence counts in the texts' order (both in doc_id order). The texts
    are read one of ingest's row groups (a bounded batch of documents) at a time, and let go
    once in the batch: the table writer joins them into a row group that can hold every text
    of a corpus of news articles, so little else should be held while it does
    (docs/scaling.md, "Memory").
    """
    parquet = pq.ParquetFile(texts)
    done = 0
    for group in range(parquet.num_row_groups):
        table = parquet.read_row_group(group)
        rows = table.num_rows
        here = counts.slice(done, rows)
        done += rows
        if not table.column("doc_id").equals(here.column("doc_id")):
            raise cache.CorruptEntryError(f"the parse store and {texts} disagree on documents")
        columns = {name: table.column(name) for name in table.column_names}
        columns["n_sentences"] = here.column("n_sentences")
        columns["model"] = pa.array([model] * rows, pa.string())
        del table
        yield pa.table(
            [columns.pop(f.name).cast(f.type) for f in _DOCUMENTS],
            schema=_DOCUMENTS,
        )


def build(params: Params, store: cache.DocCache, model: str, verify: bool) -> None:
    """Parse what the cache lacks, then write the tables from the cached parses."""
    texts = texts_path(params)
    doc_ids: list[str] = []

    def digests() -> Iterator[tuple[str, list]]:
        for row in iter_rows(texts, ["doc_id", "text"]):
            doc_ids.append(row["doc_id"])
            yield row["doc_id"], [text_digest(row["text"]), len(row["text"])]

    stale = store.stale_keys(digests(), [], lambda _, text: {"text_sha256": text[0]}, verify)
    missing = {doc_id: length for doc_id, (_, length) in stale}
    store.keep_only(set(doc_ids))
    if missing:
        store_results(parse_missing(params, texts, missing), store)
        unload_models()
    return_freed_memory()  # the tables are written a row group of the whole corpus at a time
    store.finish(doc_ids)
    counts = []
    with TableWriter(TABLES["sentences"], table_path(params, "sentences")) as sentences:
        for fragments in store.tables():
            sentences.write_table(fragments["sentences"])
            counts.append(fragments["counts"])
    with TableWriter(TABLES["documents"], table_path(params, "documents")) as documents:
        counted = pa.concat_tables(counts or [FRAGMENTS.schemas["counts"].empty_table()])
        for table in documents_table(texts, counted, model):
            documents.write_table(table)
    write_run_log(params, "nlp", {"cache": store.counts(), "parsed": store.computed})
    log.info(
        "nlp: %d documents (%d parsed, %d from cache), %d sentences (%s)",
        documents.n_rows,
        store.computed,
        store.reused,
        sentences.n_rows,
        model,
    )
