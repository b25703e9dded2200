"""Spread per-document work over local processes, in order, with bounded memory.

The cheap stages (timexes, events) compute their per-document cache entries in worker
processes when there are enough documents to be worth the start-up; results come back in
submission order, and only a few chunks are in flight at once.

Workers die with their parent: a stage killed by the out-of-memory killer (or SIGKILL, or
SIGTERM) leaves no worker behind, blocked on a pipe that no one reads. A worker that is
killed makes the stage stop with one line saying how it died and which documents it held.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

import pyarrow

from pipeline.core.stage import StageError

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_PROCESS = 32
"""Below this many items per extra process, starting processes costs more than it saves."""


def worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forked on Linux, spawned elsewhere.

    A forked worker starts at once with the parent's modules already imported; a spawned one
    spends 0.5-1 s importing them again, per stage. Forking copies only the calling thread,
    and the work done in workers never calls pyarrow or DuckDB (whose thread pools the parent
    may hold), so no lock of theirs can be left held in a worker. macOS and Windows do not
    fork safely: they spawn.
    """
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def release_free_memory() -> None:
    """Hand memory this process has freed back to the system, before forking workers.

    A forked worker's resident size counts every page of its parent that is resident at the
    fork, so memory the parent freed but kept (Python's and Arrow's allocators keep freed
    memory for reuse) would be counted again in each worker.
    """
    gc.collect()
    pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def chunked(
    items: Iterable[T], size: int, weight: Callable[[T], int] | None = None, max_weight: int = 0
) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` items, in order.

    Given `weight`, a list also holds at most `max_weight` in total (characters, bytes): what
    a batch costs in memory often follows its size, not its count. An item heavier than that
    goes alone.
    """
    chunk: list[T] = []
    total = 0
    for item in items:
        cost = weight(item) if weight else 0
        if chunk and (len(chunk) == size or (weight and total + cost > max_weight)):
            yield chunk
            chunk, total = [], 0
        chunk.append(item)
        total += cost
    if chunk:
        yield chunk


PR_SET_PDEATHSIG = 1
"""Linux prctl option: the signal a process gets when the thread that started it ends."""


def die_with_parent(parent: int, sig: int = signal.SIGKILL) -> None:
    """Make this process receive `sig` when its parent `parent` ends, however it ends.

    Linux delivers it (prctl PR_SET_PDEATHSIG), even when the parent is SIGKILLed; elsewhere
    a daemon thread polls the parent's pid once a second. A parent gone before this call
    (the process was reparented already) means exiting at once.
    """
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    else:
        threading.Thread(target=_watch_parent, args=(parent, sig), daemon=True).start()
    if os.getppid() != parent:
        os.kill(os.getpid(), sig)


def _watch_parent(parent: int, sig: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os.kill(os.getpid(), sig)


_ROLL: Any = None
"""In a worker: the shared record of (pid, chunk) per worker slot (see `_start_worker`)."""
_SLOT = -1
"""In a worker: its slot in `_ROLL`."""


def _start_worker(parent: int, roll: Any, taken: Any) -> None:
    """Worker initializer: die with the parent; take a slot to record what it works on."""
    global _ROLL, _SLOT
    die_with_parent(parent)
    with taken.get_lock():
        _SLOT, taken.value = taken.value, taken.value + 1
    _ROLL = roll
    if len(roll) > 2 * _SLOT + 1:
        roll[2 * _SLOT] = os.getpid()


def _tracked(work: Callable[[list[T]], R], index: int, chunk: list[T]) -> R:
    """Run `work` on chunk number `index`, saying first which chunk this worker holds."""
    if _SLOT >= 0 and len(_ROLL) > 2 * _SLOT + 1:
        _ROLL[2 * _SLOT + 1] = index
    return work(chunk)


def item_names(items: Iterable[Any], limit: int = 5) -> str:
    """Names of a chunk's documents: their doc_id or path (in dicts, objects or nested lists)."""
    names: list[str] = []

    def collect(item: Any) -> None:
        if isinstance(item, (list, tuple)):
            for inner in item:
                collect(inner)
            return
        get = item.get if isinstance(item, dict) else lambda key: getattr(item, key, None)
        name = get("doc_id") or get("path")
        names.append(str(name) if name is not None else repr(item)[:60])

    collect(list(items))
    unique = list(dict.fromkeys(names))
    more = f" and {len(unique) - limit} more" if len(unique) > limit else ""
    return ", ".join(unique[:limit]) + more


def killed_worker_error(
    roll: Any, processes: dict[int, Any], chunks: dict[int, list]
) -> StageError:
    """The one-line error for a pool broken by a dead worker: how it died, what it held."""
    for slot in range(len(roll) // 2):
        process = processes.get(roll[2 * slot])
        code = process.exitcode if process is not None else None
        if code is None or code >= 0 or code == -signal.SIGTERM:
            continue  # alive, or exited, or terminated by the pool after the failure
        how = signal.Signals(-code).name
        why = (
            " (most often the kernel's out-of-memory killer: lower nlp.n_process or give the "
            "machine more memory)"
            if code == -signal.SIGKILL
            else ""
        )
        held = chunks.get(roll[2 * slot + 1], [])
        return StageError(
            f"a worker process was killed by {how}{why} while working on {item_names(held)}; "
            "run again once the cause is fixed"
        )
    return StageError(
        "a worker process ended abruptly while working on one of "
        f"{item_names(c for chunk in chunks.values() for c in chunk)}; run again"
    )


def map_chunks(
    work: Callable[[list[T]], R],
    items: Iterable[T],
    n_items: int,
    processes: int,
    chunk_size: int = 16,
    min_items: int = MIN_ITEMS_PER_PROCESS,
) -> Iterator[R]:
    """`work` applied to chunks of `items`, in order; in `processes` processes when worth it.

    A process is only started for every `min_items` items; see `worker_context` for how.
    `work` must be picklable (a module-level function or a partial of one): it is sent to
    the workers with each chunk.
    """
    processes = min(processes, n_items // min_items)
    chunks = chunked(items, chunk_size)
    if processes <= 1:
        yield from map(work, chunks)
        return
    yield from _map_in_pool(work, chunks, processes)


def _map_in_pool(
    work: Callable[[list[T]], R], chunks: Iterator[list[T]], processes: int
) -> Iterator[R]:
    """`work` over `chunks` in a pool of `processes` workers that die with this process.

    Each worker records in shared memory its pid and the chunk it works on, so that when
    one is killed (the pool then fails every pending chunk alike) the error names how it
    died and the documents it held.
    """
    context = worker_context()
    if context.get_start_method() == "fork":
        release_free_memory()
    roll = context.Array("q", [-1] * (2 * processes), lock=False)
    taken = context.Value("i", 0)
    in_flight: dict[int, list[T]] = {}
    workers: dict[int, Any] = {}
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(), roll, taken),
    ) as pool:
        pending: list[tuple[int, Future[R]]] = []
        for index, chunk in enumerate(chunks):
            in_flight[index] = chunk
            pending.append((index, pool.submit(_tracked, work, index, chunk)))
            workers.update(getattr(pool, "_processes", None) or {})  # to read exit codes
            while len(pending) >= 2 * processes or (pending and pending[0][1].done()):
                yield _result(pending.pop(0), in_flight, roll, workers)
        while pending:
            yield _result(pending.pop(0), in_flight, roll, workers)


def _result(
    job: tuple[int, Future[R]], in_flight: dict[int, list], roll: Any, workers: dict[int, Any]
) -> R:
    """The result of a submitted chunk, or the error saying which worker died and how."""
    index, future = job
    try:
        result = future.result()
    except BrokenProcessPool as err:
        for process in workers.values():
            process.join(timeout=5)
        raise killed_worker_error(roll, workers, in_flight) from err
    del in_flight[index]
    return result
