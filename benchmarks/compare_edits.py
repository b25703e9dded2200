"""Benchmark: the re-run after one edited document, this checkout against another revision.

Both pipelines run in the same session, in alternating rounds, on the same documents: each
round builds a repository per revision, runs it in full, then appends a sentence to one
document at a time and times `dvc repro` after each edit, then a no-op `dvc repro` (nothing
changed). The machine's speed drifts within a
session, so the ratio of the two medians is what to compare, not the seconds.

    python benchmarks/compare_edits.py --base 7c02309 [--corpus ../shared/data/corpus/bbc]

Prints each round and writes ``benchmarks/results/compare-edits.json``. Not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

from benchmarks.scale import PROJECT, RESULTS, corpus, make_repo, repro


def export(revision: str, dest: Path) -> Path:
    """The project's files at `revision` (a commit of this repository), in `dest`."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", revision], cwd=PROJECT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def edit_times(project: Path, files: list[Path], root: Path, work: Path, edits: int) -> dict:
    """Full-run seconds, the seconds of `edits` re-runs after a one-document edit, and a no-op."""
    repo = make_repo(work, files, root, project=project)
    full = repro(repo)["seconds"]
    seconds = []
    for i in range(edits):
        edited = repo / "raw" / files[(i + 1) * len(files) // (edits + 1)].relative_to(root)
        edited.write_text(edited.read_text() + f"\nThe story was updated on day {i} of the week.\n")
        seconds.append(repro(repo)["seconds"])
    noop = repro(repo)["seconds"]  # nothing changed: DVC checks every stage and runs none
    return {"full_seconds": full, "edit_seconds": seconds, "noop_seconds": noop}


def main() -> None:
    """Alternate rounds of the two revisions; print and save the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the revision to compare against")
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument("--documents", type=int, default=None, help="first N (default: all)")
    parser.add_argument("--edits", type=int, default=3, help="edits timed per round")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return
    files = corpus(args.corpus, args.documents)
    runs: dict[str, list[dict]] = {"base": [], "this": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        projects = {"base": export(args.base, work / "base-code"), "this": PROJECT}
        for number in range(args.rounds):
            for label, project in projects.items():
                figures = edit_times(
                    project, files, args.corpus, work / f"{label}-{number}", args.edits
                )
                runs[label].append(figures)
                print(f"round {number + 1}, {label}: {figures}", flush=True)
    medians = {
        label: statistics.median(s for r in rounds for s in r["edit_seconds"])
        for label, rounds in runs.items()
    }
    noops = {
        label: statistics.median(r["noop_seconds"] for r in rounds)
        for label, rounds in runs.items()
    }
    results = {
        "base": args.base,
        "documents": len(files),
        "runs": runs,
        "median_edit_seconds": medians,
        "ratio_this_to_base": round(medians["this"] / medians["base"], 3),
        "median_noop_seconds": noops,
        "noop_ratio_this_to_base": round(noops["this"] / noops["base"], 3),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "compare-edits.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
