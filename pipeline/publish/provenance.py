"""How the dataset was made: pipeline and contract versions, model, params and git commit.

Provenance is read from pyproject.toml, the params and git, never from the clock, so that a
re-run from the same commit writes the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.config import Params
from schemas import SCHEMA_VERSION

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
