"""Benchmark: the happenings stage's grouping against the pipeline's time on the same corpus.

Runs the stages up to `happenings` as separate processes (as DVC does) on the BBC corpus and
times each: the grouping's share of the pipeline is the happenings stage's time over the sum.
The corpus has 2,225 documents; for the 20,000 of the target, the grouping alone is then timed
in this process on the corpus's events copied up to 9 times (each copy its own documents and
event ids, its dates moved 10 years per copy, so copies block apart as new stories would),
beside the pipeline's time per document at 2,225 (linear in the corpus, docs/scaling.md)
times the copies' documents. Not a test: numbers depend on the machine; compare the ratios.

    python benchmarks/grouping.py --corpus ../shared/data/corpus/bbc [--copies 9]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

from benchmarks.stage_costs import PROJECT, corpus_files, make_workspace, run_stage

STAGES = ("ingest", "nlp", "timexes", "events", "entities", "happenings")
YEARS_PER_COPY = 10


def shifted(telling: object, copy: int) -> object:
    """A telling of copy `copy`: its own document and id, its dates 10 years later per copy."""
    if copy == 0:
        return telling
    days = dt.timedelta(days=round(copy * YEARS_PER_COPY * 365.2425))
    moved = {
        name: getattr(telling, name) + days if getattr(telling, name) is not None else None
        for name in ("date_start", "date_end")
    }
    years = {
        name: getattr(telling, name) + copy * YEARS_PER_COPY
        if getattr(telling, name) is not None
        else None
        for name in ("year_start", "year_end")
    }
    return dataclasses.replace(
        telling,  # type: ignore[type-var]
        event_id=f"{telling.event_id}-{copy}",  # type: ignore[attr-defined]
        doc_id=f"{telling.doc_id}-{copy}",  # type: ignore[attr-defined]
        **moved,
        **years,
    )


def time_grouping(workspace: Path, copies: int, n_docs: int) -> list[dict]:
    """Seconds of `rules.group` on the corpus's events, and on 1..copies copies of them."""
    from pipeline.core.config import load_params
    from pipeline.happenings.rules import Settings, group
    from pipeline.happenings.stage import tellings

    os.chdir(workspace)
    params = load_params(workspace / "params.yaml")
    events = list(tellings(params))
    settings = Settings(**vars(params.happenings))
    rows = []
    for n in sorted({1, (copies + 1) // 2, copies + 1}):
        corpus = [shifted(e, c) for c in range(n) for e in events]
        started = time.perf_counter()
        happenings = group(corpus, settings)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        rows.append(
            {
                "documents": n_docs * n,
                "events": len(corpus),
                "happenings": len(happenings),
                "grouping_seconds": round(seconds, 2),
            }
        )
        print(f"{n_docs * n:>7} documents {len(corpus):>8} events: grouping {seconds:6.1f} s")
    return rows


def run_stages(files: list[Path], corpus: Path, workspace: Path) -> dict[str, float]:
    """Seconds of each stage; in a kept workspace, the earlier run's (happenings re-run)."""
    saved = workspace / "stage-seconds.json"
    if saved.exists():
        stages = json.loads(saved.read_text(encoding="utf-8"))
        stages["happenings"] = round(run_stage("happenings", workspace)[0], 2)
        return stages
    make_workspace(files, corpus, workspace)
    stages = {stage: round(run_stage(stage, workspace)[0], 2) for stage in STAGES}
    saved.write_text(json.dumps(stages), encoding="utf-8")
    return stages


def main() -> None:
    """Run the stages, time the grouping at the corpus's size and beyond; print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--copies", type=int, default=8, help="extra copies of the events")
    parser.add_argument("--out", type=Path, default=PROJECT / "benchmarks/results/grouping.json")
    parser.add_argument(
        "--workspace",
        type=Path,
        help="work in (and keep) this folder; a second run re-times "
        "the happenings stage and the grouping only, beside the first run's stage times",
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return
    files = corpus_files(args.corpus, args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        workspace = args.workspace or Path(tmp)
        stages = run_stages(files, args.corpus, workspace)
        scaled = time_grouping(workspace, args.copies, len(files))
    pipeline = sum(stages.values())
    per_document = pipeline / len(files)
    largest = scaled[-1]
    result = {
        "documents": len(files),
        "stage_seconds": stages,
        "happenings_share_of_pipeline": round(stages["happenings"] / pipeline, 4),
        "grouping_at_scale": scaled,
        "grouping_share_at_largest": round(
            largest["grouping_seconds"]
            / (per_document * largest["documents"] + largest["grouping_seconds"]),
            4,
        ),
    }
    for stage, seconds in stages.items():
        print(f"{stage:10} {seconds:8.1f} s")
    print(
        f"happenings: {result['happenings_share_of_pipeline']:.1%} of the pipeline at "
        f"{len(files)} documents; grouping {result['grouping_share_at_largest']:.1%} of it at "
        f"{largest['documents']} documents (pipeline time per document x documents)"
    )
    args.out.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
