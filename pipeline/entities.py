"""Stage 5, entities: canonical entities across the corpus, and entity ids for every participant.

The events stage has already corrected and clustered each document's mentions
(`pipeline.mentions.correct_document`); here the clusters of all documents become entities:

- same label and name key: one entity ("the United States" and "United States");
- a lone last name joins the only full person name ending in it in the corpus;
- known names: an alias ("USSR", "U.S.") joins its canonical entity ("Soviet Union",
  "United States") with the label and Wikidata QID of the alias table or the user's knowledge
  base (params `entities.kb`);
- demonyms: a NORP mention "Soviet" or "Americans" names its country's entity (the mention
  keeps its NORP label; the entity is the GPE);
- places (GPE, LOC) are geocoded offline (`pipeline.geocode`).

Each mention records how it joined its entity (`resolution`), and each entity gets a
`confidence` (see `confidence`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import ids
from pipeline.config import Params
from pipeline.events import arguments_path, mentions_path
from pipeline.geocode import Gazetteer, geocode, load_gazetteer
from pipeline.io import read_table, write_table
from pipeline.kb import KnowledgeBase, load_knowledge_base
from pipeline.mentions import Mention, name_key, surname_targets
from pipeline.stage import log, main, table_path, write_report
from schemas import TABLES

RESOLUTIONS = ("name", "surname", "alias", "kb", "demonym")
"""How a mention joined its entity: its own name, a last name of a full name, the built-in
alias table, the user's knowledge base, or a demonym of a country."""


@dataclass(frozen=True)
class Link:
    """The entity a mention names, and how that was decided."""

    label: str
    key: str
    resolution: str
    canonical: str | None = None
    """The name given by the alias table, knowledge base or demonym table, if any."""
    qid: str | None = None
    known: bool = False
    """The name itself is in the alias table or the knowledge base (its label is given)."""


def link_mentions(mentions: Iterable[Mention], kb: KnowledgeBase) -> dict[str, Link]:
    """The entity of each mention (by mention_id), merging across documents."""
    mentions = list(mentions)
    person_keys = {m.cluster for m in mentions if m.label == "PERSON"}
    surnames = surname_targets(person_keys)
    links = {}
    for m in mentions:
        demonym = kb.demonym(m.name) if m.label == "NORP" else None
        known = kb.lookup(m.cluster) or kb.lookup(m.name)
        if demonym is not None:
            links[m.mention_id] = Link(demonym.label, name_key(demonym.canonical), "demonym",
                                       demonym.canonical, demonym.qid)
        elif known is not None and (m.label != "NORP" or known.source == "kb"):
            key = name_key(known.canonical)
            how = "name" if name_key(m.name) == key else known.source
            links[m.mention_id] = Link(known.label, key, how, known.canonical, known.qid, True)
        else:
            key = m.cluster
            if m.label == "PERSON" and " " not in key:
                key = surnames.get(key, key)
            how = "name" if key == name_key(m.name) else "surname"
            links[m.mention_id] = Link(m.label, key, how)
    return links


def canonical_name(names: Iterable[str]) -> str:
    """The fullest name used: most words, then most often used, then alphabetical."""
    counts = Counter(names)
    return min(counts, key=lambda n: (-len(n.split()), -counts[n], n))


def confidence(group: list[Mention], links: dict[str, Link], label: str) -> float:
    """How sure we are that this is a real entity of this type, from 0 to 1.

    1 for a name in the alias table or the user's knowledge base (its label is given, not
    guessed). Otherwise label agreement x support. Label agreement: the share of the model's
    own spans among its mentions that the model gave the entity's label (propagated mentions
    and demonyms do not vote). Support: 1 - 0.5^n for n mentions (one mention 0.5, three 0.875).
    """
    if any(links[m.mention_id].known for m in group):
        return 1.0
    votes = [m.model_label == label for m in group
             if m.source == "model" and links[m.mention_id].resolution != "demonym"]
    agreement = sum(votes) / len(votes) if votes else 1.0
    return round(agreement * (1.0 - 0.5 ** len(group)), 3)


