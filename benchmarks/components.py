"""Benchmark: what each spaCy component costs on a corpus, and which outputs read its work.

    python -m benchmarks.components [--corpus ../shared/data/corpus/bbc] [--sample 100]

Two measurements in one run, with the model and batch size of params.yaml:

1. **Cost.** The texts are tokenised, then each component of the pipeline runs in turn over
   the same batch of Docs, in one process, timed on its own (a component that listens to
   ``tok2vec`` reads the vectors ``tok2vec`` left on the Doc, as in ``nlp.pipe``). Each
   component's share of the model's time is what leaving it out could save at most.
2. **Use.** On the first ``--sample`` documents, the model is loaded without each component
   in turn, and the token attributes the parse store keeps (`pipeline.nlp.store`: sentence
   boundaries, tag, pos, dep, lemma and entity spans) are compared with the full model's.
   `READERS` says which published outputs read each attribute; a component whose attributes
   no output reads could be excluded (``load_model(exclude=...)``).

Prints a table and writes ``benchmarks/results/components.json``. Not a test: the seconds
depend on the machine; the shares are what to compare.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from pipeline.core.model import load_model

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "benchmarks" / "results"

READERS = {
    "sentences": "the sentences table; every table's sentence_id; timexes and events work a "
    "sentence at a time",
    "tag": "timexes (the tagger's part-of-speech filters read the token summary's tag)",
    "pos": "timexes (token summary), mentions (each span's pos), events (triggers)",
    "dep": "events: triggers, participants, modality, polarity, pronoun and title links",
    "lemma": "events: trigger lemma, event nouns, modality verbs, titles in coreference",
    "ents": "mentions, entities and participants; timexes' model candidates (DATE, TIME)",
}
"""Each attribute the parse store keeps, and the outputs that read it (from the code)."""

ATTRIBUTES: dict[str, Callable] = {
    "sentences": lambda doc: [t.is_sent_start for t in doc],
    "tag": lambda doc: [t.tag_ for t in doc],
    "pos": lambda doc: [t.pos_ for t in doc],
    "dep": lambda doc: [(t.dep_, t.head.i) for t in doc],
    "lemma": lambda doc: [t.lemma_ for t in doc],
    "ents": lambda doc: [(e.start_char, e.end_char, e.label_) for e in doc.ents],
}


def texts_of(corpus: Path) -> list[str]:
    """The corpus's texts, in sorted path order."""
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.rglob("*.txt"))]


def component_seconds(model: str, texts: list[str], batch_size: int) -> dict[str, float]:
    """Seconds each stage of the model takes over `texts`: the tokenizer, then each component."""
    nlp = load_model(model)
    seconds = dict.fromkeys(["tokenizer", *nlp.pipe_names], 0.0)
    for start in range(0, len(texts), batch_size):
        begin = time.perf_counter()
        docs = [nlp.make_doc(text) for text in texts[start : start + batch_size]]
        seconds["tokenizer"] += time.perf_counter() - begin
        for name, component in nlp.pipeline:
            begin = time.perf_counter()
            docs = list(component.pipe(docs, batch_size=batch_size))
            seconds[name] += time.perf_counter() - begin
    return seconds


def bare_seconds(model: str, texts: list[str], batch_size: int) -> float:
    """Seconds of plain ``nlp.pipe`` over `texts` in one process, for comparison."""
    nlp = load_model(model)
    begin = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - begin


def attributes(nlp: object, texts: list[str]) -> dict[str, list]:
    """Every attribute in `ATTRIBUTES` of every text, as the model `nlp` gives them."""
    docs = list(nlp.pipe(texts))  # type: ignore[attr-defined]
    return {name: [get(doc) for doc in docs] for name, get in ATTRIBUTES.items()}


def changed_without(model: str, texts: list[str]) -> dict[str, dict]:
    """For each component: the attributes that change when the model runs without it."""
    full = attributes(load_model(model), texts)
    found = {}
    for name in load_model(model).pipe_names:
        try:
            reduced = attributes(load_model(model, exclude=[name]), texts)
        except Exception as err:  # a component others cannot run without
            found[name] = {"runs_without_it": False, "error": f"{type(err).__name__}: {err}"[:200]}
            continue
        differ = {
            attr: sum(a != b for a, b in zip(full[attr], reduced[attr], strict=True))
            for attr in ATTRIBUTES
        }
        found[name] = {
            "runs_without_it": True,
            "documents_changed": {attr: n for attr, n in differ.items() if n},
        }
    return found


def main() -> None:
    """Measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument("--sample", type=int, default=100, help="documents for the use check")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return
    params = yaml.safe_load((PROJECT / "params.yaml").read_text())["nlp"]
    texts = texts_of(args.corpus)
    seconds = component_seconds(params["model"], texts, params["batch_size"])
    total = sum(seconds.values())
    use = changed_without(params["model"], texts[: args.sample])
    bare = bare_seconds(params["model"], texts, params["batch_size"])
    results = {
        "model": params["model"],
        "documents": len(texts),
        "bare_nlp_pipe_seconds": round(bare, 1),
        "components": {
            name: {
                "seconds": round(s, 1),
                "share": round(s / total, 3),
                **use.get(name, {}),
            }
            for name, s in seconds.items()
        },
        "readers": READERS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "components.json").write_text(json.dumps(results, indent=2) + "\n")
    for name, row in results["components"].items():
        changed = row.get("documents_changed", row.get("error", ""))
        print(f"{name:16} {row['seconds']:7.1f} s {row['share']:6.1%}  {changed}")
    print(f"sum {total:.1f} s; bare nlp.pipe {results['bare_nlp_pipe_seconds']} s")


if __name__ == "__main__":
    main()
