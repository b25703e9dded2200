"""Benchmark: time and peak memory of the publish stage as the corpus grows.

Takes a workspace where the pipeline has run (e.g. `stage_costs.py --workspace DIR` on the
BBC corpus), makes copies whose interim tables hold every row `factor` times, and runs the
publish stage on each as its own process. Streaming publish should keep peak memory about flat
while time grows with the rows. Not a test: numbers depend on the machine.

    python benchmarks/publish_scale.py --workspace DIR [--factors 1 4 16] [--code DIR]

`--code` runs another version of the pipeline (e.g. `git archive <commit> pipeline schemas`
unpacked in DIR), to compare with this one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import yaml

PROJECT = Path(__file__).resolve().parents[1]


def scaled_workspace(source: Path, factor: int, target: Path) -> int:
    """A copy of `source`'s params and interim data with every table repeated; rows written."""
    params = yaml.safe_load((source / "params.yaml").read_text())
    interim = source / params["paths"]["interim"]
    rows = 0
    for path in sorted(interim.rglob("*")):
        out = target / params["paths"]["interim"] / path.relative_to(interim)
        if path.is_dir():
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            with pq.ParquetWriter(out, table.schema, compression="zstd") as writer:
                for _ in range(factor):  # one repeat per row group: never all in memory here
                    writer.write_table(table)
            rows += table.num_rows * factor
        else:
            shutil.copyfile(path, out)
    (target / "params.yaml").write_text(yaml.safe_dump(params))
    return rows


def run_publish(workspace: Path, code: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of the publish stage run as its own process."""
    env = dict(os.environ, PYTHONPATH=str(code))
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.publish"],
        cwd=workspace,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"publish failed:\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    """Print seconds and peak MB of publish for each scale factor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workspace",
        type=Path,
        required=True,
        help="a folder with params.yaml and the interim data of a full run",
    )
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument(
        "--code",
        type=Path,
        default=PROJECT,
        help="folder holding the pipeline/ and schemas/ to run",
    )
    args = parser.parse_args()
    print(f"{'factor':>6} {'rows in':>10} {'outputs MB':>10} {'seconds':>8} {'peak MB':>8}")
    for factor in args.factors:
        with tempfile.TemporaryDirectory() as tmp:
            workspace = Path(tmp)
            rows = scaled_workspace(args.workspace, factor, workspace)
            seconds, peak = run_publish(workspace, args.code)
            size = (
                sum(p.stat().st_size for p in (workspace / "outputs").rglob("*") if p.is_file())
                / 2**20
            )
            print(f"{factor:>6} {rows:>10} {size:>10.1f} {seconds:>8.1f} {peak:>8.0f}")


if __name__ == "__main__":
    main()
