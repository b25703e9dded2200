"""A stage's code: the project files its module runs, found by following its imports.

This is the one source of a stage's code dependencies. `dvc.yaml` lists them so that DVC
re-runs a stage when its code changes, and each per-document cache stamps its entries with a
digest of the same files, so that a change to a shared module (the id hashing, say) also
invalidates the cached results, not only the stage. A test checks that `dvc.yaml` lists
exactly what this module computes (`python -m pipeline.core.codedeps` prints it).

Rules:
- every import is followed, module level or inside a function, of `pipeline` and `schemas`;
- `schemas` counts as one folder: its models are imported by name at run time;
- a package's data folders (a sub-folder without `__init__.py`, such as `lexicons/`) belong to
  every module of that package, since its modules read them by path.
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
FIRST_PARTY = ("pipeline", "schemas")
WHOLE_PACKAGES = ("schemas",)
"""Packages depended on as a whole folder."""


IMPORT_STATEMENT = re.compile(
    rb"^[ \t]*(?:from[ \t]+[.\w]+[ \t]+import[ \t]*(?:\([^)]*\)|(?:[^\n]*\\\n)*[^\n]*)"
    rb"|import[ \t]+(?:[^\n]*\\\n)*[^\n]*)",
    re.MULTILINE,
)
"""A line (with its continuation lines or parenthesised names) that reads as an import."""


@functools.cache
def _tree(source: Path) -> ast.Module:
    """A file's syntax tree, parsed once: a stage's version asks for most files twice."""
    return ast.parse(source.read_bytes(), str(source))


def _import_nodes(source: Path) -> list[ast.AST]:
    """The import statements of a file, found without parsing all of it.

    Every stage run computes its version from its code's imports, and parsing the whole of
    every file it imports cost a tenth of a second or more per stage. Only the lines that
    read as imports are parsed. A line that reads as one and is not (prose in a docstring that
    fails to parse, an import comment holding a parenthesis) makes the whole file parsed, as
    before; one that reads as one and parses, in a string, is followed too, which at worst
    makes a stage depend on a file it does not run. Formatted code (`ruff format`) never puts
    an import after another statement on the same line.
    """
    nodes: list[ast.AST] = []
    for match in IMPORT_STATEMENT.finditer(source.read_bytes()):
        try:
            nodes.extend(ast.parse(match[0].strip()).body)
        except SyntaxError:
            return list(ast.walk(_tree(source)))
    return nodes


def imported_modules(source: Path) -> set[str]:
    """Dotted names of the first-party modules (or names within them) `source` imports."""
    found: set[str] = set()
    package = ".".join(source.relative_to(PROJECT).with_suffix("").parts[:-1])
    for node in _import_nodes(source):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's package up
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in FIRST_PARTY}


@functools.cache
def _file_of(module: str) -> Path | None:
    """The file that defines `module` (a module or a package's `__init__.py`), if any."""
    path = PROJECT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _parents(module: str) -> list[str]:
    """The packages that importing `module` runs first: "a.b.c" -> ["a", "a.b"]."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@functools.cache
def module_files(module: str) -> tuple[Path, ...]:
    """Every project file that importing `module` runs: itself, its packages, what they import."""
    seen: set[Path] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        for candidate in (*_parents(name), name):
            source = _file_of(candidate)
            if source is not None and source not in seen:
                seen.add(source)
                todo.extend(imported_modules(source))
    return tuple(sorted(seen))


def data_folders(files: tuple[Path, ...]) -> list[Path]:
    """The data folders of the packages those files belong to."""
    packages = {f.parent for f in files}
    return sorted(
        d
        for p in packages
        for d in p.iterdir()
        if d.is_dir() and not (d / "__init__.py").exists() and d.name != "__pycache__"
    )


def entry_module(module: str) -> str:
    """What `python -m module` runs: a package's `__main__`, or the module itself."""
    source = _file_of(module)
    is_package = source is not None and source.name == "__init__.py"
    if is_package and (source.parent / "__main__.py").is_file():
        return f"{module}.__main__"
    return module


def docstring_only(source: Path) -> bool:
    """Whether a file holds nothing but its docstring (a package's `__init__.py`, mostly).

    A file that opens with a plain triple-quoted docstring is settled by what follows its
    closing quotes, without parsing the file; any other is parsed.
    """
    text = source.read_text(encoding="utf-8").strip()
    end = text.find('"""', 3) if text.startswith('"""') else -1
    if end != -1:
        rest = text[end + 3 :].splitlines()
        return all(not line.strip() or line.lstrip().startswith("#") for line in rest)
    body = _tree(source).body
    return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in body)


