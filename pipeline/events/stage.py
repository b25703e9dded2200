"""Stage 4, events: a dated event for each predicate a date anchors, and each its basis gives.

The stage owns mention detection and correction: it turns the model's entity spans into
corrected mentions (`pipeline.events.mentions`) because it needs them to link an event's
participants, through pronouns and titles too, before any entity exists. It writes them, and
the participants (the interim `mentions` and `arguments` files), for the entities stage,
which only clusters the mentions into entities and links the participants to them.

For each document, from its parse in the nlp stage's store (`pipeline.nlp.store`) and its
rows in the timexes stage's cache (`pipeline.timexes.store`), `pipeline.events.extract` makes
the corrected mentions, the events (`pipeline.events.triggers`; for sentences with no date,
`pipeline.events.basis`), their participants
(`pipeline.events.arguments`) and counts of what was skipped. Results are cached per
document and recomputed only when the document's parse or timexes changed; new work runs
on the engine (`pipeline.core.engine`: ``nlp.n_process`` local processes, or Dask tasks).
Dates inside a publisher's notice at the end of a document (`pipeline.events.boilerplate`)
give no event; they are counted in the stage report.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import spacy
from spacy.vocab import Vocab

from pipeline.core import cache
from pipeline.core.codedeps import code_paths
from pipeline.core.config import Params
from pipeline.core.engine import for_workers, map_items
from pipeline.core.io import TableWriter, iter_rows, plain_schema
from pipeline.core.progress import progress
from pipeline.core.stage import (
    GROUP_COLUMNS,
    arguments_path,
    cache_path,
    log,
    mentions_path,
    table_path,
    ungrouped_events_path,
    write_report,
    write_run_log,
)
from pipeline.events.extract import NO_BASIS, Resources, extract_parsed
from pipeline.events.kb import KnowledgeBase, load_knowledge_base
from pipeline.events.mentions import Mention
from pipeline.nlp import store as parse_store
from pipeline.timexes import store as timexes_store
from schemas import TABLES, arrow_schema
from schemas.vocabularies import DATE_BASES

ARGUMENT_SCHEMA = pa.schema(
    [
        (name, pa.int64() if name.endswith("_char") else pa.string())
        for name in (
            "participant_id",
            "event_id",
            "doc_id",
            "role",
            "mention_id",
            "start_char",
            "end_char",
            "text",
            "resolution",
        )
    ]
)
"""Interim participants (no entity ids yet); the entities stage adds them."""

MENTION_SCHEMA = pa.schema(
    [
        (f.name, pa.int64() if f.name.endswith("_char") else pa.string())
        for f in dataclasses.fields(Mention)
    ]
)
"""Interim corrected mentions, one column per `Mention` field."""


# --- the cache --------------------------------------------------------------------------------


def stage_version(params: Params) -> str:
    """What cached events depend on besides each document's inputs.

    The code, lexicons, params and the user's knowledge base (it changes which mentions
    there are).
    """
    settings = {"events": params.events.__dict__, "kb": kb_digest(params.entities.kb)}
    return cache.version_of(*code_paths("pipeline.events"), settings=settings)


def inputs_of(params: Params, doc_id: str) -> dict:
    """What one document's events are made from: its parse and its timexes."""
    return {
        "parse": parse_store.entries(params).digest(doc_id),
        "timexes": timexes_store.entries(params).digest(doc_id),
    }


DOCUMENT_COLUMNS = ["doc_id", "text", "published", "anchor_mode"]
"""What the stage reads of a document: its text, and what dates its dateless events."""


def extract_document(
    params: Params,
    document: dict,
    resources: Resources,
    kb: KnowledgeBase | None,
    vocab: Vocab,
) -> dict:
    """One document's results, from the nlp and timexes stages' cache entries.

    `document` is its row of the documents table (`DOCUMENT_COLUMNS`). The parse is read
    twice: its rows first (mentions need the whole document), then its Docs one segment at a
    time, so a very long document never has all its Docs in memory.
    """
    doc_id = document["doc_id"]
    parses = parse_store.entries(params)
    return extract_parsed(
        doc_id,
        document["text"],
        parse_store.read_rows(parses.parts(doc_id)),
        lambda: parse_store.read_parse(parses.parts(doc_id), vocab),
        timexes_store.read_rows(timexes_store.entries(params).parts(doc_id)),
        resources,
        kb,
        params.events,
        published=document["published"],
        anchor_mode=document["anchor_mode"],
    )


