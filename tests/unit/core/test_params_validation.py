"""params.yaml is checked when a stage starts: a wrong key or value is named, nothing runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.config import ParamsError, load_params

PROJECT = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ingest:\n  batch_size: 0\n", r"ingest\.batch_size must be at least 1, got 0"),
        ("ingest:\n  max_chars: 1e8\n", r"ingest\.max_chars must be int, got '1e8'"),
        ("ingest:\n  max_chars: 100000000000\n", r"ingest\.max_chars must be at most 500000000"),
        ("ingest:\n  max_chars: -1\n", r"ingest\.max_chars must be at least 1"),
        ("ingest:\n  manifest: 3\n", r"ingest\.manifest must be a path string, got 3"),
        ("ingest:\n  batchsize: 64\n", r"unknown key ingest\.batchsize \(known: batch_size, "),
        ("ingest: [1, 2]\n", r"ingest must be a mapping"),
        ("- just\n- a list\n", r"top level must be a mapping"),
        ("paths:\n  raw: [raw]\n", r"paths\.raw must be a path string"),
    ],
)
def test_bad_values_are_named_by_key(tmp_path, text, message):
    with pytest.raises(ParamsError, match=message):
        load_params(write(tmp_path, text))


def test_yaml_is_loaded_safely(tmp_path):
    marker = tmp_path / "pwned"
    text = f"ingest: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(write(tmp_path, text))
    assert not marker.exists()  # the tag was refused, not executed


def test_a_missing_params_file_says_where_to_run(tmp_path):
    with pytest.raises(ParamsError, match="not found: run from the project folder"):
        load_params(tmp_path / "params.yaml")


def test_a_stage_with_bad_params_stops_before_reading_anything(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("In 1962.", encoding="utf-8")
    write(tmp_path, "ingest:\n  batch_size: many\n")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.ingest"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
    )
    assert result.returncode == 1
    assert "params.yaml: ingest.batch_size must be int, got 'many'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # nothing was written
