"""Publishing without DVC: CSV safety, streaming, summaries, the report, metadata, load, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.config import load_params
from pipeline.core.io import write_table
from pipeline.core.release import csv_cell, csv_column, neutralise, restore
from pipeline.load import LoadError, load
from pipeline.publish.contract import contract_fingerprint
from pipeline.publish.croissant import CROISSANT_CONTEXT, croissant
from pipeline.publish.datapackage import datapackage
from pipeline.publish.provenance import (
    PROVENANCE_EXCLUDED,
    Provenance,
    git_state,
    provenance_params,
)
from pipeline.publish.report import closeup, render, timeline_svg
from pipeline.publish.stage import publish_table
from pipeline.publish.summary import Summary, manifest_warning
from schemas import SCHEMA_VERSION, TABLES

PROJECT = Path(__file__).resolve().parents[3]
D = dt.date

# --- CSV safety -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell", ["=1+2", "+33 1 23", "-5", "@SUM(A1)", "\tx", "\rx", "'=already quoted", "''-x"]
)
def test_formula_like_cells_get_a_quote_and_come_back(cell):
    safe = neutralise(cell)
    assert safe == "'" + cell
    assert restore(safe) == cell


@pytest.mark.parametrize("cell", ["Khrushchev", "1962-03", "'quoted", "a=b", " =x", ""])
def test_ordinary_cells_are_left_alone(cell):
    assert neutralise(cell) == cell
    assert restore(cell) == cell


@given(st.text())
def test_neutralising_is_reversible_and_safe(text):
    safe = neutralise(text)
    assert restore(safe) == text
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))


@given(st.lists(st.one_of(st.none(), st.text())))
def test_column_wise_csv_cells_match_cell_by_cell(texts):
    expected = [csv_cell(t) for t in texts]
    assert csv_column(pa.array(texts, pa.string())) == expected
    assert csv_column(pa.array(texts, pa.string()).dictionary_encode()) == expected


def test_column_wise_csv_cells_for_numbers_dates_and_lists():
    values = {
        pa.int64(): [3, None, -1],
        pa.date32(): [D(1962, 10, 16), None, D(1, 1, 1)],
        pa.list_(pa.string()): [["a", "=b"], None, []],
        pa.bool_(): [True, None, False],
    }
    for kind, column in values.items():
        assert csv_column(pa.array(column, kind)) == [csv_cell(v) for v in column], kind


@given(st.lists(st.one_of(st.none(), st.lists(st.one_of(st.none(), st.text())))))
def test_lists_of_text_joined_by_arrow_are_the_json_of_each_cell(lists):
    expected = [csv_cell(v) for v in lists]
    assert csv_column(pa.array(lists, pa.list_(pa.string()))) == expected


@given(st.lists(st.one_of(st.none(), st.floats())))
def test_floats_rendered_by_arrow_are_pythons_repr(floats):
    column = pa.array(floats, pa.float64())
    assert csv_column(column) == [csv_cell(v) for v in floats]
    assert csv_column(column.slice(1)) == [csv_cell(v) for v in floats[1:]]


def test_csv_cells_by_type():
    assert csv_cell(None) == ""
    assert csv_cell(["a", "=b"]) == '["a", "=b"]'  # a JSON array never starts like a formula
    assert csv_cell(D(1962, 10, 16)) == "1962-10-16"
    assert csv_cell(42) == "42"
    assert csv_cell(True) == "true"
    assert csv_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"


# --- streaming one table --------------------------------------------------------------------

REJECTS = pd.DataFrame(
    {
        "path": ["=HYPERLINK(x).pdf", "a.pdf", "b.bin", "c.txt", "d.txt"],
        "sha256": [None, "0" * 64, "1" * 64, "2" * 64, None],
        "reason": ["unsupported_type", "unsupported_type", "binary", "empty", "manifest_error"],
        "detail": ["-not text", "@pdf", "binary", "empty", "+bad row"],
    }
)


@pytest.fixture
def published_rejects(tmp_path: Path) -> tuple[Path, Summary]:
    source = tmp_path / "interim" / "rejects.parquet"
    write_table(REJECTS, TABLES["rejects"], source)
    summary = Summary()
    publish_table(
        source,
        TABLES["rejects"],
        tmp_path / "out" / "rejects.parquet",
        tmp_path / "out" / "csv" / "rejects.csv",
        batch_rows=2,
        summary=summary,
    )
    return tmp_path / "out", summary


def test_publish_streams_batches_into_row_groups(published_rejects):
    out, summary = published_rejects
    parquet = pq.ParquetFile(out / "rejects.parquet")
    assert parquet.metadata.num_row_groups == 3  # 5 rows, 2 per batch
    assert pa.types.is_dictionary(parquet.schema_arrow.field("reason").type)
    assert parquet.schema_arrow.field("detail").metadata[b"description"]
    assert summary.rows["rejects"] == 5
    assert summary.counts("rejects", "reason") == {
        "binary": 1,
        "empty": 1,
        "manifest_error": 1,
        "unsupported_type": 2,
    }


def test_manifest_rows_that_could_not_be_used_are_told_at_the_end(published_rejects):
    _, summary = published_rejects
    assert summary.manifest_problems == [("d.txt", "+bad row")]
    assert manifest_warning(summary.manifest_problems).splitlines() == [
        "1 manifest row(s) could not be used: the title, date and anchor mode they give are "
        "in no document. Fix the manifest and run again:",
        "  d.txt: +bad row",
    ]


def test_parquet_keeps_exact_values_and_csv_neutralises(published_rejects):
    out, _ = published_rejects
    exact = pq.read_table(out / "rejects.parquet").to_pandas()
    assert "=HYPERLINK(x).pdf" in set(exact["path"])
    assert "-not text" in set(exact["detail"])
    with open(out / "csv" / "rejects.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cells = {row["path"]: row for row in rows}
    assert "'=HYPERLINK(x).pdf" in cells
    assert cells["'=HYPERLINK(x).pdf"]["detail"] == "'-not text"
    assert cells["a.pdf"]["detail"] == "'@pdf"
    assert cells["c.txt"]["sha256"] == "2" * 64
    assert cells["d.txt"]["sha256"] == ""  # null
    pd.testing.assert_frame_equal(load("rejects", out, format="csv"), load("rejects", out))


def test_publish_without_csv_writes_parquet_only(tmp_path):
    source = tmp_path / "interim" / "rejects.parquet"
    write_table(REJECTS, TABLES["rejects"], source)
    publish_table(
        source,
        TABLES["rejects"],
        tmp_path / "out" / "rejects.parquet",
        None,
        batch_rows=10,
        summary=Summary(),
    )
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["rejects.parquet"]


def test_publish_names_a_table_that_lacks_columns(tmp_path):
    source = tmp_path / "rejects.parquet"
    pq.write_table(pa.table({"path": ["a"], "reason": ["empty"]}), source)
    with pytest.raises(Exception, match=r"lacks columns \['sha256', 'detail'\]"):
        publish_table(source, TABLES["rejects"], tmp_path / "o.parquet", None, 10, Summary())


# --- the summary ----------------------------------------------------------------------------

EVENTS = pa.table(
    {
        "doc_id": ["doc_a", "doc_a", "doc_b", "doc_b", "doc_b"],
        "date_start": [D(1962, 3, 1), D(1962, 3, 1), D(1960, 5, 1), None, D(1959, 1, 1)],
        "date_end": [D(1962, 3, 31), D(1962, 3, 31), D(1960, 5, 1), None, D(1959, 12, 31)],
        "precision": ["month", "month", "day", None, "year"],
        "event_type": [None, "ASSAULT", None, None, None],
        "date_basis": ["explicit", "narrative", "explicit", "explicit", "document"],
    }
)

ENTITIES = pa.table(
    {
        "entity_id": [f"ent_{i}" for i in range(5)],
        "name": ["Cuba", "Nikita Khrushchev", "Berlin", "Kennedy", "Turkey"],
        "label": ["GPE", "PERSON", "GPE", "PERSON", "GPE"],
        "n_mentions": [7, 11, 2, 2, 2],
        "n_documents": [1, 1, 1, 1, 1],
        "aliases": [
            ["Cuba"],
            ["Khrushchev", "Nikita Khrushchev"],
            ["Berlin"],
            ["Kennedy"],
            ["Turkey"],
        ],
    }
)


@pytest.mark.parametrize("batch_rows", [1, 2, 100])
def test_summary_is_the_same_whatever_the_batch_size(batch_rows):
    summary = Summary(top_entities=3)
    for name, table in (("entities", ENTITIES), ("events", EVENTS)):
        summary.begin(name)
        for batch in table.to_batches(max_chunksize=batch_rows):
            summary.add(name, batch)
    assert summary.intervals == Counter(
        {
            (D(1962, 3, 1), D(1962, 3, 31), "month"): 2,
            (D(1960, 5, 1), D(1960, 5, 1), "day"): 1,
            (D(1959, 1, 1), D(1959, 12, 31), "year"): 1,
        }
    )
    assert summary.date_range == (D(1959, 1, 1), D(1962, 3, 31))
    assert summary.metrics()["events_per_type"] == {"ASSAULT": 1, "untyped": 4}
    assert summary.metrics()["events_per_date_basis"] == {
        "document": 1,
        "explicit": 3,
        "narrative": 1,
    }
    assert [e.name for e in summary.entities] == ["Nikita Khrushchev", "Cuba", "Berlin"]


def test_summary_counts_rows_per_summarised_document():
    documents = pa.table(
        {
            "doc_id": ["doc_b", "doc_a", "doc_c"],
            "path": ["b.txt", "a.txt", "c.txt"],
            "title": [None, "A", "C"],
            "published": [None, D(2013, 3, 21), None],
            "licence": [None, "CC-BY-4.0", None],
            "n_chars": [10, 20, 30],
            "n_sentences": [1, 2, 3],
            "source_url": [None, "https://example.org/a", None],
            "model": ["en_core_web_sm-3.8.0"] * 3,
        }
    )
    summary = Summary(max_documents=2)
    summary.add("documents", documents)
    summary.add("events", EVENTS)
    shown = summary.documents
    assert [d.path for d in shown] == ["a.txt", "b.txt"]  # the first two by path
    assert [d.counts["events"] for d in shown] == [2, 3]
    assert (shown[0].first_date, shown[0].last_date) == (D(1962, 3, 1), D(1962, 3, 31))
    assert summary.documents_with_source_url == 1
    assert summary.counts("documents", "licence", null="not recorded") == {
        "CC-BY-4.0": 1,
        "not recorded": 2,
    }


# --- the report -----------------------------------------------------------------------------

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="alert(1)">'


def hostile_summary() -> Summary:
    summary = Summary()
    summary.add(
        "documents",
        pa.table(
            {
                "doc_id": ["doc_x"],
                "path": [f"{HOSTILE}.txt"],
                "title": [HOSTILE],
                "published": [None],
                "licence": [HOSTILE],
                "n_chars": [100],
                "n_sentences": [2],
                "source_url": [None],
                "model": [HOSTILE],
            }
        ),
    )
    summary.add(
        "rejects", pa.table({"path": [f"{HOSTILE}.pdf"], "reason": ["binary"], "detail": [HOSTILE]})
    )
    names = [HOSTILE, *ENTITIES["name"].to_pylist()[1:]]
    entities = ENTITIES.set_column(1, "name", pa.array(names))
    summary.add("entities", entities)
    summary.add("events", EVENTS)
    return summary


PROVENANCE = Provenance(
    "0.1.0",
    SCHEMA_VERSION,
    ("en_core_web_sm-3.8.0",),
    {"nlp": {}},
    "ab" * 32,
    3,
    "2024-01-01",
)


def test_report_escapes_every_value_from_the_data():
    page = render(hostile_summary(), PROVENANCE)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert page.count("&lt;script&gt;window.__pwned = 1&lt;/script&gt;") >= 5
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_report_loads_nothing_from_outside():
    page = render(hostile_summary(), PROVENANCE)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


def test_timeline_draws_one_bar_per_interval_in_its_precision_lane():
    svg = timeline_svg(hostile_summary().intervals)
    marks = re.findall(r'<rect class="mark" data-precision="(\w+)" data-count="(\d+)"', svg)
    assert sorted(marks) == [("day", "1"), ("month", "2"), ("year", "1")]
    assert "1962-03-01 to 1962-03-31 (month): 2 event(s)" in svg
    assert re.search(r">1960<", svg)  # a year tick


def test_timeline_leaves_off_a_few_stray_dates_and_says_so():
    intervals = Counter({(D(2004, 5, d), D(2004, 5, d), "day"): 50 for d in range(1, 5)})
    intervals[(D(1, 1, 1), D(1, 12, 31), "year")] = 1  # a misread number
    intervals[(D(2099, 1, 1), D(2099, 12, 31), "year")] = 2
    svg = timeline_svg(intervals)
    assert svg.count('class="mark"') == 4
    assert (
        "Not drawn: 3 event(s) dated outside this range, between 0001-01-01 and 2099-12-31" in svg
    )
    assert ">2004-05<" in svg  # the axis spans the bulk: month ticks
    few = Counter({(D(1, 1, 1), D(1, 12, 31), "year"): 1, (D(2004, 1, 1), D(2004, 1, 1), "day"): 1})
    assert timeline_svg(few).count('class="mark"') == 2  # 1% of 2 events: nothing left off


def test_report_adds_a_closeup_when_the_events_crowd_a_short_stretch():
    crowded = Counter({(D(2004, 5, d), D(2004, 5, d), "day"): 10 for d in range(1, 29)})
    crowded.update({(D(y, 1, 1), D(y, 12, 31), "year"): 1 for y in range(1900, 2000, 10)})
    found = closeup(crowded)  # 290 events: 80% (232) are the first 24 days of May, 10 a day
    assert found is not None
    inside, first, last = found
    assert (first, last) == (D(2004, 5, 1), D(2004, 5, 24))
    assert sum(inside.values()) == 240
    spread = Counter({(D(y, 1, 1), D(y, 12, 31), "year"): 2 for y in range(1900, 2000)})
    assert closeup(spread) is None


def test_a_crowded_decade_in_centuries_of_dates_gets_its_closeup():
    # 300 events in the Second World War, 261 spread over five centuries: no stretch holding
    # 80% is short, but the war holds half of them in 6 of 520 years.
    war = Counter(
        {(D(1939, 9, 1) + dt.timedelta(days=7 * i),) * 2 + ("day",): 1 for i in range(300)}
    )
    years = Counter({(D(y, 1, 1), D(y, 12, 31), "year"): 1 for y in range(1500, 2021, 2)})
    found = closeup(war + years)
    assert found is not None
    inside, first, last = found
    assert D(1939, 9, 1) <= first and last <= D(1945, 5, 31)
    assert sum(inside.values()) >= 250  # about half of the 561 events: the war
    assert 'class="mark"' in timeline_svg(inside, trim=False)


def test_timeline_without_events_says_so():
    assert "No dated events" in timeline_svg(Counter())


def test_timeline_covers_a_short_span_with_month_ticks():
    svg = timeline_svg(Counter({(D(2013, 3, 21), D(2013, 3, 21), "day"): 3}))
    assert "2013-03" in svg and 'data-count="3"' in svg


# --- metadata -------------------------------------------------------------------------------


def test_datapackage_has_csv_and_parquet_resources_with_keys():
    package = datapackage(files={"csv/events.csv": (10, "ab" * 32)})
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["events"]["hash"] == "sha256:" + "ab" * 32
    assert resources["events"]["bytes"] == 10
    fks = resources["events-parquet"]["schema"]["foreignKeys"]
    assert {fk["reference"]["resource"] for fk in fks} == {
        "documents-parquet",
        "sentences-parquet",
        "timexes-parquet",
        "happenings-parquet",
    }
    doc_id = resources["documents"]["schema"]["fields"][0]
    assert doc_id["constraints"]["pattern"] == "doc_[0-9a-f]{16}"
    assert resources["entities-parquet"]["schema"]["primaryKey"] == ["entity_id"]


CROISSANT_REQUIRED = (
    "@context",
    "@type",
    "conformsTo",
    "name",
    "description",
    "license",
    "url",
    "creator",
    "datePublished",
    "distribution",
    "recordSet",
)
"""Required by the Croissant 1.0 specification (dataset level), plus what makes it useful."""


def test_croissant_has_the_specs_required_fields():
    files = {f"{name}.parquet": (100, "cd" * 32) for name in TABLES}
    metadata = croissant(PROVENANCE, files)
    for key in CROISSANT_REQUIRED:
        assert metadata.get(key), key
    assert metadata["@type"] == "sc:Dataset"
    assert metadata["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert metadata["@context"] == CROISSANT_CONTEXT
    assert {d["sha256"] for d in metadata["distribution"]} == {"cd" * 32}
    events = next(r for r in metadata["recordSet"] if r["name"] == "events")
    date_start = next(f for f in events["field"] if f["name"] == "date_start")
    assert date_start["dataType"] == "sc:Date"
    assert date_start["source"]["extract"]["column"] == "date_start"
    aliases = next(
        f for r in metadata["recordSet"] for f in r["field"] if f["@id"] == "entities/aliases"
    )
    assert aliases["repeated"] is True
    assert "raw inputs digest " + PROVENANCE.inputs_sha256 in metadata["citeAs"]


def test_the_contract_version_is_in_the_changelog_with_its_fingerprint():
    changelog = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")
    section = re.search(
        rf"^## .*\(schema {re.escape(SCHEMA_VERSION)}\)(.*?)(?=^## |\Z)",
        changelog,
        flags=re.MULTILINE | re.DOTALL,
    )
    assert section, f"CHANGELOG.md has no section for schema {SCHEMA_VERSION}"
    assert f"Contract fingerprint: `{contract_fingerprint()}`" in section.group(1), (
        "The contract changed (a column, type, key or allowed value) without a new version: "
        "bump schemas.SCHEMA_VERSION (and dvc.yaml artifacts.chronicle.meta.version), and add "
        f"a CHANGELOG.md section with 'Contract fingerprint: `{contract_fingerprint()}`'."
    )


def test_dvc_declares_the_dataset_artifact_at_the_contract_version():
    dvc = yaml.safe_load((PROJECT / "dvc.yaml").read_text())
    artifact = dvc["artifacts"]["chronicle"]
    assert artifact["type"] == "dataset"
    assert artifact["path"] == load_params(PROJECT / "params.yaml").paths.outputs.as_posix()
    assert artifact["meta"]["version"] == SCHEMA_VERSION
    assert "outputs/plots/timeline.svg" in dvc["plots"]


def test_publish_stage_tracks_every_param_the_provenance_records():
    params = load_params(PROJECT / "params.yaml")
    stage = yaml.safe_load((PROJECT / "dvc.yaml").read_text())["stages"]["publish"]
    recorded = set(provenance_params(params))
    assert {"ingest", "nlp", "timexes", "events", "publish"} <= recorded
    assert not recorded & set(PROVENANCE_EXCLUDED)
    assert recorded <= set(stage["params"]), "add the new section to the publish stage params"


def test_provenance_without_git_does_not_fail(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert git_state(("pipeline",)) == (None, False, None)


# --- loading --------------------------------------------------------------------------------


def test_load_refuses_unknown_tables_and_formats(tmp_path):
    with pytest.raises(LoadError, match="unknown table 'event'"):
        load("event", tmp_path)
    with pytest.raises(LoadError, match="not found"):
        load("events", tmp_path)
    with pytest.raises(LoadError, match="unknown backend"):
        load("events", tmp_path, backend="spark")


def test_load_types_categories_from_the_schema(published_rejects):
    out, _ = published_rejects
    frame = load("rejects", out)
    assert list(frame["reason"].cat.categories)[:3] == ["empty", "binary", "undecodable"]
    polars = load("rejects", out, backend="polars")
    assert str(polars.schema["reason"]).startswith("Enum")
    assert polars["path"].to_list() == frame["path"].to_list()


def test_load_names_the_file_line_and_column_of_a_bad_csv_cell(published_rejects):
    out, _ = published_rejects
    path = out / "csv" / "rejects.csv"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("unsupported_type", "nonsense", 1), encoding="utf-8")
    with pytest.raises(
        LoadError,
        match=r"rejects.csv: column reason has values outside "
        r"its allowed values: \['nonsense'\]",
    ):
        load("rejects", out, format="csv")
    lines = good.splitlines(keepends=True)
    lines[2] = ",".join(lines[2].split(",")[:2]) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(LoadError, match=r"rejects.csv line 3: 2 cells, expected 4"):
        load("rejects", out, format="csv")


def test_metrics_json_gathers_every_stage_report(tmp_path):
    from pipeline.publish.stage import stage_reports

    for stage, counts in (("events", {"skipped": 3}), ("new_stage", {"kept": 1})):
        (tmp_path / stage).mkdir()
        (tmp_path / stage / "report.json").write_text(json.dumps(counts))
    (tmp_path / "nlp").mkdir()  # a stage without a report
    assert stage_reports(tmp_path) == {"events": {"skipped": 3}, "new_stage": {"kept": 1}}


def test_report_shows_the_events_per_date_basis():
    summary = Summary()
    summary.add("events", EVENTS)
    page = render(summary, PROVENANCE)
    section = page[page.index('id="precision-at-basis"') :]
    section = section[: section.index("</section>")]
    assert [label for label in ("explicit", "narrative", "document") if label in section] == [
        "explicit",
        "narrative",
        "document",
    ]
    assert '<td class="n">3</td>' in section


def test_report_flags_a_span_that_ends_after_the_publication_date():
    def page(published: dt.date) -> str:
        summary = Summary()
        documents = {
            "doc_id": ["doc_a"],
            "path": ["a.txt"],
            "title": ["A"],
            "published": [published],
            "licence": [None],
            "n_chars": [20],
            "n_sentences": [2],
            "source_url": [None],
            "model": ["en_core_web_sm-3.8.0"],
        }
        summary.add("documents", pa.table(documents))
        summary.add("events", EVENTS)
        return render(summary, PROVENANCE)

    late = page(D(1962, 3, 15))  # doc_a's events run to 1962-03-31
    assert "1 of the documents listed have events dated after their publication date" in late
    assert '1962-03-01 to 1962-03-31 <span class="warn">(ends after its publication date)' in late
    assert "after their publication date" not in page(D(1962, 4, 1))


def happening(i: int, trigger: str, n_documents: int, conflict: list[str]) -> dict:
    """A happening row as the summary reads it (only the columns it uses)."""
    return {
        "happening_id": f"hap_{i}",
        "trigger": trigger,
        "date_start": None,
        "date_end": None,
        "precision": None,
        "n_events": n_documents + i % 2,
        "n_documents": n_documents,
        "date_conflict": conflict,
    }


HAPPENINGS = pa.Table.from_pylist(
    [
        happening(0, "meet", 1, []),
        happening(1, "invade", 3, ["1962-10-16: d1", "1962-10-22: d2"]),
        happening(2, "Zürich talks", 2, ["1961-01-01: d3", "1961-02-01: d4"]),
        happening(3, "zap", 2, ["1961-01-01: d3", "1961-01-09: d5"]),
        happening(4, "élan", 2, []),
        happening(5, "meet", 3, ["1960-05-01: d6", "1960-06-01: d7"]),
    ]
)


@pytest.mark.parametrize("batch_rows", [2, 3, 100])
def test_the_most_told_happenings_and_conflicts_do_not_depend_on_batches(batch_rows):
    def summarise(rows: int) -> Summary:
        summary = Summary(top_entities=3, max_documents=3)
        for batch in HAPPENINGS.to_batches(max_chunksize=rows):
            summary.add("happenings", batch)
        return summary

    one_by_one, batched = summarise(1), summarise(batch_rows)
    assert [h.happening_id for h in batched.happenings] == ["hap_1", "hap_5", "hap_3"]
    assert batched.happenings == one_by_one.happenings
    assert [h.happening_id for h in batched.conflicts] == ["hap_5", "hap_1", "hap_3"]
    assert batched.conflicts == one_by_one.conflicts
    assert (batched.happenings_told_twice, batched.happenings_in_conflict) == (5, 4)
