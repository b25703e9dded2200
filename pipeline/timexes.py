"""Stage 3, timexes: temporal expressions found and normalised to TimeML values and intervals.

The rule-based tagger in `pipeline.temporal` does the work; this stage feeds it each document's
text, its reference time (publication date for news, the story's own dates for narrative), the
model's part-of-speech tags (to reject "may" the verb) and, if asked, the model's DATE/TIME
entities as extra candidates.
"""

from __future__ import annotations

import bisect
import datetime as dt

import pandas as pd
import spacy
from spacy.tokens import Doc

from pipeline import ids, temporal
from pipeline.config import Params
from pipeline.io import read_table, write_table
from pipeline.nlp import docs_dir, load_doc
from pipeline.stage import log, main, table_path
from schemas import TABLES

MODEL_TIME_LABELS = frozenset({"DATE", "TIME"})


def token_hints(doc: Doc) -> list[temporal.Token]:
    """The parser's view of each token, for the tagger's false-positive filters."""
    return [temporal.Token(t.idx, t.idx + len(t.text), t.pos_, t.tag_, t.lemma_) for t in doc]


def model_candidates(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the model's DATE and TIME entities."""
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ in MODEL_TIME_LABELS]


def timex_rows(doc_id: str, text: str, found: list[temporal.Timex],
               sentences: pd.DataFrame) -> list[dict]:
    """Rows of the timexes table for one document's tagger output."""
    starts = sentences["start_char"].tolist()
    sentence_ids = sentences["sentence_id"].tolist()
    rows = []
    for t in found:
        position = max(0, bisect.bisect_right(starts, t.start) - 1)
        rows.append({
            "timex_id": ids.span_id("timex", doc_id, t.start, t.end), "doc_id": doc_id,
            "sentence_id": sentence_ids[position], "start_char": t.start, "end_char": t.end,
            "text": text[t.start:t.end], "type": t.type, "value": t.value,
            "date_start": t.date_start, "date_end": t.date_end, "precision": t.precision,
            "mod": t.mod, "edtf": t.edtf, "anchor": t.anchor, "anchor_value": t.anchor_value,
            "rule": t.rule,
        })
    return rows


def tag_document(text: str, doc: Doc, published: dt.date | None, anchor_mode: str,
                 use_model: bool) -> list[temporal.Timex]:
    """Run the temporal tagger on one parsed document."""
    return temporal.tag(text, dct=published, mode=anchor_mode, tokens=token_hints(doc),
                        candidate_spans=model_candidates(doc) if use_model else ())


def run(params: Params) -> None:
    """Tag and normalise the temporal expressions of every document."""
    documents = read_table(table_path(params, "documents"), TABLES["documents"])
    sentences = read_table(table_path(params, "sentences"), TABLES["sentences"])
    by_doc = dict(tuple(sentences.groupby("doc_id", sort=False)))
    vocab = spacy.blank("en").vocab
    rows: list[dict] = []
    for document in documents.sort_values("doc_id").itertuples():
        if document.doc_id not in by_doc:
            continue  # no sentences, so nothing to date
        doc = load_doc(docs_dir(params) / f"{document.doc_id}.spacy", vocab)
        published = None if pd.isna(document.published) else document.published
        found = tag_document(document.text, doc, published, document.anchor_mode,
                             params.timexes.model_candidates)
        rows.extend(timex_rows(document.doc_id, document.text, found,
                               by_doc[document.doc_id].sort_values("start_char")))
    frame = pd.DataFrame(rows, columns=list(TABLES["timexes"].schema.columns))
    write_table(frame, TABLES["timexes"], table_path(params, "timexes"))
    log.info("timexes: %d expressions (%s)", len(frame),
             ", ".join(f"{k} {v}" for k, v in frame["type"].value_counts().sort_index().items()))


if __name__ == "__main__":
    main(run)
