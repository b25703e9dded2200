"""The project as a user installs it: a wheel that holds every module and lexicon, and runs.

The stages read their lexicons by path, relative to their own module (`pipeline/events/
lexicons/`, `pipeline/entities/lexicons/`), so a wheel without them imports fine and fails
at run time. This test builds the wheel, installs it into a folder of its own and runs the seven
stages from it, in a folder holding only the inputs: no `pipeline/` or `schemas/` source to fall
back on. The tables it publishes must be the bytes a run from the source tree publishes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.helpers import PROJECT, digests

pytestmark = pytest.mark.slow

STAGES = ("ingest", "nlp", "timexes", "events", "entities", "happenings", "validate", "publish")
BUILD_FILES = ("pipeline", "schemas", "pyproject.toml", "README.md")
"""What the build reads: the packages, the project table and the readme it names."""
INPUTS = ("params.yaml", "knowledge_base.csv", "raw")
"""What a user's project folder holds: params, their knowledge base and the documents."""


def python(cwd: Path, *args: str, path: Path | None = None) -> str:
    """Run this interpreter in `cwd`, importing first from `path`; its stdout."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    if path is not None:
        env["PYTHONPATH"] = str(path)
    result = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def copy(names: tuple[str, ...], dest: Path) -> Path:
    """The project's files `names`, copied into `dest` (without bytecode)."""
    dest.mkdir(parents=True)
    for name in names:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(
                source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, dest / name)
    return dest


def source_files() -> set[str]:
    """What the wheel must hold: every module, and every file of every lexicon folder."""
    modules = {
        p.relative_to(PROJECT).as_posix()
        for folder in ("pipeline", "schemas")
        for p in (PROJECT / folder).rglob("*.py")
        if "__pycache__" not in p.parts
    }
    lexicons = {
        p.relative_to(PROJECT).as_posix()
        for folder in (PROJECT / "pipeline").rglob("lexicons")
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert lexicons, "no lexicon files found under pipeline/**/lexicons/"
    return modules | lexicons


def run_stages(folder: Path, path: Path) -> Path:
    """`python -m pipeline.<stage>` for the seven stages in order; the published folder."""
    for stage in STAGES:
        python(folder, "-m", f"pipeline.{stage}", path=path)
    return folder / "outputs"


WHERE_FROM = """
import importlib, sys
for stage in sys.argv[1:]:
    importlib.import_module(f"pipeline.{stage}.stage")
from pipeline.events.mentions import TITLES_FILE
ours = [m for name, m in sys.modules.items() if name.split(".")[0] in ("pipeline", "schemas")]
print(TITLES_FILE)
print("\\n".join(sorted({str(getattr(m, "__file__", None)) for m in ours})))
"""
"""Prints where the title lexicon and every imported module of the project come from."""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built from a copy (the source tree gets no build/ or egg-info)."""
    base = tmp_path_factory.mktemp("wheel")
    project = copy(BUILD_FILES, base / "project")
    python(project, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), ".")
    (built,) = (base / "dist").glob("chronicle-*.whl")
    return built


def test_the_wheel_holds_every_module_and_lexicon(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(source_files() - names)
    assert missing == [], f"the wheel lacks {missing}: see [tool.setuptools.package-data]"


def test_the_installed_wheel_runs_the_pipeline_as_the_source_tree_does(wheel, tmp_path):
    target = tmp_path / "site"
    python(tmp_path, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), wheel)
    installed = copy(INPUTS, tmp_path / "installed")
    assert not (installed / "pipeline").exists() and not (installed / "schemas").exists()

    titles, *modules = python(installed, "-c", WHERE_FROM, *STAGES, path=target).splitlines()
    assert Path(titles).is_relative_to(target)
    assert modules
    assert [m for m in modules if not Path(m).is_relative_to(target)] == []

    published = run_stages(installed, target)
    from_source = run_stages(copy(INPUTS, tmp_path / "source"), PROJECT)

    assert (published / "events.parquet").exists()
    tables = {
        name: digest
        for name, digest in digests(published).items()
        if name.endswith(".parquet") or name.startswith("csv/")
    }
    assert len(tables) == 18  # nine tables, as Parquet and CSV
    expected = digests(from_source)
    assert tables == {name: expected.get(name) for name in tables}

    import pandas as pd

    events = pd.read_parquet(published / "events.parquet")
    assert len(events) >= 6  # the sample's dated events (tests/integration/test_pipeline.py)
    assert "replace" in set(events["trigger"])  # "In 1964 ... replaced": events typed by lexicon
    assert events["event_type"].notna().any()
