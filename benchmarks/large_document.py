"""Benchmark: one very large document through the whole pipeline, under `dvc repro`.

Builds a temporary repository whose raw/ holds one document of --mb megabytes of English text
(the sample essay repeated), with a quick spaCy pipeline (the English tokenizer and a
sentencizer: the pinned model would take about half an hour on 8 million words, and what is
measured here, segmenting and streaming, does not depend on it), runs `dvc repro publish` and
prints the wall time and the peak memory of the largest process and of the whole run.
`tests/integration/test_large_document.py` runs the same build on a smaller document.
Not a test: numbers depend on the machine.

    python -m benchmarks.large_document [--mb 50]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.ingest_memory import english_text
from benchmarks.scale import PROJECT, PeakRSS, make_repo

MB = 1 << 20


@dataclass(frozen=True)
class Built:
    """A finished run: the repository, its DVC output and what it cost."""

    repo: Path
    returncode: int
    output: str
    seconds: float
    tree_mb: float
    largest_mb: float


def quick_model(folder: Path) -> Path:
    """A real spaCy pipeline that is quick on many megabytes: tokenizer and sentencizer."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    path = folder / "en_quick"
    nlp.to_disk(path)
    return path


def build(folder: Path, n_bytes: int) -> Built:
    """Run the pipeline on one document of about `n_bytes` in a repository under `folder`."""
    (folder / "in").mkdir(parents=True)
    book = folder / "in" / "book.txt"
    book.write_bytes(english_text(n_bytes))
    min_rows = yaml.safe_load((PROJECT / "params.yaml").read_text())["validate"]["min_rows"]
    params = {
        "nlp": {"model": str(quick_model(folder))},
        "validate": {"min_rows": {**min_rows, "mentions": 0, "entities": 0}},  # no NER here
    }
    repo = make_repo(folder / "repo", [book], folder / "in", params)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "dvc", "repro", "publish"],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    memory = PeakRSS(process.pid)
    output, _ = process.communicate()
    tree, largest = memory.stop()
    seconds = time.perf_counter() - started
    return Built(repo, process.returncode, output, seconds, tree, largest)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50, help="size of the document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        built = build(Path(folder), int(args.mb * MB))
        if built.returncode != 0:
            sys.exit(built.output[-3000:])
        print(
            f"{args.mb:g} MB document: {built.seconds:.0f} s, largest process "
            f"{built.largest_mb:.0f} MB, whole run {built.tree_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
