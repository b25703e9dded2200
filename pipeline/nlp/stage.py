"""Stage 2, nlp: parse every document with spaCy once; later stages reuse the parse.

Writes the documents table (texts plus sentence counts and the model used) and the sentences
table, and keeps each parsed document in the parse store (`pipeline.nlp.store`, its format
and its readers), so that:

- the dates, events and entities stages never run the model again;
- a re-run parses only documents that are new or changed (see `pipeline.core.cache`);
- very long documents are parsed in segments of at most ``nlp.max_segment_chars``, so memory
  is bounded by the segment size, not the document size.

The parsing itself runs on an *engine*: local worker processes (``engine.kind: local``,
``nlp.n_process`` of them) or tasks on a Dask cluster (``engine.kind: dask``). Both run the
same task, `parse_partition`, on batches of segments, so they give identical results.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.core import cache
from pipeline.core.codedeps import code_paths
from pipeline.core.config import NlpParams, Params
from pipeline.core.io import TableWriter, iter_rows
from pipeline.core.model import describe, load_model
from pipeline.core.parallel import chunked, map_chunks
from pipeline.core.progress import progress
from pipeline.core.stage import log, table_path, texts_path, write_run_log
from pipeline.nlp import store as parse_store
from schemas import TABLES

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

    @property
    def is_last(self) -> bool:
        """Whether this segment ends its document."""
        return self.index == self.count - 1


def text_digest(text: str) -> str:
    """sha256 of a cleaned text: a parse is reused only for the exact text it was made of.

    The same raw bytes (the same doc_id) can clean to a new text when the ingest rules change.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_documents(items: Iterable[Item], max_chars: int) -> Iterator[Segment]:
    """Every segment of every document, in order."""
    for doc_id, text in items:
        bounds = segments(text, max_chars)
        digest = text_digest(text)
        for index, (start, end) in enumerate(bounds):
            yield Segment(doc_id, index, len(bounds), start, digest, text[start:end])


# --- engines -----------------------------------------------------------------------------------

Result = tuple[Segment, bytes, bytes, bytes]
"""A parsed segment: the segment and its three parts in the store (`parse_store.encode_segment`)."""


