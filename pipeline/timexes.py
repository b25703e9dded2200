"""Stage 3, timexes: temporal expressions found and normalised to TimeML values and intervals.

The rule-based tagger in `pipeline.temporal` does the work; this stage feeds it each document's
text, its reference time (publication date for news, the story's own dates for narrative), the
model's part-of-speech tags (to reject "may" the verb) and, if asked, the model's DATE/TIME
entities as extra candidates. Results are cached per document, so a re-run only tags documents
whose text, reference time or parse changed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from pathlib import Path

from pipeline import cache, ids, temporal
from pipeline.config import Params
from pipeline.io import TableWriter, iter_rows
from pipeline.stage import cache_path, log, main, table_path, write_run_log
from schemas import TABLES


def token_hints(segment: dict) -> list[temporal.Token]:
    """The parser's view of each token of a segment, for the tagger's false-positive filters."""
    return [temporal.Token(start, end, pos, tag) for start, end, pos, tag in
            zip(segment["start"], segment["end"], segment["pos"], segment["tag"], strict=True)]


def timex_rows(doc_id: str, text: str, found: list[temporal.Timex],
               sentences: list[dict]) -> list[dict]:
    """Rows of the timexes table for one document's tagger output."""
    starts = [s["start_char"] for s in sentences]
    rows = []
    for t in found:
        position = max(0, bisect.bisect_right(starts, t.start) - 1)
        rows.append({
            "timex_id": ids.span_id("timex", doc_id, t.start, t.end), "doc_id": doc_id,
            "sentence_id": sentences[position]["sentence_id"], "start_char": t.start,
            "end_char": t.end, "text": text[t.start:t.end], "type": t.type, "value": t.value,
            "date_start": t.date_start, "date_end": t.date_end, "precision": t.precision,
            "mod": t.mod, "edtf": t.edtf, "anchor": t.anchor, "anchor_value": t.anchor_value,
            "rule": t.rule,
        })
    return rows


def tag_document(segments: list[dict], text: str, published: dt.date | None,
                 anchor_mode: str, use_model: bool) -> list[temporal.Timex]:
    """Run the temporal tagger over one parsed document, segment by segment.

    `segments` are the nlp stage's token summaries. A normal document is one segment; a very
    long one is tagged a segment at a time (bounded memory), with the narrative's reference
    time carried across segment boundaries.
    """
    ends = [s["offset"] for s in segments[1:]] + [len(text)]
    parts = ((s["offset"], text[s["offset"]:end], token_hints(s),
              [tuple(span) for span in s["time_spans"]] if use_model else ())
             for s, end in zip(segments, ends, strict=True))
    return temporal.tag_segments(parts, dct=published, mode=anchor_mode)


def parsed_path(params: Params, doc_id: str) -> Path:
    """The nlp stage's cache entry for a document (its rows, token summaries and parse)."""
    return cache_path(params, "nlp") / f"{doc_id}{cache.SUFFIX}"


def stage_version(params: Params) -> str:
    """What cached timexes depend on: the tagger's code, its params and the parse."""
    nlp_version = (cache_path(params, "nlp") / cache.VERSION_FILE).read_text()
    return cache.version_of(Path(__file__), Path(temporal.__file__).parent,
                            settings={"timexes": params.timexes.__dict__, "nlp": nlp_version})


def run(params: Params) -> None:
    """Tag and normalise the temporal expressions of every document."""
    store = cache.DocCache(cache_path(params, "timexes"), stage_version(params))
    seen: set[str] = set()
    tagged = 0
    columns = ["doc_id", "text", "published", "anchor_mode"]
    with TableWriter(TABLES["timexes"], table_path(params, "timexes")) as out:
        for document in iter_rows(table_path(params, "documents"), columns):
            doc_id, reference = document["doc_id"], [document["published"],
                                                     document["anchor_mode"]]
            seen.add(doc_id)
            entry = store.get(doc_id)
            parse_digest = cache.digest_of(parsed_path(params, doc_id))
            if entry is None or entry[0]["reference"] != reference \
                    or entry[0]["parse"] != parse_digest:
                parse = cache.decode(parsed_path(params, doc_id).read_bytes())[0]
                sentences = parse["sentences"]
                found = tag_document(parse["segments"], document["text"],
                                     document["published"], document["anchor_mode"],
                                     params.timexes.model_candidates)
                rows = timex_rows(doc_id, document["text"], found, sentences) \
                    if sentences else []
                store.put(doc_id, cache.encode({"reference": reference, "rows": rows,
                                                "parse": parse_digest}))
                tagged += 1
            else:
                rows = entry[0]["rows"]
            out.write(rows)
    store.keep_only(seen)
    write_run_log(params, "timexes", {"cache": store.counts(), "tagged": tagged})
    log.info("timexes: %d expressions in %d documents (%d tagged, %d from cache)",
             out.n_rows, len(seen), tagged, len(seen) - tagged)


if __name__ == "__main__":
    main(run)
