"""Benchmark: the pipeline against bare spaCy, as the corpus grows, re-run and distributed.

Measured side by side in one run: bare spaCy throughput, the whole pipeline's throughput,
time and peak memory at several corpus sizes, an incremental re-run after one document is
edited at each size (split into a fixed and a per-document cost), a no-op `dvc repro`, and
the Dask engine on a 2-worker local cluster.

    python benchmarks/scale.py --corpus ../shared/data/corpus/bbc [--sizes 250 500 1000 2225]
    python benchmarks/scale.py --ratio-only [--base REV] [--pairs 2]

Prints a table and writes ``benchmarks/results/scale.json`` and ``scale.png``. Not a test:
the numbers depend on the machine; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import yaml

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "benchmarks" / "results"
PROJECT_FILES = [
    "pipeline",
    "schemas",
    "dvc.yaml",
    "params.yaml",
    "pyproject.toml",
    ".gitignore",
    ".dvc/config",
    ".dvc/.gitignore",
    ".dvcignore",
    "knowledge_base.csv",
]
TARGET = "publish"
"""The pipeline's last stage: `dvc repro publish` runs the pipeline and skips evaluations."""


def corpus(path: Path, limit: int | None = None) -> list[Path]:
    """Corpus files in a stable order (sorted paths)."""
    files = sorted(path.rglob("*.txt"))
    return files[:limit] if limit else files


def words_in(files: list[Path]) -> int:
    """Whitespace-separated words, the unit of throughput."""
    return sum(len(f.read_text(encoding="utf-8", errors="replace").split()) for f in files)


class PeakRSS:
    """Sample the total resident memory of a process tree until stopped; keep the peak."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_total = 0
        self.peak_single = 0
        self.samples: list[tuple[float, int]] = []
        """(perf_counter seconds, total bytes) of every sample, to split the peak by stage."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                sizes = [p.memory_info().rss for p in procs if p.is_running()]
            except psutil.Error:
                sizes = []
            if sizes:
                self.samples.append((time.perf_counter(), sum(sizes)))
                self.peak_total = max(self.peak_total, sum(sizes))
                self.peak_single = max(self.peak_single, max(sizes))
            self._stop.wait(self.interval)

    def stop(self) -> tuple[float, float]:
        """(peak total MB of the tree, peak MB of any one process)."""
        self._stop.set()
        self._thread.join()
        return self.peak_total / 2**20, self.peak_single / 2**20


def timed(repo: Path, *args: str) -> dict:
    """Run a command in `repo`; its wall time and peak memory."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    start = time.perf_counter()
    process = subprocess.Popen(
        list(args), cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    memory = PeakRSS(process.pid)
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    peak_total, peak_single = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {repo}:\n{output}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_total),
        "peak_process_rss_mb": round(peak_single),
    }


def make_repo(
    dest: Path, files: list[Path], root: Path, params: dict | None = None, project: Path = PROJECT
) -> Path:
    """A git repository with the code of `project` and `files` (relative to `root`) as raw/."""
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = project / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for source in files:
        target = dest / "raw" / source.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    settings = yaml.safe_load((dest / "params.yaml").read_text())
    settings["ingest"]["default_anchor_mode"] = "news"
    for section, values in (params or {}).items():
        settings[section].update(values)
    (dest / "params.yaml").write_text(yaml.safe_dump(settings))
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-qm", "bench"], cwd=dest, check=True)
    return dest


def repro(repo: Path) -> dict:
    """`dvc repro` of the pipeline in `repo`, timed."""
    return timed(repo, sys.executable, "-m", "dvc", "repro", TARGET)


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every published file, the card, report and Croissant metadata included.

    They state an inputs digest, not a git commit, so two runs of the same documents must
    publish every file the same.
    """
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def bare_spacy(files: list[Path], params: dict) -> dict:
    """Throughput of `nlp.pipe` alone: same model, components, batch size and processes."""
    from pipeline.core.model import load_model

    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    nlp = load_model(params["nlp"]["model"])
    processes = params["nlp"]["n_process"] or os.cpu_count()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=params["nlp"]["batch_size"], n_process=processes):
        pass
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "processes": processes,
        "components": list(nlp.pipe_names),
    }


