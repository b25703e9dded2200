"""Benchmark: what each spaCy component costs on a corpus, and which outputs read its work.

    python -m benchmarks.components [--corpus ../shared/data/corpus/bbc] [--sample 100] [--limit N]

Three measurements in one run, with the model and batch size of params.yaml:

1. **Cost.** The texts are tokenised, then each component of the pipeline runs in turn over
   the same batch of Docs, in one process, timed on its own (a component that listens to
   ``tok2vec`` reads the vectors ``tok2vec`` left on the Doc, as in ``nlp.pipe``). Each
   component's share of the model's time is what leaving it out could save at most. The
   model as the nlp stage loads it (with the drop-ins of `pipeline.nlp.fast`) is timed the
   same way on each batch right after the stock model, so a loaded machine slows both alike.
2. **Identity.** On every document, every token attribute the parse store keeps (`STORED`:
   those a spaCy ``DocBin`` holds) from the nlp stage's model is compared with the stock
   model's; the count of documents where any differs must be 0.
3. **Use.** On the first ``--sample`` documents, the model is loaded without each component
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

import numpy
import yaml
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.core.model import load_model
from pipeline.nlp import fast

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


STORED = (
    "ORTH", "NORM", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID",
    "LEMMA", "MORPH", "POS", "SENT_START",
)  # fmt: skip
"""The token attributes the parse store keeps: a spaCy ``DocBin``'s (`pipeline.nlp.store`)."""


def texts_of(corpus: Path) -> list[str]:
    """The corpus's texts, in sorted path order."""
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.rglob("*.txt"))]


def run_batch(nlp: Language, texts: list[str], seconds: dict[str, float]) -> list[Doc]:
    """`texts` through `nlp`, the tokenizer then each component, adding up each one's time."""
    begin = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    seconds["tokenizer"] = seconds.get("tokenizer", 0.0) + time.perf_counter() - begin
    for name, component in nlp.pipeline:
        begin = time.perf_counter()
        docs = list(component.pipe(docs, batch_size=len(texts)))
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - begin
    return docs


def differing(stock: list[Doc], quick: list[Doc], found: dict[str, int]) -> int:
    """How many Docs of `quick` differ from `stock`'s; counts each stored attribute's in `found`."""
    n = 0
    for a, b in zip(stock, quick, strict=True):
        if a.text != b.text or len(a) != len(b):
            found["tokens"] = found.get("tokens", 0) + 1
            n += 1
            continue
        left, right = a.to_array(list(STORED)), b.to_array(list(STORED))
        bad = [
            attr for j, attr in enumerate(STORED) if not numpy.array_equal(left[:, j], right[:, j])
        ]
        for attr in bad:
            found[attr] = found.get(attr, 0) + 1
        n += bool(bad)
    return n


def component_seconds(model: str, texts: list[str], batch_size: int) -> dict:
    """Each component's seconds over `texts`, stock and as the nlp stage loads the model.

    Also counts the documents whose stored attributes differ between the two.
    """
    stock, quick = load_model(model), load_model(model, replace=fast.REPLACEMENTS)
    seconds: dict[str, float] = {}
    fast_seconds: dict[str, float] = {}
    found: dict[str, int] = {}
    n_differing = 0
    for start in range(0, len(texts), batch_size):
        batch = texts[start : start + batch_size]
        reference = run_batch(stock, batch, seconds)
        n_differing += differing(reference, run_batch(quick, batch, fast_seconds), found)
    return {
        "stock": seconds,
        "fast": fast_seconds,
        "fast_components": {n: type(c).__name__ for n, c in quick.pipeline},
        "identity": {
            "documents": len(texts),
            "documents_differing": n_differing,
            "by_attribute": found,
        },
    }


def bare_seconds(nlp: Language, texts: list[str], batch_size: int) -> float:
    """Seconds of plain ``nlp.pipe`` over `texts` in one process, for comparison."""
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


def report(model: str, texts: list[str], costs: dict, use: dict, bare: dict) -> dict:
    """The results as the JSON file holds them."""
    total, fast_total = sum(costs["stock"].values()), sum(costs["fast"].values())
    return {
        "model": model,
        "documents": len(texts),
        "bare_nlp_pipe_seconds": round(bare["stock"], 1),
        "components": {
            name: {"seconds": round(s, 1), "share": round(s / total, 3), **use.get(name, {})}
            for name, s in costs["stock"].items()
        },
        "fast": {
            "components": {
                name: {"seconds": round(s, 1), "share_of_stock_model": round(s / total, 3)}
                for name, s in costs["fast"].items()
            },
            "classes": costs["fast_components"],
            "sum_seconds": round(fast_total, 1),
            "sum_against_stock": round(fast_total / total, 3),
            "bare_nlp_pipe_seconds": round(bare["fast"], 1),
            "identity": costs["identity"],
        },
        "readers": READERS,
    }


def main() -> None:
    """Measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument("--sample", type=int, default=100, help="documents for the use check")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    parser.add_argument("--out", type=Path, default=RESULTS / "components.json")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return
    params = yaml.safe_load((PROJECT / "params.yaml").read_text())["nlp"]
    model, batch_size = params["model"], params["batch_size"]
    texts = texts_of(args.corpus)[: args.limit]
    costs = component_seconds(model, texts, batch_size)
    use = changed_without(model, texts[: args.sample])
    bare = {
        "stock": bare_seconds(load_model(model), texts, batch_size),
        "fast": bare_seconds(load_model(model, replace=fast.REPLACEMENTS), texts, batch_size),
    }
    results = report(model, texts, costs, use, bare)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    for name, row in results["components"].items():
        changed = row.get("documents_changed", row.get("error", ""))
        quick = results["fast"]["components"][name]["seconds"]
        print(
            f"{name:16} {row['seconds']:7.1f} s {row['share']:6.1%}  fast {quick:7.1f} s  {changed}"
        )
    print(
        f"sum {sum(costs['stock'].values()):.1f} s, fast {results['fast']['sum_seconds']} s; "
        f"bare nlp.pipe {results['bare_nlp_pipe_seconds']} s, fast "
        f"{results['fast']['bare_nlp_pipe_seconds']} s; documents differing: "
        f"{costs['identity']['documents_differing']} of {len(texts)} "
        f"{costs['identity']['by_attribute']}"
    )


if __name__ == "__main__":
    main()
