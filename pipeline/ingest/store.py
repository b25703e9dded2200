"""The cache of documents read (`paths.cache`/ingest): a re-run reads new or changed files only.

A document is kept under its bytes' sha256, with what else it was read from (its path and
manifest row); an entry is used only while the code, params and libraries it was made with are
the same (`stage_version`).
"""

from __future__ import annotations

import dataclasses
import importlib.metadata

from pipeline.core import cache
from pipeline.core.codedeps import code_paths
from pipeline.core.config import IngestParams
from pipeline.ingest.discover import Found
from pipeline.ingest.manifest import ManifestEntry
from pipeline.ingest.read import Document, Group

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
    """What one document is read from, besides its bytes (its entry's name): paths and metadata.

    Every copy's path is an input: the document's row lists them all. The entry's fields
    are read one by one: `dataclasses.asdict` deep-copies, a cost paid for every document.
    """
    return {
        "path": copies[0].path,
        "paths": sorted(copy.path for copy in copies),
        "manifest": {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)},
    }


def usable_entries(store: cache.DocCache | None, groups: list[Group]) -> set[str]:
    """sha256 of the groups an earlier run read; entries of files no longer in raw/ are dropped.

    The groups come in doc_id order, which is their sha256's order, so the store asks a shard
    at a time (`DocCache.stale_keys`).
    """
    if store is None:
        return set()
    stale = store.stale_keys(
        ((copies[0].sha256, cache_inputs(copies, entry)) for copies, entry in groups),
        [],
        lambda _, inputs: inputs,
        verify=False,
    )
    every = {copies[0].sha256 for copies, _ in groups}
    store.keep_only(every)
    return every - {key for key, _ in stale}


def store_document(
    store: cache.DocCache, copies: list[Found], entry: ManifestEntry, document: Document
) -> None:
    """Keep a document read, under its bytes' sha256."""
    store.write(
        copies[0].sha256,
        [
            cache.dump_json({"inputs": cache_inputs(copies, entry)}),
            cache.dump_json({"row": document.row, "examples": document.examples}),
        ],
    )
    store.computed += 1
