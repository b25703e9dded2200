"""Check: how often a geocoded place's country is not among its document's other countries.

Runs the model's named entities over a corpus (the BBC news articles, read in place), makes one
place per label and name key as the entities stage does, and geocodes the places twice in the
same run: with the geocoder of a base revision (its `pipeline/entities/geocode.py` and lexicons
read from git) and with this checkout's (`geocode_in_context`). For each document, each geocoded
place whose document has other geocoded places counts once; it is inconsistent when its country
is none of the countries of those other places. A lower share means fewer places put in a country
the document does not otherwise mention ("Ontario" in California, "Kent" in Washington state).

    python -m benchmarks.geocode_consistency [--corpus ../shared/data/corpus/bbc] [--base REV]
        [--places FILE]

`--places FILE` keeps the named entities found (a JSON list of per-document places: names and
labels only) so that a second run skips the model; it is not written under the project. Writes
``benchmarks/results/geocode-consistency.json``: counts and names of places only, no text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "benchmarks" / "results" / "geocode-consistency.json"
LABELS = ("GPE", "LOC")
GEOCODE = "pipeline/entities/geocode.py"


def git(*args: str) -> str:
    """The output of a git command run in the project."""
    return subprocess.run(
        ["git", *args], cwd=PROJECT, check=True, capture_output=True, text=True
    ).stdout.strip()


def find_places(corpus: Path, model: str) -> list[list[tuple[str, str]]]:
    """Per document (by path), the (text, label) of each GPE and LOC entity the model finds."""
    from pipeline.core.model import load_model

    nlp = load_model(model, exclude=["lemmatizer"])
    paths = sorted(corpus.rglob("*.txt"))
    if not paths:
        sys.exit(f"{corpus}: no .txt files; pass --corpus the folder of the BBC articles")
    texts = (path.read_text(encoding="utf-8") for path in paths)
    return [
        [(ent.text, ent.label_) for ent in doc.ents if ent.label_ in LABELS]
        for doc in nlp.pipe(texts, batch_size=64, disable=["parser", "tagger"])
    ]


def base_geocoder(rev: str, folder: Path) -> ModuleType:
    """The geocode module of revision `rev`, with its own lexicons, imported from `folder`."""
    (folder / "lexicons").mkdir(parents=True)
    (folder / "geocode_base.py").write_text(git("show", f"{rev}:{GEOCODE}") + "\n")
    listing = git("ls-tree", "--name-only", f"{rev}:pipeline/entities/lexicons").split()
    for name in listing:
        text = git("show", f"{rev}:pipeline/entities/lexicons/{name}")
        (folder / "lexicons" / name).write_text(text + "\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("geocode_base", folder / "geocode_base.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["geocode_base"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def entities(docs: list[list[tuple[str, str]]]) -> dict[str, dict]:
    """One place per label and name key: its names (most used first) and its documents.

    An alias of the alias table ("UK", "the US") names its canonical entity, as in the entities
    stage.
    """
    from pipeline.events.kb import load_knowledge_base
    from pipeline.events.mentions import name_key

    kb = load_knowledge_base(None)
    names: dict[str, Counter] = {}
    doc_ids: dict[str, list[str]] = {}
    for number, places in enumerate(docs):
        for text, label in places:
            known = kb.lookup(text)
            if known is not None:
                text, label = known.canonical, known.label
            key = f"{label}|{name_key(text)}"
            names.setdefault(key, Counter())[" ".join(text.split())] += 1
            if doc_ids.setdefault(key, []) == [] or doc_ids[key][-1] != str(number):
                doc_ids[key].append(str(number))
    return {
        key: {
            "names": [n for n, _ in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))],
            "label": key.split("|")[0],
            "doc_ids": doc_ids[key],
        }
        for key, count in names.items()
    }


def consistency(places: dict[str, dict], found: dict) -> dict:
    """The share of places (per document) whose country none of the document's other places has.

    Counted for every geocoded place, and apart for cities and divisions, the places whose
    country the geocoder chooses (a country's or continent's is its name's).
    """
    every = inconsistency(places, found, lambda place: True)
    local = inconsistency(places, found, lambda place: place.precision in {"city", "admin1"})
    return {
        **every,
        "cities_and_divisions": local,
        "entities_geocoded": sum(found.get(key) is not None for key in places),
    }


def inconsistency(places: dict[str, dict], found: dict, counted_place) -> dict:
    """Counts of the places that `counted_place` selects, and of the inconsistent among them."""
    by_doc: dict[str, dict[str, str]] = {}
    for key, place in places.items():
        country = found.get(key) and found[key].country_code
        if country:
            for doc_id in place["doc_ids"]:
                by_doc.setdefault(doc_id, {})[key] = country
    counted = inconsistent = 0
    for countries in by_doc.values():
        for key, country in countries.items():
            others = {c for k, c in countries.items() if k != key}
            if others and counted_place(found[key]):
                counted += 1
                inconsistent += country not in others
    return {
        "places_counted": counted,
        "inconsistent": inconsistent,
        "share_inconsistent": round(inconsistent / counted, 4) if counted else None,
    }


def describe(place: object | None) -> str | None:
    """`CC precision` of a geocode."""
    return f"{place.country_code} {place.precision}" if place is not None else None


def changes(places: dict[str, dict], before: dict, after: dict) -> list[dict]:
    """The places whose geocode changed, the most documents first."""
    changed = [
        {
            "name": place["names"][0],
            "label": place["label"],
            "n_documents": len(place["doc_ids"]),
            "before": describe(before.get(key)),
            "after": describe(after.get(key)),
        }
        for key, place in places.items()
        if describe(before.get(key)) != describe(after.get(key))
    ]
    return sorted(changed, key=lambda c: (-c["n_documents"], c["name"]))


def main(argv: list[str] | None = None) -> None:
    """Measure the base revision's geocoder and this checkout's on the same places."""
    from pipeline.core.config import load_params
    from pipeline.entities.geocode import Place, build_gazetteer, geocode_in_context

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument(
        "--base", default=None, help="base revision (default: merge-base with main)"
    )
    parser.add_argument("--places", type=Path, help="JSON file to keep the places found")
    args = parser.parse_args(argv)
    base = args.base or git("merge-base", "HEAD", "main")
    params = load_params(PROJECT / "params.yaml")
    if args.places and args.places.exists():
        docs = json.loads(args.places.read_text())
    else:
        docs = find_places(args.corpus, params.nlp.model)
        if args.places:
            args.places.write_text(json.dumps(docs))
    places = entities(docs)
    population = params.entities.min_city_population
    with tempfile.TemporaryDirectory() as tmp:
        old = base_geocoder(base, Path(tmp))
        old_gazetteer = old.build_gazetteer(population)
        before = {
            key: old.geocode(p["names"], p["label"], old_gazetteer) for key, p in places.items()
        }
    after = geocode_in_context(
        {key: Place(p["names"], p["label"], p["doc_ids"]) for key, p in places.items()},
        build_gazetteer(population),
    )
    changed = changes(places, before, after)
    result = {
        "corpus": f"{args.corpus.name}: {len(docs)} documents",
        "base": git("rev-parse", "--short", base),
        "head": git("rev-parse", "--short", "HEAD"),
        "head_dirty": bool(git("status", "--porcelain", "pipeline")),
        "measured": dt.date.today().isoformat(),
        "before": consistency(places, before),
        "after": consistency(places, after),
        "n_changed": len(changed),
        "changed": changed[:40],
    }
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for side in ("before", "after"):
        print(f"{side}: {result[side]}")
    print(f"{len(changed)} places changed; written to {RESULTS.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
