"""Benchmark: how the edit re-run, the no-op and peak memory grow with the corpus.

Builds a synthetic corpus from the BBC articles, up to 20,000 documents: copy K of every
article (K = 0, 1, 2, ...) is `copyK/<category>/<file>.txt`, its text that of the article
after a first line "Edition K of this story." (copy 0 is the article unchanged), so every
document is unique and the corpus is the same on every run. In ONE git + DVC workspace the
corpus grows through the sizes by adding documents, so the whole run costs one build of the
largest corpus. At each size it times the growth step (`dvc repro` after the documents were
added), a no-op `dvc repro`, and the re-run after one document is edited (several edits, each
of a different document), with the peak RSS of the whole process tree; `--stages` adds one
more edit re-run split by stage. A least-squares line through the edit re-runs gives a fixed
cost and a cost per 1,000 documents in the corpus, compared with the targets.

    python -m benchmarks.growth [--sizes 2225 5000 10000 20000] [--edits 3] [--stages] [--base REV]

Prints a table against the targets and writes ``benchmarks/results/growth.json`` and
``growth.png`` (`--name` changes the file names). Not a test: the seconds depend on the
machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from benchmarks.compare_edits import edit_times, export
from benchmarks.scale import (
    PROJECT,
    RESULTS,
    TARGET,
    PeakRSS,
    code_version,
    corpus,
    edit_one,
    machine,
    make_repo,
    repro,
)

EDITION = "Edition {copy} of this story.\n"
"""The first line that makes copy K of an article a document of its own (copy 0 has none)."""

TARGETS = {
    "edit_seconds_at_2225": 8.0,
    "seconds_per_1000_documents": 0.3,
    "noop_seconds_at_largest": 1.5,
    "peak_rss_growth": 0.10,
}
"""The targets of the scale issue: an edit at 2,225 documents, its slope, the no-op at 20,000
documents, and the growth of peak memory from the smallest to the largest corpus."""

RUNNING = re.compile(r"Running stage '([^']+)'")


def synthetic_document(index: int, sources: list[Path], root: Path) -> tuple[Path, Path, int]:
    """Document `index` of the synthetic corpus: its path under raw/, its article, its copy.

    The articles are taken in order, then again as copy 1, and so on, so the first
    `len(sources)` documents are the corpus itself and a larger corpus only adds documents.
    """
    copy, position = divmod(index, len(sources))
    source = sources[position]
    return Path(f"copy{copy}") / source.relative_to(root), source, copy


def synthetic_text(article: bytes, copy: int) -> bytes:
    """The bytes of copy `copy` of an article: its edition line, then the article as it is."""
    return (EDITION.format(copy=copy).encode() if copy else b"") + article


def write_documents(raw: Path, indexes: range, sources: list[Path], root: Path) -> None:
    """Write the synthetic documents `indexes` into `raw`."""
    for index in indexes:
        path, source, copy = synthetic_document(index, sources, root)
        target = raw / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(synthetic_text(source.read_bytes(), copy))


def edited_documents(documents: int, edits: int) -> list[int]:
    """Which documents to edit in a corpus of `documents`: `edits` of them, spread evenly.

    The same choice as compare_edits.py's, so the base revision's edits (`--base`) are of the
    same documents.
    """
    return [(i + 1) * documents // (edits + 1) for i in range(edits)]


def median(seconds: Iterable[float]) -> float:
    """The median of some timings, to the hundredth of a second they are measured to."""
    return round(statistics.median(seconds), 2)


def fit(documents: list[int], seconds: list[float]) -> dict:
    """A least-squares line through (documents, seconds): fixed seconds and seconds per 1,000."""
    slope, fixed = statistics.linear_regression(documents, seconds)
    return {"fixed_seconds": round(fixed, 2), "seconds_per_1000_documents": round(1000 * slope, 3)}


def stage_seconds(stamped: list[tuple[float, str]], total: float) -> dict[str, float]:
    """Each stage's seconds in a `dvc repro`, from its output lines stamped with their time.

    DVC prints "Running stage 'NAME':" as it starts a stage; a stage lasts until the next one
    starts (or the run ends), so its seconds include DVC's hashing and caching of its outputs.
    Stages DVC skipped are not listed.
    """
    starts = [(t, m[1]) for t, line in stamped if (m := RUNNING.search(line))]
    ends = [t for t, _ in starts[1:]] + [total]
    return {name: round(end - start, 2) for (start, name), end in zip(starts, ends, strict=True)}


def stage_peaks(
    stamped: list[tuple[float, str]], samples: list[tuple[float, int]], start: float
) -> dict[str, int]:
    """Each stage's peak RSS of the process tree in MB, from memory samples and stage starts."""
    starts = [(t, m[1]) for t, line in stamped if (m := RUNNING.search(line))]
    ends = [t for t, _ in starts[1:]] + [float("inf")]
    return {
        name: round(max((b for t, b in samples if begin <= t - start < end), default=0) / 2**20)
        for (begin, name), end in zip(starts, ends, strict=True)
    }


