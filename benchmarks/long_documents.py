"""Benchmark: how each stage's time grows with the length of one document, with the real model.

For each size (default 0.25, 0.5, 1, 2 and 8 MB), builds a repository whose raw/ holds one
document of that many megabytes of English (the sample essay repeated, each copy numbered),
with the pinned NER model of params.yaml, and runs the stages one at a time
(`dvc repro --single-item STAGE`), timing each. A stage that is linear in the document's
length keeps its seconds per MB as the document grows; the ratio of seconds per MB to the
smallest document's is printed per stage (1.0 is linear, 4.0 at 8 MB against 0.25 MB would
be about n log n, 32 quadratic). A stage's time includes DVC's and Python's start-up (about a
second), which makes the smallest documents' seconds per MB look worse, not better.

    python -m benchmarks.long_documents [--sizes 0.25 0.5 1 2 8] [--out FILE]

Writes ``benchmarks/results/long-documents.json``. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.ingest_memory import english_text
from benchmarks.scale import PROJECT, RESULTS, make_repo
from benchmarks.stage_costs import STAGES

MB = 1 << 20


def stage_seconds(folder: Path, mb: float) -> dict[str, float]:
    """Seconds of each stage on one document of `mb` megabytes, in a repository in `folder`."""
    (folder / "in").mkdir(parents=True)
    book = folder / "in" / "book.txt"
    book.write_bytes(english_text(int(mb * MB)))
    repo = make_repo(folder / "repo", [book], folder / "in")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    seconds = {}
    for stage in STAGES:
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "dvc", "repro", "--single-item", stage],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.exit(f"{stage} failed on {mb} MB:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        seconds[stage] = round(time.perf_counter() - started, 2)
    return seconds


def ratios(runs: dict[float, dict[str, float]]) -> dict[float, dict[str, float]]:
    """Each stage's seconds per MB at each size, over its seconds per MB at the smallest."""
    smallest = min(runs)
    base = {stage: runs[smallest][stage] / smallest for stage in STAGES}
    return {
        mb: {stage: round(seconds[stage] / mb / base[stage], 2) for stage in STAGES}
        for mb, seconds in runs.items()
    }


def commit() -> str:
    """The commit of the code measured."""
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=True
    ).stdout.strip()


def main() -> None:
    """Run every size, print the table and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1, 2, 8])
    parser.add_argument("--out", type=Path, default=RESULTS / "long-documents.json")
    args = parser.parse_args()
    runs: dict[float, dict[str, float]] = {}
    for mb in sorted(args.sizes):
        with tempfile.TemporaryDirectory() as folder:
            runs[mb] = stage_seconds(Path(folder), mb)
        print(f"{mb:g} MB: " + ", ".join(f"{s} {t:.1f} s" for s, t in runs[mb].items()), flush=True)
    relative = ratios(runs)
    print("\nseconds per MB, and its ratio to the smallest document's")
    print("MB    " + "".join(f"{s:>18}" for s in STAGES))
    for mb, seconds in runs.items():
        cells = "".join(f"{seconds[s] / mb:>11.1f} ({relative[mb][s]:>4.2f})" for s in STAGES)
        print(f"{mb:<6g}{cells}")
    model = yaml.safe_load((PROJECT / "params.yaml").read_text())["nlp"]["model"]
    result = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "commit": commit(),
        "model": model,
        "seconds": {str(mb): seconds for mb, seconds in runs.items()},
        "seconds_per_mb_ratio_to_smallest": {str(mb): r for mb, r in relative.items()},
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