def parse_local(
    segments_: Iterable[Segment], n_segments: int, params: NlpParams
) -> Iterator[Result]:
    """Parse in `params.processes` local worker processes, a batch of segments per task.

    Each worker loads the model once and returns encoded results, so the parent process
    holds no model and no Docs: it only writes what comes back, in order. One process (or a
    small job) parses here, in this process.
    """
    processes = max(1, min(params.processes, -(-n_segments // params.batch_size)))
    work = functools.partial(
        parse_partition,
        model=params.model,
        labels=params.entity_labels,
        batch_size=params.batch_size,
        batch_chars=params.batch_chars,
    )
    for results in map_chunks(
        work,
        segments_,
        n_segments,
        processes,
        chunk_size=params.batch_size,
        min_items=params.batch_size,
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


def parse_partition(
    partition: list[Segment], model: str, labels: tuple[str, ...], batch_size: int, batch_chars: int
) -> list[Result]:
    """Dask task: parse a partition of segments; returns their cache parts, in order."""
    if model not in _WORKER_MODELS:
        _WORKER_MODELS[model] = load_model(model)
    results: list[Result] = []
    for batch in batches(partition, batch_size, batch_chars):
        stream = _WORKER_MODELS[model].pipe(
            ((s.text, s) for s in batch), as_tuples=True, batch_size=len(batch)
        )
        results += [
            (segment, *parse_store.encode_segment(segment.doc_id, segment.offset, doc, labels))
            for doc, segment in stream
        ]
    return results


DASK_WORKER_SETTINGS = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
"""Dask config for the workers that parse: start them without ``MALLOC_TRIM_THRESHOLD_``.

Dask's nanny sets it (65536) so that workers hand freed memory back to the system. Setting it
also freezes glibc's mmap threshold at 128 kB, so every array spaCy allocates above that is
mapped and unmapped afresh, and parsing slows down (docs/scaling.md, "A Dask cluster", gives
the measurement). Use it with ``dask.config.set`` where the cluster starts, or in a Dask
config file."""


def malloc_trim_threshold() -> str | None:
    """Run on a Dask worker: its ``MALLOC_TRIM_THRESHOLD_`` (None when unset, the fast case)."""
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def warn_about_workers(client: Any) -> None:
    """Say so when the cluster's workers run with the setting that slows parsing down."""
    slowed = sorted(w for w, value in client.run(malloc_trim_threshold).items() if value)
    if slowed:
        log.warning(
            "nlp: %d Dask workers run with MALLOC_TRIM_THRESHOLD_ set, which makes "
            "parsing slower; start them with pipeline.nlp.stage."
            "DASK_WORKER_SETTINGS (see docs/scaling.md)",
            len(slowed),
        )


def parse_dask(segments_: Iterable[Segment], params: Params) -> Iterator[Result]:
    """Parse on the Dask cluster at `engine.address`, a partition of segments per task.

    Results are consumed in submission order, and only a few partitions per worker are in
    flight at once, so memory stays bounded and the output order is deterministic.
    """
    from dask.distributed import Client  # only needed with engine.kind: dask

    with Client(params.engine.address, set_as_default=False) as client:
        workers = max(1, len(client.scheduler_info()["workers"]))
        warn_about_workers(client)
        in_flight = []
        for partition in chunked(segments_, params.engine.partition_size):
            in_flight.append(
                client.submit(
                    parse_partition,
                    partition,
                    params.nlp.model,
                    params.nlp.entity_labels,
                    params.nlp.batch_size,
                    params.nlp.batch_chars,
                    pure=False,
                )
            )
            if len(in_flight) >= 2 * workers:
                yield from in_flight.pop(0).result()
        for future in in_flight:
            yield from future.result()


# --- the stage ---------------------------------------------------------------------------------


def stage_version(params: Params, model: str) -> str:
    """What a cached parse depends on: this module, the model and the parse parameters."""
    settings = {
        "model": model,
        "labels": params.nlp.entity_labels,
        "max_segment_chars": params.nlp.max_segment_chars,
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
                writer = cache.EntryWriter(store.path(segment.doc_id))
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
    pieces = split_documents(items, params.nlp.max_segment_chars)
    n_segments = sum(-(-n // params.nlp.max_segment_chars) for n in missing.values())
    if params.engine.kind == "dask":
        results = parse_dask(pieces, params)
    else:
        results = parse_local(pieces, n_segments, params.nlp)
    yield from progress(results, n_segments, "nlp", "segment")


def run(params: Params) -> None:
    """Parse new or changed texts, then write the documents and sentences tables."""
    model = describe(params.nlp.model)
    store = cache.DocCache(parse_store.store_dir(params), stage_version(params, model))
    cache.build_with_recovery(lambda verify: build(params, store, model, verify), "nlp")


def build(params: Params, store: cache.DocCache, model: str, verify: bool) -> None:
    """Parse what the cache lacks, then write the tables from the cached parses."""
    texts = texts_path(params)
    doc_ids, missing = [], {}
    for row in iter_rows(texts, ["doc_id", "text"]):
        doc_ids.append(row["doc_id"])
        if not store.usable(row["doc_id"], {"text_sha256": text_digest(row["text"])}, verify):
            missing[row["doc_id"]] = len(row["text"])
    store.keep_only(set(doc_ids))
    if missing:
        store_results(parse_missing(params, texts, missing), store)
    store.reused = len(doc_ids) - store.computed
    with (
        TableWriter(TABLES["documents"], table_path(params, "documents")) as documents,
        TableWriter(TABLES["sentences"], table_path(params, "sentences")) as sentences,
    ):
        for row in iter_rows(texts):
            n_sentences = 0
            for data in parse_store.read_rows(store.path(row["doc_id"])):
                for sentence in data["sentences"]:
                    sentence["sentence_index"] = n_sentences
                    n_sentences += 1
                sentences.write(data["sentences"])
            documents.write([{**row, "n_sentences": n_sentences, "model": model}])
    write_run_log(params, "nlp", {"cache": store.counts(), "parsed": store.computed})
    log.info(
        "nlp: %d documents (%d parsed, %d from cache), %d sentences (%s)",
        documents.n_rows,
        store.computed,
        store.reused,
        sentences.n_rows,
        model,
    )
