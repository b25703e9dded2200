"""Benchmark: how much of an edit re-run is the fixed cost of seven DVC stages, doing nothing.

Issue 5 asks that re-running after one edited document cost at most 5% of a full run. This
measures, in one session on the same repository, what part of that re-run no stage code can
remove. After a full run and a few real edit re-runs, every pipeline stage's command is
replaced by a stub that does no work: it puts back the outputs the real stage wrote (saved
beforehand) and changes one marker file, so DVC sees new outputs and runs the next stage, as
after a real edit. Two stubs:

- ``dvc``: a shell `cp`. What is left is DVC's own work: reading and rewriting `dvc.lock`,
  hashing every stage's dependencies and outputs, saving outputs to its cache.
- ``processes``: a Python process per stage that imports what the stage cannot do without
  (pyarrow in all; spaCy in events, which reads parses; spaCy and the model in nlp, which
  parses the edited document), then copies as above.

    python -m benchmarks.edit_floor [--corpus ../shared/data/corpus/bbc] [--edits 3]

Prints each re-run as a fraction of the full run and writes
``benchmarks/results/edit-floor.json``. Not a test: compare the fractions, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shlex
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

from benchmarks.scale import PROJECT, RESULTS, corpus, make_repo, repro
from benchmarks.stage_costs import STAGES

SNAPSHOT = ".floor"
MARKER = "edit-floor-marker.txt"
PROCESS_IMPORTS = {
    "nlp": "import pyarrow.parquet, spacy; from pipeline.core.model import load_model; "
    "load_model({model!r})",
    "events": "import pyarrow.parquet, spacy",
}
DEFAULT_IMPORTS = "import pyarrow.parquet"


def resolve(path: str, params: dict) -> str:
    """A dvc.yaml path with its `${section.key}` references filled in from params.yaml."""
    return re.sub(r"\$\{(\w+)\.(\w+)\}", lambda m: str(params[m[1]][m[2]]), path)


def replaced_outputs(stage: dict, params: dict) -> list[str]:
    """The outputs DVC deletes before running the stage (all but `persist: true` ones)."""
    found = []
    for out in [*stage.get("outs", []), *stage.get("metrics", []), *stage.get("plots", [])]:
        path, options = (out, {}) if isinstance(out, str) else next(iter(out.items()))
        if not (options or {}).get("persist"):
            found.append(resolve(path, params))
    return found


def stub_command(name: str, outputs: list[str], kind: str, model: str) -> str:
    """A command that restores `outputs` from the snapshot and changes the first one's marker."""
    first = outputs[0]
    marker = f"{first}/{MARKER}" if not Path(first).suffix else f"{SNAPSHOT}/{MARKER}.{name}"
    copies = " && ".join(
        f"rm -rf {shlex.quote(o)} && mkdir -p {shlex.quote(str(Path(o).parent))}"
        f" && cp -a {shlex.quote(f'{SNAPSHOT}/{o}')} {shlex.quote(o)}"
        for o in outputs
    )
    touch = f"date +%s%N > {shlex.quote(marker)}"
    if kind == "dvc":
        return f"{copies} && {touch}"
    imports = PROCESS_IMPORTS.get(name, DEFAULT_IMPORTS).format(model=model)
    return f"python -c {shlex.quote(imports)} && {copies} && {touch}"


def use_stubs(repo: Path, kind: str) -> None:
    """Rewrite the repository's dvc.yaml so each pipeline stage runs its stub."""
    params = yaml.safe_load((repo / "params.yaml").read_text())
    pipeline = yaml.safe_load((repo / "dvc.yaml").read_text())
    for name in STAGES:
        stage = pipeline["stages"][name]
        stage["cmd"] = stub_command(
            name, replaced_outputs(stage, params), kind, params["nlp"]["model"]
        )
    (repo / "dvc.yaml").write_text(yaml.safe_dump(pipeline, sort_keys=False))


def snapshot(repo: Path) -> None:
    """Save every stage's replaced outputs, as the real stages last wrote them."""
    params = yaml.safe_load((repo / "params.yaml").read_text())
    pipeline = yaml.safe_load((repo / "dvc.yaml").read_text())
    for name in STAGES:
        for out in replaced_outputs(pipeline["stages"][name], params):
            source, target = repo / out, repo / SNAPSHOT / out
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
    with (repo / ".dvcignore").open("a") as ignore:
        ignore.write(f"\n/{SNAPSHOT}\n")


def edit_reruns(repo: Path, files: list[Path], root: Path, edits: int, label: str) -> list[float]:
    """Seconds of `edits` re-runs, each after appending a sentence to a different document."""
    seconds = []
    for i in range(edits):
        edited = repo / "raw" / files[(i + 1) * len(files) // (edits + 1)].relative_to(root)
        edited.write_text(edited.read_text() + f"\nThe story was updated ({label}, {i}).\n")
        seconds.append(repro(repo)["seconds"])
    return seconds


def main() -> None:
    """Full run, real edits, then the two stubs' edits; print and save the fractions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument("--documents", type=int, default=None, help="first N (default: all)")
    parser.add_argument("--edits", type=int, default=3, help="edits timed per variant")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return
    files = corpus(args.corpus, args.documents)
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp) / "repo", files, args.corpus)
        full = repro(repo)["seconds"]
        print(f"full run: {full} s", flush=True)
        runs = {"pipeline": edit_reruns(repo, files, args.corpus, args.edits, "pipeline")}
        snapshot(repo)
        for kind in ("dvc", "processes"):
            use_stubs(repo, kind)
            repro(repo)  # the first run after a command changes re-runs every stage
            runs[kind] = edit_reruns(repo, files, args.corpus, args.edits, kind)
            print(f"{kind}: {runs[kind]}", flush=True)
    medians = {kind: statistics.median(seconds) for kind, seconds in runs.items()}
    results = {
        "machine": {"platform": platform.platform(), "python": sys.version.split()[0]},
        "documents": len(files),
        "full_run_seconds": full,
        "edit_seconds": runs,
        "median_edit_seconds": medians,
        "fraction_of_full_run": {k: round(v / full, 4) for k, v in medians.items()},
        "budget_seconds_at_5_percent": round(0.05 * full, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "edit-floor.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "edit_seconds"}, indent=2))


if __name__ == "__main__":
    main()
