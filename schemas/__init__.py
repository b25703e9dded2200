"""The published contract: every table, its columns, keys and links, defined once.

The pandera models in this package are the single source of truth. The Arrow schema used to
write Parquet, the data dictionary and ``datapackage.json`` are all generated from them.
"""

from __future__ import annotations

import inspect
import sys
import types
from dataclasses import dataclass, field

# pandera looks for Dask, Modin and PySpark the first time it builds a schema, and importing
# dask.dataframe alone costs about a second in every stage process. Chronicle's tables are
# pandas and Arrow only (its Dask engine ships parses, not DataFrames), so pandera is told
# there is no Dask DataFrame support to look for.
if "pandera.typing.dask" not in sys.modules:
    _no_dask = types.ModuleType("pandera.typing.dask")
    _no_dask.DASK_INSTALLED = False  # type: ignore[attr-defined]
    sys.modules["pandera.typing.dask"] = _no_dask

import pandera.pandas as pa
import pyarrow as pa_arrow

from schemas.documents import Documents, Rejects, Sentences
from schemas.entities import Entities, Mentions
from schemas.events import Events, Participants
from schemas.timexes import Timexes

SCHEMA_VERSION = "0.2.0"
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
    model: type[pa.DataFrameModel]
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
    def description(self) -> str:
        """What one row means: the model's docstring."""
        return inspect.cleandoc(self.model.__doc__ or "")

    @property
    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema built from the model."""
        return self.model.to_schema()


def _fk(column: str, ref: str) -> ForeignKey:
    ref_table, ref_column = ref.split(".")
    return ForeignKey(column, ref_table, ref_column)


DOC = _fk("doc_id", "documents.doc_id")
SENT = _fk("sentence_id", "sentences.sentence_id")

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("documents", Documents, "nlp", ("doc_id",)),
    Table("rejects", Rejects, "ingest", ("path",)),
    Table("sentences", Sentences, "nlp", ("sentence_id",), (DOC,),
          sort_by=("doc_id", "start_char"), spans_text=True),
    Table("mentions", Mentions, "entities", ("mention_id",),
          (DOC, SENT, _fk("entity_id", "entities.entity_id")),
          sort_by=("doc_id", "start_char", "end_char"), spans_text=True),
    Table("entities", Entities, "entities", ("entity_id",)),
    Table("timexes", Timexes, "timexes", ("timex_id",), (DOC, SENT),
          sort_by=("doc_id", "start_char", "end_char"), spans_text=True),
    Table("events", Events, "events", ("event_id",),
          (DOC, SENT, _fk("timex_id", "timexes.timex_id")),
          sort_by=("doc_id", "trigger_start_char", "start_char", "event_id"), spans_text=True),
    Table("participants", Participants, "entities", ("participant_id",),
          (_fk("event_id", "events.event_id"), DOC, _fk("entity_id", "entities.entity_id"),
           _fk("mention_id", "mentions.mention_id")),
          sort_by=("doc_id", "event_id", "start_char", "role", "participant_id")),
)}
"""Every published table, in the order a reader meets them."""


_ARROW_TYPES = {
    "str": pa_arrow.string(),
    "int64": pa_arrow.int64(),
    "float64": pa_arrow.float64(),
    "bool": pa_arrow.bool_(),
    "date": pa_arrow.date32(),
    "list<string>": pa_arrow.list_(pa_arrow.string()),
}


def logical_type(column: pa.Column) -> str:
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


def is_categorical(column: pa.Column) -> bool:
    """Categorical columns are published as Arrow dictionaries (pandas category, R factor)."""
    return bool((column.metadata or {}).get("categorical"))


def columns(table: Table) -> list[pa.Column]:
    """The table's columns, primary key first, then in model order."""
    cols = table.schema.columns
    order = list(table.primary_key) + [n for n in cols if n not in table.primary_key]
    return [cols[name] for name in order]


def arrow_schema(table: Table) -> pa_arrow.Schema:
    """Arrow schema of the published table, with each column's description in field metadata."""
    fields = []
    for column in columns(table):
        arrow_type = _ARROW_TYPES[logical_type(column)]
        if is_categorical(column):
            arrow_type = pa_arrow.dictionary(pa_arrow.int32(), arrow_type)
        fields.append(pa_arrow.field(column.name, arrow_type, nullable=column.nullable,
                                     metadata={"description": column.description or ""}))
    return pa_arrow.schema(fields, metadata={"table": table.name,
                                             "description": table.description,
                                             "schema_version": SCHEMA_VERSION})


__all__ = [
    "SCHEMA_VERSION", "TABLES", "ForeignKey", "Table", "arrow_schema", "columns",
    "is_categorical", "logical_type",
]
