"""Dates that bound a span rather than date a happening, rates, summaries of many, and an
open stretch from a date on.

Each sentence is written for these tests; what a user cares about is which predicates the
events table holds as explicitly dated happenings, and over which dates.
"""

import datetime as dt

import pytest

from tests.support.helpers import explicit_events, explicit_triggers


@pytest.mark.parametrize(
    "text",
    [
        "The mayor, who had not visited the harbour since 1931, was greeted warmly.",
        "The envoys had not met the sultan since the summer of 1931.",
        "The rebels had never crossed the ridge since March 1931.",
    ],
)
def test_a_perfect_with_a_since_date_is_no_happening_then(run_stages, text):
    # The "since" date bounds a span up to the story's time: the last time it was done, or
    # the start of what went on since; nothing is told as done on that date.
    assert explicit_triggers(run_stages, text) == []


def test_a_perfect_since_a_date_without_a_negation_is_still_begun_then(run_stages):
    text = "The envoys have bargained with the sultan since May 1931."
    assert explicit_triggers(run_stages, text) == ["bargain"]


def test_not_until_a_date_dates_the_deed_then(run_stages):
    text = "Not until May 1931 did the brigade cross the river."
    events = explicit_events(run_stages, text)
    assert [(e["trigger"], e["date_start"]) for e in events] == [("cross", dt.date(1931, 5, 1))]


@pytest.mark.parametrize(
    "text",
    [
        "In June 1931 the raiders burned an average of nine farms a day.",
        "The batteries fired some 400 shells per day in June 1931.",
        "In June 1931 the guerrillas blew up an average of three bridges each week.",
    ],
)
def test_a_rate_is_no_happening(run_stages, text):
    assert explicit_triggers(run_stages, text) == []


def test_a_time_within_a_reported_clause_is_no_rate(run_stages):
    text = "On 2 May 1931 the envoys confirmed reports that the fleet would sail within a few days."
    assert "confirm" in explicit_triggers(run_stages, text)


def test_a_count_without_a_rate_stays_an_event(run_stages):
    text = "In June 1931 the raiders burned nine farms near Tarvik."
    assert explicit_triggers(run_stages, text) == ["burn"]


@pytest.mark.parametrize(
    "text",
    [
        "The garrison of 400 in March was increased to 9,000 by December 1931.",
        "The militia grew from 300 to 5,000 men by May 1931.",
        "The rebel army had swelled to some 20,000 by the autumn of 1931.",
    ],
)
def test_a_figure_reached_by_a_date_is_a_trend(run_stages, text):
    # A change to a figure "by" a date tells the level reached by then, not one happening.
    assert [e for e in explicit_events(run_stages, text) if e["date_start"].month != 3] == []


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("By May 1931 the rebels had reached the river.", None),
        ("By May 1931 the town was taken.", "take"),
        ("The garrison was increased to 9,000 in December 1931.", "increase"),
    ],
)
def test_a_by_date_without_a_figure_reached_is_left_as_it_was(run_stages, text, trigger):
    assert explicit_triggers(run_stages, text) == ([trigger] if trigger else [])


@pytest.mark.parametrize(
    "text",
    [
        "A string of small raids was launched throughout the spring of 1931.",
        "Throughout 1931 the partisans launched a series of ambushes on the convoys.",
        "Throughout the summer of 1931 the guerrillas ambushed convoys.",
    ],
)
def test_many_happenings_throughout_a_stretch_are_a_summary(run_stages, text):
    assert explicit_triggers(run_stages, text) == []


def test_one_deed_throughout_a_stretch_stays(run_stages):
    text = "Throughout the summer of 1931 the rebels besieged the fort of Oran."
    assert explicit_triggers(run_stages, text) == ["besiege"]


@pytest.mark.parametrize(
    "text",
    [
        "From 1931 onward, the uprising sank into a bitter stalemate.",
        "From 1931 on, the council met in secret.",
        "From May 1931 onwards the rebels raided the coast.",
    ],
)
def test_an_open_stretch_from_a_date_on_is_no_happening(run_stages, text):
    assert explicit_triggers(run_stages, text) == []


def test_a_span_from_one_date_to_another_is_left_as_it_was(run_stages):
    text = "From May to July 1931 the rebels besieged the fort."
    assert explicit_triggers(run_stages, text) == ["besiege"]


@pytest.mark.parametrize(
    "text",
    [
        "The junta vested itself with all powers from the time of its founding on 2 May 1931 "
        "until its fall on 9 June 1933.",
        "The council held power from its founding on 2 May 1931 until the elections of 1933.",
    ],
)
def test_a_state_told_from_one_end_until_the_other_is_dated_by_neither(run_stages, text):
    assert {"vest", "hold"} & set(explicit_triggers(run_stages, text)) == set()


def test_the_ends_of_such_a_span_keep_their_own_dates(run_stages):
    text = (
        "The junta vested itself with all powers from the time of its founding on 2 May 1931 "
        "until its fall on 9 June 1933."
    )
    dates = {(e["trigger"], e["date_start"]) for e in explicit_events(run_stages, text)}
    assert dates == {("founding", dt.date(1931, 5, 2)), ("fall", dt.date(1933, 6, 9))}


def test_a_from_of_a_place_is_no_end_of_a_span(run_stages):
    text = "The refugees marched from Oran on 2 May 1931 until nightfall."
    assert [(e["trigger"], e["date_start"]) for e in explicit_events(run_stages, text)] == [
        ("march", dt.date(1931, 5, 2))
    ]