def kb_digest(kb_path: Path) -> str | None:
    """The sha256 of the user's knowledge base (None without one)."""
    return hashlib.sha256(kb_path.read_bytes()).hexdigest() if kb_path.exists() else None


def _worker_setup(kb_path: Path) -> tuple[Resources, KnowledgeBase | None, Vocab]:
    """The lexicons, knowledge base and vocab, loaded once per process (not once per chunk).

    Kept by the knowledge base's bytes, not its path: a Dask worker serves run after run, and
    a knowledge base edited between them must be loaded again.
    """
    return _loaded(kb_path, kb_digest(kb_path))


@functools.cache
def _loaded(kb_path: Path, digest: str | None) -> tuple[Resources, KnowledgeBase | None, Vocab]:
    return Resources.load(), load_knowledge_base(kb_path), spacy.blank("en").vocab


def extract_documents(params: Params, documents: list[dict]) -> list[bytes]:
    """Task: extract documents; returns each one's results as JSON, in order (writes nothing).

    Runs on the engine (`pipeline.core.engine`): `params` has absolute paths there.
    """
    resources, kb, vocab = _worker_setup(params.entities.kb)
    return [
        cache.dump_json(extract_document(params, document, resources, kb, vocab))
        for document in documents
    ]


def update_cache(params: Params, store: cache.DocCache, verify: bool) -> None:
    """Extract the documents whose entry is missing, stale or damaged; drop removed documents."""
    documents = table_path(params, "documents")
    doc_ids = [document["doc_id"] for document in iter_rows(documents, ["doc_id"])]
    stale = store.stale_keys(
        ((doc_id, None) for doc_id in doc_ids),
        [parse_store.entries(params), timexes_store.entries(params)],
        lambda doc_id, _: inputs_of(params, doc_id),
        verify,
    )
    store.keep_only(set(doc_ids))
    todo = {doc_id for doc_id, _ in stale}
    work = (d for d in iter_rows(documents, DOCUMENT_COLUMNS) if d["doc_id"] in todo)
    extracted = map_items(
        functools.partial(extract_documents, for_workers(params)),
        work,
        len(stale),
        params.engine,
        params.nlp.processes,
    )
    for document, data in progress(extracted, len(stale), "events", "document"):
        header = cache.dump_json({"inputs": inputs_of(params, document["doc_id"])})
        store.write(document["doc_id"], [header, data])
        store.computed += 1
    store.finish(doc_ids)


# --- the tables and the report ----------------------------------------------------------------


@dataclass
class Tally:
    """What the stage report counts over the corpus."""

    skipped: Counter = field(default_factory=Counter)
    """Timexes that date no event, by reason, and predicates without a date (`NO_BASIS`)."""
    corrections: Counter = field(default_factory=Counter)
    """Mention corrections, by kind (`pipeline.events.mentions.correct_document`)."""
    types: Counter = field(default_factory=Counter)
    modalities: Counter = field(default_factory=Counter)
    polarities: Counter = field(default_factory=Counter)
    bases: Counter = field(default_factory=Counter)

    def add(self, data: dict) -> None:
        """Count one document's results (a cache entry's data)."""
        self.skipped.update(data["skipped"])
        self.corrections.update(data["corrections"])
        for event in data["events"]:
            self.types[event["event_type"]] += event["event_type"] is not None
            self.modalities[event["modality"]] += 1
            self.polarities[event["polarity"]] += 1
            self.bases[event["date_basis"]] += 1

    def report(self) -> dict:
        """The stage's report.json."""
        timexes = {k: v for k, v in self.skipped.items() if k != NO_BASIS}
        return {
            "events_per_date_basis": {basis: self.bases[basis] for basis in DATE_BASES},
            "predicates_without_date_basis": self.skipped[NO_BASIS],
            "timexes_not_dating_an_event": dict(sorted(timexes.items())),
            "mention_corrections": dict(sorted(self.corrections.items())),
            "events_per_type": _counts(self.types),
            "events_per_modality": _counts(self.modalities),
            "events_per_polarity": _counts(self.polarities),
        }


