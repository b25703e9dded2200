"""Benchmark: wall time and peak memory of each pipeline stage on a real corpus.

Runs the stages one after another as separate processes (as DVC does) in a temporary
workspace whose raw/ holds the first N documents of the corpus, and prints each stage's time,
its share of the nlp stage's time, and its peak RSS. Not a test: numbers depend on the machine.

    python benchmarks/stage_costs.py --corpus ../shared/data/corpus/bbc [--limit 500]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
STAGES = tuple(
    name
    for name, stage in yaml.safe_load((PROJECT / "dvc.yaml").read_text())["stages"].items()
    if stage.get("cmd") == f"python -m pipeline.{name}"
)
"""The pipeline's stages in their order, as dvc.yaml declares them."""


def corpus_files(corpus: Path, limit: int | None) -> list[Path]:
    """The corpus's .txt files in a stable order (sorted paths), at most `limit` of them."""
    files = sorted(corpus.rglob("*.txt"))
    return files[:limit] if limit else files


def make_workspace(files: list[Path], corpus: Path, workspace: Path) -> None:
    """A folder with raw/ holding the documents and a params.yaml pointing at it."""
    raw = workspace / "raw"
    for source in files:
        target = raw / source.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    params = yaml.safe_load((PROJECT / "params.yaml").read_text())
    params["ingest"]["manifest"] = "raw/manifest.csv"
    params["ingest"]["default_anchor_mode"] = "news"
    params["entities"]["kb"] = str(PROJECT / params["entities"]["kb"])  # the project's own KB
    (workspace / "params.yaml").write_text(yaml.safe_dump(params))


def run_stage(stage: str, workspace: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one stage run as its own process."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", f"pipeline.{stage}"],
        cwd=workspace,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"stage {stage} failed:\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    """Run every stage once and print the table (and a JSON with --out)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--workspace", type=Path, help="work in (and keep) this folder")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return
    files = corpus_files(args.corpus, args.limit)
    words = sum(len(f.read_text(encoding="utf-8", errors="replace").split()) for f in files)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = args.workspace or Path(tmp)
        if not (workspace / "params.yaml").exists():
            make_workspace(files, args.corpus, workspace)
        figures = {stage: run_stage(stage, workspace) for stage in STAGES}
    nlp_seconds = figures["nlp"][0]
    print(f"{len(files)} documents, {words} words ({args.corpus})")
    print(f"{'stage':10} {'seconds':>8} {'x nlp':>7} {'peak MB':>8}")
    for stage, (seconds, rss) in figures.items():
        print(f"{stage:10} {seconds:8.1f} {seconds / nlp_seconds:7.3f} {rss:8.0f}")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "documents": len(files),
                    "words": words,
                    "stages": {
                        s: {"seconds": round(t, 2), "peak_rss_mb": round(m)}
                        for s, (t, m) in figures.items()
                    },
                },
                indent=2,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
