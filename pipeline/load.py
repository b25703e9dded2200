"""Load published tables as typed DataFrames, from Parquet or from the CSV copies.

    from pipeline.load import load
    events = load("events")                      # pandas
    events = load("events", backend="polars")    # polars
    rejects = load("rejects", "path/to/outputs", format="csv")

Types come from the schemas, not from guessing: categorical columns get every allowed value
as a category, in the schema's order (so codes are the same in every release, and `precision`
is ordered from finest to coarsest); dates are `datetime64[ms]` in pandas (years 1 to 9999 fit,
unlike nanoseconds) and `Date` in polars; lists are lists of strings. Reading the CSV copies
undoes the formula neutralisation (see `pipeline.core.release.neutralise`), so both formats give the
same values.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core.release import allowed_values, csv_path, parquet_path, restore
from schemas import TABLES, Table, arrow_schema, columns, is_categorical, logical_type

ORDERED_CATEGORIES = frozenset({"precision"})
"""Categorical columns whose values have a natural order (precision: finest to coarsest)."""

BACKENDS = ("pandas", "polars")
FORMATS = ("parquet", "csv")


class LoadError(ValueError):
    """A published table is missing, or does not match its schema."""


def table_file(folder: Path, name: str, fmt: str) -> Path:
    """Where a table is in a published folder, in a format."""
    return folder / (parquet_path(name) if fmt == "parquet" else csv_path(name))


# --- CSV ------------------------------------------------------------------------------------


def _parse_list(text: str) -> list[str]:
    value = json.loads(text)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a JSON array of strings")
    return value


PARSERS: dict[str, Callable[[str], Any]] = {
    "str": restore,
    "int64": int,
    "float64": float,
    "bool": lambda text: {"true": True, "false": False}[text.lower()],
    "date": dt.date.fromisoformat,
    "list<string>": _parse_list,
}
"""How a CSV cell becomes a value, per logical type (an empty cell is null)."""


CSV_FIELD_LIMIT = 2**31 - 1
"""The largest CSV cell read, in characters. Python's csv module refuses cells over 131,072
characters by default, and a document's text is one cell; 2**31 - 1 is the largest value the
module takes on every platform (a C long on Windows)."""


def read_csv_table(path: Path, table: Table) -> pa.Table:
    """A CSV copy as an Arrow table with the published schema (categoricals as dictionaries)."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        return _read_csv_table(path, table)
    except csv.Error as err:
        raise LoadError(f"{path}: not a readable CSV copy ({err}); publish it again") from err


