"""The events as the rules see them (`rules.Telling`), first as columns, then as objects.

A telling is one row of the events stage's events with its trigger family, its document's
publication date, its participants' entities and the entities its document names. All of it
is first gathered as Arrow columns (`telling_inputs`), with one string per event, `key`, that
holds every field the rules read: comparing keys between runs finds the events whose grouping
may change without building a Python object per event. Only the events of the families that
must be grouped again become `Telling`s (`make_tellings`).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core.columnar import plain_strings
from pipeline.core.config import Params
from pipeline.core.stage import table_path, ungrouped_events_path
from pipeline.happenings.rules import Telling, family_of, load_families

EVENT_COLUMNS = (
    "event_id",
    "doc_id",
    "trigger",
    "event_type",
    "polarity",
    "date_basis",
    "precision",
    "date_start",
    "date_end",
    "year_start",
    "year_end",
    "trigger_start_char",
)
"""What the rules read of an event."""

FIELD = "\x1f"
ITEM = "\x1e"
"""Separators of the fields of a key and of the items of a list: whitespace characters, so
never inside a name, an id or a lemma."""

NULL = "\x00"


def joined_lists(table: pa.Table, key: str, value: str) -> pa.Table:
    """Per `key`, its distinct `value`s sorted and joined by `ITEM` (a set as one string)."""
    distinct = table.group_by([key, value]).aggregate([])
    ordered = distinct.sort_by([(key, "ascending"), (value, "ascending")])
    lists = ordered.group_by(key, use_threads=False).aggregate([(value, "list")])
    return pa.table({key: lists[key], value: pc.binary_join(lists[f"{value}_list"], ITEM)})


def lookup(keys: pa.ChunkedArray, table: pa.Table, key: str, value: str) -> pa.ChunkedArray:
    """`table[value]` of the row whose `key` equals each of `keys` (null where none does)."""
    return table[value].take(pc.index_in(keys, value_set=table[key]))


def families_of(triggers: pa.ChunkedArray) -> pa.Array:
    """The family of each trigger, decided once per distinct lemma."""
    encoded = triggers.combine_chunks().dictionary_encode()
    families = load_families()
    names = pa.array(
        [family_of(lemma, families) for lemma in encoded.dictionary.to_pylist()], pa.string()
    )  # typed: a corpus without events has no lemma to infer the type from
    return names.take(encoded.indices)


def telling_inputs(params: Params) -> pa.Table:
    """`inputs_table` of the interim files: events, documents, participants and mentions."""
    tables = [
        pq.read_table(ungrouped_events_path(params), columns=list(EVENT_COLUMNS)),
        pq.read_table(table_path(params, "documents"), columns=["doc_id", "published"]),
        pq.read_table(
            table_path(params, "participants"), columns=["event_id", "role", "entity_id"]
        ),
        pq.read_table(table_path(params, "mentions"), columns=["doc_id", "entity_id"]),
    ]
    return inputs_table(*map(plain_strings, tables))


def inputs_table(
    events: pa.Table, documents: pa.Table, participants: pa.Table, mentions: pa.Table
) -> pa.Table:
    """Per event, in the events stage's order: its fields, family, date, entities and key."""
    linked = participants.filter(pc.is_valid(participants["entity_id"]))
    roles = pa.table(
        {
            "event_id": linked["event_id"],
            "entities": pc.binary_join_element_wise(
                linked["role"].cast(pa.string()), linked["entity_id"], FIELD
            ),
        }
    )
    by_event = joined_lists(roles, "event_id", "entities")
    by_document = joined_lists(mentions, "doc_id", "entity_id")
    inputs = events.select(list(EVENT_COLUMNS))
    inputs = inputs.append_column("family", families_of(events["trigger"]))
    inputs = inputs.append_column(
        "published", lookup(events["doc_id"], documents, "doc_id", "published")
    )
    inputs = inputs.append_column(
        "entities", lookup(events["event_id"], by_event, "event_id", "entities")
    )
    inputs = inputs.append_column(
        "context", lookup(events["doc_id"], by_document, "doc_id", "entity_id")
    )
    fields = [inputs[name].cast(pa.string()) for name in inputs.column_names]
    key = pc.binary_join_element_wise(
        *fields, FIELD, null_handling="replace", null_replacement=NULL
    )
    return inputs.append_column("key", key)


def split(joined: str | None) -> list[str]:
    """The items of a joined list (none for null)."""
    return joined.split(ITEM) if joined else []


def make_tellings(inputs: pa.Table) -> list[Telling]:
    """The rules' view of each event of `inputs`."""
    tellings = []
    for row in inputs.drop_columns(["key"]).to_pylist():
        entities = frozenset(tuple(item.split(FIELD)) for item in split(row.pop("entities")))
        context = frozenset(split(row.pop("context")))
        tellings.append(Telling(**row, entities=entities, context=context))  # type: ignore[arg-type]
    return tellings
