"""Stage 5, entities: canonical entities across the corpus, and entity ids for every participant.

The events stage owns the mentions: it has already corrected and clustered each document's
mentions (`pipeline.events.mentions.correct_document`) and written them, with the events'
participants, as the interim `mentions` and `arguments` files. Here the clusters of all
documents become entities:

- same label and name key: one entity ("the United States" and "United States");
- a lone last name joins the only full person name ending in it in the corpus;
- known names: an alias ("USSR", "U.S.") joins its canonical entity ("Soviet Union",
  "United States") with the label and Wikidata QID of the alias table or the user's knowledge
  base (params `entities.kb`);
- demonyms: a NORP mention "Soviet" or "Americans" names its country's entity (the mention
  keeps its NORP label; the entity is the GPE);
- places (GPE, LOC) are geocoded offline (`pipeline.entities.geocode`), a name known in several
  countries by the other places of the documents that mention it.

Each mention records how it joined its entity (`resolution`), and each entity gets a
`confidence` (see `confidence`).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core import ids
from pipeline.core.config import Params
from pipeline.core.io import TableWriter, iter_rows
from pipeline.core.stage import arguments_path, log, mentions_path, table_path, write_report
from pipeline.entities.geocode import (
    GEOCODED_LABELS,
    Gazetteer,
    Geocode,
    Place,
    geocode_in_context,
    load_gazetteer,
)
from pipeline.events.kb import KnowledgeBase, load_knowledge_base
from pipeline.events.mentions import NAME_KEYS_CACHED, Mention, name_key, surname_targets
from schemas import TABLES, arrow_schema

if TYPE_CHECKING:
    import pandas as pd


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


def link_mention(m: Mention, surnames: dict[str, str], kb: KnowledgeBase) -> Link:
    """The entity one mention names; `surnames` maps a last name to the corpus's one full name."""
    demonym = kb.demonym(m.name) if m.label == "NORP" else None
    known = kb.lookup(m.cluster) or kb.lookup(m.name)
    if demonym is not None:
        return Link(
            demonym.label, name_key(demonym.canonical), "demonym", demonym.canonical, demonym.qid
        )
    if known is not None and (m.label != "NORP" or known.source == "kb"):
        key = name_key(known.canonical)
        how = "name" if name_key(m.name) == key else known.source
        return Link(known.label, key, how, known.canonical, known.qid, True)
    key = m.cluster
    if m.label == "PERSON" and " " not in key:
        key = surnames.get(key, key)
    return Link(m.label, key, "name" if key == name_key(m.name) else "surname")


def entity_id_of(link: Link) -> str:
    """An entity is identified by its label and the key of its name."""
    return _entity_id(link.label, link.key)


@functools.lru_cache(maxsize=NAME_KEYS_CACHED)
def _entity_id(label: str, key: str) -> str:
    return ids.make_id("entity", label, key)


def canonical_name(names: Iterable[str]) -> str:
    """The fullest name used: most words, then most often used, then alphabetical."""
    counts = Counter(names)
    return min(counts, key=lambda n: (-len(n.split()), -counts[n], n))


