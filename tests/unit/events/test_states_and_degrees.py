"""States told beside a date, strife changing in degree, reporting relations and percepts.

Each sentence is written for these tests; what a user cares about is which predicates the
events table holds as explicitly dated events, and who is given as their doer.
"""

import pytest

from tests.support.helpers import explicit_triggers


@pytest.mark.parametrize(
    "text",
    [
        "In the western provinces the feud between the two clans intensified on 14 May 1723.",
        "The quarrel with the bishop escalated in 1721.",
        "Tension between the two guilds eased in March 1802.",
    ],
)
def test_a_strife_changing_in_degree_is_no_event(run_stages, text):
    assert not {"intensify", "escalate", "ease"} & set(explicit_triggers(run_stages, text))


def test_escalating_something_is_still_an_event(run_stages):
    text = "On 14 May 1723 the governor escalated the raids on the hill villages."
    assert "escalate" in explicit_triggers(run_stages, text)


def test_according_to_a_dated_text_is_no_event(run_stages):
    text = "According to a census of 1881, the valley held four thousand farmers."
    assert "accord" not in explicit_triggers(run_stages, text)


@pytest.mark.parametrize(
    "text",
    [
        "By 1652 the siege of the harbour town was deadlocked.",
        "Despite two assaults, the campaign in the marshes was stalemated by 1652.",
        "By late June the relief column was exhausted.",
    ],
)
def test_a_state_reached_by_a_date_is_no_event(run_stages, text):
    assert not {"deadlock", "stalemate", "exhaust"} & set(explicit_triggers(run_stages, text))


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("By 3 June 1652 the garrison of the harbour town surrendered.", "surrender"),
        ("By May 1652 the harbour town was captured by the rebels.", "capture"),
    ],
)
def test_a_happening_dated_by_its_bound_is_still_an_event(run_stages, text, trigger):
    assert trigger in explicit_triggers(run_stages, text)


def test_forming_a_part_of_a_whole_is_no_event(run_stages):
    text = "In 1790 the veteran guards formed the core of the new regiment."
    assert "form" not in explicit_triggers(run_stages, text)


def test_forming_a_new_body_is_still_an_event(run_stages):
    assert "form" in explicit_triggers(run_stages, "In 1790 the colonel formed a new regiment.")


def test_a_rank_held_is_no_event(run_stages):
    text = "In 1788 the young captain was out-ranked by an older admiral."
    assert "rank" not in explicit_triggers(run_stages, text)


def test_being_an_example_of_a_dated_happening_is_no_event(run_stages):
    text = (
        "The decline of the navy was exemplified by the loss of the frigate Aurora on 9 July 1781."
    )
    assert "exemplify" not in explicit_triggers(run_stages, text)


def test_the_doer_is_what_makes_the_sound_not_the_sound(run_stages):
    text = (
        "On the night of 4 March 1944, the steady rumble of the supply trucks crossing "
        "the bridge woke the village."
    )
    _, out = run_stages(text)
    agents = {
        a["text"]
        for e in out["events"]
        if e["trigger"] in {"cross", "wake"}
        for a in out["arguments"]
        if a["event_id"] == e["event_id"] and a["role"] == "agent"
    }
    assert agents
    assert not any("rumble" in agent for agent in agents)


def test_a_dated_noun_keeps_its_date_from_the_clause_that_modifies_it(run_stages):
    text = (
        "The officers' scheme of April 1850, aimed at ending the negotiations with the "
        "rebels, came to nothing."
    )
    assert "negotiation" not in explicit_triggers(run_stages, text)


def test_a_when_clause_on_a_date_keeps_its_event_noun(run_stages):
    text = "The garrison had held out since May 1850, when the rebels launched an invasion."
    assert "invasion" in explicit_triggers(run_stages, text)


def test_a_putsch_is_an_event(run_stages):
    assert "putsch" in explicit_triggers(run_stages, "The colonels' putsch of June 1822 failed.")
