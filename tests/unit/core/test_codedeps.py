"""The scan of a file's imports that every stage's cache version is computed from."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.core import codedeps
from pipeline.core.codedeps import PROJECT, docstring_only, imported_modules


def parsed_imports(source: Path) -> set[str]:
    """What a full parse of the file finds: the rule the fast scan must agree with."""
    package = ".".join(source.relative_to(codedeps.PROJECT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_bytes())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in codedeps.FIRST_PARTY}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project folder of its own, with a `pipeline/stage/` package to write files into."""
    monkeypatch.setattr(codedeps, "PROJECT", tmp_path)
    codedeps._tree.cache_clear()
    (tmp_path / "pipeline" / "stage").mkdir(parents=True)
    yield tmp_path
    codedeps._tree.cache_clear()


def write(project: Path, text: str, name: str = "work.py") -> Path:
    path = project / "pipeline" / "stage" / name
    path.write_text(text)
    return path


def test_every_kind_of_import_is_found(project):
    path = write(
        project,
        '"""A module."""\n\n'
        "from __future__ import annotations\n\n"
        "import json\n"
        "import pipeline.core.ids as ids, schemas\n"
        "from pipeline.core.io import (\n"
        "    write_json,  # keeps the bytes (see io)\n"
        "    atomic_open,\n"
        ")\n"
        "from . import rules\n"
        "from .rules import \\\n    TABLE\n"
        "from .. import other\n\n\n"
        "def later():\n"
        "    from pipeline.events.kb import lookup\n\n"
        "    return lookup\n",
    )
    found = imported_modules(path)
    assert found == parsed_imports(path)
    assert {
        "pipeline.core.ids",
        "schemas",
        "pipeline.core.io.write_json",
        "pipeline.core.io.atomic_open",
        "pipeline.stage.rules",
        "pipeline.stage.rules.TABLE",
        "pipeline.other",
        "pipeline.events.kb.lookup",
    } <= found


def test_prose_that_looks_like_an_import_falls_back_to_a_full_parse(project):
    """A docstring line that begins "import" but is no statement must not hide real imports."""
    path = write(
        project,
        '"""Reads every file.\n\nimport the tables first, then\nfrom here import nothing.\n"""\n\n'
        "from pipeline.core.ids import make_id\n",
    )
    assert imported_modules(path) == {"pipeline.core.ids", "pipeline.core.ids.make_id"}


def test_the_scan_agrees_with_a_full_parse_on_every_project_file():
    """The project's own files: the scan finds what parsing finds, no fewer modules.

    A docstring that shows a usable import (`from pipeline.load import load`) is the one
    thing the scan may add.
    """
    for path in sorted([*PROJECT.glob("pipeline/**/*.py"), *PROJECT.glob("schemas/**/*.py")]):
        scanned, parsed = imported_modules(path), parsed_imports(path)
        assert parsed <= scanned, path
        assert scanned - parsed <= {"pipeline.load", "pipeline.load.load"}, path


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ('"""A package."""\n', True),
        ('"""A package.\n\nWith a paragraph.\n"""\n\n# a comment\n', True),
        ("", True),
        ('"""A module."""\n\nVALUE = 1\n', False),
        ('"""A module."""\nfrom __future__ import annotations\n', False),
        ("'''Quoted otherwise.'''\n", True),
        ("# only a comment\nx = 1\n", False),
    ],
)
def test_docstring_only(project, text, only):
    assert docstring_only(write(project, text, "__init__.py")) is only
