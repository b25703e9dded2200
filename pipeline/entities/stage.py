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

import dataclasses
import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core import ids
from pipeline.core.config import Params
from pipeline.core.io import from_arrow
from pipeline.core.stage import arguments_path, log, mentions_path, table_path, write_report
from pipeline.entities.columnar import conform, write_table_groups
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
    return fullest_name(Counter(names))


def fullest_name(counts: dict[str, int]) -> str:
    """`canonical_name` from each name's number of uses."""
    return min(counts, key=lambda n: (-len(n.split()), -counts[n], n))


def confidence(known: bool, votes: int, agreeing: int, n_mentions: int) -> float:
    """How sure we are that an entity is a real entity of its type, from 0 to 1.

    1 for a name in the alias table or the user's knowledge base (its label is given, not
    guessed). Otherwise label agreement x support. Label agreement: the share of the
    model's own spans among its mentions that the model gave the entity's label
    (propagated mentions and demonyms do not vote). Support: 1 - 0.5^n for n mentions
    (one mention 0.5, three 0.875).
    """
    if known:
        return 1.0
    agreement = agreeing / votes if votes else 1.0
    return round(agreement * (1.0 - 0.5**n_mentions), 3)


SEPARATOR = "\x1f"
"""Joins a mention's label, name and cluster into one key: whitespace, so never in a name."""


@dataclass
class Linked:
    """The corpus's mentions and the entity each names, as columns (one entry a mention).

    Linking depends only on a mention's label, name and cluster, so it is decided once per
    distinct triple (`links`), in Python, and spread to the mentions by index.
    """

    mentions: pa.Table
    """The events stage's corrected mentions, in its order (by document)."""
    links: list[Link]
    link_of: np.ndarray
    """Per mention, the index of its link in `links`."""
    entity_ids: list[str]
    entity_of_link: np.ndarray
    """Per link, the index of its entity in `entity_ids`."""

    @property
    def entity_of(self) -> np.ndarray:
        """Per mention, the index of its entity in `entity_ids`."""
        return self.entity_of_link[self.link_of]

    def per_link(self, values: list) -> np.ndarray:
        """Per mention, a value given per link."""
        return np.asarray(values)[self.link_of]


def codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list]:
    """A column as integer codes (first appearance order) and the distinct values."""
    encoded = column.combine_chunks().dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()


def link_table(mentions: pa.Table, kb: KnowledgeBase, surnames: dict[str, str]) -> Linked:
    """Link every mention: once per distinct (label, name, cluster), then by index."""
    keys = pc.binary_join_element_wise(
        mentions["label"], mentions["name"], mentions["cluster"], SEPARATOR
    )
    link_of, distinct = codes(keys)
    links = []
    for key in distinct:
        label, name, cluster = key.split(SEPARATOR)
        links.append(
            link_mention(Mention("", "", "", 0, 0, "", None, label, name, cluster), surnames, kb)
        )
    entity_index: dict[str, int] = {}
    entity_of_link = np.array(
        [entity_index.setdefault(entity_id_of(link), len(entity_index)) for link in links],
        dtype=np.int64,
    )
    return Linked(mentions, links, link_of, list(entity_index), entity_of_link)


def person_surnames(mentions: pa.Table) -> dict[str, str]:
    """Each last name that joins the corpus's only full person name ending in it."""
    people = pc.filter(mentions["cluster"], pc.equal(mentions["label"], "PERSON"))
    return surname_targets(pc.unique(people).to_pylist())


def mention_table(linked: Linked) -> pa.Table:
    """The mentions table: each mention with its entity id and how it joined it."""
    entity_ids = pa.array(linked.entity_ids).take(pa.array(linked.entity_of))
    resolutions = pa.array([link.resolution for link in linked.links]).take(
        pa.array(linked.link_of)
    )
    return linked.mentions.append_column("entity_id", entity_ids).append_column(
        "resolution", resolutions
    )


def participant_table(arguments: pa.Table, mentions: pa.Table) -> pa.Table:
    """The participants, each with the entity of the mention it names (or None)."""
    found = pc.index_in(arguments["mention_id"], value_set=mentions["mention_id"])
    return arguments.append_column("entity_id", mentions["entity_id"].take(found))


def first_link(linked: Linked, wanted: list[bool]) -> dict[int, int]:
    """Per entity, the link of its first mention (in corpus order) whose link is `wanted`."""
    rows = np.flatnonzero(np.asarray(wanted, dtype=bool)[linked.link_of])
    entities, first = np.unique(linked.entity_of[rows], return_index=True)
    return dict(zip(entities.tolist(), linked.link_of[rows[first]].tolist(), strict=True))


