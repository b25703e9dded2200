"""Whole tables written from Arrow columns, with the bytes `TableWriter` gives row by row.

The entities and happenings stages build their tables as Arrow columns (a join, a take)
rather than one Python dict per row. `write_table_groups` writes such a table with the same
row groups, dictionaries and options as `pipeline.core.io.TableWriter`, so a table is the same
file whichever way it was made, and a re-run is byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core.io import BYTES_PER_GROUP, PARQUET_OPTIONS, ROWS_PER_GROUP, atomic_path


def text_lengths(table: pa.Table, schema: pa.Schema) -> np.ndarray:
    """Per row, the characters of its plain string columns (what `TableWriter` counts)."""
    total = np.zeros(table.num_rows, dtype=np.int64)
    for field in schema:
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            lengths = pc.fill_null(pc.utf8_length(table[field.name]), 0)
            total += lengths.to_numpy()
    return total


def group_bounds(
    lengths: np.ndarray, rows_per_group: int = ROWS_PER_GROUP
) -> Iterator[tuple[int, int]]:
    """(start, stop) of each row group: `rows_per_group` rows, or fewer once the text is full."""
    cumulative = np.cumsum(lengths)
    start, n_rows = 0, len(lengths)
    while start < n_rows:
        before = int(cumulative[start - 1]) if start else 0
        full = int(np.searchsorted(cumulative, before + BYTES_PER_GROUP, side="left")) + 1
        stop = min(start + rows_per_group, full, n_rows)
        yield start, stop
        start = stop


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The columns cast to the schema; dictionaries rebuilt in order of first appearance."""
    arrays = []
    for field in schema:
        column = table[field.name].combine_chunks()
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if pa.types.is_dictionary(field.type):
            column = column.cast(field.type.value_type).dictionary_encode()
            column = column.cast(field.type)
        else:
            column = column.cast(field.type)
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=schema)


def write_table_groups(
    table: pa.Table, schema: pa.Schema, target: Path, rows_per_group: int = ROWS_PER_GROUP
) -> None:
    """Write `table` (columns of `schema`, in any order) atomically, as `TableWriter` would."""
    with atomic_path(target) as tmp, pq.ParquetWriter(tmp, schema, **PARQUET_OPTIONS) as out:
        for start, stop in group_bounds(text_lengths(table, schema), rows_per_group):
            out.write_table(conform(table.slice(start, stop - start), schema))


class GroupWriter:
    """Write a table given a batch of columns at a time, in `TableWriter`'s row groups.

    A row group ends where `group_bounds` ends it counting from its first row, so each batch's
    full groups are written at once and its last (maybe partial) group waits for more rows.
    """

    def __init__(self, schema: pa.Schema, target: Path, rows_per_group: int = ROWS_PER_GROUP):
        self.schema = schema
        self.rows_per_group = rows_per_group
        self.pending: pa.Table | None = None
        self._atomic = atomic_path(target)
        self._writer = pq.ParquetWriter(self._atomic.__enter__(), schema, **PARQUET_OPTIONS)

    def write(self, batch: pa.Table) -> None:
        """Add rows; the row groups they complete are written."""
        rows = conform(batch, self.schema)
        if self.pending is not None:
            rows = pa.concat_tables([self.pending, rows])
        bounds = list(group_bounds(text_lengths(rows, self.schema), self.rows_per_group))
        for start, stop in bounds[:-1]:
            self._writer.write_table(conform(rows.slice(start, stop - start), self.schema))
        self.pending = rows.slice(bounds[-1][0]) if bounds else None

    def __enter__(self) -> GroupWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            if kind is None and self.pending is not None and self.pending.num_rows:
                self._writer.write_table(conform(self.pending, self.schema))
            self._writer.close()
        except BaseException as err:
            self._atomic.__exit__(type(err), err, err.__traceback__)
            raise
        self._atomic.__exit__(kind, *rest)


def plain_strings(table: pa.Table) -> pa.Table:
    """The table with its `large_string` columns as `string` (a file pandas wrote has them)."""
    fields = [
        field.with_type(pa.string()) if pa.types.is_large_string(field.type) else field
        for field in table.schema
    ]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))
