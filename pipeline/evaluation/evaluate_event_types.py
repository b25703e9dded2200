"""Event typing evaluation on the PLOVER gold-standard records (GSR): one sentence, one type.

The GSR (CC BY-SA 4.0, Open Event Data Alliance) is the CAMEO manual's example sentences, each
labelled with a PLOVER 0.5b1 event type. The old type names are mapped to the 16 types of the
v2.0 manual as SOURCES.md says: DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE,
FIGHT -> ASSAULT.

The system types a sentence as the pipeline types an event: it parses the sentence and takes
the highest predicate of the parse (breadth first from the root) that the lexicon types
(`pipeline.events.event_types.sentence_type`); a sentence with no typed predicate counts as wrong.
The lexicon was built without looking at these sentences, and its hand-written parts were
checked only against the `dev` half (records with an even position); `test` is the other half.

Baselines: the majority type (AGREE) for every sentence, and the bare verb codes of PETRARCH-2
(no patterns, nouns or complements).

Usage:
    python -m pipeline.evaluation.evaluate_event_types --gold FILE --out metrics/event-types.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from pipeline.core.config import load_params
from pipeline.core.io import detail_path, skip_evaluation, write_metrics
from pipeline.events.event_types import PLOVER_TYPES, Lexicon, Typing, load_lexicon, sentence_type

OLD_NAMES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}


@dataclass(frozen=True)
class Record:
    """One gold sentence and its type."""

    record_id: str
    text: str
    gold: str
    split: str


def read_gsr(path: Path) -> list[Record]:
    """The labelled sentences of the GSR file (the DOCUMENT header record skipped)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    records = [r for r in data if r.get("event") != "DOCUMENT"]
    out = []
    for position, r in enumerate(records):
        gold = OLD_NAMES.get(r["event"], r["event"])
        if gold not in PLOVER_TYPES:
            raise ValueError(f"{path}: record {r.get('id')}: unknown event type {r['event']!r}")
        out.append(Record(r["id"], r["text"].strip(), gold, "dev" if position % 2 == 0 else "test"))
    return out


class BareVerbs(Lexicon):
    """The lexicon reduced to PETRARCH-2's bare verb codes (the second baseline)."""

    def classify(self, trigger: Token, told: object = None) -> Typing | None:
        """Only the verb's own code: no complements, nouns, patterns or modality."""
        if trigger.pos_ not in {"VERB", "AUX"}:
            return None
        entries = self.verbs.get(trigger.lemma_.lower(), [])
        entry = next((e for e in entries if not e["particle"]), None)
        return Typing(entry["plover"] or None, entry["cameo"] or None, "verb") if entry else None


def accuracy(records: Sequence[Record], predicted: Sequence[str | None]) -> dict[str, object]:
    """Accuracy, coverage and per-type precision/recall/F1."""
    correct = sum(r.gold == p for r, p in zip(records, predicted, strict=True))
    typed = sum(p is not None for p in predicted)
    per_type = {}
    for kind in PLOVER_TYPES:
        tp = sum(r.gold == kind and p == kind for r, p in zip(records, predicted, strict=True))
        n_pred = sum(p == kind for p in predicted)
        n_gold = sum(r.gold == kind for r in records)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_type[kind] = {
            "gold": n_gold,
            "predicted": n_pred,
            "p": round(precision, 4),
            "r": round(recall, 4),
            "f1": round(f1, 4),
        }
    return {
        "sentences": len(records),
        "correct": correct,
        "accuracy": round(correct / len(records), 4) if records else 0.0,
        "typed": typed,
        "accuracy_when_typed": round(
            sum(r.gold == p for r, p in zip(records, predicted, strict=True) if p is not None)
            / typed,
            4,
        )
        if typed
        else 0.0,
        "per_type": per_type,
    }


def by_split(records: Sequence[Record], predicted: Sequence[str | None]) -> dict[str, object]:
    """Scores on all records and on each split."""
    out: dict[str, object] = {"all": accuracy(records, predicted)}
    for split in ("dev", "test"):
        pairs = [(r, p) for r, p in zip(records, predicted, strict=True) if r.split == split]
        out[split] = accuracy([r for r, _ in pairs], [p for _, p in pairs])
    return out


def predict(roots: Sequence[Sequence[Token]], lexicon: Lexicon) -> list[str | None]:
    """The type of each record (the roots of its parsed sentences, in order), None if untyped."""
    out = []
    for record_roots in roots:
        typing = next(
            (t for root in record_roots if (t := sentence_type(root, lexicon)[1]) is not None), None
        )
        out.append(typing.plover if typing else None)
    return out


def evaluate(
    records: Sequence[Record],
    model: str,
    errors: Callable[[Record, str | None], None] | None = None,
) -> dict[str, object]:
    """Score the lexicon and both baselines."""
    from pipeline.core.model import load_model

    nlp = load_model(model)
    roots = [[sent.root for sent in doc.sents] for doc in nlp.pipe(r.text for r in records)]
    lexicon = load_lexicon()
    predicted = predict(roots, lexicon)
    if errors is not None:
        for record, p in zip(records, predicted, strict=True):
            if record.gold != p:
                errors(record, p)
    bare = BareVerbs(lexicon.verbs, {}, {}, {}, {})
    majority = Counter(r.gold for r in records).most_common(1)[0][0]
    return {
        "chronicle": by_split(records, predicted),
        "baseline_bare_verbs": by_split(records, predict(roots, bare)),
        "baseline_majority": by_split(records, [majority] * len(records)),
        "majority_type": majority,
        "type_map": OLD_NAMES,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; skips cleanly when the GSR file is absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gold", required=True, type=Path, help="PLOVER_GSR_CAMEO.txt")
    parser.add_argument("--out", type=Path, help="write the metrics as JSON here")
    parser.add_argument(
        "--errors", choices=["dev", "test", "all"], help="print the wrong sentences of this split"
    )
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        return skip_evaluation(args.gold, args.out, args.out and detail_path(args.out))

    def show(record: Record, predicted: str | None) -> None:
        if args.errors in {record.split, "all"}:
            print(f"{record.gold:>10} <- {predicted!s:<10} {record.text}")

    result = evaluate(read_gsr(args.gold), load_params().nlp.model, show)
    for name in ("baseline_majority", "baseline_bare_verbs", "chronicle"):
        row = result[name]
        print(
            f"{name:<20} "
            + "  ".join(f"{split} {row[split]['accuracy']:.3f}" for split in ("all", "dev", "test"))
        )
    if args.out:  # the per-type figures go to OUT-detail.json
        write_metrics(result, args.out, ("per_type", "type_map"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
