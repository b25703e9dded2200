"""Deeds that no one did, causes told as relations, states a subject finds itself in, a
term's end told ahead, and a change over a range of years.

Each sentence is written for these tests; what a user cares about is which predicates the
events table holds as explicitly dated happenings, how they are told (polarity) and who did
them.
"""

import datetime as dt

import pytest

from tests.support.helpers import explicit_events, explicit_triggers


def agents(out: dict, event: dict) -> list[str]:
    return [
        a["text"]
        for a in out["arguments"]
        if a["event_id"] == event["event_id"] and a["role"] == "agent"
    ]


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Neither side launched a major offensive until April 1862.", "launch"),
        ("None of the envoys signed the treaty in May 1871.", "sign"),
        ("Nobody crossed the river in June 1871.", "cross"),
    ],
)
def test_a_subject_that_names_no_one_is_a_negated_deed_without_a_doer(run_stages, text, trigger):
    # "Neither side", "none of the envoys", "nobody": the deed is told as not done by them,
    # so the row is negative and no one is its doer.
    _, out = run_stages(text)
    events = [e for e in out["events"] if e["trigger"] == trigger]
    assert len(events) == 1
    assert events[0]["polarity"] == "negative"
    assert agents(out, events[0]) == []


def test_a_subject_that_names_someone_stays_the_doer(run_stages):
    text = "One of the envoys signed the treaty in May 1871."
    _, out = run_stages(text)
    (event,) = [e for e in out["events"] if e["trigger"] == "sign"]
    assert event["polarity"] == "positive"
    assert agents(out, event) == ["One of the envoys"]


def test_neither_side_until_a_date_keeps_that_date(run_stages):
    text = "Neither side launched a major offensive until April 1862."
    (event,) = explicit_events(run_stages, text)
    assert (event["date_start"], event["date_end"]) == (dt.date(1862, 4, 1), dt.date(1862, 4, 30))


@pytest.mark.parametrize(
    "text",
    [
        "The feud between the two houses led to a split in 1950.",
        "In early 1950 the quarrel over tariffs led to a rupture between the guilds.",
    ],
)
def test_lead_to_is_a_relation_not_a_deed(run_stages, text):
    # A cause leading to a result is a relation between the two; the result keeps its date
    # as its own event where it has one, "lead" is none.
    assert "lead" not in explicit_triggers(run_stages, text)


def test_leading_a_column_somewhere_is_a_deed(run_stages):
    text = "In May 1871 the colonel led the column to the coast."
    assert "lead" in explicit_triggers(run_stages, text)


@pytest.mark.parametrize(
    "text",
    [
        "The two fleets found themselves at war by October 1863.",
        "By March 1863 the garrison found itself cut off from the coast.",
    ],
)
def test_finding_oneself_in_a_state_is_no_deed(run_stages, text):
    assert "find" not in explicit_triggers(run_stages, text)


def test_finding_something_is_a_deed(run_stages):
    text = "In March 1863 the scouts found the missing wagons near Tarvik."
    assert "find" in explicit_triggers(run_stages, text)


@pytest.mark.parametrize(
    "text",
    [
        "The council's mandate expires at the end of 2031.",
        "The truce, which expires in March 2031, was signed by both kings.",
    ],
)
def test_a_term_ending_in_the_present_tense_is_a_schedule(run_stages, text):
    # The simple present with a date states when a term is set to run out: told ahead, not
    # as done. The row stays at its date (TimeML dates such an event) with modality future.
    (event,) = [e for e in explicit_events(run_stages, text) if e["trigger"] == "expire"]
    assert event["modality"] == "future"


def test_a_term_that_expired_is_told_as_done(run_stages):
    text = "The truce expired on 3 May 1871."
    (event,) = explicit_events(run_stages, text)
    assert (event["trigger"], event["modality"]) == ("expire", "asserted")


@pytest.mark.parametrize(
    "text",
    [
        "Trade in the port improved in 1907-08.",
        "Conditions in the mines worsened in 1907-1909.",
    ],
)
def test_a_change_over_a_range_of_years_is_a_trend(run_stages, text):
    assert explicit_triggers(run_stages, text) == []


def test_a_change_in_one_year_is_still_dated(run_stages):
    text = "Trade in the port improved in 1907 after the new quay opened."
    assert "improve" in explicit_triggers(run_stages, text)


def roles(out: dict, event: dict) -> list[tuple[str, str]]:
    return sorted(
        (a["role"], a["text"]) for a in out["arguments"] if a["event_id"] == event["event_id"]
    )


def test_a_bare_past_participle_clause_is_undergone_by_the_subject(run_stages):
    # "Defeated at the ford, the brigade withdrew": the brigade was defeated, not the victor.
    text = "Defeated at the ford on 3 May 1871, the brigade withdrew to Tarvik."
    _, out = run_stages(text)
    (event,) = [e for e in out["events"] if e["trigger"] == "defeat"]
    assert ("agent", "the brigade") not in roles(out, event)
    assert ("patient", "the brigade") in roles(out, event)


def test_a_parenthesised_past_participle_does_not_borrow_a_doer(run_stages):
    text = (
        "Word of the mutiny reached the capital through a letter from the consul "
        "(printed in the Gazette on 3 May 1871)."
    )
    _, out = run_stages(text)
    (event,) = [e for e in out["events"] if e["trigger"] == "print"]
    assert [r for r in roles(out, event) if r[0] == "agent"] == []


def test_a_bare_past_participle_clause_keeps_its_by_phrase_doer(run_stages):
    text = "Defeated by the rebels at the ford on 3 May 1871, the brigade withdrew to Tarvik."
    _, out = run_stages(text)
    (event,) = [e for e in out["events"] if e["trigger"] == "defeat"]
    assert ("agent", "the rebels") in roles(out, event)
    assert ("agent", "the brigade") not in roles(out, event)
