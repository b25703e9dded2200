"""Validation on small inline tables: each kind of problem is caught and named."""

import datetime as dt

import pytest

from pipeline.core import ids
from pipeline.validate.stage import validate
from tests.unit.validate.corpus import TEXT, document_tables, frame

DOC = ids.document_id(TEXT.encode())


@pytest.fixture
def tables():
    return document_tables()


def problems(tables, min_rows=None):
    return [(f.table, f.column, f.check) for f in validate(tables, min_rows or {})]


def test_consistent_tables_pass(tables):
    assert problems(tables) == []


def test_negative_offset_is_named(tables):
    tables["mentions"].loc[0, "start_char"] = -1
    found = problems(tables)
    assert ("mentions", "start_char", "greater_than_or_equal_to(0)") in found


def test_offsets_must_point_at_the_text(tables):
    tables["mentions"].loc[0, "end_char"] = 18
    assert ("mentions", "text", "text == documents.text[start_char:end_char]") in problems(tables)


def test_dangling_foreign_key_is_named(tables):
    tables["participants"].loc[0, "entity_id"] = ids.make_id("entity", "PERSON", "nobody")
    assert ("participants", "entity_id", "foreign key -> entities.entity_id") in problems(tables)


def test_unknown_label_and_bad_interval(tables):
    tables["mentions"].loc[0, "label"] = "PERSONA"
    tables["timexes"].loc[0, "date_end"] = dt.date(1963, 1, 1)
    found = problems(tables)
    assert any(t == "mentions" and c == "label" and "isin" in k for t, c, k in found)
    assert any(t == "timexes" and "interval" in k for t, _, k in found)


def test_event_must_carry_its_timex_dates(tables):
    tables["events"].loc[0, "date_start"] = dt.date(1964, 6, 1)
    assert ("events", "date_start", "date_start equals its timex's date_start") in problems(tables)


def test_a_document_event_has_no_timex_and_the_publication_date(tables):
    tables["events"].loc[0, "date_basis"] = "document"
    found = problems(tables)
    assert ("events", "timex_id", "timex_matches_basis") in found
    assert (
        "events",
        "date_start",
        "a document-basis event is dated by its document's publication date",
    ) in found


def test_too_few_rows_fails_loudly(tables):
    found = problems(tables, {"events": 2})
    assert ("events", None, "at least 2 row(s) (validate.min_rows)") in found


def test_empty_tables_are_valid_when_allowed(tables):
    for name in ("mentions", "entities", "participants", "events", "timexes", "happenings"):
        tables[name] = frame(name, [])  # read back from Arrow, as validate reads files
    assert problems(tables) == []


def test_a_date_before_christ_has_years_and_no_dates(tables):
    """ "In 218 BC": the timex and its event carry the years (astronomical), dates stay null."""
    for name in ("timexes", "events"):
        table = tables[name]
        table["date_start"] = table["date_start"].astype(object)
        table["date_end"] = table["date_end"].astype(object)
        table.loc[0, ["date_start", "date_end", "year_start", "year_end"]] = [
            None,
            None,
            -217,
            -217,
        ]
    tables["timexes"].loc[0, ["value", "edtf"]] = ["BC0218", "-0217"]
    assert problems(tables) == []
    tables["events"].loc[0, "precision"] = None
    assert any(t == "events" and "interval" in k for t, _, k in problems(tables))


def test_years_must_agree_with_dates(tables):
    tables["timexes"].loc[0, "year_end"] = 1965
    assert any(t == "timexes" and "interval" in k for t, _, k in problems(tables))


def test_a_range_names_its_other_end(tables):
    tables["timexes"].loc[0, ["range_role", "range_timex_id"]] = [
        "start",
        ids.span_id("timex", DOC, 100, 104),
    ]
    found = problems(tables)
    assert ("timexes", "range_timex_id", "foreign key -> timexes.timex_id") in found


def test_a_happening_counts_its_events(tables):
    tables["happenings"].loc[0, "n_events"] = 2
    tables["happenings"].loc[0, "n_documents"] = 2
    found = problems(tables)
    assert found == [
        ("happenings", "n_events", "n_events equals the number of events with this happening_id")
    ]