def before_stages(stamped: list[tuple[float, str]], total: float) -> float:
    """Seconds from the start of `dvc repro` to its first stage: DVC's own start and checks."""
    return round(next((t for t, line in stamped if RUNNING.search(line)), total), 2)


def staged_repro(repo: Path) -> dict:
    """`dvc repro` timed as scale.repro does, its seconds also split by stage from its output."""
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        PYTHONUNBUFFERED="1",
    )
    command = [sys.executable, "-m", "dvc", "repro", TARGET]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    memory = PeakRSS(process.pid)
    stamped = [(time.perf_counter() - start, line) for line in process.stdout]
    seconds = time.perf_counter() - start
    process.wait()
    peak_total, _ = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"dvc repro failed in {repo}:\n{''.join(line for _, line in stamped)}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_total),
        "before_first_stage": before_stages(stamped, seconds),
        "stages": stage_seconds(stamped, seconds),
        "stage_peak_rss_mb": stage_peaks(stamped, memory.samples, start),
    }


def measure_size(repo: Path, documents: int, args: argparse.Namespace) -> dict:
    """At one corpus size, after growing to it: a no-op, the edit re-runs, and the stages."""
    noops = [repro(repo) for _ in range(args.noops)]
    raw = repo / "raw"
    edits = []
    for index in edited_documents(documents, args.edits):
        path, _, _ = synthetic_document(index, args.sources, args.corpus)
        edits.append(edit_one(repo, [raw / path], raw))
    figures = {
        "noop": noops,
        "noop_seconds": median(r["seconds"] for r in noops),
        "edits": edits,
        "edit_seconds": median(r["seconds"] for r in edits),
        "edit_peak_rss_mb": max(r["peak_rss_mb"] for r in edits),
    }
    if args.stages:
        path, _, _ = synthetic_document(documents // 2 + 1, args.sources, args.corpus)
        edited = raw / path
        edited.write_text(edited.read_text() + "\nThe story was updated again on Tuesday.\n")
        figures["stages"] = staged_repro(repo)
    return figures


def base_edits(revision: str, documents: int, args: argparse.Namespace, work: Path) -> dict:
    """Another revision's edit re-runs on the smallest corpus, in its own workspace.

    Measured in the same run as this checkout's, as compare_edits.py does, for a baseline
    taken under the same load.
    """
    root = work / "corpus"
    write_documents(root, range(documents), args.sources, args.corpus)
    files = corpus(root)
    figures = edit_times(
        export(revision, work / "base-code"), files, root, work / "base", args.edits
    )
    return {
        "revision": revision,
        "documents": documents,
        **figures,
        "edit_seconds_median": median(figures["edit_seconds"]),
    }


def grow(args: argparse.Namespace, work: Path) -> tuple[list[dict], dict | None]:
    """Grow one workspace through the sizes, measuring at each; the base revision's figures."""
    repo = make_repo(work / "repo", [], args.corpus)
    runs: list[dict] = []
    base = None
    written = 0
    for size in sorted(set(args.sizes)):
        write_documents(repo / "raw", range(written, size), args.sources, args.corpus)
        step = {"documents": size, "added": size - written, "growth": repro(repo)}
        written = size
        step.update(measure_size(repo, size, args))
        runs.append(step)
        print(f"N={size}: {summary_line(step)}", flush=True)
        if args.base and base is None:
            base = base_edits(args.base, size, args, work)
            print(f"base {args.base} at N={size}: {base['edit_seconds']}", flush=True)
    return runs, base


def summary_line(step: dict) -> str:
    """One size's figures in a line of the progress output."""
    return (
        f"growth {step['growth']['seconds']} s ({step['growth']['peak_rss_mb']} MB), "
        f"no-op {step['noop_seconds']} s, edits {[e['seconds'] for e in step['edits']]} s "
        f"({step['edit_peak_rss_mb']} MB)"
        + (
            "\n  by stage (s, MB): "
            + ", ".join(
                f"{name} {sec} {step['stages'].get('stage_peak_rss_mb', {}).get(name, '?')}"
                for name, sec in step["stages"]["stages"].items()
            )
            if "stages" in step
            else ""
        )
    )


def growth_of(first: float, last: float) -> float:
    """The relative growth from `first` to `last` (0.1 is 10% more)."""
    return round(last / first - 1, 3)


def verdicts(runs: list[dict], line: dict | None) -> list[dict]:
    """Each target beside what was measured, and whether it is met.

    The edit target is stated at 2,225 documents and the no-op's at 20,000: they are compared
    at the smallest and largest sizes measured, which the rows name.
    """
    first, last = runs[0], runs[-1]
    rows = [
        (
            f"edit re-run at N = {first['documents']:,} (s)",
            first["edit_seconds"],
            "edit_seconds_at_2225",
        ),
        (
            "edit re-run, seconds per 1,000 documents",
            line["seconds_per_1000_documents"] if line else None,
            "seconds_per_1000_documents",
        ),
        (
            f"no-op at N = {last['documents']:,} (s)",
            last["noop_seconds"],
            "noop_seconds_at_largest",
        ),
        (
            "peak RSS growth, edit re-run",
            growth_of(first["edit_peak_rss_mb"], last["edit_peak_rss_mb"]),
            "peak_rss_growth",
        ),
        (
            "peak RSS growth, growth step",
            growth_of(first["growth"]["peak_rss_mb"], last["growth"]["peak_rss_mb"]),
            "peak_rss_growth",
        ),
    ]
    return [
        {
            "measure": measure,
            "result": result,
            "target": TARGETS[key],
            "met": None if result is None else result <= TARGETS[key],
        }
        for measure, result, key in rows
    ]


def edit_budget(documents: int) -> float:
    """The edit target at a corpus size: 8 s up to 2,225 documents, then 0.3 s per 1,000 more."""
    more = max(0, documents - 2225)
    return TARGETS["edit_seconds_at_2225"] + TARGETS["seconds_per_1000_documents"] * more / 1000


def table(rows: list[dict]) -> str:
    """The verdicts as a plain-text table."""
    lines = [f"{'measure':<44} {'result':>9} {'target':>8}  met"]
    for row in rows:
        result = "-" if row["result"] is None else f"{row['result']:g}"
        met = {True: "yes", False: "NO", None: "-"}[row["met"]]
        lines.append(f"{row['measure']:<44} {result:>9} {row['target']:>8g}  {met}")
    return "\n".join(lines)


def plot(results: dict, target: Path) -> None:
    """Edit and no-op seconds against N with their target lines; peak RSS against N."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = results["runs"]
    n = [r["documents"] for r in runs]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(n, [r["edit_seconds"] for r in runs], "s-", label="re-run after one edit (median)")
    left.plot(n, [r["noop_seconds"] for r in runs], "o-", label="no-op dvc repro")
    if results["edit_line"]:
        line = results["edit_line"]
        fitted = [line["fixed_seconds"] + line["seconds_per_1000_documents"] * x / 1000 for x in n]
        left.plot(n, fitted, "--", color="C0", alpha=0.5, label="least-squares line")
    left.plot(n, [edit_budget(x) for x in n], "k:", label="edit target")
    left.axhline(
        TARGETS["noop_seconds_at_largest"], color="grey", linestyle="--", label="no-op target"
    )
    left.set(
        title="Seconds against corpus size", xlabel="documents", ylabel="seconds", ylim=(0, None)
    )
    left.legend(fontsize="small")
    right.plot(n, [r["edit_peak_rss_mb"] for r in runs], "s-", label="edit re-run")
    right.plot(n, [r["growth"]["peak_rss_mb"] for r in runs], "o-", label="growth step")
    limit = (1 + TARGETS["peak_rss_growth"]) * runs[0]["edit_peak_rss_mb"]
    right.axhline(limit, color="black", linestyle=":", label="edit re-run's peak + 10%")
    right.set(title="Peak RSS of the process tree", xlabel="documents", ylabel="MB", ylim=(0, None))
    right.legend(fontsize="small")
    code = results["code"]["commit"] + (
        " + changes" if results["code"]["uncommitted_changes"] else ""
    )
    fig.suptitle(f"Chronicle on up to {n[-1]:,} synthetic documents, code {code}")
    fig.tight_layout()
    fig.savefig(target, dpi=100)


def arguments() -> argparse.Namespace:
    """The command line; `sources` (the articles, in order) is added to it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2225, 5000, 10000, 20000])
    parser.add_argument("--edits", type=int, default=3, help="edit re-runs per size, median")
    parser.add_argument("--noops", type=int, default=3, help="no-op re-runs per size, median")
    parser.add_argument("--stages", action="store_true", help="one more edit re-run, by stage")
    parser.add_argument("--base", help="also time this revision's edits at the smallest size")
    parser.add_argument("--name", default="growth", help="results/NAME.json and NAME.png")
    parser.add_argument("--keep", type=Path, help="grow the workspace in this new folder, kept")
    args = parser.parse_args()
    args.sources = corpus(args.corpus) if args.corpus.is_dir() else []
    return args


