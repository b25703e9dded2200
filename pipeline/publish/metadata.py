"""Documentation generated from the schemas: data dictionary, Data Package, Croissant, card.

Nothing here is written by hand per column: every description, type and constraint comes from
the pandera models in `schemas/`, so the documentation cannot drift from the data. The prose
that is not about a column (what the dataset is, its limitations) is kept here, in one place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandera.pandas as pa

from pipeline.core.config import Params
from pipeline.core.release import allowed_values, csv_path, parquet_path
from pipeline.publish.summary import Summary
from schemas import SCHEMA_VERSION, TABLES, Table, columns, is_categorical, logical_type

FRICTIONLESS_TYPES = {
    "str": "string",
    "int64": "integer",
    "float64": "number",
    "bool": "boolean",
    "date": "date",
    "list<string>": "array",
}

CROISSANT_TYPES = {
    "str": "sc:Text",
    "int64": "sc:Integer",
    "float64": "sc:Float",
    "bool": "sc:Boolean",
    "date": "sc:Date",
    "list<string>": "sc:Text",
}

DATASET_NAME = "chronicle"
DATASET_TITLE = "Chronicle: entities and dated events extracted from text"
DATASET_DESCRIPTION = (
    "Documents, named-entity mentions, canonical entities, temporal expressions normalised to "
    "TimeML, and dated events with their participants, extracted from the texts in raw/ by the "
    "Chronicle pipeline. Every span carries character offsets into its document's text."
)
DATASET_VERSION = SCHEMA_VERSION
"""The dataset's semver is its contract's: it bumps when a table or column changes (see
CHANGELOG.md). A release of new data under the same contract is told apart by its git commit
and by the sha256 of each file, listed in datapackage.json and croissant.json."""

LICENCE = {
    "name": "ODC-BY-1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
    "title": "Open Data Commons Attribution License 1.0",
}
KEYWORDS = (
    "events",
    "named entities",
    "temporal expressions",
    "TimeML",
    "timeline",
    "information extraction",
    "spaCy",
)

PARQUET_MEDIA_TYPE = "application/x-parquet"
"""The Parquet media type Croissant (mlcroissant) recognises."""

CSV_SAFETY_NOTE = (
    "In the CSV copies, a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage "
    "return is written with a leading single quote (`'`), so that spreadsheet programs show it "
    "as text instead of running it as a formula (OWASP: CSV injection). So is a cell that "
    "already begins with quotes followed by one of those characters, which makes the change "
    "reversible: to get the exact value back, drop the first `'` of a cell that begins with "
    "`'` when the characters after its leading quotes begin with one of them "
    '(`pipeline.load.load(..., format="csv")` does this). The Parquet files hold the exact '
    "values and are not changed."
)

LIMITATIONS = (
    "English only: the spaCy model and the temporal rules are English.",
    "Entities, dates and events are extracted automatically and are not checked by a person: "
    "the model misses or mislabels some names, and the event rules miss events whose date is "
    "far from their verb in the parse.",
    "Entity merging is within this corpus only: entities are not linked to Wikidata or any "
    "other knowledge base, and two different people with the same full name are one entity.",
    "Pronouns resolve to the most recent person within a few sentences (params "
    "`events.pronoun_window`); this heuristic is wrong for some pronouns.",
    'Relative dates ("two years later") resolve against the publication date (news mode) or '
    "the story's most recent absolute date (narrative mode), as set per document; a wrong mode "
    "gives wrong dates.",
    "CSV cells that start like a formula are prefixed with a quote (see below); use the "
    "Parquet files for exact text.",
)


# --- provenance -----------------------------------------------------------------------------

PROVENANCE_EXCLUDED = ("paths", "evaluate", "validate", "engine")
"""Params sections that do not shape the published data (where files go, gold data, checks,
and where parsing runs: a Dask run publishes the same bytes as a local one)."""


@dataclass(frozen=True)
class Provenance:
    """How the dataset was made: pipeline, contract, model, params and the git commit."""

    pipeline_version: str
    schema_version: str
    models: tuple[str, ...]
    params: dict[str, Any]
    git_commit: str | None = None
    git_dirty: bool = False
    commit_date: str | None = None

    @property
    def year(self) -> str | None:
        """Year of the commit, for citations."""
        return self.commit_date[:4] if self.commit_date else None


def pipeline_version(pyproject: Path = Path("pyproject.toml")) -> str:
    """The pipeline's version: [project] version in pyproject.toml, else the installed one."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: fall back on the installed package's metadata
        tomllib = None  # type: ignore[assignment]
    if tomllib is not None and pyproject.exists():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if "version" in project:
            return str(project["version"])
    try:
        return version("chronicle")
    except PackageNotFoundError:
        return "unknown"


