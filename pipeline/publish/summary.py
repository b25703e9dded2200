"""What the published tables add up to, gathered one record batch at a time.

Publish streams every table in batches and folds each batch into a `Summary`, so the corpus is
never held in memory. A summary keeps only aggregates (counts per value, per date interval, per
selected document) and bounded samples (the most-mentioned entities, the first documents and
rejects by path). It feeds `metrics.json`, the dataset card and `report.html`.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

COUNTED_VALUES: dict[str, tuple[str, ...]] = {
    "documents": ("model", "licence"),
    "mentions": ("label",),
    "entities": ("label",),
    "timexes": ("type", "precision", "anchor"),
    "events": ("precision", "event_type", "date_basis"),
    "participants": ("role",),
    "rejects": ("reason",),
}
"""Columns whose values are counted (null counts as None)."""

PER_DOCUMENT = ("sentences", "mentions", "timexes", "events", "participants")
"""Tables whose rows are counted per summarised document."""

Interval = tuple[dt.date, dt.date, str]
"""An event's date_start, date_end and precision."""


@dataclass
class DocumentSummary:
    """One document as the report lists it: its metadata and what was extracted from it."""

    doc_id: str
    path: str
    title: str | None
    published: dt.date | None
    licence: str | None
    n_chars: int
    n_sentences: int
    counts: Counter[str] = field(default_factory=Counter)
    first_date: dt.date | None = None
    last_date: dt.date | None = None

    def see_interval(self, start: dt.date, end: dt.date) -> None:
        """Widen the document's dated span to cover an event's interval."""
        self.first_date = start if self.first_date is None else min(self.first_date, start)
        self.last_date = end if self.last_date is None else max(self.last_date, end)


@dataclass(frozen=True)
class HappeningSummary:
    """A happening as the report lists it: told by several documents, or with a date conflict."""

    happening_id: str
    trigger: str
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str | None
    n_events: int
    n_documents: int
    date_conflict: tuple[str, ...]


@dataclass(frozen=True)
class EntitySummary:
    """A most-mentioned entity."""

    entity_id: str
    name: str
    label: str
    n_mentions: int
    n_documents: int
    aliases: tuple[str, ...]


def _value_counts(column: pa.Array | pa.ChunkedArray) -> dict[Any, int]:
    """Rows per value of a column (null as None), counted by Arrow."""
    counts = pc.value_counts(column)
    return dict(
        zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    )


def _rows(batch: pa.RecordBatch | pa.Table, columns: Iterable[str]) -> list[tuple[Any, ...]]:
    """The batch's values for `columns`, row by row, as Python objects."""
    lists = [batch.column(name).to_pylist() for name in columns]
    return list(zip(*lists, strict=True))


def _first(
    batch: pa.RecordBatch | pa.Table, k: int, keys: list[tuple[str, str]]
) -> pa.RecordBatch | pa.Table:
    """The batch's first `k` rows in the order of `keys` (Arrow orders text as Python does)."""
    return batch.take(pc.sort_indices(batch, sort_keys=keys)[:k])


HAPPENING_COLUMNS = [
    "happening_id",
    "trigger",
    "date_start",
    "date_end",
    "precision",
    "n_events",
    "n_documents",
    "date_conflict",
]


def _happenings(rows: pa.RecordBatch | pa.Table) -> list[HappeningSummary]:
    """The rows as HappeningSummary objects (a few: the batch is cut to the top first)."""
    return [
        HappeningSummary(*row[:7], tuple(row[7] or ())) for row in _rows(rows, HAPPENING_COLUMNS)
    ]


def _first_conflicts(conflicts: pa.RecordBatch, k: int) -> pa.RecordBatch | pa.Table:
    """The conflicts that can be among the first `k` by (-n_documents, date_conflict, id).

    Arrow cannot sort by a list, so the cut is by n_documents alone: every row with at least
    the k-th largest n_documents is kept, and Python orders those.
    """
    if conflicts.num_rows <= k:
        return conflicts
    n_documents = conflicts.column("n_documents")
    floor = pc.select_k_unstable(n_documents, k, [("dummy", "descending")])
    least = pc.min(pc.take(n_documents, floor))
    return conflicts.filter(pc.greater_equal(n_documents, least))


