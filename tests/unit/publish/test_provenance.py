"""Provenance is a function of what DVC tracks: a git commit after the run changes nothing.

Issue 19, item 9: the card cited the git commit of the run; after committing, a no-op
`dvc repro` kept the old commit ("uncommitted changes"), and a fresh clone gave other bytes.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core.config import ParamsError, load_params
from pipeline.publish.card import _provenance_lines
from pipeline.publish.citation import bibtex, citation
from pipeline.publish.provenance import gather_provenance, run_record

DOCUMENTS = ["a" * 64, "c" * 64]
REJECTS = ["b" * 64, None, "a" * 64]  # a file rejected unread has no digest; a copy repeats one


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A git repository holding the interim documents and rejects (their sha256 column)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text("publish: {date_published: '2024-03-01'}\n")
    for stage, name, digests in (
        ("nlp", "documents", DOCUMENTS),
        ("ingest", "rejects", REJECTS),
    ):
        folder = tmp_path / "data" / "interim" / stage
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(
            pa.table({"sha256": pa.array(digests, pa.string())}), folder / f"{name}.parquet"
        )
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "code.py").write_text("x = 1\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    return tmp_path


def published_text(params) -> str:
    """What the card, citation and Croissant citation state about provenance."""
    provenance = gather_provenance(params, ["en_core_web_sm-3.8.0"])
    return "\n".join(
        [*_provenance_lines(provenance), citation(provenance, "C"), bibtex(provenance, "C")]
    )


def test_provenance_survives_a_commit_and_uncommitted_changes(project):
    params = load_params()
    before = published_text(params)
    (project / "pipeline" / "code.py").write_text("x = 2\n")  # a change not yet committed
    assert published_text(params) == before
    git(project, "commit", "-qam", "second")
    assert published_text(params) == before
    assert "git" not in before.lower()
    assert run_record(params)["git_commit"]  # the run's commit goes to the run log


def test_the_inputs_digest_is_recomputable_from_the_raw_files(project):
    provenance = gather_provenance(load_params(), [])
    lines = "".join(f"{d}\n" for d in sorted({"a" * 64, "b" * 64, "c" * 64}))
    assert provenance.inputs_sha256 == hashlib.sha256(lines.encode()).hexdigest()
    assert provenance.n_inputs == 3
    assert provenance.year == "2024"


@pytest.mark.parametrize("value", ["2024-3-1", "2024-02-30", "March 2024", "20240301"])
def test_a_date_published_that_is_not_yyyy_mm_dd_is_named(tmp_path, value):
    (tmp_path / "params.yaml").write_text(f"publish: {{date_published: '{value}'}}\n")
    with pytest.raises(ParamsError, match=r"publish\.date_published must be a date as YYYY-MM-DD"):
        load_params(tmp_path / "params.yaml")