def _git(*args: str) -> str | None:
    """Output of a git command in the working directory, or None without git or a repo."""
    try:
        result = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip()


def git_state(watched: tuple[str, ...]) -> tuple[str | None, bool, str | None]:
    """(commit, dirty, commit date) of the sources; (None, False, None) without git.

    The commit is the last one that changed a `watched` path (code, params, raw inputs), not
    HEAD: committing the results (dvc.lock, metrics.json) afterwards does not change it, so a
    fresh clone of that commit rebuilds byte-identical files. Dirty means a watched path
    differs from the checkout, so the data may not be reproducible from the commit alone.
    """
    if not _git("rev-parse", "HEAD"):
        return None, False, None
    found = _git("log", "-1", "--format=%H %cs", "HEAD", "--", *watched)
    if not found:  # nothing watched is committed yet
        found = _git("log", "-1", "--format=%H %cs", "HEAD") or ""
    commit, _, date = found.partition(" ")
    status = _git("status", "--porcelain", "--untracked-files=normal", "--", *watched)
    return commit or None, bool(status), date or None


def provenance_params(params: Params) -> dict[str, Any]:
    """The params sections that shape the published data, as plain JSON values."""
    out = {}
    for section in dataclasses.fields(params):
        if section.name not in PROVENANCE_EXCLUDED:
            values = dataclasses.asdict(getattr(params, section.name))
            out[section.name] = json.loads(json.dumps(values, default=str))
    return out


def gather_provenance(params: Params, models: list[str]) -> Provenance:
    """Provenance of a publish run: read from pyproject, params, the data and git."""
    watched = (
        "pipeline",
        "schemas",
        "params.yaml",
        "dvc.yaml",
        "pyproject.toml",
        "requirements.lock",
        str(params.paths.raw),
    )
    commit, dirty, date = git_state(watched)
    return Provenance(
        pipeline_version(),
        SCHEMA_VERSION,
        tuple(sorted(models)),
        provenance_params(params),
        commit,
        dirty,
        date,
    )


# --- the contract ---------------------------------------------------------------------------


def _pattern(column: pa.Column) -> str | None:
    """The column's regular expression (from `str_matches`), without its anchors."""
    for check in column.checks:
        if check.name == "str_matches":
            return str(check.statistics["pattern"]).removeprefix("^").removesuffix("$")
    return None


