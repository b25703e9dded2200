"""The data dictionary (DATA_DICTIONARY.md): every table, what a row means, every column.

Generated from the pandera models in `schemas/`, so it cannot drift from the data.
"""

from __future__ import annotations

import pandera.pandas as pandera

from pipeline.core.release import allowed_values
from pipeline.publish.contract import contract_fingerprint
from pipeline.publish.dataset import CSV_SAFETY_NOTE
from schemas import SCHEMA_VERSION, TABLES, Table, columns, is_categorical, logical_type

MAX_LISTED_VALUES = 16
"""A column's allowed values are listed in the dictionary when there are at most this many."""


def md_cell(text: object) -> str:
    """A value made safe for a Markdown table cell."""
    return str(text).replace("|", "/").replace("\n", " ")


def column_row(column: pandera.Column) -> str:
    """A column as a row of its table's Markdown table: name, type, nullability, description."""
    kind = logical_type(column) + (" (categorical)" if is_categorical(column) else "")
    values = allowed_values(column)
    text = (column.description or "") + (
        f" One of: {', '.join(values)}." if values and len(values) <= MAX_LISTED_VALUES else ""
    )
    return f"| `{column.name}` | {kind} | {'yes' if column.nullable else 'no'} | {md_cell(text)} |"


def table_section(table: Table) -> list[str]:
    """A table's section: what a row means, its keys, and a row per column."""
    lines = [
        f"## `{table.name}`",
        "",
        table.description,
        "",
        f"Primary key: `{', '.join(table.primary_key)}`.",
    ]
    lines += [f"`{fk.column}` → `{fk.ref_table}.{fk.ref_column}`." for fk in table.foreign_keys]
    lines += ["", "| column | type | null | description |", "| --- | --- | --- | --- |"]
    lines += [column_row(column) for column in columns(table)]
    lines.append("")
    return lines


def data_dictionary() -> str:
    """Markdown data dictionary: every table, what a row means, every column."""
    lines = [
        f"# Data dictionary (schema version {SCHEMA_VERSION})",
        "",
        "Generated from the pandera models in `schemas/`; do not edit by hand.",
        "",
        "Each table is published as `<table>.parquet` (typed: dates as date32, lists as "
        "list<string>, categoricals as dictionaries) and as `csv/<table>.csv` (UTF-8, "
        "header row, dates as ISO 8601, lists as JSON arrays, nulls as empty cells).",
        "",
        f"Contract fingerprint: `{contract_fingerprint()}`.",
        "",
        "## CSV safety",
        "",
        CSV_SAFETY_NOTE,
        "",
    ]
    for table in TABLES.values():
        lines += table_section(table)
    return "\n".join(lines)
