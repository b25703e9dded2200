"""A ruler's "NAME of PLACE" is one person, not a person beside a place (real spaCy model)."""

import datetime as dt

import pytest

from pipeline.events.kb import load_knowledge_base
from pipeline.events.mentions import correct_document
from tests.unit.events.test_events import extract, model_spans


def mentions_of(nlp, text):
    """The corrected mentions of a text, from the model's spans as the events stage reads them."""
    doc = nlp(text)
    spans = model_spans(doc, exclude=frozenset())
    return correct_document(spans, text, load_knowledge_base())


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("In 1480 Ivan III of Moscow refused to pay the tribute.", "Ivan III of Moscow"),
        ("In 1304 Prince Yaroslav of Tver claimed the throne.", "Yaroslav of Tver"),
        ("Emperor Francis II of Austria gave up the crown in 1806.", "Francis II of Austria"),
        ("In 1212 the pilgrims met Saint Francis of Assisi.", "Francis of Assisi"),
    ],
)
def test_a_rulers_place_is_part_of_the_persons_name(nlp, text, person):
    mentions, counts = mentions_of(nlp, text)
    assert [(m.text, m.label) for m in mentions if m.label in {"PERSON", "GPE", "LOC"}] == [
        (person, "PERSON")
    ]
    assert counts["designated_people"] == 1


def test_the_person_is_the_agent_and_the_place_no_participant(nlp):
    text = "In 1304 Prince Yaroslav of Tver claimed the throne."
    ((_, parts),) = extract(
        nlp, text, [("1304", 0, "1304", dt.date(1304, 1, 1), dt.date(1304, 12, 31))]
    )
    assert ("agent", "Yaroslav of Tver", "Yaroslav of Tver", "mention") in parts
    assert not [p for p in parts if p[0] == "location" or p[1] == "Tver"]


def test_a_later_short_name_joins_the_designated_one(nlp):
    text = "Ivan III of Moscow married Sophia in 1472. In 1480 Ivan III refused the tribute."
    mentions, _ = mentions_of(nlp, text)
    assert {m.cluster for m in mentions if m.text.startswith("Ivan")} == {"ivan iii of moscow"}


@pytest.mark.parametrize(
    "text",
    [
        "The Bank of England raised rates in 1997.",
        "The Duke of Edinburgh visited Canada in 1959.",
        "President Bush of the United States spoke in 2003.",
        "Smith of London won the race in 1908.",
    ],
)
def test_other_of_phrases_keep_their_places(nlp, text):
    mentions, counts = mentions_of(nlp, text)
    assert counts["designated_people"] == 0
    assert not any(" of " in m.text and m.label == "PERSON" for m in mentions)
