"""The entities and happenings stages re-run after documents are added, edited and deleted.

The events stage's interim files (mentions, arguments, events) and the documents' dates are
written here for a small corpus, as Parquet, and the two real stages run on them twice: in a
folder that keeps the happenings state from run to run, and in a fresh folder. Every table
and report they write must be the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core.config import EntityParams, Params, Paths
from pipeline.core.stage import arguments_path, mentions_path, table_path, ungrouped_events_path
from pipeline.entities import stage as entities
from pipeline.happenings import stage as happenings
from pipeline.happenings.state import state_path
from schemas import TABLES, arrow_schema
from tests.support.helpers import PROJECT

MENTION_FIELDS = [
    ("mention_id", pa.string()),
    ("doc_id", pa.string()),
    ("sentence_id", pa.string()),
    ("start_char", pa.int64()),
    ("end_char", pa.int64()),
    ("text", pa.string()),
    ("model_label", pa.string()),
    ("label", pa.string()),
    ("name", pa.string()),
    ("cluster", pa.string()),
    ("source", pa.string()),
]


def without(table: str, *names: str) -> pa.Schema:
    schema = arrow_schema(TABLES[table])
    for name in names:
        schema = schema.remove(schema.get_field_index(name))
    return schema


def person(doc: str, n: int, text: str) -> dict:
    """A PERSON mention; a one-word name is its own cluster (the corpus decides its entity)."""
    return {
        "mention_id": f"men_{doc}_{n}",
        "doc_id": doc,
        "sentence_id": f"sen_{doc}",
        "start_char": 10 * n,
        "end_char": 10 * n + len(text),
        "text": text,
        "model_label": "PERSON",
        "label": "PERSON",
        "name": text,
        "cluster": text.lower(),
        "source": "model",
    }


def event(doc: str, n: int, trigger: str, day: dt.date) -> dict:
    """An event dated one day, explicitly."""
    row = dict.fromkeys(without("events", "happening_id", "grouped_by").names)
    year = day.year
    return row | {
        "event_id": f"evt_{doc}_{n}",
        "doc_id": doc,
        "sentence_id": f"sen_{doc}",
        "start_char": 0,
        "end_char": 50,
        "text": "a sentence",
        "trigger": trigger,
        "trigger_text": trigger,
        "trigger_start_char": 100 + n,
        "trigger_end_char": 105 + n,
        "trigger_pos": "VERB",
        "date_basis": "explicit",
        "date_start": day,
        "date_end": day,
        "year_start": year,
        "year_end": year,
        "precision": "day",
        "polarity": "positive",
        "modality": "asserted",
    }


def agent(ev: dict, mention: dict) -> dict:
    """The mention as the event's agent."""
    return dict.fromkeys(without("participants", "entity_id").names) | {
        "participant_id": f"par_{ev['event_id']}_{mention['mention_id']}",
        "event_id": ev["event_id"],
        "doc_id": ev["doc_id"],
        "role": "agent",
        "mention_id": mention["mention_id"],
        "start_char": mention["start_char"],
        "end_char": mention["end_char"],
        "text": mention["text"],
        "resolution": "name",
    }


def document(doc: str, published: dt.date, names: list[str], told: list[tuple]) -> dict:
    """A document: its people, and its events (trigger, date, index of the agent in names)."""
    mentions = [person(doc, n, name) for n, name in enumerate(names)]
    events = [event(doc, n, trigger, day) for n, (trigger, day, _) in enumerate(told)]
    arguments = [agent(e, mentions[who]) for e, (_, _, who) in zip(events, told, strict=True)]
    return {
        "published": published,
        "mentions": mentions,
        "events": events,
        "arguments": arguments,
    }


MAY, JULY = dt.date(2024, 5, 10), dt.date(2024, 7, 1)


def corpus() -> dict[str, dict]:
    """Smith resigns (told twice); two summits two months apart."""
    return {
        "doc_a": document(
            "doc_a", dt.date(2024, 5, 11), ["John Smith", "Kohl"], [("resign", MAY, 0)]
        ),
        "doc_b": document(
            "doc_b", dt.date(2024, 5, 12), ["Smith", "Kohl"], [("resignation", MAY, 0)]
        ),
        "doc_c": document("doc_c", dt.date(2024, 5, 13), ["Kohl", "Major"], [("meet", MAY, 0)]),
        "doc_d": document("doc_d", dt.date(2024, 7, 2), ["Major", "Kohl"], [("meet", JULY, 0)]),
        "doc_e": document("doc_e", dt.date(2024, 5, 14), ["Kohl", "Rau"], [("meet", MAY, 0)]),
    }


def write_inputs(params: Params, docs: dict[str, dict]) -> None:
    """The events stage's interim files and the documents' dates, as Parquet."""
    ordered = [docs[d] for d in sorted(docs)]
    tables = {
        mentions_path(params): (pa.schema(MENTION_FIELDS), "mentions"),
        arguments_path(params): (without("participants", "entity_id"), "arguments"),
        ungrouped_events_path(params): (without("events", "happening_id", "grouped_by"), "events"),
    }
    for path, (schema, part) in tables.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = [row for doc in ordered for row in doc[part]]
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    documents = table_path(params, "documents")
    documents.parent.mkdir(parents=True, exist_ok=True)
    dates = [{"doc_id": d, "published": docs[d]["published"]} for d in sorted(docs)]
    pq.write_table(pa.Table.from_pylist(dates), documents)


