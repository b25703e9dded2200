"""The published contract: every table, its columns, keys and links, defined once.

The pandera models in this package are the single source of truth. The Arrow schema used to
write Parquet, the data dictionary and ``datapackage.json`` are all generated from them.

Stages that only write Parquet need the Arrow schemas, not pandera: importing pandas and pandera
costs about half a second in every stage process. So the models are imported on first use
(`Table.model`), and `arrow_schema` reads the Arrow schemas from a cache file beside the
bytecode, named by a digest of this package's source, building them from the models when the
file is missing, unreadable or made from other source.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import importlib.metadata
import inspect
import logging
import os
import sys
import tempfile
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    import pandera.pandas as pandera

# pandera looks for Dask, Modin and PySpark the first time it builds a schema, and importing
# dask.dataframe alone costs about a second in every stage process. Chronicle's tables are
# pandas and Arrow only (its Dask engine ships parses, not DataFrames), so pandera is told
# there is no Dask DataFrame support to look for.
if "pandera.typing.dask" not in sys.modules:
    _no_dask = types.ModuleType("pandera.typing.dask")
    _no_dask.DASK_INSTALLED = False  # type: ignore[attr-defined]
    sys.modules["pandera.typing.dask"] = _no_dask

SCHEMA_VERSION = "0.4.0"
"""Version of the published contract (semver): bump it, and note it in CHANGELOG.md, whenever a
column is added, removed, renamed or changes meaning."""


@dataclass(frozen=True)
class ForeignKey:
    """`column` of this table holds values of `ref_table.ref_column` (or null if nullable)."""

    column: str
    ref_table: str
    ref_column: str


@dataclass(frozen=True)
class Table:
    """A published table: its pandera model, the stage that produces it, keys and sort order."""

    name: str
    model_name: str
    """The pandera model, as `module.Class` in this package (imported on first use)."""
    stage: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    sort_by: tuple[str, ...] = field(default=())
    spans_text: bool = False
    """Rows carry start_char/end_char/text that must match documents.text."""

    def __post_init__(self) -> None:
        if not self.sort_by:
            object.__setattr__(self, "sort_by", self.primary_key)

    @property
    def model(self) -> type[pandera.DataFrameModel]:
        """The pandera model class."""
        module, name = self.model_name.split(".")
        return getattr(importlib.import_module(f"schemas.{module}"), name)

    @property
    def description(self) -> str:
        """What one row means: the model's docstring."""
        return inspect.cleandoc(self.model.__doc__ or "")

    @property
    def schema(self) -> pandera.DataFrameSchema:
        """The pandera schema built from the model."""
        return self.model.to_schema()


def _fk(column: str, ref: str) -> ForeignKey:
    ref_table, ref_column = ref.split(".")
    return ForeignKey(column, ref_table, ref_column)


DOC = _fk("doc_id", "documents.doc_id")
SENT = _fk("sentence_id", "sentences.sentence_id")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("documents", "documents.Documents", "nlp", ("doc_id",)),
        Table("rejects", "documents.Rejects", "ingest", ("path",)),
        Table(
            "sentences",
            "documents.Sentences",
            "nlp",
            ("sentence_id",),
            (DOC,),
            sort_by=("doc_id", "start_char"),
            spans_text=True,
        ),
        Table(
            "mentions",
            "entities.Mentions",
            "entities",
            ("mention_id",),
            (DOC, SENT, _fk("entity_id", "entities.entity_id")),
            sort_by=("doc_id", "start_char", "end_char"),
            spans_text=True,
        ),
        Table("entities", "entities.Entities", "entities", ("entity_id",)),
        Table(
            "timexes",
            "timexes.Timexes",
            "timexes",
            ("timex_id",),
            (DOC, SENT, _fk("range_timex_id", "timexes.timex_id")),
            sort_by=("doc_id", "start_char", "end_char"),
            spans_text=True,
        ),
        Table(
            "events",
            "events.Events",
            "happenings",
            ("event_id",),
            (
                DOC,
                SENT,
                _fk("timex_id", "timexes.timex_id"),
                _fk("happening_id", "happenings.happening_id"),
            ),
            sort_by=("doc_id", "trigger_start_char", "start_char", "event_id"),
            spans_text=True,
        ),
        Table(
            "participants",
            "events.Participants",
            "entities",
            ("participant_id",),
            (
                _fk("event_id", "events.event_id"),
                DOC,
                _fk("entity_id", "entities.entity_id"),
                _fk("mention_id", "mentions.mention_id"),
            ),
            sort_by=("doc_id", "event_id", "start_char", "role", "participant_id"),
        ),
        Table("happenings", "happenings.Happenings", "happenings", ("happening_id",)),
    )
}
"""Every published table, in the order a reader meets them."""


_ARROW_TYPES = {
    "str": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "list<string>": pa.list_(pa.string()),
}