def contract_fingerprint() -> str:
    """A short hash of the contract: tables, keys, and each column's name, type and values.

    Descriptions are left out (rewording is not a contract change). CHANGELOG.md records the
    fingerprint of each version, and a test fails when the contract changes without a bump.
    """
    contract = []
    for table in TABLES.values():
        contract.append(
            {
                "table": table.name,
                "primary_key": list(table.primary_key),
                "foreign_keys": [dataclasses.astuple(fk) for fk in table.foreign_keys],
                "columns": [
                    [
                        c.name,
                        logical_type(c),
                        is_categorical(c),
                        c.nullable,
                        allowed_values(c),
                        _pattern(c),
                    ]
                    for c in columns(table)
                ],
            }
        )
    text = json.dumps(contract, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- Frictionless Data Package --------------------------------------------------------------


def field_descriptor(column: pa.Column, unique: bool, fmt: str = "csv") -> dict[str, Any]:
    """A Frictionless Table Schema field for one column, constraints from its checks.

    Frictionless reads a Parquet list column as arrays it does not take for its `array`
    type, so in Parquet resources a list column is typed `any` (its description says so).
    It also reads a null in a Parquet float column as NaN, which fails any range check, so a
    nullable number keeps its range only in the CSV resource.
    """
    constraints: dict[str, Any] = {"required": not column.nullable}
    if unique:
        constraints["unique"] = True
    values = allowed_values(column)
    if values:
        constraints["enum"] = values
    pattern = _pattern(column)
    if pattern:
        constraints["pattern"] = pattern
    nan_for_null = fmt == "parquet" and column.nullable and logical_type(column) == "float64"
    for check in column.checks:
        if check.name == "greater_than_or_equal_to" and not nan_for_null:
            constraints["minimum"] = check.statistics["min_value"]
        elif check.name == "less_than_or_equal_to" and not nan_for_null:
            constraints["maximum"] = check.statistics["max_value"]
        elif check.name == "str_length" and check.statistics.get("min_value") is not None:
            constraints["minLength"] = check.statistics["min_value"]
    descriptor = {
        "name": column.name,
        "type": FRICTIONLESS_TYPES[logical_type(column)],
        "description": column.description or "",
        "constraints": constraints,
    }
    if descriptor["type"] == "array" and fmt == "csv":
        descriptor["description"] += " In CSV: a JSON array."
    elif descriptor["type"] == "array":
        descriptor["type"] = "any"
        descriptor["description"] += " In Parquet: a list<string> column."
    return descriptor


def resource(
    table: Table, fmt: str = "csv", files: dict[str, tuple[int, str]] | None = None
) -> dict[str, Any]:
    """A Frictionless tabular resource for one table, as CSV or as Parquet.

    `files` maps a path (relative to outputs/) to its size and sha256; when given, a CSV
    resource states both so `frictionless validate` checks the file is the one described.
    (Frictionless reads Parquet through pyarrow and cannot count its bytes: the Parquet
    files' sha256 are in croissant.json.)
    """
    suffix = "" if fmt == "csv" else f"-{fmt}"
    schema: dict[str, Any] = {
        "fields": [field_descriptor(c, c.unique, fmt) for c in columns(table)],
        "primaryKey": list(table.primary_key),
    }
    if fmt == "csv":
        schema["missingValues"] = [""]
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": fk.column,
                "reference": {"resource": fk.ref_table + suffix, "fields": fk.ref_column},
            }
            for fk in table.foreign_keys
        ]
    path = csv_path(table.name) if fmt == "csv" else parquet_path(table.name)
    out: dict[str, Any] = {
        "name": table.name + suffix,
        "path": path,
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else PARQUET_MEDIA_TYPE,
        "profile": "tabular-data-resource",
        "description": table.description,
        "schema": schema,
    }
    if fmt == "csv":
        out["encoding"] = "utf-8"
    if fmt == "csv" and files and path in files:
        size, sha256 = files[path]
        out["bytes"] = size
        out["hash"] = f"sha256:{sha256}"
    return out


def datapackage(
    version: str = DATASET_VERSION,
    files: dict[str, tuple[int, str]] | None = None,
    csv: bool = True,
    creator: str = "Chronicle contributors",
    homepage: str = "",
) -> dict[str, Any]:
    """The Frictionless Data Package: each table as a CSV and as a Parquet resource."""
    resources = [resource(t, "csv", files) for t in TABLES.values()] if csv else []
    resources += [resource(t, "parquet", files) for t in TABLES.values()]
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": DATASET_NAME,
        "title": DATASET_TITLE,
        "version": version,
        "description": DATASET_DESCRIPTION + " " + CSV_SAFETY_NOTE,
        "keywords": list(KEYWORDS),
        "licenses": [
            {
                **LICENCE,
                "title": LICENCE["title"] + " (extracted data; source "
                "texts keep their own licences, see the documents table)",
            }
        ],
        "contributors": [{"title": creator, "role": "author"}],
        "sources": [
            {"title": "Input documents: see the documents table (path, source_url, licence)"}
        ],
        "resources": resources,
    }
    if homepage:
        package["homepage"] = homepage
    return package


