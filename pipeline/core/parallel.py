"""Spread per-document work over local processes, in order, with bounded memory.

The cheap stages (timexes, events) compute their per-document cache entries in worker
processes when there are enough documents to be worth the start-up; results come back in
submission order, and only a few chunks are in flight at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

import pyarrow

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
    context = worker_context()
    if context.get_start_method() == "fork":
        release_free_memory()
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        pending: list[Future[R]] = []
        for chunk in chunks:
            pending.append(pool.submit(work, chunk))
            if len(pending) >= 2 * processes:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
