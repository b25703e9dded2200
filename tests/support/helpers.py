"""Helpers shared by the tests that run the real pipeline under DVC in a temporary repository."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PROJECT_FILES = [
    "pipeline",
    "schemas",
    "raw",
    "dvc.yaml",
    "params.yaml",
    "pyproject.toml",
    ".gitignore",
    ".dvc/config",
    ".dvc/.gitignore",
    ".dvcignore",
    "knowledge_base.csv",
]

FIXED_COMMIT_DATE = {
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
}


def run(
    repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a command in `repo` with this interpreter's environment first on PATH."""
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        DVC_NO_ANALYTICS="1",
        PYTHONDONTWRITEBYTECODE="1",
        **(env or {}),
    )
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        list(args), cwd=repo, env=env, capture_output=True, text=True, timeout=900
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def dvc(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the DVC command line of this environment."""
    return run(repo, sys.executable, "-m", "dvc", *args, check=check)


def make_repo(dest: Path) -> Path:
    """A fresh git repository holding the project's code, params and raw documents."""
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        elif source.exists():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    run(dest, "git", "init", "-q")
    run(dest, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    run(
        dest,
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-qm",
        "x",
        env=FIXED_COMMIT_DATE,
    )  # same files, same date: the same commit, which publish records
    return dest


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every published file, by path relative to `folder`."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def explicit_events(run_stages, text: str) -> list[dict]:
    """The events table's explicitly dated rows for one text, through the stages' functions.

    `run_stages` is the events tests' fixture (tests/unit/events/conftest.py).
    """
    _, out = run_stages(text)
    return [e for e in out["events"] if e["date_basis"] == "explicit"]


def explicit_triggers(run_stages, text: str) -> list[str]:
    """The triggers of `explicit_events`, sorted: which predicates the table dates."""
    return sorted(e["trigger"] for e in explicit_events(run_stages, text))
