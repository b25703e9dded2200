"""The timexes stage's per-document cache entries, as it and the events stage read them.

An entry (`pipeline.core.cache`), in the shards of ``<paths.cache>/timexes/`` and read by
doc_id (`entries`), is two JSON parts:
a header ``{"inputs": ...}`` (what the rows were made from: the document's parse and its
reference time) and the document's rows of the timexes table, dates kept as dates. The
timexes stage writes them (`pipeline.timexes.stage.tag_missing`).
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.core import cache
from pipeline.core.config import Params
from pipeline.core.stage import cache_path


def entries(params: Params) -> cache.Shards:
    """The timexes cache's entries, read by doc_id."""
    return cache.reader(cache_path(params, "timexes"))


def read_rows(entry: Iterable[bytes]) -> list[dict]:
    """The document's rows of the timexes table, from its entry's parts (each checked)."""
    _, rows = list(entry)
    return cache.load_json(rows)
