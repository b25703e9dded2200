"""Stage 3, timexes: temporal expressions found and normalised to TimeML values and intervals.

The rule-based tagger in `pipeline.timexes.temporal` does the work; this stage feeds it each
document's text, its reference time (publication date for news, the story's own dates for
narrative), the model's part-of-speech tags (to reject "may" the verb) and, if asked, the
model's DATE/TIME entities as extra candidates. It reads the parse's token summaries from the
nlp cache, so it never loads spaCy. Results are cached per document and recomputed only when
the document's parse or reference time changed; new work runs on the engine
(`pipeline.core.engine`: ``nlp.n_process`` local processes, or Dask tasks).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable, Iterator

from pipeline.core import cache, ids
from pipeline.core.codedeps import code_paths
from pipeline.core.config import Params
from pipeline.core.engine import for_workers, map_items
from pipeline.core.io import TableWriter, iter_rows, plain_schema
from pipeline.core.progress import progress
from pipeline.core.stage import cache_path, log, table_path, write_run_log
from pipeline.nlp import store as parse_store
from pipeline.timexes import temporal
from pipeline.timexes.store import read_rows
from schemas import TABLES, arrow_schema

DOCUMENT_COLUMNS = ["doc_id", "text", "published", "anchor_mode"]


def token_hints(tokens: dict) -> list[temporal.Token]:
    """The parser's view of each token of a segment, for the tagger's false-positive filters."""
    return [
        temporal.Token(start, end, pos, tag)
        for start, end, pos, tag in zip(
            tokens["start"], tokens["end"], tokens["pos"], tokens["tag"], strict=True
        )
    ]


def timex_rows(
    doc_id: str, text: str, found: list[temporal.Timex], starts: list[int], sentence_ids: list[str]
) -> list[dict]:
    """Rows of the timexes table for one document's tagger output.

    `starts` and `sentence_ids` are the document's sentences (sorted by start), to place
    each expression in its sentence.
    """
    timex_ids = [ids.span_id("timex", doc_id, t.start, t.end) for t in found]
    others = range_partners(found, timex_ids)
    rows = []
    for t, timex_id in zip(found, timex_ids, strict=True):
        position = max(0, bisect.bisect_right(starts, t.start) - 1)
        rows.append(
            {
                "timex_id": timex_id,
                "doc_id": doc_id,
                "sentence_id": sentence_ids[position],
                "start_char": t.start,
                "end_char": t.end,
                "text": text[t.start : t.end],
                "type": t.type,
                "value": t.value,
                "date_start": t.date_start,
                "date_end": t.date_end,
                "year_start": t.year_start,
                "year_end": t.year_end,
                "precision": t.precision,
                "mod": t.mod,
                "edtf": t.edtf,
                "anchor": t.anchor,
                "anchor_value": t.anchor_value,
                "range_role": t.range_role if timex_id in others else None,
                "range_timex_id": others.get(timex_id),
                "rule": t.rule,
            }
        )
    return rows


def range_partners(found: list[temporal.Timex], timex_ids: list[str]) -> dict[str, str]:
    """The other end of each range's two ends, by timex_id.

    The tagger gives a range's end right after its start; an end whose partner did not come
    out (its value did not normalise) is no range.
    """
    others: dict[str, str] = {}
    for k in range(1, len(found)):
        if found[k].range_role == "end" and found[k - 1].range_role == "start":
            others[timex_ids[k - 1]], others[timex_ids[k]] = timex_ids[k], timex_ids[k - 1]
    return others


def tag_document(
    segments: Iterable[dict],
    text: str,
    published: dt.date | None,
    anchor_mode: str,
    use_model: bool,
) -> list[temporal.Timex]:
    """Run the temporal tagger over one parsed document, segment by segment.

    `segments` are the nlp stage's token summaries (offset, tokens, the model's DATE/TIME
    spans), consumed one at a time. A normal document is one segment; a very long one is
    tagged a segment at a time, with the narrative's reference time carried across
    segment boundaries.
    """

    def parts() -> Iterator[tuple[int, str, list[temporal.Token], list[tuple[int, int]]]]:
        for s in segments:
            end = s["end"][-1] if s["end"] else 0  # the segment's text ends with its last token
            yield (
                s["offset"],
                text[s["offset"] : s["offset"] + end],
                token_hints(s),
                [tuple(span) for span in s["time_spans"]] if use_model else [],
            )

    return temporal.tag_segments(parts(), dct=published, mode=anchor_mode)


def document_timexes(
    doc_id: str,
    text: str,
    parsed: Iterable[dict],
    published: dt.date | None,
    anchor_mode: str,
    use_model: bool,
) -> list[dict]:
    """Timex rows of one document, from the nlp stage's per-segment data (read lazily)."""
    starts: list[int] = []
    sentence_ids: list[str] = []

    def summaries() -> Iterator[dict]:
        for data in parsed:  # keep only what placing a timex in its sentence needs
            starts.extend(s["start_char"] for s in data["sentences"])
            sentence_ids.extend(s["sentence_id"] for s in data["sentences"])
            yield data["tokens"]

    found = tag_document(summaries(), text, published, anchor_mode, use_model)
    return timex_rows(doc_id, text, found, starts, sentence_ids) if starts else []


