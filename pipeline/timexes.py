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

import spacy
from spacy.tokens import Doc

from pipeline import cache, ids, temporal
from pipeline.config import Params
from pipeline.io import TableWriter, iter_rows
from pipeline.nlp import cache_dir as nlp_cache_dir
from pipeline.nlp import load_segments
from pipeline.stage import log, main, table_path, write_report
from schemas import TABLES

MODEL_TIME_LABELS = frozenset({"DATE", "TIME"})


def token_hints(doc: Doc, offset: int = 0) -> list[temporal.Token]:
    """The parser's view of each token, for the tagger's false-positive filters."""
    return [temporal.Token(offset + t.idx, offset + t.idx + len(t.text), t.pos_, t.tag_,
                           t.lemma_) for t in doc]


def model_candidates(doc: Doc, offset: int = 0) -> list[tuple[int, int]]:
    """Character spans of the model's DATE and TIME entities."""
    return [(offset + e.start_char, offset + e.end_char) for e in doc.ents
            if e.label_ in MODEL_TIME_LABELS]


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


def tag_document(parsed: list[tuple[int, Doc]], published: dt.date | None, anchor_mode: str,
                 use_model: bool) -> list[temporal.Timex]:
    """Run the temporal tagger over one parsed document, segment by segment.

    A normal document is one segment; a very long one is tagged a segment at a time (bounded
    memory), with the narrative's reference time carried across segment boundaries.
    """
    segments = ((offset, doc.text, token_hints(doc), model_candidates(doc) if use_model else ())
                for offset, doc in parsed)
    return temporal.tag_segments(segments, dct=published, mode=anchor_mode)


def stage_version(params: Params) -> str:
    """What cached timexes depend on: the tagger's code, its params and the parse."""
    nlp_version = (nlp_cache_dir(params) / cache.VERSION_FILE).read_text()
    return cache.version_of(Path(__file__), Path(temporal.__file__).parent,
                            settings={"timexes": params.timexes.__dict__, "nlp": nlp_version})


def run(params: Params) -> None:
    """Tag and normalise the temporal expressions of every document."""
    vocab = spacy.blank("en").vocab
    store = cache.DocCache(params.paths.cache / "timexes", stage_version(params))
    seen: set[str] = set()
    tagged = 0
    columns = ["doc_id", "text", "published", "anchor_mode"]
    with TableWriter(TABLES["timexes"], table_path(params, "timexes")) as out:
        for document in iter_rows(table_path(params, "documents"), columns):
            doc_id, reference = document["doc_id"], [document["published"],
                                                     document["anchor_mode"]]
            seen.add(doc_id)
            entry = store.get(doc_id)
            if entry is None or entry[0]["reference"] != reference:
                nlp_entry = nlp_cache_dir(params) / f"{doc_id}.spacy"
                sentences = cache.decode(nlp_entry.read_bytes())[0]["sentences"]
                found = tag_document(load_segments(nlp_entry, vocab), document["published"],
                                     document["anchor_mode"], params.timexes.model_candidates)
                rows = timex_rows(doc_id, document["text"], found, sentences) \
                    if sentences else []
                store.put(doc_id, cache.encode({"reference": reference, "rows": rows}))
                tagged += 1
            else:
                rows = entry[0]["rows"]
            out.write(rows)
    store.keep_only(seen)
    write_report(params, "timexes", {"cache": store.counts(), "tagged": tagged})
    log.info("timexes: %d expressions in %d documents (%d tagged, %d from cache)",
             out.n_rows, len(seen), tagged, len(seen) - tagged)


if __name__ == "__main__":
    main(run)
