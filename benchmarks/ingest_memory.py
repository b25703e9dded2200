"""Benchmark: peak memory and wall time of the ingest stage, one huge document vs a big corpus.

Runs `python -m pipeline.ingest` as its own process (as DVC does) in a temporary workspace, on
  - tiny: one short document (the interpreter and its imports: the floor);
  - huge: one document of --huge-mb megabytes of English text;
  - corpus: --corpus-mb megabytes split into documents of --doc-kb kilobytes;
and prints peak RSS and seconds for each. With --project, the same runs use another checkout's
code (e.g. the previous version) as a baseline. Not a test: numbers depend on the machine.

    python benchmarks/ingest_memory.py [--huge-mb 50] [--corpus-mb 100] [--project ../main]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import yaml

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "raw" / "cuban-missile-crisis-reconsidered.txt"


def english_text(n_bytes: int, seed: int = 0) -> bytes:
    """About `n_bytes` of UTF-8 English: the sample essay repeated, each copy numbered."""
    sample = SAMPLE.read_text(encoding="utf-8")
    parts, size, i = [], 0, seed
    while size < n_bytes:
        part = f"Part {i}.\n\n{sample}\n\n"
        parts.append(part)
        size += len(part.encode())
        i += 1
    return "".join(parts).encode()


def workspace(folder: Path, files: dict[str, bytes]) -> Path:
    """A folder with raw/ holding `files` and a params.yaml pointing at it."""
    raw = folder / "raw"
    raw.mkdir(parents=True)
    for name, data in files.items():
        (raw / name).write_bytes(data)
    params = yaml.safe_load((PROJECT / "params.yaml").read_text())
    params["ingest"] = {"manifest": "raw/manifest.csv", "max_chars": 100_000_000}
    (folder / "params.yaml").write_text(yaml.safe_dump(params))
    return folder


PEAK_RSS = """
import atexit, runpy
def peak():
    with open("/proc/self/status") as status:
        print(next(line for line in status if line.startswith("VmHWM:")).split()[1])
atexit.register(peak)
runpy.run_module("pipeline.ingest", run_name="__main__")
"""
"""Runs the stage and prints its own peak RSS (VmHWM, kB). wait4's ru_maxrss would also count
the parent's memory, which a vfork-ed child inherits until it execs."""


def run_ingest(folder: Path, project: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, outcome) of the ingest stage run from `project`'s code."""
    env = dict(os.environ, PYTHONPATH=str(project))
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RSS], cwd=folder, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"ingest failed:\n{result.stderr[-2000:]}")
    rejects = pq.read_table(folder / "data" / "interim" / "ingest" / "rejects.parquet")
    reasons = sorted(set(rejects.column("reason").to_pylist()))
    outcome = f"rejected: {', '.join(map(str, reasons))}" if reasons else "kept"
    return seconds, int(result.stdout.split()[-1]) / 1024, outcome


def main() -> None:
    """Run the three cases and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge-mb", type=int, default=50)
    parser.add_argument("--corpus-mb", type=int, default=100)
    parser.add_argument("--doc-kb", type=int, default=50)
    parser.add_argument("--project", type=Path, default=PROJECT, help="code to benchmark")
    args = parser.parse_args()
    n_docs = args.corpus_mb * 1024 // args.doc_kb
    cases = {
        "tiny": lambda: {"a.txt": SAMPLE.read_bytes()},
        f"huge ({args.huge_mb} MB, 1 doc)": lambda: {"huge.txt": english_text(args.huge_mb << 20)},
        f"corpus ({args.corpus_mb} MB, {n_docs} docs)": lambda: {
            f"doc{i:05}.txt": english_text(args.doc_kb << 10, seed=i * 1000) for i in range(n_docs)
        },
    }
    print(f"code: {args.project.resolve()}")
    print(f"{'case':32} {'seconds':>8} {'peak MB':>8}  outcome")
    for name, make_files in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = workspace(Path(tmp), make_files())
            seconds, rss, outcome = run_ingest(folder, args.project.resolve())
        print(f"{name:32} {seconds:8.1f} {rss:8.0f}  {outcome}")


if __name__ == "__main__":
    main()
