"""Coreference rules (`pipeline.events.coref`) on sentences parsed by the real model.

Each test names the mention a pronoun or a title phrase resolves to, or that it stays
unresolved; the mentions are the events stage's own (`correct_document` on the model's spans).
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from pipeline.events.coref import Coref, title_of
from pipeline.events.kb import load_knowledge_base
from pipeline.events.mentions import correct_document, load_titles
from tests.unit.events.test_events import model_spans

TITLES = load_titles()


def coref_of(nlp: Language, text: str) -> Coref:
    """The document's coreference resolver, over the mentions the events stage would find."""
    doc = nlp(text)
    spans = model_spans(doc)
    mentions, _ = correct_document(spans, text, load_knowledge_base())
    return Coref(doc, mentions, TITLES)


def token(doc: Doc, word: str, nth: int = -1) -> Token:
    """The `nth` token spelled `word` (the last one by default)."""
    return [t for t in doc if t.text == word][nth]


def pronoun(nlp: Language, text: str, word: str, window: int = 3) -> str | None:
    """The text of the mention the last `word` of `text` resolves to, if any."""
    coref = coref_of(nlp, text)
    found = coref.pronoun(token(coref.doc, word), window)
    return found.text if found is not None else None


def title(nlp: Language, text: str, word: str) -> str | None:
    """The text of the person the last title noun `word` of `text` refers back to, if any."""
    coref = coref_of(nlp, text)
    found = coref.by_title(token(coref.doc, word))
    return found.text if found is not None else None


# --- personal pronouns ---------------------------------------------------------------------


def test_he_refers_to_the_subject_rather_than_the_later_object(nlp):
    text = "Nikita Khrushchev met John Kennedy in Vienna. He was angry."
    assert pronoun(nlp, text, "He") == "Nikita Khrushchev"


def test_without_a_subject_he_refers_to_the_latest_person(nlp):
    text = "The newspapers praised Fidel Castro and attacked Richard Nixon. He replied in a speech."
    assert pronoun(nlp, text, "He") == "Richard Nixon"


def test_she_refers_to_the_person_before_it(nlp):
    text = "Jacqueline Kennedy visited Paris. She spoke French."
    assert pronoun(nlp, text, "She") == "Jacqueline Kennedy"


def test_a_pronoun_before_any_person_is_unresolved(nlp):
    assert pronoun(nlp, "He arrived late. Then Richard Nixon spoke.", "He") is None


@pytest.mark.parametrize(
    ("text", "window", "expected"),
    [
        ("Richard Nixon lost. He was sad.", 1, "Richard Nixon"),
        ("Richard Nixon lost. He was sad.", 0, None),  # its own sentence only
        ("Richard Nixon lost. It rained. It rained again. He was sad.", 3, "Richard Nixon"),
        ("Richard Nixon lost. It rained. It rained again. It rained more. He was sad.", 3, None),
        (
            "Richard Nixon lost. It rained. It rained again. It rained more. He was sad.",
            4,
            "Richard Nixon",
        ),
    ],
)
def test_a_pronoun_looks_back_window_sentences_and_no_further(nlp, text, window, expected):
    assert pronoun(nlp, text, "He", window) == expected


def test_a_word_that_is_not_a_resolvable_pronoun_gives_nothing(nlp):
    text = "Richard Nixon lost the election. It was close."
    assert pronoun(nlp, text, "It") is None


# --- plural pronouns -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The United States blockaded Cuba. They demanded the removal of the missiles.",
            "United States",
        ),
        ("NATO met in Paris. They agreed on a plan.", "NATO"),
        ("The Soviets were alarmed. They sent missiles.", "Soviets"),
    ],
)
def test_they_refers_to_a_named_group_that_was_the_subject(nlp, text, expected):
    assert pronoun(nlp, text, "They") == expected


def test_they_passes_over_an_earlier_they_to_its_group(nlp):
    text = "The Soviets were alarmed. They sent missiles. They waited."
    coref = coref_of(nlp, text)
    first, second = (t for t in coref.doc if t.text == "They")
    assert coref.pronoun(first, 3).text == coref.pronoun(second, 3).text == "Soviets"


