"""The Frictionless Data Package (datapackage.json): every table as a CSV and a Parquet resource.

Each resource's Table Schema comes from the pandera models: types, descriptions, keys, foreign
keys and the constraints of each column's checks, so `frictionless validate` checks the files
against the same contract the pipeline enforces.
"""

from __future__ import annotations

from typing import Any

import pandera.pandas as pandera

from pipeline.core.release import allowed_values, csv_path, parquet_path
from pipeline.publish.contract import column_pattern
from pipeline.publish.dataset import (
    CSV_SAFETY_NOTE,
    DATASET_DESCRIPTION,
    DATASET_NAME,
    DATASET_TITLE,
    DATASET_VERSION,
    KEYWORDS,
    LICENCE,
    PARQUET_MEDIA_TYPE,
)
from schemas import TABLES, Table, columns, logical_type

FRICTIONLESS_TYPES = {
    "str": "string",
    "int64": "integer",
    "float64": "number",
    "bool": "boolean",
    "date": "date",
    "list<string>": "array",
}


def _check_constraints(column: pandera.Column, fmt: str) -> dict[str, Any]:
    """Range and length constraints from the column's checks.

    Frictionless reads a null in a Parquet float column as NaN, which fails any range check, so
    a nullable number keeps its range only in the CSV resource.
    """
    nan_for_null = fmt == "parquet" and column.nullable and logical_type(column) == "float64"
    constraints: dict[str, Any] = {}
    for check in column.checks:
        if check.name == "greater_than_or_equal_to" and not nan_for_null:
            constraints["minimum"] = check.statistics["min_value"]
        elif check.name == "less_than_or_equal_to" and not nan_for_null:
            constraints["maximum"] = check.statistics["max_value"]
        elif check.name == "str_length" and check.statistics.get("min_value") is not None:
            constraints["minLength"] = check.statistics["min_value"]
    return constraints


def _constraints(column: pandera.Column, unique: bool, fmt: str) -> dict[str, Any]:
    """Frictionless constraints of a column: required, unique, allowed values, pattern, range."""
    constraints: dict[str, Any] = {"required": not column.nullable}
    if unique:
        constraints["unique"] = True
    values = allowed_values(column)
    if values:
        constraints["enum"] = values
    pattern = column_pattern(column)
    if pattern:
        constraints["pattern"] = pattern
    constraints.update(_check_constraints(column, fmt))
    return constraints


def field_descriptor(column: pandera.Column, unique: bool, fmt: str = "csv") -> dict[str, Any]:
    """A Frictionless Table Schema field for one column, constraints from its checks.

    Frictionless reads a Parquet list column as arrays it does not take for its `array`
    type, so in Parquet resources a list column is typed `any` (its description says so); it
    reads a nullable integer column as floats with NaN for null, so there it is a `number`.
    """
    descriptor = {
        "name": column.name,
        "type": FRICTIONLESS_TYPES[logical_type(column)],
        "description": column.description or "",
        "constraints": _constraints(column, unique, fmt),
    }
    if descriptor["type"] == "integer" and fmt == "parquet" and column.nullable:
        descriptor["type"] = "number"  # read through pandas, a null comes back as NaN
    if descriptor["type"] == "array" and fmt == "csv":
        descriptor["description"] += " In CSV: a JSON array."
    elif descriptor["type"] == "array":
        descriptor["type"] = "any"
        descriptor["description"] += " In Parquet: a list<string> column."
    return descriptor


def table_schema(table: Table, fmt: str) -> dict[str, Any]:
    """A table's Frictionless Table Schema; its foreign keys point at resources of `fmt` too."""
    suffix = "" if fmt == "csv" else f"-{fmt}"
    schema: dict[str, Any] = {
        "fields": [field_descriptor(c, c.unique, fmt) for c in columns(table)],
        "primaryKey": list(table.primary_key),
    }
    if fmt == "csv":
        schema["missingValues"] = [""]
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": fk.column,
                "reference": {"resource": fk.ref_table + suffix, "fields": fk.ref_column},
            }
            for fk in table.foreign_keys
        ]
    return schema


def resource(
    table: Table, fmt: str = "csv", files: dict[str, tuple[int, str]] | None = None
) -> dict[str, Any]:
    """A Frictionless tabular resource for one table, as CSV or as Parquet.

    `files` maps a path (relative to outputs/) to its size and sha256; when given, a CSV
    resource states both so `frictionless validate` checks the file is the one described.
    (Frictionless reads Parquet through pyarrow and cannot count its bytes: the Parquet
    files' sha256 are in croissant.json.)
    """
    path = csv_path(table.name) if fmt == "csv" else parquet_path(table.name)
    out: dict[str, Any] = {
        "name": table.name + ("" if fmt == "csv" else f"-{fmt}"),
        "path": path,
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else PARQUET_MEDIA_TYPE,
        "profile": "tabular-data-resource",
        "description": table.description,
        "schema": table_schema(table, fmt),
    }
    if fmt == "csv":
        out["encoding"] = "utf-8"
    if fmt == "csv" and files and path in files:
        size, sha256 = files[path]
        out["bytes"] = size
        out["hash"] = f"sha256:{sha256}"
    return out


def datapackage(
    version: str = DATASET_VERSION,
    files: dict[str, tuple[int, str]] | None = None,
    csv: bool = True,
    creator: str = "Chronicle contributors",
    homepage: str = "",
) -> dict[str, Any]:
    """The Frictionless Data Package: each table as a CSV and as a Parquet resource."""
    resources = [resource(t, "csv", files) for t in TABLES.values()] if csv else []
    resources += [resource(t, "parquet", files) for t in TABLES.values()]
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": DATASET_NAME,
        "title": DATASET_TITLE,
        "version": version,
        "description": DATASET_DESCRIPTION + " " + CSV_SAFETY_NOTE,
        "keywords": list(KEYWORDS),
        "licenses": [
            {
                **LICENCE,
                "title": LICENCE["title"] + " (extracted data; source "
                "texts keep their own licences, see the documents table)",
            }
        ],
        "contributors": [{"title": creator, "role": "author"}],
        "sources": [
            {"title": "Input documents: see the documents table (path, source_url, licence)"}
        ],
        "resources": resources,
    }
    if homepage:
        package["homepage"] = homepage
    return package
