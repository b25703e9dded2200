"""The published contract in short: a fingerprint of every table's keys and columns.

CHANGELOG.md records the fingerprint of each version, the data dictionary, the dataset card
and the report state it, and a test fails when the contract changes without a version bump.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import pandera.pandas as pandera

from pipeline.core.release import allowed_values
from schemas import TABLES, Table, columns, is_categorical, logical_type


def column_pattern(column: pandera.Column) -> str | None:
    """The column's regular expression (from `str_matches`), without its anchors."""
    for check in column.checks:
        if check.name == "str_matches":
            return str(check.statistics["pattern"]).removeprefix("^").removesuffix("$")
    return None


def _table_contract(table: Table) -> dict[str, Any]:
    """What of a table users rely on: keys, and each column's name, type and values."""
    return {
        "table": table.name,
        "primary_key": list(table.primary_key),
        "foreign_keys": [dataclasses.astuple(fk) for fk in table.foreign_keys],
        "columns": [
            [
                c.name,
                logical_type(c),
                is_categorical(c),
                c.nullable,
                allowed_values(c),
                column_pattern(c),
            ]
            for c in columns(table)
        ],
    }


def contract_fingerprint() -> str:
    """A short hash of the contract: tables, keys, and each column's name, type and values.

    Descriptions are left out (rewording is not a contract change).
    """
    contract = [_table_contract(table) for table in TABLES.values()]
    text = json.dumps(contract, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
