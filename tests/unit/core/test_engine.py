"""The engine: the same results, in the same order, locally and on a real Dask cluster.

Issue 18, item 2: every per-document stage maps its work through `pipeline.core.engine`.
The Dask tests start a real `LocalCluster` of worker processes on loopback.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.config import EngineParams, Params, Paths
from pipeline.core.engine import LOCAL, for_workers, local_cluster, map_items, map_partitions
from pipeline.core.stage import StageError
from tests.unit.core.test_worker_lifetime import alive, gone_within

PROJECT = Path(__file__).resolve().parents[3]


def lengths(tag: str, chunk: list[str]) -> list[str]:
    """Work that says which process did it: each word with its length and a tag."""
    return [f"{tag}:{word}:{len(word)}" for word in chunk]


WORDS = [f"word{'x' * (i % 7)}{i}" for i in range(150)]


def test_paths_sent_to_workers_are_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    params = for_workers(Params(paths=Paths(cache=Path("data/cache"))))
    assert params.paths.cache == tmp_path / "data" / "cache"
    assert params.entities.kb == tmp_path / "knowledge_base.csv"
    assert params.nlp == Params().nlp  # everything but paths as it was


def test_local_engine_keeps_the_order_of_the_items():
    work = functools.partial(lengths, "t")
    flat = [r for chunk in map_partitions(work, iter(WORDS), 150, LOCAL, 2, 8) for r in chunk]
    assert flat == lengths("t", WORDS)


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(n_workers=2) as running:
        yield running


def test_dask_engine_gives_the_local_results_in_order(cluster):
    engine = EngineParams(kind="dask", address=cluster.scheduler_address, partition_size=7)
    pairs = list(map_items(functools.partial(lengths, "t"), iter(WORDS), 150, engine, 1))
    assert pairs == list(zip(WORDS, lengths("t", WORDS), strict=True))
    assert "lengths" in cluster.scheduler.task_prefixes  # it ran as Dask tasks


def test_an_unreachable_scheduler_is_one_line_naming_the_param(monkeypatch):
    monkeypatch.setattr("pipeline.core.engine.CONNECT_TIMEOUT", "2s")
    engine = EngineParams(kind="dask", address="tcp://127.0.0.1:9", partition_size=2)
    with pytest.raises(StageError) as raised:
        list(map_partitions(functools.partial(lengths, "t"), iter(WORDS), 150, engine, 1))
    message = str(raised.value)
    assert "engine.address" in message and "tcp://127.0.0.1:9" in message
    assert "\n" not in message


HOLDER = """
import os, sys, time
from pipeline.core.engine import local_cluster
from dask.distributed import Client

with local_cluster(n_workers=2) as cluster, Client(cluster) as client:
    pids = client.run(os.getpid).values()
    print(" ".join(str(p) for p in pids), flush=True)
    time.sleep(120)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_dask_workers_die_when_the_process_holding_the_cluster_is_killed():
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER],
        cwd=PROJECT,
        env=dict(os.environ, PYTHONPATH=str(PROJECT)),
        stdout=subprocess.PIPE,
        text=True,
    )
    workers = [int(pid) for pid in holder.stdout.readline().split()]
    assert len(workers) == 2
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    try:
        assert gone_within(workers, 10), f"Dask workers {workers} outlived their cluster"
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