def pairs(entity_of: np.ndarray, values: np.ndarray, n_values: int) -> tuple[np.ndarray, ...]:
    """The distinct (entity, value code) pairs, with how many mentions have each."""
    joined, counts = np.unique(entity_of * max(n_values, 1) + values, return_counts=True)
    return joined // max(n_values, 1), joined % max(n_values, 1), counts


@dataclass
class EntityFacts:
    """What the entities table needs of each entity (indexed as `Linked.entity_ids`)."""

    label: list[str]
    n_mentions: np.ndarray
    n_documents: np.ndarray
    votes: np.ndarray
    """The model's own spans among its mentions (demonyms do not vote)."""
    agreeing: np.ndarray
    """Of those, the spans the model gave the entity's label."""
    known: np.ndarray
    canonical: dict[int, str]
    """The first name given by the alias table, knowledge base or demonym table, if any."""
    qid: dict[int, str]
    names: dict[int, dict[str, int]] = field(default_factory=dict)
    """The names its mentions use (demonyms aside), with their number of uses."""
    aliases: dict[int, list[str]] = field(default_factory=dict)
    documents: dict[int, list[str]] = field(default_factory=dict)
    """The documents that mention a place (GPE, LOC), for geocoding in context."""

    def name(self, entity: int) -> str:
        """The entity's name: its canonical name if known, else the fullest name used."""
        return self.canonical.get(entity) or fullest_name(self.names[entity])


def entity_facts(linked: Linked) -> EntityFacts:
    """Count each entity's mentions, votes and documents, by column."""
    mentions, entity_of, n_entities = linked.mentions, linked.entity_of, len(linked.entity_ids)
    labels = [""] * n_entities
    known = np.zeros(n_entities, dtype=bool)
    for link, entity in zip(linked.links, linked.entity_of_link.tolist(), strict=True):
        labels[entity] = link.label
        known[entity] |= link.known
    voting = linked.per_link([link.resolution != "demonym" for link in linked.links])
    voting &= pc.equal(mentions["source"].cast(pa.string()), "model").to_numpy(zero_copy_only=False)
    agree = pc.fill_null(
        pc.equal(mentions["model_label"].cast(pa.string()), pa.array(labels).take(entity_of)),
        False,
    ).to_numpy(zero_copy_only=False)
    docs, doc_ids = codes(mentions["doc_id"])
    with_doc, doc, _ = pairs(entity_of, docs, len(doc_ids))
    facts = EntityFacts(
        labels,
        np.bincount(entity_of, minlength=n_entities),
        np.bincount(with_doc, minlength=n_entities),
        np.bincount(entity_of[voting], minlength=n_entities),
        np.bincount(entity_of[voting & agree], minlength=n_entities),
        known,
        _first_given(linked, "canonical"),
        _first_given(linked, "qid"),
    )
    places = np.isin(with_doc, [e for e, label in enumerate(labels) if label in GEOCODED_LABELS])
    for entity, code in zip(with_doc[places].tolist(), doc[places].tolist(), strict=True):
        facts.documents.setdefault(entity, []).append(doc_ids[code])
    _gather_names(linked, facts)
    return facts


def _first_given(linked: Linked, attribute: str) -> dict[int, str]:
    """Per entity, the value its first mention with a link that gives one gives."""
    values = [getattr(link, attribute) for link in linked.links]
    first = first_link(linked, [value is not None for value in values])
    return {entity: values[link] for entity, link in first.items()}


def _gather_names(linked: Linked, facts: EntityFacts) -> None:
    """The names (with uses) and the aliases (each text once, spaces tidied) of each entity."""
    named = np.flatnonzero(linked.per_link([link.resolution != "demonym" for link in linked.links]))
    names, distinct = codes(linked.mentions["name"].take(pa.array(named)))
    for entity, code, count in zip(
        *(part.tolist() for part in pairs(linked.entity_of[named], names, len(distinct))),
        strict=True,
    ):
        facts.names.setdefault(entity, {})[distinct[code]] = count
    texts, distinct = codes(linked.mentions["text"])
    tidy = [" ".join(text.split()) for text in distinct]
    for entity, code, _ in zip(
        *(part.tolist() for part in pairs(linked.entity_of, texts, len(distinct))), strict=True
    ):
        facts.aliases.setdefault(entity, []).append(tidy[code])
    for entity, aliases in facts.aliases.items():
        facts.aliases[entity] = sorted(set(aliases))


