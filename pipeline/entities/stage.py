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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core import ids
from pipeline.core.columnar import GroupWriter, conform, plain_strings, write_table_groups
from pipeline.core.config import Params
from pipeline.core.io import ROWS_PER_GROUP, from_arrow
from pipeline.core.memory import return_freed_memory
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


class Index:
    """The distinct values of a column seen so far, each with an integer code."""

    def __init__(self) -> None:
        self.code: dict[str, int] = {}

    @property
    def values(self) -> list[str]:
        """The values in the order of their codes."""
        return list(self.code)

    def encode(self, column: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
        """Each entry's code, and the values not seen before (Python only per distinct value)."""
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        encoded = column.dictionary_encode()
        before = len(self.code)
        local = np.array(
            [self.code.setdefault(v, len(self.code)) for v in encoded.dictionary.to_pylist()],
            dtype=np.int32,
        )
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        return local[indices] if len(local) else indices, self.values[before:]


CODES = {"link_of": np.int32, "doc": np.int32, "name": np.int32, "text": np.int32}
FLAGS = ("voting", "agree")


@dataclass
class Linked:
    """The corpus's mentions as integer codes (one entry a mention), and their entities.

    Linking depends only on a mention's label, name and cluster, so it is decided once per
    distinct triple (`links`), in Python, and spread to the mentions by code.
    """

    links: list[Link]
    entity_ids: list[str]
    entity_of_link: np.ndarray
    """Per link, the index of its entity in `entity_ids`."""
    columns: dict[str, np.ndarray]
    """Per mention: `link_of`, `doc`, `name`, `text` (codes into `links` and the lists
    below), `voting` (a model span, not a demonym) and `agree` (the model gave the label of
    its entity)."""
    docs: list[str]
    names: list[str]
    texts: list[str]

    @property
    def link_of(self) -> np.ndarray:
        """Per mention, the index of its link in `links`."""
        return self.columns["link_of"]

    @property
    def entity_of(self) -> np.ndarray:
        """Per mention, the index of its entity in `entity_ids`."""
        return self.entity_of_link[self.link_of]

    def per_link(self, values: list) -> np.ndarray:
        """Per mention, a value given per link (no links: an empty mask, not a float array)."""
        return (np.asarray(values) if values else np.zeros(0, bool))[self.link_of]


class Linker:
    """Links the corpus's mentions a batch at a time, keeping only integer codes of each."""

    def __init__(self, kb: KnowledgeBase, surnames: dict[str, str]) -> None:
        self.kb, self.surnames = kb, surnames
        self.keys, self.docs, self.names, self.texts = Index(), Index(), Index(), Index()
        self.links: list[Link] = []
        self.entity_index: dict[str, int] = {}
        self.entity_of_link: list[int] = []
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in [*CODES, *FLAGS]}
        self.per_source: Counter = Counter()

    def _add_link(self, key: str) -> None:
        label, name, cluster = key.split(SEPARATOR)
        mention = Mention("", "", "", 0, 0, "", None, label, name, cluster)
        link = link_mention(mention, self.surnames, self.kb)
        self.links.append(link)
        entity = self.entity_index.setdefault(entity_id_of(link), len(self.entity_index))
        self.entity_of_link.append(entity)

    def link(self, batch: pa.Table) -> pa.Table:
        """The batch's rows of the mentions table; its codes are kept for the entities."""
        keys = pc.binary_join_element_wise(
            batch["label"], batch["name"], batch["cluster"], SEPARATOR
        )
        link_of, new = self.keys.encode(keys)
        for key in new:
            self._add_link(key)
        taken = pa.array(link_of, pa.int32())
        source = batch["source"].cast(pa.string())
        self.per_source.update(
            {c["values"]: c["counts"] for c in source.value_counts().to_pylist()}
        )
        labels = pa.array([link.label for link in self.links]).take(taken)
        voting = np.asarray([link.resolution != "demonym" for link in self.links], dtype=bool)
        found = {
            "link_of": link_of,
            "doc": self.docs.encode(batch["doc_id"])[0],
            "name": self.names.encode(batch["name"])[0],
            "text": self.texts.encode(batch["text"])[0],
            "voting": voting[link_of] & pc.equal(source, "model").to_numpy(zero_copy_only=False),
            "agree": pc.fill_null(
                pc.equal(batch["model_label"].cast(pa.string()), labels), False
            ).to_numpy(zero_copy_only=False),
        }
        for name, values in found.items():
            self.parts[name].append(values)
        entity_of = pa.array(np.asarray(self.entity_of_link, dtype=np.int32)[link_of], pa.int32())
        resolutions = pa.array([link.resolution for link in self.links]).take(taken)
        return batch.append_column(
            "entity_id", pa.array(list(self.entity_index), pa.string()).take(entity_of)
        ).append_column("resolution", resolutions)

    def linked(self) -> Linked:
        """Every mention linked so far."""
        columns = {
            name: np.concatenate(parts) if parts else np.zeros(0, CODES.get(name, bool))
            for name, parts in self.parts.items()
        }
        return Linked(
            self.links,
            list(self.entity_index),
            np.asarray(self.entity_of_link, dtype=np.int32),
            columns,
            self.docs.values,
            self.names.values,
            self.texts.values,
        )