@dataclass
class EntityAgg:
    """What the entities table needs of one entity's mentions.

    Gathered one mention at a time, so the corpus's mentions never have to be held at once.
    """

    label: str
    canonical: str | None = None
    qid: str | None = None
    known: bool = False
    names: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    n_mentions: int = 0
    n_documents: int = 0
    last_doc: str | None = None
    doc_ids: list[str] = field(default_factory=list)
    """The documents that mention a place (GPE, LOC), for geocoding in context."""
    votes: int = 0
    agreeing: int = 0

    def add(self, m: Mention, link: Link) -> None:
        """Count one mention of the entity (mentions arrive grouped by document)."""
        self.canonical = self.canonical or link.canonical
        self.qid = self.qid or link.qid
        self.known = self.known or link.known
        if link.resolution != "demonym":
            self.names[m.name] += 1
            if m.source == "model":
                self.votes += 1
                self.agreeing += m.model_label == self.label
        self.aliases.add(" ".join(m.text.split()))
        self.n_mentions += 1
        if m.doc_id != self.last_doc:
            self.n_documents += 1
            self.last_doc = m.doc_id
            if self.label in GEOCODED_LABELS:
                self.doc_ids.append(m.doc_id)

    def confidence(self) -> float:
        """How sure we are that this is a real entity of this type, from 0 to 1.

        1 for a name in the alias table or the user's knowledge base (its label is given, not
        guessed). Otherwise label agreement x support. Label agreement: the share of the
        model's own spans among its mentions that the model gave the entity's label
        (propagated mentions and demonyms do not vote). Support: 1 - 0.5^n for n mentions
        (one mention 0.5, three 0.875).
        """
        if self.known:
            return 1.0
        agreement = self.agreeing / self.votes if self.votes else 1.0
        return round(agreement * (1.0 - 0.5**self.n_mentions), 3)

    def name(self) -> str:
        """The entity's name: its canonical name if known, else the fullest name used."""
        return self.canonical or canonical_name(self.names.elements())

    def place(self) -> Place:
        """What geocoding needs of this entity."""
        return Place([self.name(), *sorted(self.aliases)], self.label, self.doc_ids)

    def row(self, entity_id: str, place: Geocode | None) -> dict:
        """One row of the entities table."""
        name = self.name()
        aliases = sorted(self.aliases)
        return {
            "entity_id": entity_id,
            "name": name,
            "label": self.label,
            "aliases": aliases,
            "n_mentions": self.n_mentions,
            "n_documents": self.n_documents,
            "confidence": self.confidence(),
            "qid": self.qid,
            "country_code": place.country_code if place else None,
            "latitude": place.latitude if place else None,
            "longitude": place.longitude if place else None,
            "geo_precision": place.precision if place else None,
        }


def mention_row(m: Mention, entity_id: str, link: Link) -> dict:
    """One row of the mentions table."""
    return {
        "mention_id": m.mention_id,
        "doc_id": m.doc_id,
        "sentence_id": m.sentence_id,
        "start_char": m.start_char,
        "end_char": m.end_char,
        "text": m.text,
        "label": m.label,
        "model_label": m.model_label,
        "source": m.source,
        "entity_id": entity_id,
        "resolution": link.resolution,
    }