def stage_version(params: Params) -> str:
    """What cached timexes depend on, besides each document's inputs: code and params."""
    return cache.version_of(
        *code_paths("pipeline.timexes"), settings={"timexes": params.timexes.__dict__}
    )


def inputs_of(params: Params, document: dict) -> dict:
    """What one document's timexes are made from: its parse and its reference time."""
    return {
        "parse": parse_store.entries(params).digest(document["doc_id"]),
        "reference": [document["published"], document["anchor_mode"]],
    }


def tag_documents(params: Params, documents: list[dict]) -> list[bytes]:
    """Task: tag documents; returns each one's timex rows as JSON, in order (it writes nothing).

    Runs on the engine (`pipeline.core.engine`): `params` has absolute paths there.
    """
    found = []
    for document in documents:
        doc_id = document["doc_id"]
        parsed = parse_store.read_rows(parse_store.entries(params).parts(doc_id), tokens=True)
        rows = document_timexes(
            doc_id,
            document["text"],
            parsed,
            document["published"],
            document["anchor_mode"],
            params.timexes.model_candidates,
        )
        found.append(cache.dump_json(rows))
    return found


def tag_missing(params: Params, store: cache.DocCache, documents: Iterator[dict], n: int) -> None:
    """Tag `n` documents on the engine; write each one's cache entry as its rows come back."""
    tagged = map_items(
        functools.partial(tag_documents, for_workers(params)),
        documents,
        n,
        params.engine,
        params.nlp.processes,
    )
    for document, rows in progress(tagged, n, "timexes", "document"):
        header = cache.dump_json({"inputs": inputs_of(params, document)})
        store.write(document["doc_id"], [header, rows])
        store.computed += 1


FRAGMENTS = cache.Fragments(
    {"timexes": plain_schema(arrow_schema(TABLES["timexes"]))},
    lambda key, parts: {"timexes": read_rows(parts)},
)
"""The timexes table is kept per cache shard: a re-run concatenates it (`cache.Fragments`)."""


def run(params: Params) -> None:
    """Tag and normalise the temporal expressions of every document."""
    store = cache.DocCache(cache_path(params, "timexes"), stage_version(params), FRAGMENTS)
    cache.build_with_recovery(lambda verify: build(params, store, verify), "timexes")


def build(params: Params, store: cache.DocCache, verify: bool) -> None:
    """Tag the documents the cache lacks, then write the table from the cached rows."""
    documents = table_path(params, "documents")
    doc_ids: list[str] = []

    def references() -> Iterator[tuple[str, dict]]:
        for document in iter_rows(documents, ["doc_id", "published", "anchor_mode"]):
            doc_ids.append(document["doc_id"])
            yield document["doc_id"], document

    stale = store.stale_keys(
        references(),
        [parse_store.entries(params)],
        lambda _, document: inputs_of(params, document),
        verify,
    )
    store.keep_only(set(doc_ids))
    todo = {doc_id for doc_id, _ in stale}
    work = (d for d in iter_rows(documents, DOCUMENT_COLUMNS) if d["doc_id"] in todo)
    tag_missing(params, store, work, len(stale))
    store.finish(doc_ids)
    with TableWriter(TABLES["timexes"], table_path(params, "timexes")) as out:
        for fragments in store.tables():
            out.write_table(fragments["timexes"])
    write_run_log(params, "timexes", {"cache": store.counts()})
    log.info(
        "timexes: %d expressions in %d documents (%d tagged, %d from cache)",
        out.n_rows,
        len(doc_ids),
        store.computed,
        store.reused,
    )
