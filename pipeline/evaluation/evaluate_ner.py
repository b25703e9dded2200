"""Named-entity evaluation: entity-level P/R/F1 on CoNLL-format gold (WikiGold, CoNLL-2003).

The model runs on each gold document's text, rebuilt by joining its tokens with spaces (one
sentence per line); predicted spans are mapped back onto the gold tokens by character offsets
and scored conlleval-style: a predicted entity counts only if its token extent and its type
are both exactly those of a gold entity; counts are micro-averaged over documents.

Two systems are scored on the same parse:
- `baseline`: the bare spaCy model's entities, labels mapped to PER/ORG/LOC/MISC;
- `chronicle`: the same spans after the pipeline's corrections (`pipeline.events.mentions`:
  mention filtering, document-level label consistency, the alias table and the optional
  knowledge base), exactly as the entities stage applies them.

Label mapping (OntoNotes -> CoNLL): PERSON -> PER; ORG -> ORG; GPE, LOC, FAC -> LOC; NORP,
EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE -> MISC. Spans with other labels (DATE, CARDINAL,
MONEY...) are not named entities in CoNLL and are dropped.

Usage:
    python -m pipeline.evaluation.evaluate_ner --gold FILE --out metrics/ner-NAME.json
"""

from __future__ import annotations

import argparse
import bisect
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from pipeline.core.config import load_params
from pipeline.core.io import skip_evaluation, write_json
from pipeline.events.kb import KnowledgeBase, load_knowledge_base
from pipeline.events.mentions import Mention, correct_document
from pipeline.nlp.store import entity_span_rows

CONLL_TYPES = ("PER", "ORG", "LOC", "MISC")

LABEL_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
"""Our (OntoNotes) labels to the four CoNLL types; labels not listed are not entities."""


@dataclass(frozen=True)
class Entity:
    """An entity as scored: a token extent [start, end) in its document and a CoNLL type."""

    start: int
    end: int
    type: str


@dataclass
class GoldDoc:
    """One gold document: its tokens (by sentence) and its entities."""

    sentences: list[list[str]]
    entities: list[Entity] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        """All tokens, in order."""
        return [t for sentence in self.sentences for t in sentence]


def _tag_type(tag: str) -> tuple[str, str]:
    """('B'|'I'|'O', type) from an IOB tag; WikiGold's stray '0' tag is read as 'O'."""
    if tag in {"O", "0"} or "-" not in tag:
        return "O", ""
    prefix, _, kind = tag.partition("-")
    return prefix, kind


def iob_entities(tags: Sequence[str], offset: int = 0) -> list[Entity]:
    """Entities of one sentence's IOB1 or IOB2 tags: runs of one type, split at each B- tag."""
    entities: list[Entity] = []
    start, kind = None, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, this = _tag_type(tag)
        if start is not None and (prefix == "O" or this != kind or prefix == "B"):
            entities.append(Entity(offset + start, offset + i, kind))
            start = None
        if prefix != "O" and start is None:
            start, kind = i, this
    return entities


def read_conll(path: Path) -> list[GoldDoc]:
    """Documents of a CoNLL file: token first, NER tag last; -DOCSTART- lines split documents."""
    docs: list[GoldDoc] = []
    sentences: list[list[str]] = []
    tags: list[list[str]] = []
    current: list[tuple[str, str]] = []

    def end_sentence() -> None:
        if current:
            sentences.append([t for t, _ in current])
            tags.append([g for _, g in current])
            current.clear()

    def end_document() -> None:
        end_sentence()
        if sentences:
            doc = GoldDoc([list(s) for s in sentences])
            offset = 0
            for sentence, sentence_tags in zip(sentences, tags, strict=True):
                doc.entities += iob_entities(sentence_tags, offset)
                offset += len(sentence)
            docs.append(doc)
        sentences.clear()
        tags.clear()

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            end_sentence()
        elif parts[0] == "-DOCSTART-":
            end_document()
        elif len(parts) < 2:
            raise ValueError(f"{path}:{number}: expected 'token ... tag', got {line!r}")
        else:
            current.append((parts[0], parts[-1]))
    end_document()
    return docs


def doc_text(doc: GoldDoc) -> tuple[str, list[int]]:
    """The document as the model sees it, and each token's start offset in that text.

    Tokens are joined by spaces, one sentence per line.
    """
    starts: list[int] = []
    lines: list[str] = []
    position = 0
    for sentence in doc.sentences:
        for token in sentence:
            starts.append(position)
            position += len(token) + 1
        lines.append(" ".join(sentence))
    return "\n".join(lines), starts


def to_tokens(start_char: int, end_char: int, starts: list[int]) -> tuple[int, int]:
    """Gold-token extent [first, last + 1) covering a character span."""
    first = max(0, bisect.bisect_right(starts, start_char) - 1)
    last = max(first, bisect.bisect_right(starts, end_char - 1) - 1)
    return first, last + 1