@functools.cache
def code_deps(module: str) -> tuple[str, ...]:
    """What `python -m module` depends on, as paths relative to the project (as dvc.yaml has them).

    Files that hold only a docstring (most `__init__.py`) change no output and are left out,
    which keeps dvc.yaml short.
    """
    files = module_files(entry_module(module))
    deps: set[str] = set()
    for path in (*files, *data_folders(files)):
        relative = path.relative_to(PROJECT)
        if relative.parts[0] in WHOLE_PACKAGES:
            deps.add(relative.parts[0])
        elif path.is_dir() or not docstring_only(path):
            deps.add(relative.as_posix())
    return tuple(sorted(_folded(deps)))


def _members(folder: Path) -> set[str]:
    """What `code_deps` would list for a folder's every file: its code and data folders."""
    found = {d.relative_to(PROJECT).as_posix() for d in data_folders(tuple(folder.rglob("*.py")))}
    found.update(
        f.relative_to(PROJECT).as_posix()
        for f in folder.rglob("*.py")
        if not docstring_only(f) and "__pycache__" not in f.parts
    )
    return found


def _folded(deps: set[str]) -> set[str]:
    """Deps with each sub-package whose every file is listed folded into its folder."""
    folders = sorted(
        {str(Path(dep).parent) for dep in deps if dep.count("/") >= 2},
        key=lambda name: name.count("/"),
    )
    for folder in folders:
        members = _members(PROJECT / folder)
        if folder in deps or not members or not members <= deps:
            continue
        deps = (deps - members) | {folder}
    return deps


def code_paths(module: str) -> list[Path]:
    """The same dependencies as absolute paths, for a cache's version (`cache.version_of`)."""
    return [PROJECT / dep for dep in code_deps(module)]


def is_code(dep: str) -> bool:
    """Whether a dvc.yaml dependency is project code (and so comes from `code_deps`)."""
    return dep.split("/")[0] in FIRST_PARTY


def stage_module(cmd: str) -> str | None:
    """The module a stage's command runs (`python -m MODULE ...`), if it runs one of ours."""
    words = cmd.split()
    for before, word in itertools.pairwise(words):
        if before == "-m" and word.split(".")[0] in FIRST_PARTY:
            return word
    return None


def synced_dvc_yaml(text: str) -> str:
    """`dvc.yaml` with each stage's code dependencies replaced by `code_deps` of its module.

    Works line by line, so comments and every other dependency stay as they are: the code
    lines of a `deps:` list are dropped, and the computed ones written where the first was.
    """
    out: list[str] = []
    module = None
    in_deps = False
    written = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("cmd:"):
            module = stage_module(stripped)
        if stripped == "deps:":
            in_deps, written, indent = True, False, len(line) - len(line.lstrip()) + 2
            out.append(line)
            continue
        if in_deps and not stripped.startswith("- ") and not stripped.startswith("#"):
            in_deps = False
        if in_deps and stripped.startswith("- ") and is_code(stripped[2:].split()[0]) and module:
            if not written:
                out.extend(f"{' ' * indent}- {dep}" for dep in code_deps(module))
                written = True
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    """Bring dvc.yaml's code deps up to date (`--write`), check them (`--check`) or print them.

    Module names as arguments print their code dependencies.
    """
    dvc_yaml = PROJECT / "dvc.yaml"
    if argv in (["--write"], ["--check"]):
        text = dvc_yaml.read_text()
        synced = synced_dvc_yaml(text)
        if argv == ["--write"]:
            dvc_yaml.write_text(synced)
            return 0
        if synced != text:
            print("dvc.yaml: code deps out of date; run `python -m pipeline.core.codedeps --write`")
            return 1
        return 0
    for module in argv:
        print(f"{module}:", *(f"  - {dep}" for dep in code_deps(module)), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
