"""Stage 2, nlp: parse every document with spaCy once; later stages reuse the parse.

Writes the documents table (texts plus sentence counts and the model used), the sentences table,
the model's raw named-entity spans, and each parsed document as a spaCy ``DocBin`` file so the
dates, events and entities stages never run the model again.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab
from tqdm import tqdm

from pipeline import ids
from pipeline.config import Params
from pipeline.ingest import texts_path
from pipeline.io import atomic_path, read_table, write_frame, write_table
from pipeline.model import load_model, model_id
from pipeline.stage import log, main, stage_dir, table_path
from schemas import TABLES

SPAN_COLUMNS = ["doc_id", "sentence_id", "start_char", "end_char", "text", "label", "pos"]
"""Columns of the interim entity-span table; `pos` holds the tokens' parts of speech."""


def docs_dir(params: Params) -> Path:
    """Folder of parsed documents, one ``<doc_id>.spacy`` file each."""
    return stage_dir(params, "nlp") / "docs"


def spans_path(params: Params) -> Path:
    """The model's named-entity spans, before cleaning and linking (input of entities/events)."""
    return stage_dir(params, "nlp") / "ner_spans.parquet"


def save_doc(doc: Doc, target: Path) -> None:
    """Serialise one parsed document (tokens, tags, lemmas, parse, entities) atomically."""
    docbin = DocBin(store_user_data=False)
    docbin.add(doc)
    with atomic_path(target) as tmp:
        tmp.write_bytes(docbin.to_bytes())


def load_doc(source: Path, vocab: Vocab) -> Doc:
    """Read back a document written by `save_doc`; any English vocab will do."""
    return next(iter(DocBin().from_bytes(source.read_bytes()).get_docs(vocab)))


def sentence_rows(doc_id: str, doc: Doc) -> list[dict]:
    """Rows of the sentences table for one parsed document (whitespace-only sentences dropped)."""
    rows = []
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        end = start + len(text)
        rows.append({"sentence_id": ids.span_id("sentence", doc_id, start, end),
                     "doc_id": doc_id, "start_char": start, "end_char": end, "text": text})
    for index, row in enumerate(rows):
        row["sentence_index"] = index
    return rows


def sentence_of(sentences: list[dict], start_char: int) -> str:
    """Id of the sentence containing offset `start_char` (sentences sorted by start)."""
    starts = [row["start_char"] for row in sentences]
    return sentences[max(0, bisect.bisect_right(starts, start_char) - 1)]["sentence_id"]


def entity_span_rows(doc_id: str, doc: Doc, sentences: list[dict],
                     labels: Iterable[str]) -> list[dict]:
    """The model's named-entity spans with the wanted labels (dates and numbers excluded)."""
    wanted = set(labels)
    return [{"doc_id": doc_id, "sentence_id": sentence_of(sentences, ent.start_char),
             "start_char": ent.start_char, "end_char": ent.end_char, "text": ent.text,
             "label": ent.label_, "pos": " ".join(t.pos_ for t in ent)}
            for ent in doc.ents if ent.label_ in wanted]


def parse(nlp: Language, texts: pd.DataFrame, params: Params) -> Iterator[tuple[str, Doc]]:
    """Parse the texts in batches with `nlp.pipe`, yielding (doc_id, Doc) in input order."""
    nlp.max_length = max(nlp.max_length, int(texts["n_chars"].max() or 0) + 1)
    docs = nlp.pipe(texts["text"], batch_size=params.nlp.batch_size,
                    n_process=params.nlp.n_process)
    progress = tqdm(docs, total=len(texts), desc="nlp", unit="doc", file=sys.stderr,
                    disable=None, mininterval=2.0)
    yield from zip(texts["doc_id"], progress, strict=True)


def run(params: Params) -> None:
    """Parse each ingested text; write documents, sentences, entity spans and the parses."""
    texts = read_table(texts_path(params)).sort_values("doc_id", ignore_index=True)
    nlp = load_model(params.nlp.model)
    out_dir = docs_dir(params)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.spacy"):  # documents removed from raw/ must not linger
        stale.unlink()
    sentences: list[dict] = []
    spans: list[dict] = []
    n_sentences: dict[str, int] = {}
    for doc_id, doc in parse(nlp, texts, params) if len(texts) else ():
        save_doc(doc, out_dir / f"{doc_id}.spacy")
        rows = sentence_rows(doc_id, doc)
        n_sentences[doc_id] = len(rows)
        sentences.extend(rows)
        if rows:
            spans.extend(entity_span_rows(doc_id, doc, rows, params.nlp.entity_labels))
    documents = texts.assign(n_sentences=texts["doc_id"].map(n_sentences).astype("int64"),
                             model=model_id(nlp))
    write_table(documents, TABLES["documents"], table_path(params, "documents"))
    write_table(pd.DataFrame(sentences, columns=list(TABLES["sentences"].schema.columns)),
                TABLES["sentences"], table_path(params, "sentences"))
    write_frame(pd.DataFrame(spans, columns=SPAN_COLUMNS), spans_path(params),
                sort_by=["doc_id", "start_char", "end_char"])
    log.info("nlp: %d documents, %d sentences, %d entity spans (%s)",
             len(documents), len(sentences), len(spans), model_id(nlp))


if __name__ == "__main__":
    main(run)
