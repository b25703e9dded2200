"""The happenings state on tables written here: which families an edit makes group again."""

import datetime as dt

import pyarrow as pa

from pipeline.happenings.rules import Settings
from pipeline.happenings.stage import regroup
from pipeline.happenings.state import KEYS, MEMBERSHIPS, State, changed_families
from pipeline.happenings.tellings import EVENT_COLUMNS, families_of, inputs_table

DAY = dt.date(2024, 5, 10)


def keys(*rows: tuple[str, str]) -> pa.Table:
    return pa.Table.from_pylist([{"family": f, "key": k} for f, k in rows], schema=KEYS)


def state_of(table: pa.Table) -> State:
    empty = pa.table({})
    return State("v", table, empty, pa.Table.from_pylist([], schema=MEMBERSHIPS))


def test_without_a_state_every_family_is_grouped():
    assert changed_families(keys(("meet", "a"), ("win", "b")), None) == {"meet", "win"}


def test_an_added_edited_or_deleted_event_marks_its_family_only():
    before = state_of(keys(("meet", "a1"), ("win", "b1"), ("resign", "c1"), ("elect", "d1")))
    after = keys(("meet", "a1"), ("win", "b2"), ("elect", "d1"), ("elect", "e1"), ("say", "f1"))
    # win edited, resign deleted, elect gained an event, say is new; meet is unchanged
    assert changed_families(after, before) == {"win", "resign", "elect", "say"}


def event(n: int, doc: str, trigger: str, day: dt.date = DAY) -> dict:
    return dict.fromkeys(EVENT_COLUMNS) | {
        "event_id": f"evt_{n}",
        "doc_id": doc,
        "trigger": trigger,
        "polarity": "positive",
        "date_basis": "explicit",
        "precision": "day",
        "date_start": day,
        "date_end": day,
        "year_start": day.year,
        "year_end": day.year,
        "trigger_start_char": n,
    }


def inputs(events: list[dict], agents: dict[str, str], named: dict[str, list[str]]) -> pa.Table:
    """The rules' inputs: events, their agents' entities, the entities each document names."""
    documents = pa.table({"doc_id": sorted(named), "published": [DAY] * len(named)})
    participants = pa.table(
        {
            "event_id": list(agents),
            "role": ["agent"] * len(agents),
            "entity_id": list(agents.values()),
        }
    )
    mentions = pa.table(
        {
            "doc_id": [d for d, ids in named.items() for _ in ids],
            "entity_id": [e for ids in named.values() for e in ids],
        }
    )
    return inputs_table(pa.Table.from_pylist(events), documents, participants, mentions)


def test_a_key_changes_with_an_entity_of_the_event_or_of_its_document():
    events = [event(1, "doc_a", "invasion"), event(2, "doc_b", "win")]
    base = inputs(events, {"evt_1": "ent_x"}, {"doc_a": ["ent_x"], "doc_b": ["ent_y"]})
    assert base["family"].to_pylist() == ["invade", "win"]  # the lexicon's family
    agent = inputs(events, {"evt_1": "ent_z"}, {"doc_a": ["ent_x"], "doc_b": ["ent_y"]})
    named = inputs(events, {"evt_1": "ent_x"}, {"doc_a": ["ent_x"], "doc_b": ["ent_z"]})
    assert agent["key"][0] != base["key"][0] and agent["key"][1] == base["key"][1]
    assert named["key"][0] == base["key"][0] and named["key"][1] != base["key"][1]


def test_regrouping_one_family_gives_the_happenings_of_grouping_all():
    named = {"doc_a": ["ent_k"], "doc_b": ["ent_k"], "doc_c": ["ent_m"]}
    may = [event(1, "doc_a", "meet"), event(2, "doc_b", "meet"), event(3, "doc_c", "win")]
    agents = {"evt_1": "ent_k", "evt_2": "ent_k", "evt_3": "ent_m"}
    first = regroup(inputs(may, agents, named), Settings(), None, "v")
    # doc_b's meeting moves to July, with another agent: it leaves doc_a's happening
    july = [*may[:1], event(2, "doc_b", "meet", dt.date(2024, 7, 20)), may[2]]
    edited = inputs(july, agents | {"evt_2": "ent_j"}, named)
    again = regroup(edited, Settings(), first, "v")
    scratch = regroup(edited, Settings(), None, "v")
    assert again.happenings.equals(scratch.happenings)
    assert sorted(again.memberships.to_pylist(), key=str) == sorted(
        scratch.memberships.to_pylist(), key=str
    )
    of = {r["event_id"]: r["happening_id"] for r in again.memberships.to_pylist()}
    before = {r["event_id"]: r["happening_id"] for r in first.memberships.to_pylist()}
    assert before["evt_1"] == before["evt_2"] and of["evt_1"] != of["evt_2"]
    assert of["evt_3"] == before["evt_3"]  # the win was copied, not grouped again


def test_a_corpus_without_events_has_typed_families():
    # A corpus whose documents tell no event (a blank model, a table of figures) still builds:
    # the stage selects families by a string value set, which a null column cannot meet.
    assert families_of(pa.chunked_array([], pa.string())).type == pa.string()
