"""Totals, practices, trends and states of mind are no events, with a date or on the clock.

Each sentence is written for these tests; what a user cares about is which predicates the
events table holds and with which basis.
"""

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.events.triggers import promoted_event


def events_of(events, basis: str) -> list[str]:
    return [e["trigger"] for e in events if e["date_basis"] == basis]


def test_a_total_over_a_stretch_is_no_event(run):
    _, events, _ = run("From March 1905 to May 1908 the rebels killed 3,400 soldiers.")
    assert "kill" not in events_of(events, "explicit")


def test_a_practice_over_a_stretch_is_no_event(run):
    _, events, _ = run("During 1922 and 1923 the bandits raided border farms.")
    assert "raid" not in events_of(events, "explicit")


def test_a_count_at_one_date_is_still_an_event(run):
    _, events, _ = run("On 3 May 1906 the rebels killed 40 soldiers.")
    assert events_of(events, "explicit") == ["kill"]


def test_a_state_of_affairs_changing_is_no_event(run):
    text = "In late March 1921 the situation worsened for the governor. Things changed in 1930."
    _, events, _ = run(text)
    assert events_of(events, "explicit") == []


def test_changing_a_thing_is_still_an_event(run):
    _, events, _ = run("In May 1921 the council changed the law.")
    assert events_of(events, "explicit") == ["change"]


def test_an_occurrence_verb_whose_subject_the_parse_lost_dates_nothing():
    # "The mayor was arrested and the surrender of the fort happened the same day", parsed
    # with "surrender" joined to the date, as the parser sometimes does: "happened" is left
    # with no subject, and what happened is not told.
    words = ["The", "mayor", "was", "arrested", "and", "the", "surrender", "happened", "then"]
    doc = Doc(
        spacy.blank("en").vocab,
        words=words,
        heads=[1, 3, 3, 3, 3, 6, 3, 3, 7],
        deps=["det", "nsubjpass", "auxpass", "ROOT", "cc", "det", "conj", "conj", "advmod"],
        pos=["DET", "NOUN", "AUX", "VERB", "CCONJ", "DET", "NOUN", "VERB", "ADV"],
        lemmas=["the", "mayor", "be", "arrest", "and", "the", "surrender", "happen", "then"],
    )
    assert promoted_event(doc[7]) is None


def test_an_occurrence_verb_dates_its_event_noun(run):
    _, events, _ = run("The explosion happened on 4 June 1890.")
    assert events_of(events, "explicit") == ["explosion"]


@pytest.mark.parametrize(
    ("text", "on_the_clock"),
    [
        # a feeling caused
        (
            "In 1904 the court freed the prisoners. The voters were shocked by the verdict. "
            "The governor resigned.",
            ["resign"],
        ),
        # a state of affairs changing
        (
            "In 1904 the court freed the prisoners. Things changed. The governor resigned.",
            ["resign"],
        ),
        # a naming participle
        (
            "In 1919 the army sent new troops to the port. The river police, termed the "
            "Harbour Watch, patrolled the docks.",
            ["patrol"],
        ),
    ],
)
def test_feelings_changes_of_state_and_namings_are_not_on_the_clock(run, text, on_the_clock):
    _, events, _ = run(text)
    assert events_of(events, "narrative") == on_the_clock