def test_they_after_a_plural_common_noun_is_unresolved(nlp):
    """A plural common noun ("The missiles ... They") stands between: not the Soviets."""
    text = "The Soviets sent missiles. The missiles arrived in Cuba. They were ready."
    assert pronoun(nlp, text, "They") is None


def test_they_does_not_skip_a_nearer_nationality_for_an_earlier_group(nlp):
    text = "The Soviets sent missiles. The British were worried. They protested."
    assert pronoun(nlp, text, "They") != "Soviets"


# --- titles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Soviet leader Nikita Khrushchev met British leader Harold Macmillan. "
            "The Soviet leader was angry.",
            "Nikita Khrushchev",
        ),
        (
            "Soviet leader Nikita Khrushchev met British leader Harold Macmillan. "
            "The leader was angry.",
            "Harold Macmillan",
        ),
        (
            "Soviet leader Nikita Khrushchev visited Cuba. The young Soviet leader was pleased.",
            "Nikita Khrushchev",
        ),
        (
            "Prime Minister Harold Macmillan spoke. The prime minister replied.",
            "Harold Macmillan",
        ),
    ],
)
def test_a_title_refers_to_the_latest_person_introduced_with_it(nlp, text, expected):
    assert title(nlp, text, "leader" if "leader" in text else "minister") == expected


def test_a_title_learned_from_an_apposition(nlp):
    text = (
        "Kennedy's brother Robert, the attorney general, met the ambassador. "
        "The attorney general was firm."
    )
    assert title(nlp, text, "general") == "Robert"


def test_a_title_reaches_past_the_pronoun_window(nlp):
    text = (
        "Soviet leader Nikita Khrushchev visited Cuba. It rained. It rained again. "
        "It rained more. It rained a lot. The Soviet leader was pleased."
    )
    assert title(nlp, text, "leader") == "Nikita Khrushchev"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # someone else than the latest holder
        (
            "Soviet leader Nikita Khrushchev visited Cuba. The former Soviet leader was pleased.",
            "leader",
        ),
        ("Prime Minister Harold Macmillan spoke. The next prime minister replied.", "minister"),
        (
            "President Dwight Eisenhower met Nikita Khrushchev. The ex-president was angry.",
            "president",
        ),
        # not definite
        ("Soviet leader Nikita Khrushchev visited Cuba. A Soviet leader was pleased.", "leader"),
        # a title no one was introduced with
        ("Soviet leader Nikita Khrushchev visited Cuba. The president was pleased.", "president"),
        # another office
        ("Shadow chancellor Oliver Letwin spoke. The chancellor replied.", "chancellor"),
        ("Sports minister Richard Caborn spoke. The prime minister replied.", "minister"),
        # another country's holder
        (
            "United States President Dwight Eisenhower met Nikita Khrushchev. "
            "The Soviet president was angry.",
            "president",
        ),
        # before the person is introduced
        ("The Soviet leader arrived. Soviet leader Nikita Khrushchev visited Cuba.", "leader"),
    ],
)
def test_a_title_that_points_elsewhere_stays_unresolved(nlp, text, word):
    coref = coref_of(nlp, text)
    noun = token(coref.doc, word, nth=0 if text.startswith("The Soviet leader") else -1)
    assert coref.by_title(noun) is None


def test_title_of_splits_proper_names_from_office_words(nlp):
    doc = nlp("Soviet leader Nikita Khrushchev and Prime Minister Harold Macmillan met.")
    assert title_of(token(doc, "leader"), TITLES) == ("leader", frozenset({"soviet"}), frozenset())
    assert title_of(token(doc, "Minister"), TITLES) == (
        "minister",
        frozenset(),
        frozenset({"prime"}),
    )
    assert title_of(token(doc, "met"), TITLES) is None


def test_at_finds_the_mention_covering_a_token(nlp):
    coref = coref_of(nlp, "Nikita Khrushchev met John Kennedy in Vienna.")
    assert coref.at(token(coref.doc, "Khrushchev")).text == "Nikita Khrushchev"
    assert coref.at(token(coref.doc, "John")).text == "John Kennedy"
    assert coref.at(token(coref.doc, "met")) is None