def person_surnames(clusters: Iterable[pa.Table]) -> dict[str, str]:
    """Each last name that joins the corpus's only full person name ending in it."""
    people: set[str] = set()
    for batch in clusters:
        found = pc.filter(batch["cluster"], pc.equal(batch["label"], "PERSON"))
        people.update(pc.unique(found).to_pylist())
    return surname_targets(people)


def participant_table(arguments: pa.Table, named: pa.Table) -> pa.Table:
    """The participants, each with the entity of the mention it names (or None)."""
    found = pc.index_in(arguments["mention_id"], value_set=named["mention_id"])
    return arguments.append_column("entity_id", named["entity_id"].take(found))


def first_link(linked: Linked, wanted: list[bool]) -> dict[int, int]:
    """Per entity, the link of its first mention (in corpus order) whose link is `wanted`."""
    rows = np.flatnonzero(np.asarray(wanted, dtype=bool)[linked.link_of])
    entities, first = np.unique(linked.entity_of[rows], return_index=True)
    return dict(zip(entities.tolist(), linked.link_of[rows[first]].tolist(), strict=True))


def pairs(entity_of: np.ndarray, values: np.ndarray, n_values: int) -> tuple[np.ndarray, ...]:
    """The distinct (entity, value code) pairs, with how many mentions have each."""
    joined, counts = np.unique(
        entity_of.astype(np.int64) * max(n_values, 1) + values, return_counts=True
    )
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
    entity_of, n_entities = linked.entity_of, len(linked.entity_ids)
    labels = [""] * n_entities
    known = np.zeros(n_entities, dtype=bool)
    for link, entity in zip(linked.links, linked.entity_of_link.tolist(), strict=True):
        labels[entity] = link.label
        known[entity] |= link.known
    voting = linked.columns["voting"]
    with_doc, doc, _ = pairs(entity_of, linked.columns["doc"], len(linked.docs))
    facts = EntityFacts(
        labels,
        np.bincount(entity_of, minlength=n_entities),
        np.bincount(with_doc, minlength=n_entities),
        np.bincount(entity_of[voting], minlength=n_entities),
        np.bincount(entity_of[voting & linked.columns["agree"]], minlength=n_entities),
        known,
        _first_given(linked, "canonical"),
        _first_given(linked, "qid"),
    )
    places = np.isin(with_doc, [e for e, label in enumerate(labels) if label in GEOCODED_LABELS])
    for entity, code in zip(with_doc[places].tolist(), doc[places].tolist(), strict=True):
        facts.documents.setdefault(entity, []).append(linked.docs[code])
    _gather_names(linked, facts)
    return facts


def _first_given(linked: Linked, attribute: str) -> dict[int, str]:
    """Per entity, the value its first mention with a link that gives one gives."""
    values = [getattr(link, attribute) for link in linked.links]
    first = first_link(linked, [value is not None for value in values])
    return {entity: values[link] for entity, link in first.items()}


def _gather_names(linked: Linked, facts: EntityFacts) -> None:
    """The names (with uses) and the aliases (each text once, spaces tidied) of each entity."""
    named = linked.per_link([link.resolution != "demonym" for link in linked.links])
    used = pairs(linked.entity_of[named], linked.columns["name"][named], len(linked.names))
    for entity, code, count in zip(*(part.tolist() for part in used), strict=True):
        facts.names.setdefault(entity, {})[linked.names[code]] = count
    tidy = [" ".join(text.split()) for text in linked.texts]
    written = pairs(linked.entity_of, linked.columns["text"], len(linked.texts))
    for entity, code, _ in zip(*(part.tolist() for part in written), strict=True):
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


