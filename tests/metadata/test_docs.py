"""The documentation says what the code does.

Lists in the docs that repeat the code (reject reasons, repairs, tables, params, modules) are
checked against the code; the quality figures against `metrics/*.json`; every link resolves;
the README stays a front page that links every page and shows the command CI runs.
A checked list sits between `<!-- begin: NAME ... -->` and `<!-- end: NAME -->`.
"""

from __future__ import annotations

import ast
import json
import re
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
import yaml

from pipeline.core.config import Params
from schemas import SCHEMA_VERSION, TABLES
from schemas.fields import REJECT_REASONS

PROJECT = Path(__file__).resolve().parents[2]
README = PROJECT / "README.md"
DOCS = sorted((PROJECT / "docs").glob("*.md"))
BENCHMARKS = PROJECT / "benchmarks" / "README.md"
PAGES = [README, *DOCS, BENCHMARKS]
DOCS_PAGE = {page.stem: page for page in DOCS}
README_LIMIT = 12_288
"""Bytes: the README is a front page; depth goes to docs/."""


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def block(path: Path, name: str) -> str:
    """The text between `<!-- begin: name ... -->` and `<!-- end: name -->` in a page."""
    match = re.search(
        rf"<!-- begin: {re.escape(name)}\b.*?-->\n(.*?)<!-- end: {re.escape(name)} -->",
        text_of(path),
        re.DOTALL,
    )
    assert match, f"{path.name}: no block '{name}' (<!-- begin: {name} --> ... <!-- end -->)"
    return match.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the Markdown tables in `text`, as lists of stripped cells."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|") or re.fullmatch(r"[|\s:-]+", line):
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        rows.append(cells)
    return [row for row in rows if row and row[0].startswith("`")]  # header rows are plain


def code_name(cell: str) -> str:
    """The first `code span` of a cell or a list item."""
    match = re.search(r"`([^`]+)`", cell)
    assert match, f"no `name` in {cell!r}"
    return match.group(1)


def listed_names(text: str) -> list[str]:
    """The name of each top-level list item that starts with a `code span`."""
    return [code_name(line) for line in text.splitlines() if line.startswith("- `")]