def entity_row(entity_id: str, group: list[Mention], links: dict[str, Link],
               gazetteer: Gazetteer | None) -> dict:
    """One row of the entities table."""
    first = links[group[0].mention_id]
    canonical = next((links[m.mention_id].canonical for m in group
                      if links[m.mention_id].canonical), None)
    name = canonical or canonical_name(m.name for m in group
                                       if links[m.mention_id].resolution != "demonym")
    qid = next((links[m.mention_id].qid for m in group if links[m.mention_id].qid), None)
    aliases = sorted({" ".join(m.text.split()) for m in group})
    place = geocode([name, *aliases], first.label, gazetteer) if gazetteer else None
    return {
        "entity_id": entity_id, "name": name, "label": first.label, "aliases": aliases,
        "n_mentions": len(group), "n_documents": len({m.doc_id for m in group}),
        "confidence": confidence(group, links, first.label), "qid": qid,
        "country_code": place.country_code if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "geo_precision": place.precision if place else None,
    }


def build(mentions: list[Mention], kb: KnowledgeBase | None = None,
          gazetteer: Gazetteer | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions and entities tables from the corrected mentions of the whole corpus."""
    links = link_mentions(mentions, kb or KnowledgeBase())
    entity_of = {mid: ids.make_id("entity", link.label, link.key) for mid, link in links.items()}
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        grouped[entity_of[m.mention_id]].append(m)
    entities = pd.DataFrame([entity_row(entity_id, group, links, gazetteer)
                             for entity_id, group in grouped.items()],
                            columns=list(TABLES["entities"].schema.columns))
    rows = pd.DataFrame([{
        "mention_id": m.mention_id, "doc_id": m.doc_id, "sentence_id": m.sentence_id,
        "start_char": m.start_char, "end_char": m.end_char, "text": m.text, "label": m.label,
        "model_label": m.model_label, "source": m.source, "entity_id": entity_of[m.mention_id],
        "resolution": links[m.mention_id].resolution,
    } for m in mentions], columns=list(TABLES["mentions"].schema.columns))
    return rows, entities


def read_mentions(path: Path) -> list[Mention]:
    """The corrected mentions the events stage saved."""
    frame = read_table(path)
    frame["model_label"] = frame["model_label"].astype(object).where(
        frame["model_label"].notna(), None)
    return [Mention(**row) for row in frame.to_dict("records")]


def run(params: Params) -> None:
    """Write mentions, entities and participants (with entity ids)."""
    mentions = read_mentions(mentions_path(params))
    kb = load_knowledge_base(params.entities.kb)
    gazetteer = load_gazetteer(params.entities.min_city_population) \
        if params.entities.geocode else None
    mention_rows, entities = build(mentions, kb, gazetteer)
    arguments = read_table(arguments_path(params))
    entity_of = dict(zip(mention_rows["mention_id"], mention_rows["entity_id"], strict=True))
    arguments["entity_id"] = arguments["mention_id"].map(entity_of)
    write_table(mention_rows, TABLES["mentions"], table_path(params, "mentions"))
    write_table(entities, TABLES["entities"], table_path(params, "entities"))
    write_table(arguments, TABLES["participants"], table_path(params, "participants"))
    report = {
        "mentions_per_resolution": dict(sorted(Counter(mention_rows["resolution"]).items())),
        "mentions_per_source": dict(sorted(Counter(mention_rows["source"]).items())),
        "entities_geocoded": int(entities["geo_precision"].notna().sum()),
        "entities_with_qid": int(entities["qid"].notna().sum()),
    }
    write_report(params, "entities", report)
    log.info("entities: %d mentions -> %d entities; %s", len(mention_rows), len(entities),
             report)


if __name__ == "__main__":
    main(run)
