"""Faults: `dvc repro` killed with SIGKILL in the middle of each stage, then run again.

A real `dvc repro` runs in a temporary git repository on the sample document plus 40 variants
of it and a few files that get rejected. For each stage in turn, a fresh `dvc repro` is
started and the whole process group (DVC and the stage) is killed while that stage runs: as
soon as it opens a temporary file, or half-way through the time the stage took in an
uninterrupted run. After every kill, each file visible in outputs/ must be complete (equal to
the uninterrupted run's); after a final `dvc repro`, outputs/ must be byte-identical to the
uninterrupted run's, with no temporary file left behind.
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.support.helpers import digests, dvc, make_repo

pytestmark = pytest.mark.slow

STAGES = ("ingest", "nlp", "timexes", "events", "entities", "happenings", "validate", "publish")
"""The pipeline's stages in run order (the evaluation stages do not write outputs/)."""

SAMPLE = "cuban-missile-crisis-reconsidered.txt"


def write_fault_corpus(raw: Path) -> None:
    """40 documents made of shuffled sentences of the sample, plus a duplicate and two rejects."""
    sentences = [s for s in (raw / SAMPLE).read_text(encoding="utf-8").split("\n") if s.strip()]
    for i in range(40):
        picked = random.Random(i).sample(sentences, k=min(12, len(sentences)))
        (raw / f"variant-{i:02}.txt").write_text("\n".join(picked), encoding="utf-8")
    (raw / "copy of variant-00.txt").write_bytes((raw / "variant-00.txt").read_bytes())
    (raw / "empty.txt").write_bytes(b"")
    (raw / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")


class Repro:
    """A `dvc repro` in its own process group, its output lines read as they come."""

    def __init__(self, repo: Path) -> None:
        env = dict(
            os.environ,
            DVC_NO_ANALYTICS="1",
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONUNBUFFERED="1",
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        )
        env.pop("PYTHONPATH", None)
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dvc", "repro"],
            cwd=repo,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.monotonic() - self.started, line))

    def wait_for(self, text: str, timeout: float = 600) -> float | None:
        """Time since start when a line containing `text` appeared; None if the run ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                at, line = self.lines.get(timeout=0.05)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    return None
                continue
            self.output.append(line)
            if text in line:
                return at
        raise TimeoutError(f"no line with {text!r} within {timeout} s")

    def kill(self) -> int:
        """SIGKILL the whole process group (DVC and the running stage); its exit code."""
        with contextlib.suppress(ProcessLookupError):  # it may have ended by itself
            os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.wait(timeout=60)


def stage_durations(repo: Path) -> dict[str, float]:
    """Run `dvc repro` to the end and time each stage from its start to the next one's."""
    run = Repro(repo)
    starts = {}
    for stage in STAGES:
        at = run.wait_for(f"Running stage '{stage}'")
        assert at is not None, "".join(run.output)
        starts[stage] = at
    end = run.wait_for("Running stage 'evaluate_tempeval") or time.monotonic() - run.started
    assert run.process.wait(timeout=600) == 0, "".join(run.output)
    ends = [starts[s] for s in STAGES[1:]] + [end]
    return {stage: ends[i] - starts[stage] for i, stage in enumerate(STAGES)}


def temp_files(*folders: Path) -> list[Path]:
    """Temporary files (atomic writes in progress, or left by a killed one) in `folders`."""
    return [p for folder in folders if folder.exists() for p in folder.rglob(".*.tmp")]


def kill_during(repo: Path, stage: str, duration: float) -> bool:
    """Start `dvc repro` and SIGKILL it while `stage` runs; True if the kill landed mid-stage."""
    watched = [repo / "outputs"] if stage == "publish" else [repo / "data" / "interim" / stage]
    run = Repro(repo)
    started = run.wait_for(f"Running stage '{stage}'")
    assert started is not None, f"dvc repro ended before {stage} started:\n{''.join(run.output)}"
    deadline = time.monotonic() + duration / 2
    while time.monotonic() < deadline and run.process.poll() is None:
        if temp_files(*watched):  # a write is in progress: the worst moment to die
            break
        time.sleep(0.002)
    landed = run.process.poll() is None
    run.kill()
    return landed


def visible_files(folder: Path) -> list[Path]:
    """Files a reader would see in `folder`: not hidden."""
    return [
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]


@pytest.fixture(scope="module")
def uninterrupted(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, str], dict[str, float]]:
    """Digests of outputs/ after an uninterrupted run, and how long each stage took."""
    repo = make_repo(tmp_path_factory.mktemp("uninterrupted") / "chronicle")
    write_fault_corpus(repo / "raw")
    durations = stage_durations(repo)
    return digests(repo / "outputs"), durations


def test_killed_in_every_stage_then_rerun_gives_the_uninterrupted_tables(uninterrupted, tmp_path):
    expected, durations = uninterrupted
    repo = make_repo(tmp_path / "killed")
    write_fault_corpus(repo / "raw")
    outputs = repo / "outputs"
    for stage in STAGES:
        assert kill_during(repo, stage, durations[stage]), f"the kill missed stage {stage}"
        for path in visible_files(outputs):  # nothing half-written is visible
            name = str(path.relative_to(outputs))
            assert digests(outputs)[name] == expected[name], f"partial {name} after {stage}"
        for path in visible_files(repo / "data" / "interim"):
            if path.suffix == ".parquet":
                pq.read_metadata(path)  # complete: a truncated file has no footer
    dvc(repo, "repro")
    assert digests(outputs) == expected
    assert temp_files(outputs, repo / "data" / "interim") == []
    assert "up to date" in dvc(repo, "status").stdout