def dask_run(files: list[Path], root: Path, work: Path, name: str = "dask") -> dict:
    """The pipeline on a 2-worker Dask LocalCluster on loopback, set up as the README says."""
    from pipeline.core.engine import local_cluster

    with local_cluster(n_workers=2) as cluster:
        repo = make_repo(
            work / name,
            files,
            root,
            {"engine": {"kind": "dask", "address": cluster.scheduler_address}},
        )
        figures = repro(repo)
    figures["outputs"] = digests(repo / "outputs")
    shutil.rmtree(repo)
    return figures


def dask_against_local(files: list[Path], root: Path, work: Path, pairs: int) -> dict:
    """The whole pipeline with the local engine, then on the Dask cluster, `pairs` times.

    Each pair is timed back to back, since a shared machine's speed drifts; the ratio is
    Dask's time over the local engine's, and every published file must be the same bytes.
    """
    measured = []
    for n in range(pairs):
        repo = make_repo(work / f"local{n}", files, root)
        local = repro(repo)
        local_outputs = digests(repo / "outputs")
        shutil.rmtree(repo)
        dask = dask_run(files, root, work, f"dask{n}")
        identical = dask.pop("outputs") == local_outputs
        measured.append(
            {
                "local_seconds": local["seconds"],
                "dask_seconds": dask["seconds"],
                "ratio": round(dask["seconds"] / local["seconds"], 3),
                "identical_outputs": identical,
                "files_compared": len(local_outputs),
            }
        )
        print(f"pair {n + 1}: {measured[-1]}", flush=True)
    return {
        "pairs": measured,
        "ratio_median": round(statistics.median(p["ratio"] for p in measured), 3),
        "identical_outputs": all(p["identical_outputs"] for p in measured),
    }


def repeated_ratios(
    files: list[Path], root: Path, work: Path, params: dict, pairs: int, first: tuple[float, float]
) -> dict:
    """Bare spaCy then the pipeline, back to back, `pairs` times in all (`first` is the first).

    The speed of a shared machine drifts within the hour; a ratio from adjacent runs, and
    the median of several, says more than one pair taken minutes apart.
    """
    measured = [first]
    for n in range(1, pairs):
        bare_seconds = bare_spacy(files, params)["seconds"]
        repo = make_repo(work / f"pair{n}", files, root)
        measured.append((bare_seconds, repro(repo)["seconds"]))
        shutil.rmtree(repo)
        print(f"pair {n + 1}: bare {bare_seconds} s, pipeline {measured[-1][1]} s", flush=True)
    ratios = [round(bare / pipeline, 3) for bare, pipeline in measured]
    return {
        "pairs": [
            {"bare_seconds": b, "pipeline_seconds": p, "ratio": r}
            for (b, p), r in zip(measured, ratios, strict=True)
        ],
        "ratio_median": round(statistics.median(ratios), 3),
    }


