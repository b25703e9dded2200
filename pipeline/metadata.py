"""Documentation generated from the schemas: the data dictionary and the Frictionless package.

Nothing here is written by hand: every description, type and constraint comes from the pandera
models in `schemas/`, so the documentation cannot drift from the data.
"""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

from schemas import SCHEMA_VERSION, TABLES, Table, columns, is_categorical, logical_type

FRICTIONLESS_TYPES = {"str": "string", "int64": "integer", "float64": "number",
                      "bool": "boolean", "date": "date", "list<string>": "array"}

DATASET_NAME = "chronicle"
DATASET_TITLE = "Chronicle: entities and dated events extracted from text"


def allowed_values(column: pa.Column) -> list[str] | None:
    """The column's `isin` values, if it has that check."""
    for check in column.checks:
        if check.name == "isin":
            return list(check.statistics["allowed_values"])
    return None


def field_descriptor(column: pa.Column, unique: bool) -> dict[str, Any]:
    """A Frictionless Table Schema field for one column."""
    constraints: dict[str, Any] = {"required": not column.nullable}
    if unique:
        constraints["unique"] = True
    values = allowed_values(column)
    if values:
        constraints["enum"] = values
    descriptor = {"name": column.name, "type": FRICTIONLESS_TYPES[logical_type(column)],
                  "description": column.description or "", "constraints": constraints}
    if descriptor["type"] == "array":
        descriptor["description"] += " In CSV: a JSON array."
    return descriptor


def resource(table: Table) -> dict[str, Any]:
    """A Frictionless tabular resource for the CSV copy of one table."""
    schema: dict[str, Any] = {
        "fields": [field_descriptor(c, c.unique) for c in columns(table)],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": fk.column, "reference": {
            "resource": fk.ref_table, "fields": fk.ref_column}} for fk in table.foreign_keys]
    return {"name": table.name, "path": f"csv/{table.name}.csv", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
            "description": table.description, "schema": schema}


def datapackage(version: str = SCHEMA_VERSION) -> dict[str, Any]:
    """The Frictionless Data Package describing every published table."""
    return {
        "profile": "tabular-data-package",
        "name": DATASET_NAME,
        "title": DATASET_TITLE,
        "version": version,
        "description": "Documents, named-entity mentions, canonical entities, temporal "
                       "expressions normalised to TimeML, and dated events with participants, "
                       "extracted from the texts in raw/ by the Chronicle pipeline.",
        "licenses": [{"name": "ODC-BY-1.0", "title": "Open Data Commons Attribution License "
                      "1.0 (extracted data; source texts keep their own licences)",
                      "path": "https://opendatacommons.org/licenses/by/1-0/"}],
        "resources": [resource(t) for t in TABLES.values()],
    }


def data_dictionary() -> str:
    """Markdown data dictionary: every table, what a row means, every column."""
    lines = [f"# Data dictionary (schema version {SCHEMA_VERSION})", "",
             "Generated from the pandera models in `schemas/`; do not edit by hand.", ""]
    for table in TABLES.values():
        lines += [f"## `{table.name}`", "", table.description, "",
                  f"Primary key: `{', '.join(table.primary_key)}`."]
        for fk in table.foreign_keys:
            lines.append(f"`{fk.column}` → `{fk.ref_table}.{fk.ref_column}`.")
        lines += ["", "| column | type | null | description |", "| --- | --- | --- | --- |"]
        for column in columns(table):
            kind = logical_type(column) + (" (categorical)" if is_categorical(column) else "")
            values = allowed_values(column)
            text = (column.description or "") + (
                f" One of: {', '.join(values)}." if values and len(values) <= 16 else "")
            lines.append(f"| `{column.name}` | {kind} | {'yes' if column.nullable else 'no'} "
                         f"| {text.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)
