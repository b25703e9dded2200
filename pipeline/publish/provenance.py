"""How the dataset was made: pipeline and contract versions, model, params and raw inputs.

Everything recorded in the published files is a function of what DVC tracks (pyproject.toml,
the params, the raw files as the documents table records their sha256), never of the clock or
of git: a git commit made after the run (a no-op `dvc repro` then changes nothing) or a fresh
clone would otherwise give other bytes, or bytes that cite a commit they were not built from.
The git commit of a run is written to the run log instead (`run_record`), outside the release.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.core.config import Params
from pipeline.core.stage import table_path
from schemas import SCHEMA_VERSION

PROVENANCE_EXCLUDED = ("paths", "evaluate", "validate", "engine")
"""Params sections that do not shape the published data (where files go, gold data, checks,
and where parsing runs: a Dask run publishes the same bytes as a local one)."""


@dataclass(frozen=True)
class Provenance:
    """How the dataset was made: pipeline, contract, model, params and the raw inputs."""

    pipeline_version: str
    schema_version: str
    models: tuple[str, ...]
    params: dict[str, Any]
    inputs_sha256: str = ""
    """sha256 of the sorted sha256 digests of the raw files read (see `inputs_digest`)."""
    n_inputs: int = 0
    """How many distinct raw files (by content) the digest covers."""
    date_published: str = ""
    """params.yaml publish.date_published: the release date, or empty."""

    @property
    def year(self) -> str | None:
        """Year of the release, for citations."""
        return self.date_published[:4] or None


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


def inputs_digest(file_digests: set[str]) -> str:
    """One digest of the raw inputs: sha256 of their sorted sha256 digests, one a line.

    Anyone holding the raw files can recompute it (`sha256sum`, sort, hash again); it is
    the same whatever the files are called or wherever the project was cloned.
    """
    lines = "".join(f"{digest}\n" for digest in sorted(file_digests))
    return hashlib.sha256(lines.encode("ascii")).hexdigest()


def raw_file_digests(params: Params) -> set[str]:
    """The sha256 of every raw file read: the documents', and the rejected files' that were."""
    digests: set[str] = set()
    for name in ("documents", "rejects"):
        column = pq.read_table(table_path(params, name), columns=["sha256"]).column("sha256")
        digests.update(value for value in column.to_pylist() if value)
    return digests


def gather_provenance(params: Params, models: list[str]) -> Provenance:
    """Provenance of a publish run: read from pyproject, params and the interim tables."""
    digests = raw_file_digests(params)
    return Provenance(
        pipeline_version(),
        SCHEMA_VERSION,
        tuple(sorted(models)),
        provenance_params(params),
        inputs_digest(digests),
        len(digests),
        params.publish.date_published,
    )


def run_record(params: Params) -> dict[str, Any]:
    """The git state of a publish run, for the run log (not the release; see the module)."""
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
    return {"git_commit": commit, "git_dirty": dirty, "commit_date": date}