def spans_of(doc: Doc, labels: Iterable[str]) -> list[dict]:
    """The model's entity spans as the nlp stage records them (one document, no sentences)."""
    one_sentence = [{"sentence_id": "sen_0000000000000000", "start_char": 0}]
    return entity_span_rows("doc_0000000000000000", 0, doc, one_sentence, labels)


def baseline_entities(doc: Doc, starts: list[int]) -> list[Entity]:
    """The bare model: every entity span with a mapped label."""
    return [
        Entity(*to_tokens(e.start_char, e.end_char, starts), LABEL_MAP[e.label_])
        for e in doc.ents
        if e.label_ in LABEL_MAP
    ]


def chronicle_entities(
    doc: Doc, starts: list[int], labels: Iterable[str], kb: KnowledgeBase
) -> list[Entity]:
    """The pipeline's mentions after its per-document corrections, labels mapped."""
    mentions: list[Mention] = correct_document(spans_of(doc, labels), doc.text, kb)[0]
    return [
        Entity(*to_tokens(m.start_char, m.end_char, starts), LABEL_MAP[m.label])
        for m in mentions
        if m.label in LABEL_MAP
    ]


@dataclass
class Score:
    """Summed counts, overall and per type."""

    gold: Counter = field(default_factory=Counter)
    system: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)

    def add(self, gold: Iterable[Entity], system: Iterable[Entity]) -> None:
        """Count one document (exact extent and type)."""
        gold_set, system_set = set(gold), set(system)
        for entity in gold_set:
            self.gold[entity.type] += 1
        for entity in system_set:
            self.system[entity.type] += 1
            if entity in gold_set:
                self.correct[entity.type] += 1

    def metrics(self) -> dict[str, object]:
        """Micro P/R/F1 over all types, then per type."""
        out: dict[str, object] = _prf(
            sum(self.correct.values()), sum(self.system.values()), sum(self.gold.values())
        )
        out["per_type"] = {
            t: _prf(self.correct[t], self.system[t], self.gold[t]) for t in CONLL_TYPES
        }
        return out


def _prf(correct: int, system: int, gold: int) -> dict[str, object]:
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "p": round(p, 4),
        "r": round(r, 4),
        "f1": round(f, 4),
        "gold": gold,
        "system": system,
        "correct": correct,
    }


def parsed(docs: Sequence[GoldDoc], model: str) -> Iterator[tuple[GoldDoc, Doc, list[int]]]:
    """Each gold document with the model's parse of its text."""
    from pipeline.core.model import load_model

    nlp = load_model(model)
    texts = [doc_text(d) for d in docs]
    for gold, (_, starts), doc in zip(docs, texts, nlp.pipe(t for t, _ in texts), strict=True):
        yield gold, doc, starts


def evaluate(
    docs: Sequence[GoldDoc], model: str, labels: Sequence[str], kb: KnowledgeBase
) -> dict[str, object]:
    """Score the bare model and the pipeline on the same parses."""
    baseline, chronicle = Score(), Score()
    for gold, doc, starts in parsed(docs, model):
        baseline.add(gold.entities, baseline_entities(doc, starts))
        chronicle.add(gold.entities, chronicle_entities(doc, starts, labels, kb))
    return {
        "docs": len(docs),
        "tokens": sum(len(d.tokens) for d in docs),
        "chronicle": chronicle.metrics(),
        "baseline_spacy": baseline.metrics(),
        "label_map": LABEL_MAP,
        "model": model,
    }


def format_table(result: dict) -> str:
    """Plain-text table of both systems, overall and per type."""
    lines = [f"{'system':<10} {'type':<5} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'sys':>6}"]
    for name in ("baseline_spacy", "chronicle"):
        row = result[name]
        for kind, m in [("all", row), *row["per_type"].items()]:
            lines.append(
                f"{name:<10.10} {kind:<5} {m['p']:>6.3f} {m['r']:>6.3f} "
                f"{m['f1']:>6.3f} {m['gold']:>6} {m['system']:>6}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: score one gold file; skip cleanly when it is absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gold", required=True, type=Path, help="CoNLL-format gold file")
    parser.add_argument("--out", type=Path, help="write the metrics as JSON here")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        return skip_evaluation(args.gold, args.out)
    params = load_params()
    docs = read_conll(args.gold)
    started = time.perf_counter()
    result = evaluate(
        docs, params.nlp.model, params.nlp.entity_labels, load_knowledge_base(params.entities.kb)
    )
    print(format_table(result))
    print(f"{len(docs)} documents in {time.perf_counter() - started:.1f} s")
    if args.out:
        write_json(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