def entity_rows(linked: Linked, facts: EntityFacts, gazetteer: Gazetteer | None) -> list[dict]:
    """The rows of the entities table, sorted by entity id."""
    places = geocode_entities(facts, gazetteer)
    rows = []
    for entity, entity_id in enumerate(linked.entity_ids):
        place = places.get(entity)
        rows.append(
            {
                "entity_id": entity_id,
                "name": facts.name(entity),
                "label": facts.label[entity],
                "aliases": facts.aliases[entity],
                "n_mentions": int(facts.n_mentions[entity]),
                "n_documents": int(facts.n_documents[entity]),
                "confidence": confidence(
                    bool(facts.known[entity]),
                    int(facts.votes[entity]),
                    int(facts.agreeing[entity]),
                    int(facts.n_mentions[entity]),
                ),
                "qid": facts.qid.get(entity),
                "country_code": place.country_code if place else None,
                "latitude": place.latitude if place else None,
                "longitude": place.longitude if place else None,
                "geo_precision": place.precision if place else None,
            }
        )
    return sorted(rows, key=lambda row: row["entity_id"])


def geocode_entities(facts: EntityFacts, gazetteer: Gazetteer | None) -> dict[int, Geocode]:
    """The geocode of each place entity that has one, by entity index."""
    if gazetteer is None:
        return {}
    places = {
        entity: Place([facts.name(entity), *facts.aliases[entity]], facts.label[entity], docs)
        for entity, docs in facts.documents.items()
    }
    return geocode_in_context(places, gazetteer)


MENTION_COLUMNS = [field.name for field in dataclasses.fields(Mention)]
"""The columns of the events stage's corrected mentions that linking reads."""


def build_tables(
    mentions: pa.Table,
    arguments: pa.Table | None,
    kb: KnowledgeBase,
    gazetteer: Gazetteer | None,
) -> dict[str, pa.Table]:
    """The mentions, entities and participants tables from the events stage's interim files."""
    linked = link_table(mentions, kb, person_surnames(mentions))
    facts = entity_facts(linked)
    linked_mentions = mention_table(linked)
    tables = {
        "mentions": linked_mentions,
        "entities": pa.Table.from_pylist(
            entity_rows(linked, facts, gazetteer), schema=arrow_schema(TABLES["entities"])
        ),
    }
    if arguments is not None:
        tables["participants"] = participant_table(arguments, linked_mentions)
    return tables


def build(
    mentions: list[Mention], kb: KnowledgeBase | None = None, gazetteer: Gazetteer | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions and entities tables from the corrected mentions of the whole corpus."""
    ordered = sorted(mentions, key=lambda m: m.doc_id)
    table = pa.Table.from_pylist(
        [dataclasses.asdict(m) for m in ordered],
        schema=pa.schema(
            [
                (name, pa.int64() if name.endswith("_char") else pa.string())
                for name in MENTION_COLUMNS
            ]
        ),
    )
    tables = build_tables(table, None, kb or KnowledgeBase(), gazetteer)
    return (
        from_arrow(conform(tables["mentions"], arrow_schema(TABLES["mentions"]))),
        from_arrow(tables["entities"]),
    )


def run(params: Params) -> None:
    """Write mentions, entities and participants (with entity ids), column by column."""
    kb = load_knowledge_base(params.entities.kb)
    gazetteer = (
        load_gazetteer(params.entities.min_city_population) if params.entities.geocode else None
    )
    tables = build_tables(
        pq.read_table(mentions_path(params), columns=MENTION_COLUMNS),
        pq.read_table(arguments_path(params)),
        kb,
        gazetteer,
    )
    for name, table in tables.items():
        write_table_groups(table, arrow_schema(TABLES[name]), table_path(params, name))
    report = entities_report(tables)
    write_report(params, "entities", report)
    log.info(
        "entities: %d mentions -> %d entities; %s",
        tables["mentions"].num_rows,
        tables["entities"].num_rows,
        report,
    )


def entities_report(tables: dict[str, pa.Table]) -> dict:
    """The stage's counts: mentions per resolution and per source, entities placed, QIDs."""
    mentions, entities = tables["mentions"], tables["entities"]

    def counted(column: pa.ChunkedArray) -> dict[str, int]:
        counts = column.cast(pa.string()).value_counts().to_pylist()
        return dict(sorted((c["values"], c["counts"]) for c in counts))

    return {
        "mentions_per_resolution": counted(mentions["resolution"]),
        "mentions_per_source": counted(mentions["source"]),
        "entities_geocoded": entities.num_rows - entities["geo_precision"].null_count,
        "entities_with_qid": entities.num_rows - entities["qid"].null_count,
    }
