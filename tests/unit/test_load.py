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
