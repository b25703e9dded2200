"""Stage 5, entities: canonical entities from mentions, and entity ids for every participant.

Within a document, mentions are clustered and relabelled by majority (see `pipeline.mentions`);
across the corpus, clusters with the same label and name key are one entity, and a lone last
name joins the only full name ending in it ("Khrushchev" and "Nikita Khrushchev").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

from pipeline import ids
from pipeline.config import Params
from pipeline.events import arguments_path
from pipeline.io import read_table, write_table
from pipeline.mentions import Mention, from_spans, resolve_document, surname_targets
from pipeline.nlp import spans_path
from pipeline.stage import log, main, table_path, write_report
from schemas import TABLES


def entity_keys(mentions: Iterable[Mention]) -> dict[str, tuple[str, str]]:
    """(label, key) of the entity each mention names, merging last names across documents."""
    mentions = list(mentions)
    person_keys = {m.cluster for m in mentions if m.label == "PERSON"}
    surnames = surname_targets(person_keys)
    keys = {}
    for m in mentions:
        key = m.cluster
        if m.label == "PERSON" and " " not in key:
            key = surnames.get(key, key)
        keys[m.mention_id] = (m.label, key)
    return keys


def canonical_name(names: Iterable[str]) -> str:
    """The fullest name used: most words, then most often used, then alphabetical."""
    counts = Counter(names)
    return min(counts, key=lambda n: (-len(n.split()), -counts[n], n))


def build(mentions: list[Mention]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions and entities tables from resolved mentions of the whole corpus."""
    keys = entity_keys(mentions)
    entity_of = {mid: ids.make_id("entity", label, key) for mid, (label, key) in keys.items()}
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        grouped[entity_of[m.mention_id]].append(m)
    entities = pd.DataFrame([{
        "entity_id": entity_id,
        "name": canonical_name(m.name for m in group),
        "label": group[0].label,
        "aliases": sorted({" ".join(m.text.split()) for m in group}),
        "n_mentions": len(group),
        "n_documents": len({m.doc_id for m in group}),
    } for entity_id, group in grouped.items()], columns=list(TABLES["entities"].schema.columns))
    rows = pd.DataFrame([{
        "mention_id": m.mention_id, "doc_id": m.doc_id, "sentence_id": m.sentence_id,
        "start_char": m.start_char, "end_char": m.end_char, "text": m.text, "label": m.label,
        "model_label": m.model_label, "entity_id": entity_of[m.mention_id],
    } for m in mentions], columns=list(TABLES["mentions"].schema.columns))
    return rows, entities


def resolve_corpus(spans: pd.DataFrame) -> tuple[list[Mention], Counter]:
    """Clean and cluster the model's spans document by document."""
    kept, dropped = from_spans(spans.to_dict("records"))
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in kept:
        by_doc[m.doc_id].append(m)
    return [m for doc_id in sorted(by_doc) for m in resolve_document(by_doc[doc_id])], dropped


def run(params: Params) -> None:
    """Write mentions, entities and participants (with entity ids)."""
    spans = read_table(spans_path(params))
    mentions, dropped = resolve_corpus(spans)
    mention_rows, entities = build(mentions)
    arguments = read_table(arguments_path(params))
    entity_of = dict(zip(mention_rows["mention_id"], mention_rows["entity_id"], strict=True))
    arguments["entity_id"] = arguments["mention_id"].map(entity_of)
    write_table(mention_rows, TABLES["mentions"], table_path(params, "mentions"))
    write_table(entities, TABLES["entities"], table_path(params, "entities"))
    write_table(arguments, TABLES["participants"], table_path(params, "participants"))
    relabelled = int((mention_rows["label"] != mention_rows["model_label"]).sum())
    write_report(params, "entities", {"spans_dropped": dict(sorted(dropped.items())),
                                      "mentions_relabelled": relabelled})
    log.info("entities: %d mentions -> %d entities; %d relabelled by majority; spans dropped: %s",
             len(mention_rows), len(entities), relabelled, dict(dropped) or "none")


if __name__ == "__main__":
    main(run)
