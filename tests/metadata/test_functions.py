"""Functions stay short enough to read in one go: a long one says why in its docstring."""

from __future__ import annotations

import ast
import re

import pytest

from pipeline.core.codedeps import PROJECT

MAX_LINES = 40
"""Lines of a function's body, its docstring left out."""

REASON = re.compile(r"\b(long|in one piece) because\b", re.IGNORECASE)
"""How a long function's docstring gives its reason ("It is long because ...")."""


def long_functions() -> list[tuple[str, int, str | None]]:
    """Every function of pipeline/ and schemas/ over the limit: where, its length, its docstring."""
    found = []
    for folder in ("pipeline", "schemas"):
        for path in sorted((PROJECT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_bytes())):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                doc = ast.get_docstring(node)
                first = node.body[1 if doc and len(node.body) > 1 else 0]
                length = node.end_lineno - first.lineno + 1
                if length > MAX_LINES:
                    where = f"{path.relative_to(PROJECT)}:{node.lineno} {node.name}"
                    found.append((where, length, doc))
    return found


@pytest.mark.parametrize(("where", "length", "doc"), long_functions())
def test_a_long_function_says_why(where, length, doc):
    assert doc and REASON.search(doc), f"{where}: {length} lines; split it or say why it is long"
