"""Functions stay short enough to read in one go: a long one says why in its docstring."""

from __future__ import annotations

import ast
import re

from pipeline.core.codedeps import PROJECT

MAX_LINES = 40
"""Lines of a function's body, its docstring left out."""

REASON = re.compile(r"\b(long|in one piece) because\b", re.IGNORECASE)
"""How a long function's docstring gives its reason ("It is long because ...")."""


def scan(source: str | bytes, where: str) -> list[tuple[str, int, str | None]]:
    """The functions of one module over the limit: where, body length, docstring."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        doc = ast.get_docstring(node)
        first = node.body[1 if doc and len(node.body) > 1 else 0]
        length = node.end_lineno - first.lineno + 1
        if length > MAX_LINES:
            found.append((f"{where}:{node.lineno} {node.name}", length, doc))
    return found


def long_functions() -> list[tuple[str, int, str | None]]:
    """Every function of pipeline/ and schemas/ over the limit."""
    return [
        found
        for folder in ("pipeline", "schemas")
        for path in sorted((PROJECT / folder).rglob("*.py"))
        for found in scan(path.read_bytes(), str(path.relative_to(PROJECT)))
    ]


def test_a_long_function_says_why():
    unexplained = [
        f"{where}: {length} lines"
        for where, length, doc in long_functions()
        if not (doc and REASON.search(doc))
    ]
    assert unexplained == [], "split these or say in the docstring why each is long"


def test_the_scan_measures_a_body_without_its_docstring(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES + 1))
    source = f'def f():\n    """Doc."""\n{body}\n'
    assert [length for _, length, _ in scan(source, "f.py")] == [MAX_LINES + 1]
    short = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    assert scan(f'def g():\n    """Doc."""\n{short}\n', "g.py") == []