def _counts(counter: Counter) -> dict[str, int]:
    return {
        str(k): int(v) for k, v in sorted((k, v) for k, v in counter.items() if k is not None and v)
    }


TALLY_SCHEMA = pa.schema([("counter", pa.string()), ("key", pa.string()), ("n", pa.int64())])
"""A document's counts for the report, as rows: kept per shard with the tables."""

_COUNTERS = [f.name for f in dataclasses.fields(Tally)]


def document_rows(doc_id: str, parts: Iterator[bytes]) -> dict[str, list[dict]]:
    """One document's rows of the events, arguments and mentions tables, and its counts."""
    _, raw = parts
    data = cache.load_json(raw)
    one = Tally()
    one.add(data)
    tally = [
        {"counter": name, "key": key, "n": n}
        for name in _COUNTERS
        for key, n in sorted(getattr(one, name).items(), key=lambda kv: str(kv[0]))
    ]
    return {
        "events": data["events"],
        "arguments": data["arguments"],
        "mentions": data["mentions"],
        "tally": tally,
    }


_EVENTS = arrow_schema(TABLES["events"])
FRAGMENTS = cache.Fragments(
    {
        "events": plain_schema(pa.schema([f for f in _EVENTS if f.name not in GROUP_COLUMNS])),
        "arguments": ARGUMENT_SCHEMA,
        "mentions": MENTION_SCHEMA,
        "tally": TALLY_SCHEMA,
    },
    document_rows,
)
"""The stage's tables are kept per cache shard: a re-run concatenates them (`cache.Fragments`)."""


def write_tables(params: Params, store: cache.DocCache) -> tuple[Tally, dict[str, int]]:
    """Write the events table and the interim arguments and mentions from the cache.

    Documents in doc_id order (the documents table's). Returns the report's counts and the
    rows written to each table.
    """
    targets = {
        "events": TableWriter(TABLES["events"], ungrouped_events_path(params), drop=GROUP_COLUMNS),
        "arguments": TableWriter(ARGUMENT_SCHEMA, arguments_path(params)),
        "mentions": TableWriter(MENTION_SCHEMA, mentions_path(params)),
    }
    counts = []
    with targets["events"], targets["arguments"], targets["mentions"]:
        for fragments in store.tables():
            for name, writer in targets.items():
                writer.write_table(fragments[name])
            counts.append(fragments["tally"])
    tally = Tally()
    if counts:
        summed = pa.concat_tables(counts).group_by(["counter", "key"]).aggregate([("n", "sum")])
        for row in summed.to_pylist():
            getattr(tally, row["counter"])[row["key"]] += row["n_sum"]
    written = {
        "events": targets["events"].n_rows,
        "participants": targets["arguments"].n_rows,
        "mentions": targets["mentions"].n_rows,
    }
    return tally, written


# --- the stage --------------------------------------------------------------------------------


def run(params: Params) -> None:
    """Correct every document's mentions; extract dated events and their participants."""
    store = cache.DocCache(cache_path(params, "events"), stage_version(params), FRAGMENTS)
    cache.build_with_recovery(lambda verify: build(params, store, verify), "events")


def build(params: Params, store: cache.DocCache, verify: bool) -> None:
    """Extract from the documents the cache lacks, then write the tables from the cache."""
    update_cache(params, store, verify)
    tally, written = write_tables(params, store)
    write_report(params, "events", tally.report())
    write_run_log(params, "events", {"cache": store.counts()})
    log.info(
        "events: %d events, %d participants, %d mentions (%d documents extracted, %d "
        "from cache); timexes not dating an event: %s",
        written["events"],
        written["participants"],
        written["mentions"],
        store.computed,
        store.reused,
        dict(sorted(tally.skipped.items())),
    )