# --- Croissant 1.0 --------------------------------------------------------------------------

CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
    "equivalentProperty": "cr:equivalentProperty",
    "samplingRate": "cr:samplingRate",
}
"""The JSON-LD context of Croissant 1.0, as the reference implementation (mlcroissant) has it."""


def _croissant_field(table: Table, column: pa.Column) -> dict[str, Any]:
    kind = logical_type(column)
    field: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{table.name}/{column.name}",
        "name": column.name,
        "description": column.description or "",
        "dataType": CROISSANT_TYPES[kind],
        "source": {
            "fileObject": {"@id": parquet_path(table.name)},
            "extract": {"column": column.name},
        },
    }
    if kind == "list<string>":
        field["repeated"] = True
    return field


def croissant(
    provenance: Provenance,
    files: dict[str, tuple[int, str]],
    creator: str = "Chronicle contributors",
    homepage: str = "",
) -> dict[str, Any]:
    """MLCommons Croissant 1.0 metadata for the Parquet files: one record set per table.

    Each record set states its primary key (`key`). Foreign keys are left to
    datapackage.json (and named in each column's description): with Croissant `references`
    on participants.event_id, mlcroissant 1.1 fails to generate the participants records (its
    Join receives a generator), and every record set should load with the reference tool.
    """
    distribution = [
        {
            "@type": "cr:FileObject",
            "@id": parquet_path(t.name),
            "name": parquet_path(t.name),
            "description": f"The {t.name} table as Parquet.",
            "contentUrl": parquet_path(t.name),
            "encodingFormat": PARQUET_MEDIA_TYPE,
            "sha256": files[parquet_path(t.name)][1],
            "contentSize": f"{files[parquet_path(t.name)][0]} B",
        }
        for t in TABLES.values()
    ]
    record_sets = [
        {
            "@type": "cr:RecordSet",
            "@id": t.name,
            "name": t.name,
            "description": t.description,
            "key": [{"@id": f"{t.name}/{k}"} for k in t.primary_key],
            "field": [_croissant_field(t, c) for c in columns(t)],
        }
        for t in TABLES.values()
    ]
    metadata: dict[str, Any] = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": DATASET_NAME,
        "description": DATASET_DESCRIPTION,
        "license": LICENCE["path"],
        "url": homepage or "README.md",
        "version": DATASET_VERSION,
        "keywords": list(KEYWORDS),
        "inLanguage": "en",
        "creator": {"@type": "sc:Organization", "name": creator},
        "citeAs": bibtex(provenance, creator, homepage),
        "distribution": distribution,
        "recordSet": record_sets,
    }
    if provenance.commit_date:
        metadata["datePublished"] = provenance.commit_date
    return metadata


# --- human-readable documents ---------------------------------------------------------------


def citation(provenance: Provenance, creator: str, homepage: str = "") -> str:
    """How to cite the dataset, in words."""
    year = f" ({provenance.year})" if provenance.year else ""
    commit = f", git commit {provenance.git_commit[:12]}" if provenance.git_commit else ""
    where = f". {homepage}" if homepage else ""
    return f"{creator}{year}. {DATASET_TITLE}. Dataset, version {DATASET_VERSION}{commit}{where}."


