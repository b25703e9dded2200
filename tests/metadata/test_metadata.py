"""The contract itself: every column documented and typed, keys resolvable, DVC graph intact."""

import json
import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from pipeline.core.codedeps import module_files
from pipeline.core.config import load_params
from pipeline.publish.datapackage import datapackage
from pipeline.publish.dictionary import data_dictionary
from schemas import SCHEMA_SOURCES, TABLES, arrow_schema, build_arrow_schema, columns
from tests.support.helpers import PROJECT, run

CONTRACT = {
    "documents": [
        "doc_id",
        "path",
        "sha256",
        "title",
        "published",
        "text",
        "n_chars",
        "n_sentences",
    ],
    "mentions": [
        "mention_id",
        "doc_id",
        "sentence_id",
        "start_char",
        "end_char",
        "text",
        "label",
        "entity_id",
    ],
    "entities": ["entity_id", "name", "label", "aliases", "n_mentions", "n_documents"],
    "timexes": [
        "timex_id",
        "doc_id",
        "sentence_id",
        "start_char",
        "end_char",
        "text",
        "type",
        "value",
        "date_start",
        "date_end",
        "precision",
        "anchor",
    ],
    "events": [
        "event_id",
        "doc_id",
        "sentence_id",
        "start_char",
        "end_char",
        "text",
        "trigger",
        "timex_id",
        "date_start",
        "date_end",
        "precision",
        "event_type",
    ],
    "participants": ["event_id", "entity_id", "role"],
    "rejects": ["path", "reason", "detail"],
}
"""Column names users and downstream code rely on (issue #2); removing one is a breaking change."""


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_columns_are_published(name):
    assert set(CONTRACT[name]) <= set(arrow_schema(TABLES[name]).names)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_column_is_described(name):
    table = TABLES[name]
    assert table.description
    for column in columns(table):
        assert column.description and len(column.description) > 10, column.name


def test_published_types():
    schema = arrow_schema(TABLES["timexes"])
    assert schema.field("date_start").type == pa.date32()
    assert pa.types.is_dictionary(schema.field("precision").type)
    assert arrow_schema(TABLES["entities"]).field("aliases").type == pa.list_(pa.string())
    assert schema.field("timex_id").metadata[b"description"]


def test_foreign_keys_point_at_primary_keys():
    for table in TABLES.values():
        for fk in table.foreign_keys:
            assert fk.column in table.schema.columns
            assert TABLES[fk.ref_table].primary_key == (fk.ref_column,)


def test_datapackage_mirrors_the_schemas():
    package = datapackage()
    assert [r["name"] for r in package["resources"]] == (
        list(TABLES) + [f"{name}-parquet" for name in TABLES]
    )
    for resource in package["resources"]:
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert names == arrow_schema(TABLES[resource["name"].removesuffix("-parquet")]).names
    json.dumps(package)  # serialisable


def test_data_dictionary_lists_every_column():
    text = data_dictionary()
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        for column in columns(table):
            assert f"| `{column.name}` |" in text


def test_dvc_graph_runs_every_stage_module():
    stages = yaml.safe_load(Path("dvc.yaml").read_text())["stages"]
    pipeline = {
        name: stage
        for name, stage in stages.items()
        if "cmd" in stage and not name.startswith("evaluate_")
    }
    assert list(pipeline) == [
        "ingest",
        "nlp",
        "timexes",
        "events",
        "entities",
        "happenings",
        "validate",
        "publish",
    ]
    for name, stage in pipeline.items():
        assert stage["cmd"] == f"python -m pipeline.{name}"
        assert Path(f"pipeline/{name}/__main__.py").exists(), name
        assert f"pipeline/{name}" in stage["deps"]
    producers = {t.stage for t in TABLES.values()}
    assert producers <= set(stages)


