"""Relations between events, quantities changing, plans and aims, and who did a deed.

Each sentence is written for these tests; what a user cares about is which predicates the
events table holds as explicitly dated happenings, with what modality, and who is given as
their doer.
"""

import pytest

from pipeline.events.modality import modality_of as parse_modality
from tests.support.helpers import explicit_triggers


def agents_of(run_stages, text: str, trigger: str) -> set[str]:
    _, out = run_stages(text)
    ids = {e["event_id"] for e in out["events"] if e["trigger"] == trigger}
    assert ids, f"no {trigger!r} event"
    return {a["text"] for a in out["arguments"] if a["event_id"] in ids and a["role"] == "agent"}


def modality_of(run_stages, text: str, trigger: str) -> str:
    _, out = run_stages(text)
    found = [e["modality"] for e in out["events"] if e["trigger"] == trigger]
    assert found, f"no {trigger!r} event"
    return found[0]


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        (
            "The raid on the mill, which together with earlier losses resulted in the fall "
            "of the ministry in May 1790, was planned by Ostrov.",
            "result",
        ),
        ("The famine of 1847 gave rise to a revolt in the hill country in 1848.", "give"),
    ],
)
def test_one_event_causing_another_is_no_event(run_stages, text, trigger):
    assert trigger not in explicit_triggers(run_stages, text)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("In 1788, the size of the Swedish army was greatly increased.", "increase"),
        ("In 1852 the number of militia companies was raised to forty.", "raise"),
        ("The strength of the river flotilla was doubled in 1861.", "double"),
    ],
)
def test_a_quantity_changing_is_a_trend(run_stages, text, trigger):
    assert trigger not in explicit_triggers(run_stages, text)


def test_an_outcome_that_is_no_event_keeps_its_verb(run_stages):
    text = "In 1790 the drought resulted in poorer harvests across the duchy."
    assert "result" in explicit_triggers(run_stages, text)


def test_raising_a_thing_is_still_an_event(run_stages):
    text = "In 1852 the townsmen raised a militia of four hundred men."
    assert "raise" in explicit_triggers(run_stages, text)


def test_an_event_noun_is_no_doer(run_stages):
    text = (
        "By mid-March 1811, a sudden Hanoverian assault drove the rebel companies out of "
        "the valley of Oberhof."
    )
    assert not any("assault" in a for a in agents_of(run_stages, text, "drive"))


@pytest.mark.parametrize(
    ("text", "verb", "doer", "noun"),
    [
        (
            "In April 1790 Admiral Holm's attack on the northern fort expelled the Danish sailors.",
            "expel",
            "Holm",
            "attack",
        ),
        (
            "On 3 July 1790 a raid by the Blue Hussars burned the granary at Kessel.",
            "burn",
            "Hussars",
            "raid",
        ),
    ],
)
def test_an_event_nouns_possessor_or_by_phrase_is_the_doer(run_stages, text, verb, doer, noun):
    agents = agents_of(run_stages, text, verb)
    assert agents
    assert all(doer in a and noun not in a for a in agents)


def test_a_body_that_acts_stays_the_doer(run_stages):
    text = "In April 1790 the garrison of the northern fort expelled the Danish sailors."
    assert any("garrison" in a for a in agents_of(run_stages, text, "expel"))


def test_what_is_signed_in_an_absolute_phrase_is_no_signer(run_stages):
    text = (
        "On 9 June 1811 Portugal capitulated, with the peace papers finally signed in the "
        "cathedral of Evora on 14 June 1811."
    )
    assert not any("papers" in a for a in agents_of(run_stages, text, "sign"))


def test_a_passive_infinitive_tells_a_plan(run_stages):
    text = (
        "The governor announced a pullout of 2,000 soldiers to be completed in the summer of 1802."
    )
    assert modality_of(run_stages, text, "complete") == "intended"


def test_the_first_to_be_chosen_was_chosen(nlp):
    doc = nlp("Maria Lind was the first woman to be elected to the town council of Larkfield.")
    elected = next(t for t in doc if t.lower_ == "elected")
    assert parse_modality(elected).modality == "asserted"


def test_the_aim_of_a_failed_attempt_did_not_happen(run_stages):
    text = "A second effort to seize the bridge on the night of 6 May 1799 also failed."
    assert modality_of(run_stages, text, "seize") == "failed"


def test_the_aim_of_an_attempt_is_only_tried(nlp):
    doc = nlp("On 6 May 1799 the dragoons made a bold bid to seize the bridge at Kellin.")
    seize = next(t for t in doc if t.lower_ == "seize")
    assert parse_modality(seize).modality == "attempted"


def test_an_event_that_ends_keeps_its_subject(run_stages):
    text = "The blockade of the harbour of Tarvik ended on 2 June 1791."
    assert any("blockade" in a for a in agents_of(run_stages, text, "end"))


def test_an_event_taking_effect_keeps_its_subject(run_stages):
    text = "The truce between the two duchies took effect on 4 April 1788."
    assert any("truce" in a for a in agents_of(run_stages, text, "take"))


def test_an_attempt_that_failed_after_it_fails_its_aim(nlp):
    doc = nlp("The rebels tried to take the fort at Molde in May 1718 but failed.")
    take = next(t for t in doc if t.lower_ == "take")
    assert parse_modality(take).modality == "failed"