def bibtex(provenance: Provenance, creator: str, homepage: str = "") -> str:
    """How to cite the dataset, as a BibTeX entry."""
    key = f"{DATASET_NAME}_{DATASET_VERSION.replace('.', '_')}"
    lines = [
        f"@misc{{{key},",
        f"  author = {{{{{creator}}}}},",
        f"  title = {{{DATASET_TITLE}}},",
        f"  version = {{{DATASET_VERSION}}},",
    ]
    if provenance.year:
        lines.append(f"  year = {{{provenance.year}}},")
    if provenance.git_commit:
        lines.append(f"  note = {{Dataset; git commit {provenance.git_commit}}},")
    if homepage:
        lines.append(f"  url = {{{homepage}}},")
    lines.append("}")
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    head = " ".join(text.split())
    match = re.match(r"(.+?\.)(\s|$)", head)
    return match.group(1) if match else head


def _md(text: object) -> str:
    """A value made safe for a Markdown table cell."""
    return str(text).replace("|", "/").replace("\n", " ")


def data_dictionary() -> str:
    """Markdown data dictionary: every table, what a row means, every column."""
    lines = [
        f"# Data dictionary (schema version {SCHEMA_VERSION})",
        "",
        "Generated from the pandera models in `schemas/`; do not edit by hand.",
        "",
        "Each table is published as `<table>.parquet` (typed: dates as date32, lists as "
        "list<string>, categoricals as dictionaries) and as `csv/<table>.csv` (UTF-8, "
        "header row, dates as ISO 8601, lists as JSON arrays, nulls as empty cells).",
        "",
        f"Contract fingerprint: `{contract_fingerprint()}`.",
        "",
        "## CSV safety",
        "",
        CSV_SAFETY_NOTE,
        "",
    ]
    for table in TABLES.values():
        lines += [
            f"## `{table.name}`",
            "",
            table.description,
            "",
            f"Primary key: `{', '.join(table.primary_key)}`.",
        ]
        for fk in table.foreign_keys:
            lines.append(f"`{fk.column}` → `{fk.ref_table}.{fk.ref_column}`.")
        lines += ["", "| column | type | null | description |", "| --- | --- | --- | --- |"]
        for column in columns(table):
            kind = logical_type(column) + (" (categorical)" if is_categorical(column) else "")
            values = allowed_values(column)
            text = (column.description or "") + (
                f" One of: {', '.join(values)}." if values and len(values) <= 16 else ""
            )
            lines.append(
                f"| `{column.name}` | {kind} | {'yes' if column.nullable else 'no'} | {_md(text)} |"
            )
        lines.append("")
    return "\n".join(lines)


def _licence_lines(summary: Summary) -> list[str]:
    licences = summary.counts("documents", "licence", null="not recorded")
    n_docs = summary.rows["documents"]
    lines = [
        f"- Extracted data: [{LICENCE['title']}]({LICENCE['path']}) ({LICENCE['name']}). "
        "Attribute the dataset as under *How to cite*.",
        "- Source texts keep their own licences, recorded per document in "
        "`documents.licence` (with `documents.source_url`). In this release:",
    ]
    lines += [f"  - {_md(name)}: {n} document(s)" for name, n in licences.items()]
    lines.append(f"- Documents with a source URL: {summary.documents_with_source_url} of {n_docs}.")
    if licences.get("not recorded"):
        lines.append(
            "- Documents whose licence is not recorded may not be redistributable: "
            "check their source before sharing their text (`documents.text`, "
            "`sentences.text` and every span's `text`)."
        )
    return lines


def _provenance_lines(provenance: Provenance) -> list[str]:
    if provenance.git_commit:
        commit = f"`{provenance.git_commit}`" + (
            " (the code, params or raw inputs had uncommitted changes)"
            if provenance.git_dirty
            else ""
        )
        commit += f", committed {provenance.commit_date}" if provenance.commit_date else ""
    else:
        commit = "unknown (not built in a git repository)"
    models = ", ".join(f"`{m}`" for m in provenance.models) or "none (no documents)"
    return [
        "| what | value |",
        "| --- | --- |",
        f"| pipeline version | {provenance.pipeline_version} |",
        f"| dataset (contract) version | {provenance.schema_version} "
        f"(fingerprint `{contract_fingerprint()}`) |",
        f"| spaCy model (`documents.model`) | {models} |",
        f"| git commit (last change to code, params or raw inputs) | {commit} |",
        "",
        "The params that shaped the data (`params.yaml`):",
        "",
        "```json",
        json.dumps(provenance.params, indent=2, sort_keys=True),
        "```",
    ]