def without_code(text: str) -> str:
    """The page without its fenced code blocks (no links or headings are read from them)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)


# --- the README is a front page -------------------------------------------------------------


def test_readme_is_at_most_12_kib():
    size = len(README.read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes; move depth to docs/"


def test_readme_shows_the_test_command_ci_runs_and_the_build_command_beside_it():
    ci = [line for line in text_of(PROJECT / ".ci" / "run").splitlines() if "pytest" in line]
    assert len(ci) == 1, ".ci/run should have one command that runs pytest"
    test_command = ci[0].strip()
    commands = [
        line.strip()
        for line in re.findall(r"^```bash\n(.*?)^```", text_of(README), re.DOTALL | re.MULTILINE)
    ]
    assert test_command in commands, f"README.md lacks CI's command:\n{test_command}"
    build = test_command.replace("python -m pytest", "dvc repro")
    assert build in commands, f"README.md lacks the build command:\n{build}"


def test_the_readmes_first_screen_gives_the_three_steps_and_the_test_times():
    first_screen = "\n".join(text_of(README).splitlines()[:45])
    for needed in ("chronicle add", "dvc repro", "chronicle summary", "minutes", "about 40 s"):
        assert needed in first_screen, f"README.md's first 45 lines lack {needed!r}"
    assert 'python -m pytest -m "not slow"' in first_screen


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_release_examples_name_the_datasets_version(page):
    # A release is tagged with the contract's version; an example with another one misleads.
    named = re.findall(r"(?:chronicle@v|--rev v)(\d+\.\d+\.\d+)", text_of(page))
    assert set(named) <= {SCHEMA_VERSION}, f"{page.name} names versions {sorted(set(named))}"


def test_dvc_plots_leaves_nothing_for_git_to_track():
    # `dvc plots show` writes dvc_plots/ in the project folder.
    assert "/dvc_plots/" in text_of(PROJECT / ".gitignore").splitlines()


def test_every_docs_page_is_linked_from_the_readme():
    linked = {target for _, target in links(README)}
    missing = [page.name for page in DOCS if page.resolve() not in linked]
    assert DOCS and not missing, f"README.md links no {missing}"
    assert BENCHMARKS.resolve() in linked, "README.md does not link benchmarks/README.md"


# --- links ----------------------------------------------------------------------------------


def links(page: Path) -> list[tuple[str, Path]]:
    """(link as written, file it points to) for every relative link of a page."""
    found = []
    for target in re.findall(r"\]\(([^)\s]+)\)", without_code(text_of(page))):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        path = target.split("#")[0]
        found.append((target, (page.parent / path).resolve() if path else page.resolve()))
    return found


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a Markdown page (repeated headings get -1, -2...)."""
    seen: dict[str, int] = {}
    result = set()
    for heading in re.findall(r"^#+ (.+)$", without_code(text_of(page)), re.MULTILINE):
        base = slug(heading)
        result.add(f"{base}-{seen[base]}" if base in seen else base)
        seen[base] = seen.get(base, 0) + 1
    return result


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_every_relative_link_points_to_an_existing_file_and_heading(page):
    broken = []
    for written, target in links(page):
        anchor = written.partition("#")[2]
        if not target.exists():
            broken.append(f"{written}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target):
            broken.append(f"{written}: no heading #{anchor} in {target.name}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


# --- lists that repeat the code -------------------------------------------------------------


def test_the_reject_reasons_are_the_schemas():
    documented = [
        code_name(row[0]) for row in table_rows(block(DOCS_PAGE["reliability"], "reject reasons"))
    ]
    assert sorted(documented) == sorted(REJECT_REASONS), "docs/reliability.md reject reasons"
    assert len(documented) == len(set(documented))


def repair_names() -> set[str]:
    """Every repair name the ingest code counts: `out.count("name", n)`, `out.example("name",
    ...)`, and the repairs decoding reports (`Decoded(..., {"name": n})`)."""
    names: set[str] = set()
    for source in sorted((PROJECT / "pipeline" / "ingest").glob("*.py")):
        for node in ast.walk(ast.parse(source.read_bytes())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("count", "example")
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(node.args[0].value)
            if isinstance(func, ast.Name) and func.id == "Decoded":
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    if isinstance(arg, ast.Dict):
                        names |= {k.value for k in arg.keys if isinstance(k, ast.Constant)}
    return names


def test_the_repairs_are_the_ones_ingest_counts():
    code = repair_names()
    assert len(code) >= 9, f"found too few repair names in pipeline/ingest: {sorted(code)}"
    documented = listed_names(block(DOCS_PAGE["reliability"], "repairs"))
    assert sorted(documented) == sorted(code), "docs/reliability.md repairs"


def test_the_readme_lists_the_published_tables():
    documented = [code_name(row[0]) for row in table_rows(block(README, "tables"))]
    assert documented == list(TABLES), "README.md tables, in schemas.TABLES order"


def test_the_table_owners_are_the_schemas_stages():
    rows = table_rows(block(DOCS_PAGE["architecture"], "table owners"))
    documented = {code_name(row[0]): row[1].split()[0] for row in rows}
    assert documented == {name: table.stage for name, table in TABLES.items()}


def test_the_manifest_columns_are_the_ones_ingest_reads():
    from pipeline.ingest.manifest import MANIFEST_COLUMNS

    documented = [code_name(row[0]) for row in table_rows(block(README, "manifest columns"))]
    assert documented == list(MANIFEST_COLUMNS), "README.md manifest columns"


def config_keys(cls: type = Params, prefix: str = "") -> set[str]:
    """`section.key` for every field of the typed params (nested dataclasses followed)."""
    keys: set[str] = set()
    hints = typing.get_type_hints(cls)
    for field in fields(cls):
        name = f"{prefix}{field.name}"
        if is_dataclass(hints[field.name]):
            keys |= config_keys(hints[field.name], f"{name}.")
        else:
            keys.add(name)
    return keys


def test_configuration_documents_every_params_key():
    params = yaml.safe_load(text_of(PROJECT / "params.yaml"))
    in_yaml = {f"{section}.{key}" for section, values in params.items() for key in values}
    documented = [code_name(row[0]) for row in table_rows(text_of(DOCS_PAGE["configuration"]))]
    assert len(documented) == len(set(documented)), "a key is documented twice"
    assert set(documented) == in_yaml, "docs/configuration.md keys against params.yaml"
    assert set(documented) == config_keys(), "docs/configuration.md keys against config.py"


def layout_paths() -> list[str]:
    """The paths of the layout tree in docs/architecture.md (two spaces of indent a level)."""
    tree = block(DOCS_PAGE["architecture"], "layout")
    stack: list[str] = []
    paths = []
    for line in tree.splitlines():
        if not line.strip() or line.startswith("```"):
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        name = line.split()[0]
        stack[depth:] = [name]
        paths.append("".join(stack))
    return paths


def test_the_layout_lists_every_package_and_module():
    listed = layout_paths()
    missing_on_disk = [p for p in listed if not (PROJECT / p).exists()]
    assert not missing_on_disk, f"docs/architecture.md lists what does not exist: {missing_on_disk}"
    on_disk = {
        str(path.relative_to(PROJECT)) + ("/" if path.is_dir() else "")
        for top in ("pipeline", "schemas")
        for path in [PROJECT / top, *(PROJECT / top).rglob("*")]
        if "__pycache__" not in path.parts
        and (
            (path.is_dir() and (path / "__init__.py").exists())
            or (path.suffix == ".py" and path.name not in ("__init__.py", "__main__.py"))
        )
    }
    unlisted = sorted(on_disk - set(listed))
    assert not unlisted, f"docs/architecture.md layout lacks a line for {unlisted}"


def test_the_benchmarks_readme_covers_every_script_and_result():
    text = text_of(BENCHMARKS)
    scripts = {p.name for p in (PROJECT / "benchmarks").glob("*.py") if p.name != "__init__.py"}
    sections = set(re.findall(r"^## (\w+\.py)$", text, re.MULTILINE))
    assert sections == scripts, "benchmarks/README.md: one section per script"
    results = [p.name for p in (PROJECT / "benchmarks" / "results").glob("*.json")]
    unnamed = [name for name in results if name not in text]
    assert not unnamed, f"benchmarks/README.md does not name {unnamed}"


# --- the quality figures are the metrics ----------------------------------------------------

TEMPEVAL = ("strict.p", "strict.r", "strict.f1", "relaxed.p", "relaxed.r", "relaxed.f1")
TEMPEVAL += ("type_accuracy", "value_accuracy", "value_f1")
NER = ("p", "r", "f1", *(f"per_type.{t}.f1" for t in ("PER", "ORG", "LOC", "MISC")))
DATING = ("recall", "precision", "f1")
TYPES = ("all.accuracy", "dev.accuracy", "test.accuracy")
NARRATIVE = ("strict.p", "strict.r", "strict.f1", "relaxed.p", "relaxed.r", "relaxed.f1")
NARRATIVE += ("value_accuracy", "extent_value.p", "extent_value.r", "extent_value.f1")


def under(prefix: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{prefix}.{key}" if prefix else key for key in keys)


B = "baseline_spacy"
C = "chronicle"
VERB = "baseline_nearest_verb"
FIGURES: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    # (page, block): {a text unique to the row: (metrics file, the row's figures in order)}
    ("README", "headline quality"): {
        "| temporal": ("tempeval-platinum", "value_f1", f"{B}.value_f1"),
        "WikiGold": ("ner-wikigold", f"{C}.f1", f"{B}.f1"),
        "CoNLL": ("ner-conll2003", f"{C}.f1", f"{B}.f1"),
        "| dates in history": (
            "narrative-wikiwars-dev",
            "extent_value.f1",
            f"{B}.extent_value.f1",
        ),
        "| event dating": ("event-dating-platinum", f"{C}.f1", f"{VERB}.f1"),
        "| event types": ("event-types", f"{C}.all.accuracy", "baseline_bare_verbs.all.accuracy"),
    },
    ("quality", "tempeval"): {
        "99 timexes": ("tempeval-platinum", *TEMPEVAL),
        "| platinum | spaCy": ("tempeval-platinum", *under(B, TEMPEVAL)),
        "1,822 timexes": ("tempeval-train", *TEMPEVAL),
        "| train | spaCy": ("tempeval-train", *under(B, TEMPEVAL)),
    },
    ("quality", "narrative"): {
        "1,288 timexes": ("narrative-wikiwars-dev", *NARRATIVE),
        "| WikiWars dev | spaCy": ("narrative-wikiwars-dev", *under(B, NARRATIVE)),
    },
    ("quality", "ner"): {
        "3,558 entities": ("ner-wikigold", *under(B, NER)),
        "| WikiGold | **Chronicle": ("ner-wikigold", *under(C, NER)),
        "5,648 entities": ("ner-conll2003", *under(B, NER)),
        "| CoNLL-2003 test | **Chronicle": ("ner-conll2003", *under(C, NER)),
    },
    ("quality", "event dating"): {
        "66 gold pairs": ("event-dating-platinum", *under(VERB, DATING)),
        "| platinum | **Chronicle": ("event-dating-platinum", *under(C, DATING)),
        "1,854 gold pairs": ("event-dating-train", *under(VERB, DATING)),
        "| train | **Chronicle": ("event-dating-train", *under(C, DATING)),
    },
    ("quality", "event dating per basis"): {
        "| platinum | explicit": ("event-dating-platinum", *under("per_basis.explicit", DATING)),
        "| platinum | document": ("event-dating-platinum", *under("per_basis.document", DATING)),
        "| train | explicit": ("event-dating-train", *under("per_basis.explicit", DATING)),
        "| train | document": ("event-dating-train", *under("per_basis.document", DATING)),
    },
    ("quality", "event types"): {
        "majority type": ("event-types", *under("baseline_majority", TYPES)),
        "PETRARCH-2": ("event-types", *under("baseline_bare_verbs", TYPES)),
        "Chronicle lexicon": ("event-types", *under(C, TYPES)),
    },
}
"""Every 0.xyz figure of these rows, in order, against the metrics files the scorers wrote."""
CASES = [
    (page, name, row, spec[0], spec[1:])
    for (page, name), rows in FIGURES.items()
    for row, spec in rows.items()
]


def metric(name: str, key: str) -> float:
    value = json.loads(text_of(PROJECT / "metrics" / f"{name}.json"))
    for part in key.split("."):
        value = value[part]
    return value


@pytest.mark.parametrize(("page", "name", "row", "metrics", "keys"), CASES)
def test_the_quality_figures_are_the_metrics(page, name, row, metrics, keys):
    path = README if page == "README" else DOCS_PAGE[page]
    lines = [line for line in block(path, name).splitlines() if row in line]
    assert len(lines) == 1, f"{path.name} '{name}': {len(lines)} rows match {row!r}"
    shown = [float(x) for x in re.findall(r"\b\d\.\d{3}\b", lines[0])]
    expected = [metric(metrics, key) for key in keys]
    assert len(shown) == len(expected), f"{path.name}: {lines[0]}"
    wrong = [
        (s, round(e, 4)) for s, e in zip(shown, expected, strict=True) if abs(s - e) > 5e-4 + 1e-9
    ]
    assert not wrong, f"{path.name} row {row!r} says/should say {wrong} (metrics/{metrics}.json)"


# --- no internal history --------------------------------------------------------------------

HISTORY = [
    r"\bstop \d+",
    r"\bruns? [A-F]\b",
    r"\b[Ss]ession\b",
    r"\b[Ii]ssue \d+",
    r"\b(before|after) this (work|change)",
    r"\bprevious version\b",
]
"""How the work went is for CHANGELOG.md and git; the docs state what is, with the code version
and date each measurement was made on."""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(PROJECT)))
def test_the_docs_tell_no_internal_history(page):
    text = text_of(page)
    found = [m.group(0) for pattern in HISTORY for m in re.finditer(pattern, text)]
    assert not found, f"{page.name}: {found}"