def build(
    mentions: list[Mention], kb: KnowledgeBase | None = None, gazetteer: Gazetteer | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions and entities tables from the corrected mentions of the whole corpus."""
    import pandas as pd

    kb = kb or KnowledgeBase()
    surnames = surname_targets({m.cluster for m in mentions if m.label == "PERSON"})
    entities: dict[str, EntityAgg] = {}
    rows = []
    for m in sorted(mentions, key=lambda m: m.doc_id):
        link = link_mention(m, surnames, kb)
        entity_id = entity_id_of(link)
        entities.setdefault(entity_id, EntityAgg(link.label)).add(m, link)
        rows.append(mention_row(m, entity_id, link))
    places = geocode_entities(entities, gazetteer)
    return (
        pd.DataFrame(rows, columns=arrow_schema(TABLES["mentions"]).names),
        pd.DataFrame(
            [agg.row(e, places.get(e)) for e, agg in entities.items()],
            columns=arrow_schema(TABLES["entities"]).names,
        ),
    )


def iter_mentions(path: Path) -> Iterator[Mention]:
    """The corrected mentions the events stage saved, one at a time."""
    for row in iter_rows(path):
        yield Mention(**row)


def run(params: Params) -> None:
    """Write mentions, entities and participants (with entity ids), streaming the mentions.

    Three passes over the interim files keep memory to the number of distinct names: the
    person names (for last-name merging), then each mention linked and written as it comes
    while its entity's counts grow, then the participants with their entity ids.
    """
    kb = load_knowledge_base(params.entities.kb)
    gazetteer = (
        load_gazetteer(params.entities.min_city_population) if params.entities.geocode else None
    )
    surnames = corpus_surnames(params)
    linking = write_mentions(params, kb, surnames, named_by_participants(params))
    rows = write_entities(params, linking.entities, gazetteer)
    write_participants(params, linking.entity_of)
    report = {
        "mentions_per_resolution": dict(sorted(linking.per_resolution.items())),
        "mentions_per_source": dict(sorted(linking.per_source.items())),
        "entities_geocoded": sum(r["geo_precision"] is not None for r in rows),
        "entities_with_qid": sum(r["qid"] is not None for r in rows),
    }
    write_report(params, "entities", report)
    log.info(
        "entities: %d mentions -> %d entities; %s",
        sum(linking.per_source.values()),
        len(rows),
        report,
    )


def corpus_surnames(params: Params) -> dict[str, str]:
    """First pass: each last name that joins the corpus's only full person name ending in it."""
    return surname_targets(
        {
            row["cluster"]
            for row in iter_rows(mentions_path(params), ["cluster", "label"])
            if row["label"] == "PERSON"
        }
    )


def named_by_participants(params: Params) -> set[str]:
    """The mentions that some participant names: the only ones whose entity ids are kept."""
    return {
        row["mention_id"]
        for row in iter_rows(arguments_path(params), ["mention_id"])
        if row["mention_id"] is not None
    }


@dataclass
class Linking:
    """What the second pass gathers while it writes the mentions table."""

    entities: dict[str, EntityAgg] = field(default_factory=dict)
    """Each entity's counts, by entity id."""
    entity_of: dict[str, str] = field(default_factory=dict)
    """The entity id of each mention a participant names."""
    per_resolution: Counter = field(default_factory=Counter)
    per_source: Counter = field(default_factory=Counter)


def write_mentions(
    params: Params, kb: KnowledgeBase, surnames: dict[str, str], wanted: set[str]
) -> Linking:
    """Second pass: link each mention to its entity and write it to the mentions table."""
    linking = Linking()
    with TableWriter(TABLES["mentions"], table_path(params, "mentions")) as out:
        for m in iter_mentions(mentions_path(params)):
            link = link_mention(m, surnames, kb)
            entity_id = entity_id_of(link)
            linking.entities.setdefault(entity_id, EntityAgg(link.label)).add(m, link)
            out.write((mention_row(m, entity_id, link),))
            linking.per_resolution[link.resolution] += 1
            linking.per_source[m.source] += 1
            if m.mention_id in wanted:
                linking.entity_of[m.mention_id] = entity_id
    return linking


def write_entities(
    params: Params, entities: dict[str, EntityAgg], gazetteer: Gazetteer | None
) -> list[dict]:
    """The entities table, sorted by entity id; returns its rows for the report."""
    places = geocode_entities(entities, gazetteer)
    rows = sorted(
        (agg.row(e, places.get(e)) for e, agg in entities.items()), key=lambda r: r["entity_id"]
    )
    with TableWriter(TABLES["entities"], table_path(params, "entities")) as out:
        out.write(rows)
    return rows


def geocode_entities(
    entities: dict[str, EntityAgg], gazetteer: Gazetteer | None
) -> dict[str, Geocode]:
    """The geocode of each place entity that has one, by entity id."""
    if gazetteer is None:
        return {}
    places = {e: agg.place() for e, agg in entities.items() if agg.label in GEOCODED_LABELS}
    return geocode_in_context(places, gazetteer)


def write_participants(params: Params, entity_of: dict[str, str]) -> None:
    """Third pass: the participants, each with the entity of the mention it names (or None)."""
    with TableWriter(TABLES["participants"], table_path(params, "participants")) as out:
        for row in iter_rows(arguments_path(params)):
            out.write([{**row, "entity_id": entity_of.get(row["mention_id"])}])
