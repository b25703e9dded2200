"""`pipeline.load` reads a release without the NLP stack: no spaCy, DVC or Dask gets imported.

A reader of the dataset installs Chronicle to call `load("events")`; importing the stages (and
with them spaCy, thinc, DVC, Dask) would cost seconds and tie reading to the NLP install. The
check runs in a fresh interpreter, since this test session has imported spaCy already.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa

from pipeline.core.io import write_rows
from pipeline.core.release import csv_column, csv_path, parquet_path
from schemas import TABLES, arrow_schema
from tests.support.helpers import PROJECT

HEAVY = ("spacy", "thinc", "dvc", "dask", "distributed")

REJECTS = [
    {"path": "empty.txt", "sha256": "0" * 64, "reason": "empty", "detail": "no text"},
    {"path": "formula.txt", "sha256": None, "reason": "unreadable", "detail": "=1+1 was read"},
]

READ = """
import json, sys
from pipeline.load import load
frames = {fmt: load("rejects", sys.argv[1], format=fmt) for fmt in ("parquet", "csv")}
print(json.dumps({
    "rows": {fmt: frame.astype(object).where(frame.notna(), None).to_dict("records")
             for fmt, frame in frames.items()},
    "reason": str(frames["parquet"]["reason"].dtype),
    "heavy": sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:])),
}))
"""


def publish(rows: list[dict], folder: Path) -> Path:
    """A release holding one table, as Parquet (the stages' writer) and its CSV copy."""
    table = TABLES["rejects"]
    write_rows(rows, table, folder / parquet_path(table.name))
    schema = arrow_schema(table)
    arrow = pa.Table.from_pylist(rows, schema=schema)
    target = folder / csv_path(table.name)
    target.parent.mkdir(parents=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(schema.names)
        writer.writerows(zip(*(csv_column(c.combine_chunks()) for c in arrow.columns), strict=True))
    return folder


def test_loading_a_table_imports_no_nlp_dvc_or_dask(tmp_path):
    folder = publish(REJECTS, tmp_path / "outputs")
    assert "'=1+1" in (folder / "csv" / "rejects.csv").read_text()  # neutralised on disk
    env = dict(os.environ, PYTHONPATH=str(PROJECT), PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "-c", READ, str(folder), *HEAVY],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    read = json.loads(result.stdout)
    assert read["rows"]["parquet"] == REJECTS
    assert read["rows"]["csv"] == REJECTS  # the formula cell comes back as written
    assert read["reason"] == "category"
    assert read["heavy"] == []


def bc_event() -> dict:
    """An event of 218 BC: years before 1 AD are astronomical, and its dates are null."""
    return {
        "event_id": "evt_" + "1" * 16,
        "doc_id": "doc_" + "2" * 16,
        "sentence_id": "sen_" + "3" * 16,
        "start_char": 0,
        "end_char": 30,
        "text": "Hannibal crossed the Alps in 218 BC",
        "trigger": "cross",
        "trigger_text": "crossed",
        "trigger_start_char": 9,
        "trigger_end_char": 16,
        "trigger_pos": "VERB",
        "timex_id": "tmx_" + "4" * 16,
        "date_basis": "explicit",
        "date_start": None,
        "date_end": None,
        "year_start": -217,
        "year_end": -217,
        "precision": "year",
        "event_type": None,
        "cameo_code": None,
        "modality": "asserted",
        "polarity": "positive",
        "happening_id": "hap_" + "5" * 16,
        "grouped_by": [],
    }


def test_a_bc_event_reads_in_pandas_polars_and_duckdb(tmp_path):
    import duckdb
    import pandas as pd
    import polars as pl

    from pipeline.load import load

    path = tmp_path / parquet_path("events")
    write_rows([bc_event()], TABLES["events"], path)
    plain = pd.read_parquet(path)
    assert plain.loc[0, "year_start"] == -217 and pd.isna(plain.loc[0, "date_start"])
    loaded = load("events", tmp_path)
    assert str(loaded["year_start"].dtype) == "Int64" and loaded.loc[0, "year_end"] == -217
    assert pl.read_parquet(path)["year_start"].to_list() == [-217]
    assert load("events", tmp_path, backend="polars")["year_end"].to_list() == [-217]
    rows = duckdb.sql(f"select year_start, date_start from '{path}'").fetchall()
    assert rows == [(-217, None)]
