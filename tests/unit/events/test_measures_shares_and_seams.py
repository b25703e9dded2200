"""Counts that are no doers, figures that are no events, strife changing in degree, and two
dates that run on into one stretch, and a subject the parser joined to an object.

Each sentence is written for these tests; what a user cares about is which predicates the
events table holds as explicitly dated happenings, over which dates, and who is given as
their doer.
"""

import datetime as dt

import pytest

from pipeline.events.arguments import verb_arguments
from tests.support.helpers import explicit_events


def agents_of(run_stages, text: str, trigger: str) -> set[str]:
    _, out = run_stages(text)
    ids = {e["event_id"] for e in out["events"] if e["trigger"] == trigger}
    assert ids, f"no {trigger!r} event"
    return {a["text"] for a in out["arguments"] if a["event_id"] in ids and a["role"] == "agent"}


def dates_of(run_stages, text: str, trigger: str) -> list[tuple[dt.date, dt.date]]:
    return sorted(
        (e["date_start"], e["date_end"])
        for e in explicit_events(run_stages, text)
        if e["trigger"] == trigger
    )


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Ramos was elected by 212 votes on 2 May 1930.", "elect"),
        ("In April 1911 the treaty was rejected by a majority of twelve.", "reject"),
    ],
)
def test_a_count_of_votes_is_no_doer(run_stages, text, trigger):
    assert agents_of(run_stages, text, trigger) == set()


def test_a_body_in_a_by_phrase_stays_the_doer(run_stages):
    text = "On 2 May 1930 the harbour fort was stormed by 3,000 marines."
    assert agents_of(run_stages, text, "storm") == {"3,000 marines"}


@pytest.mark.parametrize(
    "text",
    [
        "In 1931 cotton accounted for 40 percent of the colony's exports.",
        "In 1931 the harvest amounted to two million tons.",
        "The debt of the duchy totalled $3 million in 1931.",
        "In 1931 farmers made up a third of the assembly.",
    ],
)
def test_a_figure_or_share_is_no_event(run_stages, text):
    assert explicit_events(run_stages, text) == []


def test_making_up_a_thing_is_still_an_event(run_stages):
    text = "In May 1931 the clerk made up a new roll of voters."
    assert [e["trigger"] for e in explicit_events(run_stages, text)] == ["make"]


@pytest.mark.parametrize(
    "text",
    [
        "The strike expanded to a new level in May 1922.",
        "In the summer of 1922 the unrest escalated to an unheard-of scale.",
        "The protests grew to a new scale in May 1922.",
    ],
)
def test_a_strife_reaching_a_new_degree_is_no_event(run_stages, text):
    assert explicit_events(run_stages, text) == []


def test_a_strife_reaching_a_place_is_still_an_event(run_stages):
    text = "In April 1922 the fighting spread to the coast."
    assert [e["trigger"] for e in explicit_events(run_stages, text)] == ["spread"]


@pytest.mark.parametrize(
    ("text", "trigger", "start", "end"),
    [
        (
            "The feud came to a head in late 1850 and early 1851 when there were riots "
            "between the guilds.",
            "riot",
            dt.date(1850, 1, 1),
            dt.date(1851, 12, 31),
        ),
        (
            "The army besieged the fortress in the winter of 1850 and the spring of 1851.",
            "besiege",
            dt.date(1850, 12, 1),
            dt.date(1851, 5, 31),
        ),
    ],
)
def test_dates_that_run_on_date_one_stretch(run_stages, text, trigger, start, end):
    assert dates_of(run_stages, text, trigger) == [(start, end)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The rebels raided the port on 3 May 1850 and 9 June 1850.",
            [(dt.date(1850, 5, 3),) * 2, (dt.date(1850, 6, 9),) * 2],
        ),
        (
            "The rebels raided the port in 1850 and 1851.",
            [
                (dt.date(1850, 1, 1), dt.date(1850, 12, 31)),
                (dt.date(1851, 1, 1), dt.date(1851, 12, 31)),
            ],
        ),
    ],
)
def test_dates_apart_or_without_a_seam_date_an_event_each(run_stages, text, expected):
    assert dates_of(run_stages, text, "raid") == expected


def test_a_subject_read_as_an_object_before_it_is_the_next_verbs_doer(run_stages, nlp):
    text = (
        "The guilds rejected Ramon's demand and Ramon denounced the guilds for betraying "
        "the charter."
    )
    doc = nlp(text)
    denounced = next(t for t in doc if t.text == "denounced")
    roles = [(role, t.text) for role, t in verb_arguments(denounced)]
    assert roles == [("agent", "Ramon"), ("patient", "guilds")]
    _, out = run_stages("On 3 May 1850 " + text[0].lower() + text[1:])
    ids = {e["event_id"] for e in out["events"] if e["trigger"] == "reject"}
    patients = {
        a["text"] for a in out["arguments"] if a["event_id"] in ids and a["role"] == "patient"
    }
    assert patients == {"Ramon's demand"}


def test_a_coordinated_verb_with_no_noun_before_it_keeps_the_first_subject(nlp):
    doc = nlp("The rebels took the town and the fort and burned the granary.")
    burned = next(t for t in doc if t.text == "burned")
    assert ("agent", "rebels") in [(role, t.text) for role, t in verb_arguments(burned)]