def main() -> None:
    """Grow the corpus, measure at each size, print the verdicts, write the JSON and the plot."""
    args = arguments()
    if not args.sources:
        print(f"skipped: corpus not found at {args.corpus}")
        return
    results: dict = {
        "code": code_version(),
        "machine": machine(),
        "load_average_at_start": os.getloadavg(),
        "corpus": {"source": str(args.corpus), "articles": len(args.sources)},
        "sizes": sorted(set(args.sizes)),
    }
    if args.keep:  # the grown workspace stays, for a closer look at one size
        args.keep.mkdir(parents=True, exist_ok=False)
        runs, base = grow(args, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            runs, base = grow(args, Path(tmp))
    if base:
        base["ratio_this_to_base"] = round(runs[0]["edit_seconds"] / base["edit_seconds_median"], 3)
    line = (
        fit([r["documents"] for r in runs], [r["edit_seconds"] for r in runs])
        if len(runs) > 1
        else None
    )
    results.update(
        load_average_at_end=os.getloadavg(),
        edit_line=line,
        verdicts=verdicts(runs, line),
        base=base,
        runs=runs,
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(results, indent=2) + "\n")
    plot(results, RESULTS / f"{args.name}.png")
    print(table(results["verdicts"]))
    if base:
        print(
            f"edit re-run at N = {base['documents']:,}: {base['ratio_this_to_base']} x "
            f"{base['revision']}'s ({base['edit_seconds_median']} s), same run"
        )


if __name__ == "__main__":
    main()
