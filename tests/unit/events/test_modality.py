"""Modality and polarity rules (`pipeline.events.modality`) on sentences parsed by the real model.

Each case gives a sentence, its trigger, and how the event is told: its modality, its polarity
and the cue words a reader can find in the sentence.
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Token

from pipeline.events.modality import Modality, deontic, governors, modality_of, noun_phrase


def trigger(nlp: Language, text: str, word: str) -> Token:
    """The token spelled `word` in the parsed sentence."""
    (found,) = [t for t in nlp(text) if t.text == word]
    return found


def told(nlp: Language, text: str, word: str) -> Modality:
    """The modality of the trigger `word` in `text`."""
    return modality_of(trigger(nlp, text, word))


def test_a_plain_statement_is_asserted_and_positive(nlp):
    text = "The Soviets installed missiles in Cuba in 1962."
    assert told(nlp, text, "installed") == Modality("asserted", "positive", ())


@pytest.mark.parametrize(
    ("text", "word", "cue"),
    [
        ("The Soviets did not install missiles in Mexico.", "install", "not"),
        ("The United States never invaded Cuba.", "invaded", "never"),
        # "no" on the subject or the object denies the event
        ("The president made no military response.", "made", "no"),
        ("No troops crossed the border.", "crossed", "no"),
    ],
)
def test_a_negation_on_the_trigger_makes_it_negative(nlp, text, word, cue):
    assert told(nlp, text, word) == Modality("asserted", "negative", (cue,))


@pytest.mark.parametrize(
    ("text", "word", "cue"),
    [
        ("Britain refused to issue an apology.", "issue", "refuse"),
        ("Khrushchev declined to withdraw the missiles.", "withdraw", "decline"),
    ],
)
def test_a_refusal_is_a_negative_event(nlp, text, word, cue):
    assert told(nlp, text, word) == Modality("asserted", "negative", (cue,))


def test_a_governing_fail_makes_the_event_failed(nlp):
    text = "Kennedy had failed to remove Castro."
    assert told(nlp, text, "remove") == Modality("failed", "positive", ("fail",))
    assert [t.text for t in governors(trigger(nlp, text, "remove"))] == ["failed"]


@pytest.mark.parametrize(
    ("text", "word", "cue"),
    [
        ("The CIA tried to remove Castro in 1961.", "remove", "try"),
        ("Kennedy sought to avoid a war.", "avoid", "seek"),
    ],
)
def test_a_governing_try_makes_the_event_attempted(nlp, text, word, cue):
    assert told(nlp, text, word) == Modality("attempted", "positive", (cue,))


def test_a_negated_attempt_is_attempted_and_negative(nlp):
    text = "The CIA did not try to remove Castro."
    assert told(nlp, text, "remove") == Modality("attempted", "negative", ("not", "try"))


def test_attempted_wins_over_intended_along_the_chain_of_governors(nlp):
    text = "Khrushchev wanted to try to install missiles."
    assert [t.text for t in governors(trigger(nlp, text, "install"))] == ["try", "wanted"]
    assert told(nlp, text, "install").modality == "attempted"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("If Soviet blood were shed, retaliatory steps would be taken.", "shed"),  # the condition
        ("If Soviet blood were shed, retaliatory steps would be taken.", "taken"),  # its outcome
        ("If the Soviets fired, Kennedy would retaliate and invade.", "invade"),  # coordinated
        ("Unless Khrushchev withdraws the missiles, Kennedy will invade Cuba.", "invade"),
    ],
)
def test_an_if_or_unless_clause_and_its_consequence_are_hypothetical(nlp, text, word):
    assert told(nlp, text, word).modality == "hypothetical"


def test_a_because_clause_is_not_a_condition(nlp):
    text = "Kennedy ordered a blockade because the missiles stayed."
    assert told(nlp, text, "stayed") == Modality("asserted", "positive", ())


def test_the_cue_of_an_unless_clause_is_unless(nlp):
    text = "The army might invade unless Khrushchev withdraws the missiles."
    assert told(nlp, text, "invade").cues == ("unless",)


@pytest.mark.parametrize(
    ("text", "word", "cue", "is_deontic"),
    [
        ("The missiles could reach Washington.", "reach", "could", False),
        ("Kennedy would remove the missiles.", "remove", "would", False),
        ("The United States must remove the missiles.", "remove", "must", True),
        ("The United States should remove the missiles.", "remove", "should", True),
    ],
)
def test_a_modal_makes_the_event_hypothetical_and_must_an_obligation(
    nlp, text, word, cue, is_deontic
):
    token = trigger(nlp, text, word)
    assert modality_of(token) == Modality("hypothetical", "positive", (cue,))
    assert deontic(token) is is_deontic


@pytest.mark.parametrize(
    ("text", "word", "cue"),
    [
        ("Khrushchev decided to install missiles in Cuba.", "install", "decide"),
        ("Khrushchev is willing to withdraw the missiles.", "withdraw", "willing"),
        ("Kennedy threatened to invade Cuba.", "invade", "threaten"),
    ],
)
def test_a_governing_decision_or_threat_makes_the_event_intended(nlp, text, word, cue):
    assert told(nlp, text, word) == Modality("intended", "positive", (cue,))


def test_an_obligation_on_a_governor_is_deontic(nlp):
    token = trigger(nlp, "The Soviets must agree to withdraw the missiles.", "withdraw")
    assert modality_of(token) == Modality("intended", "positive", ("agree",))
    assert deontic(token)


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Kennedy will visit Berlin in June.", "visit", Modality("future", "positive", ("will",))),
        ("They'll visit Moscow.", "visit", Modality("future", "positive", ("'ll",))),
        (
            "Kennedy is going to visit Berlin.",
            "visit",
            Modality("future", "positive", ("going to",)),
        ),
        (
            "The Soviets were not going to withdraw the missiles.",
            "withdraw",
            Modality("future", "negative", ("not", "going to")),
        ),
    ],
)
def test_will_and_going_to_make_the_event_future(nlp, text, word, expected):
    assert told(nlp, text, word) == expected


# --- event nouns ---------------------------------------------------------------------------


def test_abortive_on_the_head_of_the_phrase_makes_the_invasion_failed(nlp):
    """The parser hangs "invasion" under "Bay"; "abortive" modifies "Bay"."""
    token = trigger(nlp, "The abortive Bay of Pigs invasion embarrassed Kennedy.", "invasion")
    assert [t.text for t in noun_phrase(token)] == ["invasion", "Bay"]
    assert modality_of(token) == Modality("failed", "positive", ("abortive",))


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("The failed invasion of Cuba embarrassed Kennedy.", "invasion", ("failed", "failed")),
        ("The unsuccessful landing embarrassed the CIA.", "landing", ("failed", "unsuccessful")),
        ("An attempted coup shook Laos.", "coup", ("attempted", "attempted")),
        ("The planned invasion was cancelled.", "invasion", ("intended", "planned")),
        ("The proposed summit never happened.", "summit", ("intended", "proposed")),
    ],
)
def test_an_adjective_on_an_event_noun_gives_its_modality(nlp, text, word, expected):
    modality, cue = expected
    assert told(nlp, text, word) == Modality(modality, "positive", (cue,))


def test_a_would_be_assassination_is_attempted(nlp):
    text = "Castro survived a would-be assassination in 1961."
    assert told(nlp, text, "assassination").modality == "attempted"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There was no United States invasion of Cuba.", Modality("asserted", "negative", ("no",))),
        ("The invasion began at dawn.", Modality("asserted", "positive", ())),
    ],
)
def test_no_on_an_event_noun_makes_it_negative(nlp, text, expected):
    assert told(nlp, text, "invasion") == expected