class Summary:
    """Aggregates of the published tables, fed batch by batch (documents first)."""

    def __init__(
        self, top_entities: int = 25, max_documents: int = 200, max_rejects: int = 200
    ) -> None:
        self.top_entities = top_entities
        self.max_documents = max_documents
        self.max_rejects = max_rejects
        self.rows: Counter[str] = Counter()
        self.values: dict[str, dict[str, Counter[Any]]] = {
            table: {column: Counter() for column in columns}
            for table, columns in COUNTED_VALUES.items()
        }
        self.intervals: Counter[Interval] = Counter()
        self.documents_with_source_url = 0
        self.participants_linked = 0
        self.entities: list[EntitySummary] = []
        self.happenings: list[HappeningSummary] = []
        """The most-told happenings (by documents, then events), at most `top_entities`."""
        self.conflicts: list[HappeningSummary] = []
        """Happenings whose sources disagree on the date, at most `max_documents`."""
        self.happenings_told_twice = 0
        self.happenings_in_conflict = 0
        self.rejects: list[tuple[str, str, str]] = []
        self.manifest_problems: list[tuple[str, str]] = []
        self._candidates: list[DocumentSummary] = []
        self._documents: dict[str, DocumentSummary] | None = None

    # --- feeding --------------------------------------------------------------------------

    def begin(self, table: str) -> None:
        """Start a table: it is listed (with 0 rows if no batch follows).

        Documents must come first: once another table begins, the summarised documents are
        fixed (the first `max_documents` by path) and the other tables count rows for them.
        """
        self.rows[table] += 0
        if table != "documents" and self._documents is None:
            self._documents = {d.doc_id: d for d in self._candidates}

    def add(self, table: str, batch: pa.RecordBatch | pa.Table) -> None:
        """Fold one batch of `table` (published column names) into the summary."""
        self.begin(table)
        self.rows[table] += batch.num_rows
        for column in COUNTED_VALUES.get(table, ()):
            self.values[table][column].update(_value_counts(batch.column(column)))
        handler = getattr(self, f"_add_{table}", None)
        if handler is not None:
            handler(batch)
        if table in PER_DOCUMENT and self._documents:
            chosen = self._chosen(batch)
            for doc_id, n in _value_counts(chosen.column("doc_id")).items():
                self._documents[doc_id].counts[table] += n

    def _chosen(self, batch: pa.RecordBatch | pa.Table) -> pa.RecordBatch | pa.Table:
        """The batch's rows of the summarised documents (filtered by Arrow, not per row)."""
        wanted = pa.array(list(self._documents or {}), pa.string())
        return batch.filter(pc.is_in(batch.column("doc_id"), value_set=wanted))

    def _add_documents(self, batch: pa.RecordBatch) -> None:
        columns = ["doc_id", "path", "title", "published", "licence", "n_chars", "n_sentences"]
        first = _first(batch, self.max_documents, [("path", "ascending"), ("doc_id", "ascending")])
        new = [DocumentSummary(*row) for row in _rows(first, columns)]
        self._candidates = heapq.nsmallest(
            self.max_documents, self._candidates + new, key=lambda d: (d.path, d.doc_id)
        )
        self.documents_with_source_url += batch.num_rows - batch.column("source_url").null_count

    def _add_rejects(self, batch: pa.RecordBatch) -> None:
        rows = _rows(batch, ["path", "reason", "detail"])
        self.rejects = heapq.nsmallest(self.max_rejects, self.rejects + rows)
        self.manifest_problems += [(p, d) for p, reason, d in rows if reason == "manifest_error"]

    def _add_entities(self, batch: pa.RecordBatch) -> None:
        columns = ["entity_id", "name", "label", "n_mentions", "n_documents", "aliases"]
        keys = [("n_mentions", "descending"), ("name", "ascending"), ("entity_id", "ascending")]
        first = _first(batch, self.top_entities, keys)
        new = [EntitySummary(*row[:5], tuple(row[5] or ())) for row in _rows(first, columns)]
        self.entities = heapq.nsmallest(
            self.top_entities,
            self.entities + new,
            key=lambda e: (-e.n_mentions, e.name, e.entity_id),
        )

    def _add_events(self, batch: pa.RecordBatch | pa.Table) -> None:
        columns = ["date_start", "date_end", "precision"]
        table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        dated = table.select(["doc_id", *columns]).drop_null()
        grouped = dated.group_by(columns).aggregate([([], "count_all")])
        for start, end, precision, n in _rows(grouped, [*columns, "count_all"]):
            self.intervals[(start, end, precision)] += n
        if self._documents:
            spans = (
                self._chosen(dated)
                .group_by("doc_id")
                .aggregate([("date_start", "min"), ("date_end", "max")])
            )
            for doc_id, start, end in _rows(spans, ["doc_id", "date_start_min", "date_end_max"]):
                self._documents[doc_id].see_interval(start, end)

    def _add_happenings(self, batch: pa.RecordBatch) -> None:
        told = batch.filter(pc.greater(batch.column("n_documents"), 1))
        conflicts = batch.filter(pc.greater(pc.list_value_length(batch.column("date_conflict")), 0))
        self.happenings_told_twice += told.num_rows
        self.happenings_in_conflict += conflicts.num_rows
        keys = [
            ("n_documents", "descending"),
            ("n_events", "descending"),
            ("trigger", "ascending"),
            ("happening_id", "ascending"),
        ]
        self.happenings = heapq.nsmallest(
            self.top_entities,
            self.happenings + _happenings(_first(told, self.top_entities, keys)),
            key=lambda h: (-h.n_documents, -h.n_events, h.trigger, h.happening_id),
        )
        self.conflicts = heapq.nsmallest(
            self.max_documents,
            self.conflicts + _happenings(_first_conflicts(conflicts, self.max_documents)),
            key=lambda h: (-h.n_documents, h.date_conflict, h.happening_id),
        )

    def _add_participants(self, batch: pa.RecordBatch) -> None:
        self.participants_linked += batch.num_rows - batch.column("entity_id").null_count

    # --- reading --------------------------------------------------------------------------

    @property
    def documents(self) -> list[DocumentSummary]:
        """The summarised documents (the first `max_documents` by path), in path order."""
        chosen = (
            self._documents
            if self._documents is not None
            else {d.doc_id: d for d in self._candidates}
        )
        return sorted(chosen.values(), key=lambda d: (d.path, d.doc_id))

    def counts(self, table: str, column: str, null: str | None = None) -> dict[str, int]:
        """Rows per value of a counted column, sorted by value; nulls under `null` if given."""
        counter = self.values[table][column]
        out = {
            str(k): int(v)
            for k, v in sorted(
                ((k, v) for k, v in counter.items() if k is not None), key=lambda kv: str(kv[0])
            )
        }
        if null is not None and counter.get(None):
            out[null] = int(counter[None])
        return out

    @property
    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last day covered by a dated event, if any."""
        if not self.intervals:
            return None
        return (
            min(start for start, _, _ in self.intervals),
            max(end for _, end, _ in self.intervals),
        )

    def metrics(self) -> dict[str, Any]:
        """Counts a reader checks first: rows per table, per label, per type and precision."""
        return {
            "rows": {name: int(n) for name, n in sorted(self.rows.items())},
            "mentions_per_label": self.counts("mentions", "label"),
            "entities_per_label": self.counts("entities", "label"),
            "timexes_per_type": self.counts("timexes", "type"),
            "timexes_per_precision": self.counts("timexes", "precision"),
            "timexes_per_anchor": self.counts("timexes", "anchor"),
            "events_per_precision": self.counts("events", "precision"),
            "events_per_type": self.counts("events", "event_type", null="untyped"),
            "events_per_date_basis": self.counts("events", "date_basis"),
            "participants_per_role": self.counts("participants", "role"),
            "participants_linked": self.participants_linked,
            "happenings_told_by_several_documents": self.happenings_told_twice,
            "happenings_with_date_conflict": self.happenings_in_conflict,
            "rejects_per_reason": self.counts("rejects", "reason"),
        }


def manifest_warning(problems: list[tuple[str, str]]) -> str:
    """Manifest rows that could not be used, one a line (`rejects` rows of manifest_error).

    Ingest keeps going past such a row (the file it names still becomes a document), so the
    end of `dvc repro`, `chronicle run` and `chronicle summary` say it where a user looks.
    """
    head = (
        f"{len(problems)} manifest row(s) could not be used: the title, date and anchor mode "
        "they give are in no document. Fix the manifest and run again:"
    )
    return "\n".join([head, *(f"  {where}: {detail}" for where, detail in sorted(problems))])
