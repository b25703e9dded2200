"""A publish that fails leaves the last good release in outputs/, whole.

Issue 19, item 7: DVC deleted publish's outputs before running it, so a publish that then
failed (a full disk, a bad table) left no release at all. Now DVC keeps them (`persist`), and
publish writes the new release to a staging folder that replaces the old one only when done.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from pipeline.core.config import load_params
from pipeline.core.stage import StageError, report_path, table_path
from pipeline.publish import stage as publish
from schemas import TABLES, arrow_schema
from tests.support.helpers import digests

PROJECT = Path(__file__).resolve().parents[3]
DOC_SHA = "d" * 64


@pytest.fixture
def params(tmp_path, monkeypatch):
    """A project whose interim folder holds every table (one rejected file) and a pass."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text("{}\n")
    params = load_params()
    for name, table in TABLES.items():
        path = table_path(params, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(arrow_schema(table).empty_table(), path)
    rejects = {"path": ["a.bin"], "sha256": [DOC_SHA], "reason": ["binary"], "detail": ["x"]}
    pq.write_table(pa.table(rejects), table_path(params, "rejects"))
    report = report_path(params, "validate")
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({"ok": True}))
    return params


def test_a_failing_publish_leaves_the_last_release_intact(params):
    publish.run(params)
    release = digests(params.paths.outputs)
    assert {"rejects.parquet", "csv/rejects.csv", "README.md", "metrics.json"} <= set(release)
    rejects = {"path": ["b.bin"], "sha256": [DOC_SHA], "reason": ["binary"], "detail": ["y"]}
    pq.write_table(pa.table(rejects), table_path(params, "rejects"))  # new data, written first
    events = table_path(params, "participants")  # ... then a table it cannot publish
    pq.write_table(pa.table({"participant_id": ["p"]}), events)
    with pytest.raises(StageError, match=r"participants\.parquet lacks columns"):
        publish.run(params)
    assert digests(params.paths.outputs) == release
    assert not (params.paths.outputs / publish.STAGING).exists()


def test_a_publish_refused_for_want_of_validation_leaves_the_release(params):
    publish.run(params)
    release = digests(params.paths.outputs)
    report_path(params, "validate").write_text(json.dumps({"ok": False}))
    with pytest.raises(StageError, match="no passing validation report"):
        publish.run(params)
    assert digests(params.paths.outputs) == release


def test_a_new_release_replaces_every_file_and_drops_the_csv_it_no_longer_has(params):
    publish.run(params)
    (params.paths.outputs / "csv" / "stray.csv").write_text("old\n")
    publish.run(params)
    assert not (params.paths.outputs / "csv" / "stray.csv").exists()
    assert (params.paths.outputs / "csv" / "rejects.csv").read_text().startswith("path,")


def test_dvc_keeps_every_publish_output_until_the_new_release_is_in():
    stage = yaml.safe_load((PROJECT / "dvc.yaml").read_text())["stages"]["publish"]
    declared = [*stage["outs"], *stage["metrics"]]
    assert declared and all(
        isinstance(out, dict) and next(iter(out.values())).get("persist") for out in declared
    )
