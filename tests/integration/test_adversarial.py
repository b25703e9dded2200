"""Hostile and broken inputs: every file ends in documents or rejects, with the right outcome.

The corpus is built by the tests (tests/support/adversarial_corpus.py). The in-process test
adds what DVC itself cannot hash (a named pipe, symbolic links); the slow test runs the corpus
through the real pipeline and checks the published tables and the ingest report.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core.config import IngestParams
from pipeline.ingest.stage import ingest
from tests.support.adversarial_corpus import MANIFEST_REJECTS, Case, cases, shown, write_corpus
from tests.support.helpers import dvc, make_repo

MAX_CHARS = 4000


def outcomes(texts: pd.DataFrame, rejects: pd.DataFrame) -> dict[str, str]:
    """Each input path -> 'document' or its reject reason; fails if a path is in both."""
    result: dict[str, str] = {}
    for paths in texts["paths"]:
        for path in paths:
            assert path not in result, f"{path} is in two documents"
            result[path] = "document"
    for row in rejects.itertuples():
        if row.reason != "manifest_error":
            assert row.path not in result, f"{row.path} is both a document and a reject"
            result[row.path] = row.reason
    return result


def check_corpus(corpus: list[Case], texts: pd.DataFrame, rejects: pd.DataFrame) -> None:
    """Every case has exactly its expected outcome, and its checks hold."""
    found = outcomes(texts, rejects)
    expected = {shown(case.name): case.outcome for case in corpus}
    assert found == expected
    by_path = {path: row for _, row in texts.iterrows() for path in row["paths"]}
    for case in corpus:
        if case.check is not None:
            case.check(by_path[shown(case.name)])


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, list[Case]]:
    raw = tmp_path / "raw"
    corpus = cases(MAX_CHARS)
    write_corpus(raw, corpus)
    return raw, corpus


def test_every_adversarial_input_gets_its_outcome(corpus):
    raw, corpus = corpus
    os.mkfifo(raw / "named pipe.txt")  # reading it would block forever
    (raw / "link outside.txt").symlink_to("/etc/hostname")
    (raw / "link inside.txt").symlink_to(raw / "essay.txt")
    (raw / "linked folder").symlink_to("/etc", target_is_directory=True)
    corpus = [
        *corpus,
        Case("named pipe.txt", b"", "unreadable"),
        Case("link outside.txt", b"", "symlink"),
        Case("link inside.txt", b"", "symlink"),
        Case("linked folder/", b"", "symlink"),
    ]
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv", max_chars=MAX_CHARS))
    check_corpus(corpus, result.texts, result.rejects)
    report = result.report.as_dict()
    assert report["inputs"] == len(corpus)
    assert report["inputs"] == report["document_files"] + report["rejected_files"]
    assert report["manifest_rows_rejected"] == MANIFEST_REJECTS
    assert report["duplicate_files"] == 1
    assert {"fr", "ru", "zh", "en"} <= set(report["languages"])


def test_manifest_metadata_reaches_the_right_files(corpus):
    raw, _ = corpus
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv", max_chars=MAX_CHARS))
    texts = result.texts.set_index("path")
    assert texts.loc["essay.txt", "title"] == "The essay"
    assert texts.loc["essay.txt", "anchor_mode"] == "news"
    assert list(texts.loc["essay.txt", "paths"]) == ["copy of essay.txt", "essay.txt"]
    assert texts.loc["naïve café — 1962.txt", "title"] == "Accents in the name"
    assert texts.loc["latin-1.txt", "published"] is None  # its manifest row was refused
    refused = " | ".join(result.rejects.loc[result.rejects["reason"] == "manifest_error", "detail"])
    assert refused.count("outside raw/") == 2  # ../../etc/passwd and /etc/passwd
    assert "no file raw/C:\\Windows\\win.ini" in refused
    assert "no file raw/missing.txt" in refused
    assert "published '1962-13-45': there is no month 13" in refused


def test_outcomes_do_not_depend_on_the_order_files_were_written(tmp_path):
    corpus = cases(MAX_CHARS)
    first, second = tmp_path / "a" / "raw", tmp_path / "b" / "raw"
    write_corpus(first, corpus)
    write_corpus(second, corpus[::-1])
    one = ingest(first, IngestParams(manifest=first / "manifest.csv", max_chars=MAX_CHARS))
    two = ingest(second, IngestParams(manifest=second / "manifest.csv", max_chars=MAX_CHARS))
    pd.testing.assert_frame_equal(one.texts, two.texts)
    pd.testing.assert_frame_equal(one.rejects, two.rejects)


@pytest.mark.slow
def test_the_adversarial_corpus_through_the_whole_pipeline(tmp_path):
    repo = make_repo(tmp_path / "adversarial")
    raw = repo / "raw"
    for child in raw.iterdir():
        child.unlink()
    # DVC cannot hash a file name that is not UTF-8 (it stops before any stage runs), so that
    # case is covered in process only
    corpus = [case for case in cases(MAX_CHARS) if shown(case.name) == case.name]
    write_corpus(raw, corpus)
    params = repo / "params.yaml"
    params.write_text(params.read_text().replace("max_chars: 100000000", f"max_chars: {MAX_CHARS}"))
    dvc(repo, "repro")
    outputs = repo / "outputs"
    texts = pd.read_parquet(outputs / "documents.parquet")
    rejects = pd.read_parquet(outputs / "rejects.parquet")
    check_corpus(corpus, texts, rejects.astype({"reason": str}))
    report = json.loads((repo / "data" / "interim" / "ingest" / "report.json").read_text())
    assert report["inputs"] == len(corpus) == report["document_files"] + report["rejected_files"]
    csv_rejects = pd.read_csv(outputs / "csv" / "rejects.csv", keep_default_na=False)
    assert len(csv_rejects) == len(rejects)  # nothing lost on the way to CSV either