def test_dvc_params_are_real_sections():
    params = load_params()
    stages = yaml.safe_load(Path("dvc.yaml").read_text())["stages"]
    for stage in stages.values():
        for key in stage.get("params", stage.get("do", {}).get("params", [])):
            section = params
            for part in key.split("."):  # "entities.kb" is a key of a section
                assert hasattr(section, part), key
                section = getattr(section, part)


STAGE_MODULES = [
    "pipeline.ingest.stage",
    "pipeline.nlp.stage",
    "pipeline.timexes.stage",
    "pipeline.events.stage",
    "pipeline.entities.stage",
]
"""Stages that write Arrow only: they read the schemas from the cache, without pandas/pandera."""

PRINT_SCHEMAS = """
import sys
from schemas import TABLES, arrow_schema
for table in TABLES.values():
    print(arrow_schema(table).serialize().to_pybytes().hex())
print(sorted(m for m in ("pandas", "pandera") if m in sys.modules))
"""


def cached_schemas(root: Path, *imports: str) -> tuple[list[str], str]:
    """The schemas a fresh process under `root` gets, and which of pandas/pandera it imported."""
    code = "".join(f"import {name}\n" for name in imports) + PRINT_SCHEMAS
    lines = run(root, sys.executable, "-c", code).stdout.splitlines()
    return lines[:-1], lines[-1]


def test_stages_get_the_schemas_built_from_the_models_without_pandera():
    built = [build_arrow_schema(t).serialize().to_pybytes().hex() for t in TABLES.values()]
    project = PROJECT
    cached_schemas(project)  # builds the cache if this source has none yet
    schemas, imported = cached_schemas(project, *STAGE_MODULES)
    assert schemas == built
    assert imported == "[]"


ROWS_WITHOUT_PANDAS = """
import sys
import pyarrow as pa
from pipeline.core.io import hide_pandas_from_pyarrow
hide_pandas_from_pyarrow()
table = pa.Table.from_pylist([{"n": 1}, {"n": None}])
print("pandas" in sys.modules)
print(table.to_pandas()["n"].isna().tolist())
"""


def test_rows_convert_without_pandas_and_tables_still_reach_pandas():
    lines = run(PROJECT, sys.executable, "-c", ROWS_WITHOUT_PANDAS)
    assert lines.stdout.splitlines() == ["False", "[False, True]"]


def copy_of_schemas(root: Path) -> Path:
    """This project's schemas package, alone, under `root`."""
    shutil.copytree(
        PROJECT / "schemas", root / "schemas", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root / "schemas"


def test_a_corrupt_schema_cache_is_rebuilt(tmp_path):
    schemas = copy_of_schemas(tmp_path)
    first, _ = cached_schemas(tmp_path)
    (cache,) = (schemas / "__pycache__").glob("arrow-*.arrow")
    cache.write_bytes(b"not an arrow file")
    again, imported = cached_schemas(tmp_path)
    assert again == first
    assert imported != "[]"  # rebuilt from the models
    assert cached_schemas(tmp_path) == (first, "[]")  # and cached again


def test_an_edited_model_is_not_served_from_the_old_cache(tmp_path):
    schemas = copy_of_schemas(tmp_path)
    before, _ = cached_schemas(tmp_path)
    (old,) = (schemas / "__pycache__").glob("arrow-*.arrow")
    model = schemas / "timexes.py"
    model.write_text(model.read_text().replace("Normalised TimeML value", "The TimeML value"))
    after, _ = cached_schemas(tmp_path)
    (new,) = (schemas / "__pycache__").glob("arrow-*.arrow")  # the old one is gone
    assert new != old
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [list(TABLES).index("timexes")]
    assert b"The TimeML value" in bytes.fromhex(after[changed[0]])


def test_the_models_import_no_other_project_module():
    """The schema cache is keyed by schemas/ alone: a model reading any other project module
    could change without the cache noticing."""
    runs = set().union(
        *(module_files(f"schemas.{t.model_name.split('.')[0]}") for t in TABLES.values())
    )
    assert runs <= set(SCHEMA_SOURCES), runs
