"""The whole pipeline under real DVC, in a temporary git repository, on the sample document.

These tests run `dvc repro` as a user would and check the published tables against the schemas
and against facts a reader can verify in `raw/cuban-missile-crisis-reconsidered.txt`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.core.io import from_arrow
from schemas import TABLES
from tests.support.helpers import digests, dvc, make_repo, run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository after one full `dvc repro`."""
    repo = make_repo(tmp_path_factory.mktemp("run") / "chronicle")
    dvc(repo, "repro")
    return repo


@pytest.fixture(scope="module")
def tables(built: Path) -> dict[str, pd.DataFrame]:
    """The published Parquet tables, read with pandas as a user would."""
    return {name: pd.read_parquet(built / "outputs" / f"{name}.parquet") for name in TABLES}


def test_every_published_table_passes_its_schema(built):
    for name, table in TABLES.items():
        arrow = pq.read_table(built / "outputs" / f"{name}.parquet")
        table.model.validate(from_arrow(arrow), lazy=True)
        assert arrow.schema.field(
            "doc_id" if "doc_id" in arrow.schema.names else table.primary_key[0]
        ).metadata[b"description"]
    metrics = json.loads((built / "outputs" / "metrics.json").read_text())
    assert metrics["rows"]["documents"] == 1
    assert metrics["rows"]["events"] >= 6


def test_dates_from_the_text_date_events_at_the_right_precision(tables):
    events, sentences = tables["events"], tables["sentences"].set_index("sentence_id")
    events = events.assign(sentence=events["sentence_id"].map(sentences["text"]))

    def dated(fragment: str) -> list[tuple[dt.date, dt.date, str]]:
        rows = events[events["sentence"].str.contains(fragment, regex=False)]
        return sorted(zip(rows["date_start"], rows["date_end"], rows["precision"], strict=True))

    assert (dt.date(1962, 3, 1), dt.date(1962, 3, 31), "month") in dated("In March 1962")
    assert (dt.date(1960, 5, 1), dt.date(1960, 5, 1), "day") in dated("on May 1, 1960")
    assert {
        (dt.date(1959, 1, 1), dt.date(1959, 12, 31), "year"),
        (dt.date(1961, 1, 1), dt.date(1961, 12, 31), "year"),
    } <= set(dated("1959 and 1961"))
    assert (dt.date(1964, 1, 1), dt.date(1964, 12, 31), "year") in dated("In 1964")
    replaced = events[events["sentence"].str.startswith("In 1964")]
    assert "replace" in set(replaced["trigger"])


def test_people_are_person_entities_once_each(tables):
    people = tables["entities"][tables["entities"]["label"] == "PERSON"]
    for surname in [
        "Khrushchev",
        "Kennedy",
        "Eisenhower",
        "Powers",
        "Castro",
        "Batista",
        "Brezhnev",
        "Kosygin",
        "Dobrynin",
        "Guevara",
    ]:
        named = people[people["name"].str.split().str[-1] == surname]
        assert len(named) == 1, (surname, list(named["name"]))
    assert "Seemingly" not in set(tables["entities"]["name"])


def test_khrushchev_is_one_entity_however_named(tables):
    mentions = tables["mentions"]
    his = mentions[mentions["text"].str.contains("Khrushchev")]
    assert len(his) >= 10
    assert his["entity_id"].nunique() == 1
    entity = tables["entities"].set_index("entity_id").loc[his["entity_id"].iloc[0]]
    assert entity["name"] == "Nikita Khrushchev"
    assert entity["label"] == "PERSON"
    assert {"Khrushchev", "Nikita Khrushchev"} <= set(entity["aliases"])
    assert entity["n_mentions"] == len(his)


def test_pronoun_agent_links_to_khrushchev(tables):
    events = tables["events"]
    decided = events[events["trigger"] == "decide"]
    agents = tables["participants"].merge(decided[["event_id"]], on="event_id")
    agents = agents[agents["role"] == "agent"].merge(tables["entities"], on="entity_id")
    assert list(agents["name"]) == ["Nikita Khrushchev"]


def test_events_say_how_they_are_told_and_what_type_they_are(tables):
    events = tables["events"]
    removed = events[
        (events["trigger"] == "remove")
        & (events["precision"] == "year")
        & events["text"].str.contains("had failed")
    ]
    assert sorted(d.year for d in removed["date_start"]) == [1959, 1961]
    assert set(removed["modality"]) == {"failed"}  # "had failed to remove"
    invasion = events[events["trigger"] == "invasion"].iloc[0]
    assert (invasion["modality"], invasion["event_type"]) == ("failed", "COERCE")  # abortive
    browbeat = events[events["trigger"] == "browbeat"].iloc[0]
    assert browbeat["modality"] == "attempted"  # "tried to browbeat"
    assert set(events["polarity"]) <= {"positive", "negative"}