def logical_type(column: pandera.Column) -> str:
    """The column's type in words shared by Arrow, the data dictionary and datapackage.json."""
    metadata = column.metadata or {}
    if "arrow" in metadata:
        return metadata["arrow"]
    dtype = str(column.dtype).lower()
    if "date" in dtype:
        return "date"
    if "int" in dtype:
        return "int64"
    if "float" in dtype:
        return "float64"
    if "bool" in dtype:
        return "bool"
    if "str" in dtype:
        return "str"
    raise TypeError(f"column {column.name}: no published type for dtype {dtype}")


def is_categorical(column: pandera.Column) -> bool:
    """Categorical columns are published as Arrow dictionaries (pandas category, R factor)."""
    return bool((column.metadata or {}).get("categorical"))


def columns(table: Table) -> list[pandera.Column]:
    """The table's columns, primary key first, then in model order."""
    cols = table.schema.columns
    order = list(table.primary_key) + [n for n in cols if n not in table.primary_key]
    return [cols[name] for name in order]


def build_arrow_schema(table: Table) -> pa.Schema:
    """Arrow schema of the published table, with each column's description in field metadata."""
    fields = []
    for column in columns(table):
        arrow_type = _ARROW_TYPES[logical_type(column)]
        if is_categorical(column):
            arrow_type = pa.dictionary(pa.int32(), arrow_type)
        fields.append(
            pa.field(
                column.name,
                arrow_type,
                nullable=column.nullable,
                metadata={"description": column.description or ""},
            )
        )
    return pa.schema(
        fields,
        metadata={
            "table": table.name,
            "description": table.description,
            "schema_version": SCHEMA_VERSION,
        },
    )


def arrow_schema(table: Table) -> pa.Schema:
    """Arrow schema of the published table (see `build_arrow_schema`), from the cache."""
    if TABLES.get(table.name) is not table:  # not one of ours: nothing cached for it
        return build_arrow_schema(table)
    return _arrow_schemas()[table.name]


HERE = Path(__file__).resolve().parent
SCHEMA_SOURCES = tuple(sorted(HERE.glob("*.py")))
"""What the models are made of: this package alone (a test checks that the models import
nothing from `pipeline`)."""


def schema_cache_path() -> Path:
    """The cache file for the current source, in `__pycache__` (or under `sys.pycache_prefix`).

    Its name hashes the source, the pandas, pandera and pyarrow versions (the types are read
    from pandas dtypes) and the interpreter, so any change to them builds the schemas anew.
    """
    digest = hashlib.sha256()
    for source in SCHEMA_SOURCES:
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    versions = [importlib.metadata.version(name) for name in ("pandas", "pandera", "pyarrow")]
    digest.update(" ".join([*versions, sys.implementation.cache_tag or ""]).encode())
    folder = HERE / "__pycache__"
    if sys.pycache_prefix:
        folder = Path(sys.pycache_prefix, *HERE.parts[1:])
    return folder / f"arrow-{digest.hexdigest()[:16]}.arrow"


@functools.cache
def _arrow_schemas() -> dict[str, pa.Schema]:
    """Every table's Arrow schema: read from the cache, or built from the models and cached."""
    target = schema_cache_path()
    with contextlib.suppress(OSError, ValueError, KeyError):  # ArrowInvalid is a ValueError
        stored = pa.ipc.open_file(pa.py_buffer(target.read_bytes())).read_all()
        stored = stored.to_pydict()
        return {
            name: pa.ipc.read_schema(pa.py_buffer(blob))
            for name, blob in zip(stored["table"], stored["schema"], strict=True)
        }
    # Models already imported may predate the source on disk (a notebook, an edit since):
    # then build from them, but do not store the result under the new source's name.
    loaded = any(f"schemas.{t.model_name.split('.')[0]}" in sys.modules for t in TABLES.values())
    schemas = {name: build_arrow_schema(table) for name, table in TABLES.items()}
    if not loaded and schema_cache_path() == target:
        try:
            _write_schema_cache(schemas, target)
        except OSError as err:  # a read-only install builds them in every process instead
            logging.getLogger(__name__).debug("Arrow schema cache not written: %s", err)
    return schemas


def _write_schema_cache(schemas: dict[str, pa.Schema], target: Path) -> None:
    """Write the schemas as one Arrow file (table name, serialized schema), atomically.

    The file is written under a temporary name and renamed into place, so a reader finds a
    whole file or none; caches of older source are removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {"table": list(schemas), "schema": [s.serialize().to_pybytes() for s in schemas.values()]}
    )
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".arrow")
    try:
        with os.fdopen(handle, "wb") as sink, pa.ipc.new_file(sink, table.schema) as out:
            out.write_table(table)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the bytecode beside it is not
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    for old in target.parent.glob("arrow-*.arrow"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()


__all__ = [
    "SCHEMA_VERSION",
    "TABLES",
    "ForeignKey",
    "Table",
    "arrow_schema",
    "build_arrow_schema",
    "columns",
    "is_categorical",
    "logical_type",
]
