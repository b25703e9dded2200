"""Stage 7, publish: the validated tables as Parquet and CSV, with metrics and documentation.

Parquet keeps the schema's types (dates as date32, lists as list<string>, categoricals as
dictionaries) and each column's description in the field metadata; CSV writes lists as JSON
arrays and dates as ISO strings, so every tool can load one or the other.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from pipeline.config import Params
from pipeline.io import (
    PARQUET_OPTIONS,
    atomic_open,
    atomic_path,
    read_table,
    to_arrow,
    write_json,
)
from pipeline.metadata import data_dictionary, datapackage
from pipeline.stage import StageError, log, main, report_path, table_path
from pipeline.validate import report_path as validation_report
from schemas import SCHEMA_VERSION, TABLES

STAGES_WITH_REPORTS = ("events", "entities")


def csv_cell(value: Any) -> Any:
    """One CSV cell: lists as JSON arrays, dates as ISO 8601, nulls empty."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv(frame: pd.DataFrame, target: Path) -> None:
    """Write a table as UTF-8 CSV with LF line endings, atomically."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(csv_cell)
    with atomic_open(target) as handle:
        out.to_csv(handle, index=False, lineterminator="\n")


def _counts(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in sorted(Counter(series.dropna()).items())}


def metrics(tables: dict[str, pd.DataFrame], reports: dict[str, Any]) -> dict[str, Any]:
    """Counts a reader checks first: rows per table, per label, per type and precision."""
    return {
        "schema_version": SCHEMA_VERSION,
        "rows": {name: len(frame) for name, frame in tables.items()},
        "mentions_per_label": _counts(tables["mentions"]["label"]),
        "entities_per_label": _counts(tables["entities"]["label"]),
        "timexes_per_type": _counts(tables["timexes"]["type"]),
        "timexes_per_precision": _counts(tables["timexes"]["precision"]),
        "timexes_per_anchor": _counts(tables["timexes"]["anchor"]),
        "events_per_precision": _counts(tables["events"]["precision"]),
        "participants_per_role": _counts(tables["participants"]["role"]),
        "participants_linked": int(tables["participants"]["entity_id"].notna().sum()),
        "rejects_per_reason": _counts(tables["rejects"]["reason"]),
        "stages": reports,
    }


def run(params: Params) -> None:
    """Write every validated table to outputs/ with metrics, data dictionary and package."""
    report = validation_report(params)
    if not report.exists() or not json.loads(report.read_text()).get("ok"):
        raise StageError("publish: no passing validation report; run the validate stage first")
    out = params.paths.outputs
    tables = {name: read_table(table_path(params, name), t) for name, t in TABLES.items()}
    for name, frame in tables.items():
        with atomic_path(out / f"{name}.parquet") as tmp:
            pq.write_table(to_arrow(frame, TABLES[name]), tmp, **PARQUET_OPTIONS)
        if params.publish.csv:
            write_csv(frame, out / "csv" / f"{name}.csv")
    reports = {stage: json.loads(report_path(params, stage).read_text())
               for stage in STAGES_WITH_REPORTS if report_path(params, stage).exists()}
    write_json(metrics(tables, reports), out / "metrics.json")
    write_json(datapackage(), out / "datapackage.json")
    with atomic_open(out / "DATA_DICTIONARY.md") as handle:
        handle.write(data_dictionary())
    log.info("publish: %s", ", ".join(f"{n} {len(f)}" for n, f in tables.items()))


if __name__ == "__main__":
    main(run)