def _read_csv_table(path: Path, table: Table) -> pa.Table:
    schema = arrow_schema(table)
    kinds = {c.name: logical_type(c) for c in columns(table)}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != schema.names:
            raise LoadError(f"{path}: columns are {header}, expected {schema.names}")
        values: list[list[Any]] = [[] for _ in header]
        for line, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise LoadError(f"{path} line {line}: {len(row)} cells, expected {len(header)}")
            for i, (name, cell) in enumerate(zip(header, row, strict=True)):
                try:
                    values[i].append(PARSERS[kinds[name]](cell) if cell != "" else None)
                except (ValueError, KeyError) as err:
                    raise LoadError(
                        f"{path} line {line}, column {name}: {cell!r} is not a "
                        f"{kinds[name]} ({err})"
                    ) from err
    arrays = [
        pa.array(v, type=f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
        for v, f in zip(values, schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, names=schema.names).cast(schema)


# --- Arrow to DataFrames --------------------------------------------------------------------


def read_arrow(
    name: str,
    folder: Path | str = "outputs",
    fmt: str = "parquet",
    columns_: Sequence[str] | None = None,
) -> pa.Table:
    """One published table as Arrow, checked against its schema's columns and types."""
    if name not in TABLES:
        raise LoadError(f"unknown table {name!r}; the tables are {', '.join(TABLES)}")
    if fmt not in FORMATS:
        raise LoadError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path = table_file(Path(folder), name, fmt)
    if not path.exists():
        raise LoadError(f"table {name!r} not found at {path}")
    table = TABLES[name]
    arrow = read_csv_table(path, table) if fmt == "csv" else pq.read_table(path)
    problems = schema_problems(arrow.schema, table) or category_problems(arrow, table)
    if problems:
        raise LoadError(f"{path}: " + "; ".join(problems))
    return arrow.select(list(columns_)) if columns_ else arrow


def schema_problems(schema: pa.Schema, table: Table) -> list[str]:
    """How an Arrow schema differs from the table's published one (names and types)."""
    expected = arrow_schema(table)
    problems = []
    if schema.names != expected.names:
        missing = [n for n in expected.names if n not in schema.names]
        extra = [n for n in schema.names if n not in expected.names]
        problems.append(
            f"columns differ (missing {missing}, unexpected {extra})"
            if missing or extra
            else "columns are in another order"
        )
    for field in expected:
        if field.name in schema.names and not schema.field(field.name).type.equals(field.type):
            problems.append(
                f"column {field.name} is {schema.field(field.name).type}, expected {field.type}"
            )
    return problems


def category_problems(arrow: pa.Table, table: Table) -> list[str]:
    """Categorical columns holding values their schema does not allow.

    Checked here because a pandas Categorical or a polars Enum would otherwise turn such a
    value into null, or fail with a message that does not name the file.
    """
    problems = []
    for column in columns(table):
        allowed = allowed_values(column)
        if not allowed or not is_categorical(column):
            continue
        values = pc.unique(arrow.column(column.name).cast(pa.string())).drop_null()
        outside = sorted(set(values.to_pylist()) - set(allowed))
        if outside:
            problems.append(
                f"column {column.name} has values outside its allowed values: {outside[:5]}"
            )
    return problems


def to_pandas(arrow: pa.Table, table: Table) -> Any:
    """Arrow to pandas with the schema's categories, datetime64[ms] dates and list cells."""
    import pandas as pd

    frame = arrow.to_pandas(date_as_object=False)
    for column in columns(table):
        if column.name not in frame.columns:
            continue
        if is_categorical(column):
            categories = allowed_values(column) or sorted(frame[column.name].dropna().unique())
            frame[column.name] = pd.Categorical(
                frame[column.name].astype(object),
                categories=categories,
                ordered=column.name in ORDERED_CATEGORIES,
            )
        elif logical_type(column) == "list<string>":
            frame[column.name] = [None if v is None else list(v) for v in frame[column.name]]
        elif logical_type(column) == "int64" and column.nullable:
            frame[column.name] = frame[column.name].astype("Int64")  # years, not floats
    return frame


def to_polars(arrow: pa.Table, table: Table) -> Any:
    """Arrow to polars, categorical columns as `Enum`s of their allowed values."""
    import polars as pl

    frame = pl.from_arrow(arrow)
    casts = []
    for column in columns(table):
        values = allowed_values(column)
        if column.name in frame.columns and is_categorical(column) and values:
            casts.append(pl.col(column.name).cast(pl.String).cast(pl.Enum(values)))
    return frame.with_columns(casts) if casts else frame


def load(
    name: str,
    folder: Path | str = "outputs",
    *,
    backend: str = "pandas",
    format: str = "parquet",
    columns: Sequence[str] | None = None,
) -> Any:
    """One published table as a typed pandas or polars DataFrame.

    `folder` is the published folder (outputs/ or a copy); `format` picks Parquet (exact,
    faster) or the CSV copy; `columns` reads only those columns.
    """
    if backend not in BACKENDS:
        raise LoadError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    arrow = read_arrow(name, folder, format, columns)
    convert = to_pandas if backend == "pandas" else to_polars
    return convert(arrow, TABLES[name])


def load_all(
    folder: Path | str = "outputs", *, backend: str = "pandas", format: str = "parquet"
) -> dict[str, Any]:
    """Every published table, by name."""
    return {name: load(name, folder, backend=backend, format=format) for name in TABLES}