def entity_table(linked: Linked, gazetteer: Gazetteer | None) -> pa.Table:
    """The entities table, sorted by entity id."""
    rows = entity_rows(linked, entity_facts(linked), gazetteer)
    return pa.Table.from_pylist(rows, schema=arrow_schema(TABLES["entities"]))


def build(
    mentions: list[Mention], kb: KnowledgeBase | None = None, gazetteer: Gazetteer | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions and entities tables from the corrected mentions of the whole corpus."""
    ordered = sorted(mentions, key=lambda m: m.doc_id)
    types = {
        name: pa.int64() if name.endswith("_char") else pa.string() for name in MENTION_COLUMNS
    }
    table = pa.Table.from_pylist([dataclasses.asdict(m) for m in ordered], schema=pa.schema(types))
    linker = Linker(kb or KnowledgeBase(), person_surnames([table]))
    linked_mentions = linker.link(table)
    return (
        from_arrow(conform(linked_mentions, arrow_schema(TABLES["mentions"]))),
        from_arrow(entity_table(linker.linked(), gazetteer)),
    )


def mention_batches(params: Params, columns: list[str]) -> Iterator[pa.Table]:
    """The events stage's corrected mentions, a row group's worth at a time."""
    parquet = pq.ParquetFile(mentions_path(params))
    for batch in parquet.iter_batches(batch_size=ROWS_PER_GROUP, columns=columns):
        yield plain_strings(pa.Table.from_batches([batch]))


def write_mentions(params: Params, linker: Linker, wanted: pa.Array) -> pa.Table:
    """Link the mentions a batch at a time and write the mentions table as they come.

    Returns the entity id of each mention a participant names (`wanted`).
    """
    named = []
    schema = arrow_schema(TABLES["mentions"])
    with GroupWriter(schema, table_path(params, "mentions")) as out:
        for batch in mention_batches(params, MENTION_COLUMNS):
            rows = linker.link(batch)
            out.write(rows)
            named.append(
                rows.select(["mention_id", "entity_id"]).filter(
                    pc.is_in(rows["mention_id"], value_set=wanted)
                )
            )
    empty = pa.table(
        {"mention_id": pa.array([], pa.string()), "entity_id": pa.array([], pa.string())}
    )
    return pa.concat_tables(named) if named else empty


def run(params: Params) -> None:
    """Write mentions, entities and participants (with entity ids), a batch of mentions at a time.

    Two passes over the mentions keep memory to the distinct names and a few integers a
    mention: the person names (for last-name merging), then each batch linked and written.
    """
    return_freed_memory()
    kb = load_knowledge_base(params.entities.kb)
    gazetteer = (
        load_gazetteer(params.entities.min_city_population) if params.entities.geocode else None
    )
    linker = Linker(kb, person_surnames(mention_batches(params, ["cluster", "label"])))
    arguments = plain_strings(pq.read_table(arguments_path(params)))
    wanted = pc.unique(arguments["mention_id"].drop_null())
    named = write_mentions(
        params, linker, wanted.combine_chunks() if isinstance(wanted, pa.ChunkedArray) else wanted
    )
    linked = linker.linked()
    entities = entity_table(linked, gazetteer)
    write_table_groups(entities, arrow_schema(TABLES["entities"]), table_path(params, "entities"))
    write_table_groups(
        participant_table(arguments, named),
        arrow_schema(TABLES["participants"]),
        table_path(params, "participants"),
    )
    report = entities_report(linked, linker.per_source, entities)
    write_report(params, "entities", report)
    log.info(
        "entities: %d mentions -> %d entities; %s", len(linked.link_of), entities.num_rows, report
    )


def entities_report(linked: Linked, per_source: Counter, entities: pa.Table) -> dict:
    """The stage's counts: mentions per resolution and per source, entities placed, QIDs."""
    per_link = np.bincount(linked.link_of, minlength=len(linked.links))
    per_resolution: Counter = Counter()
    for link, count in zip(linked.links, per_link.tolist(), strict=True):
        per_resolution[link.resolution] += count
    return {
        "mentions_per_resolution": dict(sorted(per_resolution.items())),
        "mentions_per_source": dict(sorted(per_source.items())),
        "entities_geocoded": entities.num_rows - entities["geo_precision"].null_count,
        "entities_with_qid": entities.num_rows - entities["qid"].null_count,
    }
