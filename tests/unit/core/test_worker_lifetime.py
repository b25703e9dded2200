"""Workers die with their parent, and a killed worker is named with the documents it held.

Issue 19, item 12: a stage's main process killed (the out-of-memory killer's SIGKILL, or
SIGTERM to `dvc repro`) left its workers running forever, reparented and blocked on a pipe.
Each test runs real processes: a stage-like parent in a subprocess, with forked workers.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.core.parallel import MIN_ITEMS_PER_PROCESS, map_chunks
from pipeline.core.stage import StageError

PROJECT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; forks workers")


def sleep_and_say_where(folder: str, chunk: list[dict]) -> list[int]:
    """Work that never ends: leave this worker's pid in `folder`, then sleep."""
    Path(folder, str(os.getpid())).touch()
    time.sleep(120)
    return [0]


def die_on(doc_id: str, chunk: list[dict]) -> list[str]:
    """Work that SIGKILLs its own worker on the chunk holding `doc_id`, as the OOM killer does."""
    if any(d["doc_id"] == doc_id for d in chunk):
        os.kill(os.getpid(), signal.SIGKILL)
    return [d["doc_id"] for d in chunk]


PARENT = """
import functools, sys
from pipeline.core.stage import main
from pipeline.core.parallel import map_chunks
from tests.unit.core.test_worker_lifetime import sleep_and_say_where

def run(params):
    docs = [{"doc_id": f"doc_{i}"} for i in range(200)]
    work = functools.partial(sleep_and_say_where, sys.argv[1])
    for _ in map_chunks(work, iter(docs), len(docs), processes=2, chunk_size=4):
        pass

main(run, uses_pandas=False)
"""


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def start_stage(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    """A stage (stage.main) whose two workers sleep; returns it and its workers' pids."""
    (tmp_path / "params.yaml").write_text("{}\n")
    pids = tmp_path / "pids"
    pids.mkdir()
    stage = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(pids)],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2, stage.stderr.read() if stage.poll() is not None else "no workers"
    return stage, workers


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(alive(p) for p in pids)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_when_the_stage_is_killed(tmp_path, sig):
    stage, workers = start_stage(tmp_path)
    stage.send_signal(sig)
    stage.wait(timeout=30)
    try:
        assert gone_within(workers, 10), f"workers {workers} outlived their stage"
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_stage_stops_when_the_dvc_that_ran_it_is_killed(tmp_path):
    """`dvc repro` runs the stage as its child; the stage must not outlive it."""
    (tmp_path / "params.yaml").write_text("{}\n")
    (tmp_path / "pids").mkdir()
    launcher = (
        "import subprocess, sys, time\n"
        "subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]])\n"
        "time.sleep(120)\n"
    )
    dvc = subprocess.Popen(
        [sys.executable, "-c", launcher, PARENT, str(tmp_path / "pids")],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
    )
    deadline = time.monotonic() + 60
    while len(list((tmp_path / "pids").iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(p.name) for p in (tmp_path / "pids").iterdir()]
    stage = {int(Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[1]) for w in workers}
    dvc.send_signal(signal.SIGTERM)
    dvc.wait(timeout=30)
    try:
        assert gone_within([*stage, *workers], 15), "the stage or its workers outlived dvc"
    finally:
        for pid in [*stage, *workers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_killed_worker_is_named_with_the_documents_it_held():
    docs = [{"doc_id": f"doc_{i:03d}"} for i in range(4 * MIN_ITEMS_PER_PROCESS)]
    work = functools.partial(die_on, "doc_042")
    with pytest.raises(StageError) as raised:
        for _ in map_chunks(work, iter(docs), len(docs), processes=2, chunk_size=8):
            pass
    message = str(raised.value)
    assert "killed by SIGKILL (most often the kernel's out-of-memory killer" in message
    assert "doc_040, doc_041, doc_042, doc_043, doc_044 and 3 more" in message
    assert "\n" not in message
