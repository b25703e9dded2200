"""The timexes stage's per-document cache entries, as it and the events stage read them.

An entry (`pipeline.core.cache`) is ``<paths.cache>/timexes/<doc_id>.spacy``, two JSON parts:
a header ``{"inputs": ...}`` (what the rows were made from: the document's parse and its
reference time) and the document's rows of the timexes table, dates kept as dates. The
timexes stage writes them (`pipeline.timexes.stage.tag_missing`).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core import cache
from pipeline.core.config import Params
from pipeline.core.stage import cache_path


def entry_path(params: Params, doc_id: str) -> Path:
    """A document's entry in the timexes cache."""
    return cache_path(params, "timexes") / f"{doc_id}{cache.SUFFIX}"


def read_rows(path: Path) -> list[dict]:
    """The document's rows of the timexes table; `cache.CorruptEntryError` if damaged."""
    _, rows = cache.read_entry(path)
    return cache.load_json(rows)
