"""Each controlled vocabulary is defined once, in `schemas.vocabularies`, and imported elsewhere.

A module that restates one as a literal, ("news", "narrative") say, goes stale unseen when a
value is added or renamed: the schema then accepts values the code never makes, or the code
makes values the schema refuses. A selection of three or more values is a restatement too;
write it as `subset(VOCABULARY, ...)`, which checks its values when the module is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.core.codedeps import PROJECT
from schemas import TABLES, fields, vocabularies
from schemas.vocabularies import subset

VOCABULARIES: dict[str, tuple[str, ...]] = {
    name: value
    for name, value in vars(vocabularies).items()
    if name.isupper() and isinstance(value, tuple)
}

Restatement = tuple[str, str, str]
"""(module path, vocabulary name, "all" or the values restated, sorted)."""

ALLOWED: set[Restatement] = set()
"""Restatements let stand, each with a reason; none today."""


def literal_strings(node: ast.AST) -> frozenset[str] | None:
    """The strings of a tuple, list or set written as constants (None may stand among them)."""
    if not isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return None
    if not all(isinstance(e, ast.Constant) for e in node.elts):
        return None
    return frozenset(e.value for e in node.elts if isinstance(e.value, str))  # type: ignore[attr-defined]


def restates(strings: frozenset[str], vocabulary: tuple[str, ...]) -> bool:
    """All of a vocabulary, or three or more of its values (a pair is too common to tell)."""
    return len(strings) >= 2 and (
        strings == set(vocabulary) or (len(strings) >= 3 and strings < set(vocabulary))
    )


def restatements(path: Path) -> dict[Restatement, int]:
    """The literal restatements of a vocabulary in one module, with their line numbers."""
    found: dict[Restatement, int] = {}
    module = path.relative_to(PROJECT).as_posix()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        strings = literal_strings(node)
        if not strings:
            continue
        for name, vocabulary in VOCABULARIES.items():
            if restates(strings, vocabulary):
                values = "all" if strings == set(vocabulary) else " ".join(sorted(strings))
                found.setdefault((module, name, values), node.lineno)  # type: ignore[attr-defined]
    return found


FOUND: dict[Restatement, int] = {
    key: line
    for path in sorted((PROJECT / "pipeline").rglob("*.py"))
    for key, line in restatements(path).items()
}


def test_no_module_in_pipeline_restates_a_vocabulary():
    new = sorted(f"{m}:{FOUND[(m, n, v)]}: {v} restates {n}" for m, n, v in set(FOUND) - ALLOWED)
    assert new == [], "import these from schemas.vocabularies (or use subset()):\n" + "\n".join(new)


def test_the_allow_list_holds_only_restatements_still_there():
    gone = sorted(ALLOWED - set(FOUND))
    assert gone == [], f"fixed: remove from ALLOWED {gone}"


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('MODES = ("news", "narrative")', True),
        ('if mode not in (None, "narrative", "news"): pass', True),
        ('PLACES = frozenset({"GPE", "LOC", "FAC"})', True),
        ('TIMES = ["DATE", "TIME", "DURATION"]', True),
        ('SPACY_TIMES = ("DATE", "TIME")', False),  # two of four: too common to tell
        ('WORDS = ("news", "views")', False),
        ('PLACES = subset(ENTITY_LABELS, "GPE", "LOC", "FAC")', False),
    ],
)
def test_the_scan_finds_literals_not_imports(source, found):
    hits = [
        name
        for node in ast.walk(ast.parse(source))
        if (strings := literal_strings(node))
        for name, vocabulary in VOCABULARIES.items()
        if restates(strings, vocabulary)
    ]
    assert bool(hits) == found, hits


def test_every_category_column_takes_a_whole_vocabulary_and_each_vocabulary_is_used():
    used: set[str] = set()
    for table in TABLES.values():
        for column_name, column in table.schema.columns.items():
            for check in column.checks:
                allowed = (check.statistics or {}).get("allowed_values")
                if allowed is None:
                    continue
                names = [n for n, v in VOCABULARIES.items() if list(v) == list(allowed)]
                assert names, f"{table.name}.{column_name}: {allowed} is no vocabulary"
                used.update(names)
    assert sorted(set(VOCABULARIES) - used) == []


def test_fields_re_exports_each_vocabulary_itself():
    assert {name: getattr(fields, name) for name in VOCABULARIES} == VOCABULARIES
    assert all(getattr(fields, name) is value for name, value in VOCABULARIES.items())


def test_a_vocabulary_lists_each_value_once():
    assert {name: len(set(v)) for name, v in VOCABULARIES.items()} == {
        name: len(v) for name, v in VOCABULARIES.items()
    }


def test_subset_checks_its_values_against_the_vocabulary():
    assert subset(vocabularies.TIMEX_TYPES, "DATE", "TIME") == ("DATE", "TIME")
    with pytest.raises(ValueError, match=r"\['DAY'\] not in the vocabulary"):
        subset(vocabularies.TIMEX_TYPES, "DATE", "DAY")