def make_params(root: Path) -> Params:
    return Params(
        paths=Paths(raw=root / "raw", interim=root / "interim", cache=root / "cache"),
        entities=EntityParams(kb=PROJECT / "knowledge_base.csv"),
    )


def run_stages(root: Path, docs: dict[str, dict]) -> dict[str, bytes]:
    """Write the inputs, run entities then happenings; every file they wrote, by name."""
    params = make_params(root)
    write_inputs(params, docs)
    entities.run(params)
    happenings.run(params)
    return {
        f"{stage}/{path.name}": path.read_bytes()
        for stage in ("entities", "happenings")
        for path in sorted((params.paths.interim / stage).iterdir())
    }


def table(root: Path, name: str) -> list[dict]:
    return pq.read_table(table_path(make_params(root), name)).to_pylist()


def membership(root: Path) -> dict[str, str]:
    return {row["event_id"]: row["happening_id"] for row in table(root, "events")}


def rerun_matches_scratch(
    tmp_path: Path, kept: Path, docs: dict[str, dict], name: str, caplog: pytest.LogCaptureFixture
) -> str:
    """Re-run in `kept` (its state from the last run) and from nothing: the same bytes.

    Returns what the re-run in `kept` logged.
    """
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="chronicle"):
        again = run_stages(kept, docs)
    logged = caplog.text
    assert again == run_stages(tmp_path / name, docs)
    return logged


def test_add_edit_delete_give_the_tables_of_a_run_from_scratch(tmp_path, caplog):
    kept = tmp_path / "kept"
    docs = corpus()
    run_stages(kept, docs)
    together = membership(kept)
    assert together["evt_doc_a_0"] == together["evt_doc_b_0"]  # "Smith" is John Smith
    assert together["evt_doc_c_0"] == together["evt_doc_e_0"] != together["evt_doc_d_0"]

    # Added: a second Smith makes "Smith" ambiguous in doc_b, a document left unchanged.
    docs["doc_f"] = document(
        "doc_f", dt.date(2024, 8, 1), ["Jane Smith", "Rau"], [("win", JULY, 0)]
    )
    logged = rerun_matches_scratch(tmp_path, kept, docs, "added", caplog)
    assert "2 of 3 families grouped again" in logged  # resign and the new win; meet copied
    smith = {r["mention_id"]: r["resolution"] for r in table(kept, "mentions")}
    assert smith["men_doc_b_0"] == "name"  # no longer joined to John Smith by surname

    # Edited: doc_e's summit moves from May to July, into doc_d's happening.
    docs["doc_e"] = document("doc_e", dt.date(2024, 7, 3), ["Major", "Rau"], [("meet", JULY, 0)])
    logged = rerun_matches_scratch(tmp_path, kept, docs, "edited", caplog)
    assert "1 of 3 families grouped again" in logged
    moved = membership(kept)
    assert moved["evt_doc_e_0"] == moved["evt_doc_d_0"] != moved["evt_doc_c_0"]

    # Deleted: the first telling of the resignation goes; doc_b's telling starts its own.
    del docs["doc_a"]
    rerun_matches_scratch(tmp_path, kept, docs, "deleted", caplog)
    assert "evt_doc_b_0" in membership(kept)


def test_a_damaged_state_groups_everything_again(tmp_path, caplog):
    kept = tmp_path / "kept"
    docs = corpus()
    first = run_stages(kept, docs)
    path = state_path(make_params(kept))
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    with caplog.at_level(logging.INFO, logger="chronicle"):
        assert run_stages(kept, docs) == first
    assert "unreadable" in caplog.text and "grouping every family" in caplog.text


def test_changed_params_group_everything_again(tmp_path, caplog):
    kept = tmp_path / "kept"
    run_stages(kept, corpus())
    params = make_params(kept)
    wider = dataclasses.replace(
        params, happenings=dataclasses.replace(params.happenings, min_shared_entities=3)
    )
    with caplog.at_level(logging.INFO, logger="chronicle"):
        happenings.run(wider)
    assert "params changed; grouping every family" in caplog.text


@pytest.fixture(autouse=True)
def _chronicle_logs_propagate():
    """The stages' logger may not propagate to pytest's handler: make it for these tests."""
    logger = logging.getLogger("chronicle")
    before = logger.propagate
    logger.propagate = True
    yield
    logger.propagate = before


def test_tables_rewritten_by_pandas_are_read_alike(tmp_path):
    """A table a user rewrote with pandas holds large strings; the grouping is the same."""
    kept = tmp_path / "kept"
    first = run_stages(kept, corpus())
    params = make_params(kept)
    mentions = table_path(params, "mentions")
    pq.read_table(mentions).to_pandas().to_parquet(mentions, index=False)
    assert pq.read_schema(mentions).field("entity_id").type == pa.large_string()
    state_path(params).unlink()
    happenings.run(params)
    again = (params.paths.interim / "happenings" / "happenings.parquet").read_bytes()
    assert again == first["happenings/happenings.parquet"]
