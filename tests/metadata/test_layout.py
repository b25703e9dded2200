"""The rule of the house (docs/architecture.md): which package may import which, and a stage's
code dependencies computed once, from its imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pipeline.core.codedeps import PROJECT, imported_modules, synced_dvc_yaml
from tests.support.helpers import make_repo

DVC_YAML = yaml.safe_load((PROJECT / "dvc.yaml").read_text())
STAGES = [
    name
    for name, stage in DVC_YAML["stages"].items()
    if stage.get("cmd") == f"python -m pipeline.{name}"
]
"""The pipeline's stages in their order: the first word of each package's layer."""

MODULES = {
    ".".join(path.relative_to(PROJECT).with_suffix("").parts): path
    for folder in ("pipeline", "schemas")
    for path in sorted((PROJECT / folder).rglob("*.py"))
}


def package_of(module: str) -> str:
    """The layer a module belongs to: `schemas`, `pipeline.core`, a stage, `pipeline.load`..."""
    parts = module.split(".")
    if parts[0] == "schemas" or len(parts) == 1:
        return parts[0]
    return ".".join(parts[:2])


def may_import(importer: str, imported: str) -> bool:
    """The rule: schemas import nothing of pipeline; core imports no stage; a stage imports core
    and earlier stages; the reading API imports core and schemas only; the evaluation and
    the command line may import anything."""
    if imported == "schemas" or importer == imported:
        return True
    if importer == "schemas":
        return False
    if importer in ("pipeline.evaluation", "pipeline.cli"):
        return True
    if imported == "pipeline.core":
        return True
    if importer in ("pipeline.core", "pipeline.load"):
        return False
    stage = importer.removeprefix("pipeline.")
    target = imported.removeprefix("pipeline.")
    return stage in STAGES and target in STAGES and STAGES.index(target) < STAGES.index(stage)


def test_the_stages_are_the_eight_in_order():
    assert STAGES == [
        "ingest",
        "nlp",
        "timexes",
        "events",
        "entities",
        "happenings",
        "validate",
        "publish",
    ]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_what_the_rule_allows(module):
    importer = package_of(module)
    wrong = sorted(
        {
            name
            for name in imported_modules(MODULES[module])
            if not may_import(importer, package_of(name))
        }
    )
    assert wrong == [], f"{module} ({importer}) may not import {wrong}"


def top_level_imports(path: Path) -> set[str]:
    """First-party modules a file imports when it is imported (not inside functions)."""
    tree = ast.parse(path.read_bytes())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return {n for n in names if n in MODULES}


def test_no_module_imports_itself_back():
    """A cycle of imports makes a module's meaning depend on which one is imported first."""
    graph = {module: top_level_imports(path) - {module} for module, path in MODULES.items()}
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            raise AssertionError(" -> ".join([*trail[trail.index(module) :], module]))
        if module in done:
            return
        for target in graph.get(module, ()):
            visit(target, [*trail, module])
        done.add(module)

    for module in graph:
        visit(module, [])


def test_dvc_yaml_lists_each_stages_code_as_computed_from_its_imports():
    """A module a stage runs but dvc.yaml omits would not re-run the stage when it changes.
    The per-document caches stamp their entries with the same computation."""
    text = (PROJECT / "dvc.yaml").read_text()
    assert synced_dvc_yaml(text) == text, "run `python -m pipeline.core.codedeps --write`"


CACHE_VERSIONS = """
from pipeline.core.config import load_params
from pipeline.events.stage import stage_version as events
from pipeline.ingest.store import stage_version as ingest
from pipeline.nlp.stage import stage_version as nlp
from pipeline.timexes.stage import stage_version as timexes
params = load_params()
print(ingest(params.ingest), nlp(params, params.nlp.model), timexes(params), events(params))
"""


@pytest.mark.slow
def test_a_change_to_the_id_hashing_invalidates_every_per_document_cache(tmp_path):
    """Each stage caches results that carry ids; a change to `pipeline/core/ids.py` must make
    every cached result stale, not only re-run the stages."""
    repo = make_repo(tmp_path / "repo")

    def versions() -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", CACHE_VERSIONS],
            cwd=repo,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()

    before = versions()
    ids = repo / "pipeline" / "core" / "ids.py"
    ids.write_text(ids.read_text() + "\n# a change\n")
    after = versions()
    assert len(before) == 4
    assert [a != b for a, b in zip(before, after, strict=True)] == [True] * 4
    (repo / "pipeline" / "timexes" / "temporal" / "units.py").write_text(
        (repo / "pipeline" / "timexes" / "temporal" / "units.py").read_text() + "\n# a change\n"
    )
    again = versions()
    assert [a != b for a, b in zip(after, again, strict=True)] == [False, False, True, False]