def edit_one(repo: Path, files: list[Path], root: Path) -> dict:
    """Append a sentence to the middle document of `repo`, then time the re-run."""
    edited = files[len(files) // 2].relative_to(root)
    target = repo / "raw" / edited
    target.write_text(target.read_text() + "\nThe story was updated on Monday.\n")
    return {"document": str(edited), **repro(repo)}


def edit_cost(sizes: list[dict]) -> dict:
    """Split the edit re-run's time into a fixed part and a part that grows with the corpus.

    A least-squares line through (documents, edit seconds), against the full run's cost per
    document: as the corpus grows, the edit re-run's fraction of the full run tends to
    `marginal_fraction`. The fixed part is what starting seven stage processes and DVC costs
    whatever the corpus.
    """
    n = [s["documents"] for s in sizes]
    edit = [s["edit_seconds"] for s in sizes]
    slope, fixed = statistics.linear_regression(n, edit)
    full_slope, _ = statistics.linear_regression(n, [s["seconds"] for s in sizes])
    return {
        "fixed_seconds": round(fixed, 2),
        "seconds_per_1000_documents": round(1000 * slope, 2),
        "full_run_seconds_per_1000_documents": round(1000 * full_slope, 2),
        "marginal_fraction": round(slope / full_slope, 3),
    }


def plot(results: dict, target: Path) -> None:
    """Time and memory against corpus size, and throughput against bare spaCy."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["documents"] for r in results["sizes"]]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 4))
    left.plot(sizes, [r["seconds"] for r in results["sizes"]], "o-", label="full run")
    left.plot(
        sizes, [r["edit_seconds"] for r in results["sizes"]], "s--", label="re-run after one edit"
    )
    left.set(title="Run time vs corpus size", xlabel="documents", ylabel="seconds")
    left.legend()
    middle.plot(sizes, [r["peak_rss_mb"] for r in results["sizes"]], "o-", label="whole tree")
    middle.plot(
        sizes, [r["peak_process_rss_mb"] for r in results["sizes"]], "s--", label="largest process"
    )
    middle.set(title="Peak memory vs corpus size", xlabel="documents", ylabel="MB", ylim=(0, None))
    middle.legend()
    pairs = results["pipeline"].get("pairs") or [
        {"ratio": results["pipeline"]["ratio_to_bare_spacy"]}
    ]
    right.bar([f"pair {i}" for i in range(1, len(pairs) + 1)], [p["ratio"] for p in pairs])
    right.axhline(0.8, color="black", linestyle=":", label="target 0.8")
    right.set(
        title="Throughput: pipeline / bare spaCy",
        ylim=(0, 1),
        ylabel="ratio (same run, back to back)",
    )
    right.legend(loc="lower right")
    fig.suptitle(
        f"Chronicle on {results['corpus']['documents']} BBC articles, "
        f"{results['machine']['cores']} cores"
    )
    fig.tight_layout()
    fig.savefig(target, dpi=100)


def machine() -> dict:
    """The machine measured on: cores, memory, Python and the platform."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30),
    }