def dataset_card(summary: Summary, provenance: Provenance, creator: str, homepage: str = "") -> str:
    """The dataset card (outputs/README.md): contents, counts, licences, provenance, citation."""
    n_events = summary.rows["events"]
    span = summary.date_range
    dated = (
        f"{n_events} dated events, from {span[0].isoformat()} to {span[1].isoformat()}."
        if span
        else f"{n_events} dated events."
    )
    lines = [
        f"# {DATASET_TITLE}",
        "",
        f"Version {DATASET_VERSION}. This card is generated by the `publish` stage; do "
        "not edit it by hand.",
        "",
        DATASET_DESCRIPTION,
        "",
        dated,
        "",
        "## Contents",
        "",
        "| table | rows | one row is | files |",
        "| --- | --- | --- | --- |",
    ]
    for table in TABLES.values():
        lines.append(
            f"| `{table.name}` | {summary.rows[table.name]} | "
            f"{_md(_first_sentence(table.description))} | "
            f"`{parquet_path(table.name)}`, `{csv_path(table.name)}` |"
        )
    lines += [
        "",
        "Also in this folder:",
        "",
        "- `DATA_DICTIONARY.md`: every column, its type, nullability and meaning;",
        "- `datapackage.json`: Frictionless Data Package (CSV and Parquet resources, "
        "keys, sizes and sha256);",
        "- `croissant.json`: MLCommons Croissant 1.0 metadata for the Parquet files;",
        "- `report.html`: a self-contained page to look at before reading (timeline, "
        "entities, documents, rejects);",
        "- `metrics.json`: counts per table, label, type, precision and reason.",
        "",
        "## Loading",
        "",
        "```python",
        "from pipeline.load import load   # with the Chronicle package installed",
        'events = load("events", folder=".")  # pandas, typed; backend="polars" too',
        "",
        "import pandas as pd               # or without it",
        'events = pd.read_parquet("events.parquet")',
        "```",
        "",
        "## Licences",
        "",
    ]
    lines += _licence_lines(summary)
    lines += ["", "## Provenance", "", *_provenance_lines(provenance)]
    lines += [
        "",
        "## How to cite",
        "",
        citation(provenance, creator, homepage),
        "",
        "```bibtex",
        bibtex(provenance, creator, homepage),
        "```",
        "",
        "## Known limitations",
        "",
    ]
    lines += [f"- {item}" for item in LIMITATIONS]
    lines += _data_limitations(summary)
    lines += ["", "## CSV safety", "", CSV_SAFETY_NOTE, ""]
    return "\n".join(lines)


def _data_limitations(summary: Summary) -> list[str]:
    """Limitations this release's numbers show."""
    lines = []
    untyped = summary.values["events"]["event_type"].get(None, 0)
    if untyped:
        lines.append(
            f"- {untyped} of {summary.rows['events']} events have no `event_type` (not typed)."
        )
    participants = summary.rows["participants"]
    if participants:
        unlinked = participants - summary.participants_linked
        lines.append(
            f"- In this release, {unlinked} of {participants} participants "
            f"({unlinked / participants:.0%}) are not linked to an entity "
            "(`entity_id` is null): they are not named entities, or the link failed."
        )
    timexes = summary.rows["timexes"]
    if timexes:
        with_interval = sum(summary.counts("timexes", "precision").values())
        lines.append(
            f"- {timexes - with_interval} of {timexes} temporal expressions have no "
            "calendar interval (durations, sets, vague times) and date no event."
        )
    rejects = summary.rows["rejects"]
    if rejects:
        reasons = ", ".join(f"{r} {n}" for r, n in summary.counts("rejects", "reason").items())
        lines.append(f"- {rejects} input file(s) were rejected ({reasons}); see the rejects table.")
    return lines