def test_publisher_appeal_gives_no_event(tables):
    text = tables["documents"]["text"].iloc[0]
    appeal = text.index("At least 10 independent media outlets")
    assert (tables["events"]["start_char"] < appeal).all()


def test_demonyms_and_places_resolve_to_countries(tables):
    entities = tables["entities"].set_index("name")
    soviet = entities.loc["Soviet Union"]
    assert (soviet["label"], soviet["country_code"], soviet["qid"]) == ("GPE", "SU", "Q15180")
    assert {"Soviet", "Soviets", "Soviet Union"} <= set(soviet["aliases"])
    assert tuple(entities.loc["Sverdlovsk", ["country_code", "geo_precision"]]) == ("SU", "city")
    assert entities.loc["Nikita Khrushchev", "confidence"] > 0.8
    mentions = tables["mentions"]
    assert set(mentions.loc[mentions["text"] == "Soviet", "resolution"]) == {"demonym"}


def test_offsets_index_the_document_text(tables):
    text = tables["documents"]["text"].iloc[0]
    assert '""' not in text and '"saved"' in text
    for name in ("mentions", "timexes", "events", "sentences"):
        for row in tables[name].itertuples():
            assert text[row.start_char : row.end_char] == row.text


def test_csv_copies_load_with_lists_as_json(built, tables):
    entities = pd.read_csv(built / "outputs" / "csv" / "entities.csv")
    assert len(entities) == len(tables["entities"])
    assert all(isinstance(json.loads(a), list) for a in entities["aliases"])
    package = json.loads((built / "outputs" / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"] if r["format"] == "csv"} == set(TABLES)


def test_tables_load_in_polars_and_duckdb(built):
    import duckdb
    import polars as pl

    events = pl.read_parquet(built / "outputs" / "events.parquet")
    assert events.schema["date_start"] == pl.Date
    outputs = (built / "outputs").as_posix()
    rows = duckdb.sql(f"""
        select e.trigger, n.name from '{outputs}/events.parquet' e
        join '{outputs}/participants.parquet' p using (event_id)
        join '{outputs}/entities.parquet' n using (entity_id)
        where p.role = 'agent' and n.label = 'PERSON'""").fetchall()
    assert ("decide", "Nikita Khrushchev") in rows


def test_second_repro_does_no_work(built):
    # Python writes bytecode beside the stage code it imports (the tests turn that off): those
    # caches are not inputs, or every stage would re-run once on a user's machine.
    run(built, sys.executable, "-m", "compileall", "-q", "pipeline", "schemas")
    assert any((built / "pipeline" / "timexes" / "temporal" / "__pycache__").glob("*.pyc"))
    result = dvc(built, "repro")
    assert "Running stage" not in result.stdout
    assert "up to date" in dvc(built, "status").stdout


RUN_STAGE = """
import runpy, sys
runpy.run_module(sys.argv[1], run_name="__main__", alter_sys=True)
print("pandas" in sys.modules)
"""


def test_streaming_stages_run_without_pandas(built, tmp_path):
    # They tell pyarrow not to import pandas (a quarter second a stage) to convert their rows,
    # which is only safe while they never make a pandas object: this fails when one does.
    repo = shutil.copytree(built, tmp_path / "copy", symlinks=True)
    for stage in ("ingest", "nlp", "timexes", "events", "entities"):
        result = run(repo, sys.executable, "-c", RUN_STAGE, f"pipeline.{stage}")
        assert result.stdout.split()[-1] == "False", stage
    assert digests(repo / "data" / "interim") == digests(built / "data" / "interim")


def test_two_runs_give_byte_identical_outputs(built, tmp_path):
    again = make_repo(tmp_path / "again")
    dvc(again, "repro")
    first, second = digests(built / "outputs"), digests(again / "outputs")
    assert first == second
    assert any(name.endswith(".parquet") for name in first)


def test_schema_violation_stops_before_publish(tmp_path):
    repo = make_repo(tmp_path / "broken")
    dvc(repo, "repro")
    before = digests(repo / "outputs")
    mentions = repo / "data" / "interim" / "entities" / "mentions.parquet"
    frame = pd.read_parquet(mentions)
    frame["label"] = frame["label"].astype(str)
    frame.loc[0, "label"] = "PERSONA"
    frame.loc[1, "start_char"] = -5
    frame.to_parquet(mentions, index=False)
    dvc(repo, "commit", "-f", "entities")  # as if the entities stage had produced this
    result = dvc(repo, "repro", check=False)
    assert result.returncode != 0
    report = result.stderr
    assert "Validation failed" in report
    assert "table mentions, column label, check isin" in report
    assert "table mentions, column start_char, check greater_than_or_equal_to(0)" in report
    assert "mention_id=men_" in report  # failing rows are named by their key
    assert digests(repo / "outputs") == before