def code_version() -> dict:
    """The commit measured, and whether the checkout had changes beside it."""
    git = ["git", "-C", str(PROJECT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
    return {"commit": commit.stdout.strip(), "uncommitted_changes": bool(status.stdout.strip())}


def dask_only(args: argparse.Namespace, results: dict) -> None:
    """The Dask engine against the local engine on the whole corpus, and nothing else."""
    files = corpus(args.corpus, max(args.sizes))
    results["code"] = code_version()
    results["corpus"] = {"documents": len(files), "words": words_in(files)}
    with tempfile.TemporaryDirectory() as tmp:
        results["dask"] = dask_against_local(files, args.corpus, Path(tmp), args.pairs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale-dask.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


def pipeline_pairs(files: list[Path], work: Path, args: argparse.Namespace, params: dict) -> list:
    """Bare spaCy, then this checkout's pipeline and (with ``--base``) another revision's.

    Back to back, `args.pairs` times, so each round's ratios are measured minutes apart at
    most on a machine whose speed drifts.
    """
    code = {"pipeline": PROJECT}
    if args.base:
        code["base"] = work / "base-code"
        code["base"].mkdir()
        archive = subprocess.run(
            ["git", "archive", args.base], cwd=PROJECT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(code["base"])], input=archive, check=True)
    rounds = []
    for n in range(args.pairs):
        row = {"bare_seconds": bare_spacy(files, params)["seconds"]}
        for side, project in code.items():
            repo = make_repo(work / f"{side}{n}", files, args.corpus, project=project)
            row[f"{side}_seconds"] = repro(repo)["seconds"]
            row[f"{side}_ratio"] = round(row["bare_seconds"] / row[f"{side}_seconds"], 3)
            shutil.rmtree(repo)
        rounds.append(row)
        print(f"round {n + 1}: {row}", flush=True)
    return rounds


def ratio_only(args: argparse.Namespace, results: dict) -> None:
    """Only the ratio of bare spaCy to the whole pipeline on the whole corpus, in rounds."""
    files = corpus(args.corpus, max(args.sizes))
    params = yaml.safe_load((PROJECT / "params.yaml").read_text())
    results["code"] = {**code_version(), "base": args.base}
    results["corpus"] = {"documents": len(files), "words": words_in(files)}
    with tempfile.TemporaryDirectory() as tmp:
        rounds = pipeline_pairs(files, Path(tmp), args, params)
    results["rounds"] = rounds
    results["ratio_median"] = {
        key.removesuffix("_ratio"): round(statistics.median(r[key] for r in rounds), 3)
        for key in rounds[0]
        if key.endswith("_ratio")
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale-ratio.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


def main() -> None:
    """Run every measurement and write the JSON and the plot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PROJECT.parent / "shared/data/corpus/bbc")
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2225])
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask measurement")
    parser.add_argument(
        "--dask-only",
        action="store_true",
        help="only the whole corpus, local engine then Dask, --pairs times; writes "
        "results/scale-dask.json",
    )
    parser.add_argument(
        "--ratio-only",
        action="store_true",
        help="only bare spaCy against the whole pipeline on the whole corpus, --pairs times; "
        "writes results/scale-ratio.json",
    )
    parser.add_argument("--base", help="with --ratio-only: also time this revision's pipeline")
    parser.add_argument(
        "--pairs",
        type=int,
        default=2,
        help="bare spaCy / pipeline pairs timed on the whole corpus; the ratio "
        "is also given as their median, since a machine's speed can drift",
    )
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus not found at {args.corpus}")
        return
    params = yaml.safe_load((PROJECT / "params.yaml").read_text())
    results: dict = {"machine": machine()}
    if args.dask_only:
        dask_only(args, results)
        return
    if args.ratio_only:
        ratio_only(args, results)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        largest = corpus(args.corpus, max(args.sizes))
        words = words_in(largest)
        results["corpus"] = {"documents": len(largest), "words": words}
        bare = bare_spacy(largest, params)
        bare["words_per_second"] = round(words / bare["seconds"])
        results["bare_spacy"] = bare
        results["sizes"] = []
        for size in sorted(args.sizes):
            files = corpus(args.corpus, size)
            repo = make_repo(work / f"n{size}", files, args.corpus)
            figures = {"documents": len(files), "words": words_in(files), **repro(repo)}
            full_outputs = digests(repo / "outputs")  # the largest size's, before its edit
            rerun = edit_one(repo, files, args.corpus)
            rerun["fraction_of_full_run"] = round(rerun["seconds"] / figures["seconds"], 3)
            figures["edit_seconds"] = rerun["seconds"]
            results["sizes"].append(figures)
            print(f"N={size}: {figures}", flush=True)
        full = results["sizes"][-1]
        results["pipeline"] = {
            "seconds": full["seconds"],
            "words_per_second": round(words / full["seconds"]),
            "ratio_to_bare_spacy": round(bare["seconds"] / full["seconds"], 3),
        }
        results["edit_one_document"] = rerun
        if len({s["documents"] for s in results["sizes"]}) > 1:  # a line needs two sizes
            results["edit_one_document"].update(edit_cost(results["sizes"]))
        results["noop_repro"] = repro(repo)
        if not args.no_dask:
            dask = dask_run(largest, args.corpus, work)
            dask["identical_outputs"] = dask.pop("outputs") == full_outputs
            dask["words_per_second"] = round(words / dask["seconds"])
            dask["ratio_to_local"] = round(dask["seconds"] / full["seconds"], 3)
            results["dask"] = dask
        results["pipeline"].update(
            repeated_ratios(
                largest, args.corpus, work, params, args.pairs, (bare["seconds"], full["seconds"])
            )
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(results, indent=2) + "\n")
    plot(results, RESULTS / "scale.png")
    print(json.dumps({k: v for k, v in results.items() if k != "sizes"}, indent=2))


if __name__ == "__main__":
    main()
