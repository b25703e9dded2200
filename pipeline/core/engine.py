"""Where per-document work runs: local worker processes, or tasks on a Dask cluster.

Every per-document stage (ingest's decode and clean, nlp's parse, timexes, events) hands
`map_partitions` one picklable function and its documents. With ``engine.kind: local`` the
function runs in local worker processes (`pipeline.core.parallel`); with ``engine.kind: dask``
each partition of ``engine.partition_size`` items is one Dask task. Either way:

- the function only computes: it reads its inputs (the text shipped with the partition, or
  files under the project's folders, given to it as absolute paths by `for_workers`) and
  returns its results. It writes nothing; the stage (the client) gathers and writes;
- results come back in submission order, so the tables are written in the same order, and
  the two engines publish the same bytes;
- only a few partitions per worker thread are in flight, so the client's memory stays
  bounded whatever the corpus size.

Workers die with their parent: local ones by `pipeline.core.parallel`; a Dask worker by its
nanny's own guard (it exits as soon as the pipe from its nanny closes, however the nanny
ended), which tests/unit/core/test_engine.py checks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pipeline.core.config import EngineParams
from pipeline.core.parallel import (
    MIN_ITEMS_PER_PROCESS,
    chunked,
    item_names,
    map_chunks,
)
from pipeline.core.stage import StageError, log

T = TypeVar("T")
R = TypeVar("R")
D = TypeVar("D")

LOCAL = EngineParams()
"""The local engine: worker processes on this machine."""

CONNECT_TIMEOUT = "30s"
"""How long to try reaching the Dask scheduler before saying it cannot be reached."""

IN_FLIGHT_PER_THREAD = 2
"""Dask tasks submitted ahead per worker thread: enough to keep every worker busy while the
client writes, few enough that results waiting to be written stay small."""

DASK_WORKER_SETTINGS: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
"""Dask config for the workers that parse: start them without ``MALLOC_TRIM_THRESHOLD_``.

Dask's nanny sets ``MALLOC_TRIM_THRESHOLD_`` (65536) so that workers hand freed memory back to
the system. Setting it also freezes glibc's mmap threshold at 128 kB, so every array spaCy
allocates above that is mapped and unmapped afresh, and parsing slows down (docs/scaling.md,
"A Dask cluster"). Use it with ``dask.config.set`` where the cluster starts, or in a Dask
config file."""


def for_workers(value: D) -> D:
    """`value` (params, or one section of them) with every path made absolute.

    A worker on a cluster does not run in the stage's folder, so a relative path
    (``data/cache``) would name another file there, or none.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: for_workers(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        return dataclasses.replace(value, **changes)  # type: ignore[type-var]
    if isinstance(value, Path):
        return value.absolute()  # type: ignore[return-value]
    return value


def map_partitions(
    work: Callable[[list[T]], R],
    items: Iterable[T],
    n_items: int,
    engine: EngineParams,
    processes: int,
    chunk_size: int = 16,
    min_items: int = MIN_ITEMS_PER_PROCESS,
) -> Iterator[R]:
    """`work` applied to consecutive lists of `items`, in order, on the configured engine.

    Locally: lists of `chunk_size` items in up to `processes` processes, when there are
    `min_items` items per process (`pipeline.core.parallel.map_chunks`). On Dask: lists of
    ``engine.partition_size`` items, one task each. `work` must be picklable (a module-level
    function or a partial of one) and must not write files.
    """
    if engine.kind == "dask":
        assert engine.address is not None  # EngineParams checks it
        return map_on_dask(work, chunked(items, engine.partition_size), engine.address)
    return map_chunks(work, items, n_items, processes, chunk_size, min_items)


def map_items(
    work: Callable[[list[T]], list[R]],
    items: Iterable[T],
    n_items: int,
    engine: EngineParams,
    processes: int,
    chunk_size: int = 16,
) -> Iterator[tuple[T, R]]:
    """Each item with its result, in order: `work` returns one result per item of its list.

    The items sent but not yet answered are kept here, so that the stage can write each
    result beside what it was made from (its cache entry's inputs).
    """
    sent: deque[T] = deque()

    def remembered() -> Iterator[T]:
        for item in items:
            sent.append(item)
            yield item

    for results in map_partitions(work, remembered(), n_items, engine, processes, chunk_size):
        for result in results:
            yield sent.popleft(), result


def map_on_dask(
    work: Callable[[list[T]], R], partitions: Iterable[list[T]], address: str
) -> Iterator[R]:
    """`work` over `partitions` as tasks on the Dask scheduler at `address`, in order."""
    from dask.distributed import Client  # only needed with engine.kind: dask

    with connect(Client, address) as client:
        ahead = IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))
        warn_about_workers(client)
        in_flight: deque[tuple[Any, list[T]]] = deque()
        for partition in partitions:
            in_flight.append((client.submit(work, partition, pure=False), partition))
            if len(in_flight) >= ahead:
                yield task_result(*in_flight.popleft())
        while in_flight:
            yield task_result(*in_flight.popleft())


@contextlib.contextmanager
def connect(client_class: type, address: str) -> Iterator[Any]:
    """A client of the scheduler at `address`, or one line saying it cannot be reached."""
    try:
        client = client_class(address, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except OSError as err:
        raise StageError(
            f"engine.address: cannot reach the Dask scheduler at {address} ({err}); start it "
            "(dask scheduler) or fix engine.address in params.yaml"
        ) from err
    with client:
        yield client


def task_result(future: Any, partition: list) -> Any:
    """A task's result; a worker that died on it stops the stage naming its documents."""
    from distributed.scheduler import KilledWorker

    try:
        return future.result()
    except KilledWorker as err:
        raise StageError(
            f"a Dask worker died (most often out of memory) while working on "
            f"{item_names(partition)}; lower engine.partition_size or give the workers more "
            "memory, then run again"
        ) from err


def malloc_trim_threshold() -> str | None:
    """Run on a Dask worker: its ``MALLOC_TRIM_THRESHOLD_`` (None when unset, the fast case)."""
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def warn_about_workers(client: Any) -> None:
    """Say so when the cluster's workers run with the setting that slows parsing down."""
    slowed = sorted(w for w, value in client.run(malloc_trim_threshold).items() if value)
    if slowed:
        log.warning(
            "engine: %d Dask workers run with MALLOC_TRIM_THRESHOLD_ set, which makes "
            "parsing slower; start them with pipeline.core.engine.DASK_WORKER_SETTINGS "
            "(see docs/scaling.md)",
            len(slowed),
        )


@contextlib.contextmanager
def local_cluster(n_workers: int = 2) -> Iterator[Any]:
    """A Dask cluster of `n_workers` single-threaded worker processes on loopback.

    Set up as docs/scaling.md says (`DASK_WORKER_SETTINGS`). The nannies run in this
    process, so the workers die with it.
    """
    import dask
    from dask.distributed import LocalCluster

    with (
        dask.config.set(DASK_WORKER_SETTINGS),
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        yield cluster
