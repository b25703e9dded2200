"""How far a long loop has got: a bar on a terminal, a plain log line now and then elsewhere.

Under `dvc repro`, in CI or with stderr sent to a file, a tqdm bar turns into thousands of
carriage-return updates in the log; there `progress` logs one line every `interval` seconds
instead (time, not a count of items, because a segment and a document differ a hundredfold).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

log = logging.getLogger("chronicle.progress")


def progress(
    items: Iterable[T],
    total: int | None,
    desc: str,
    unit: str = "item",
    weight: Callable[[T], int] | None = None,
    interval: float = 10.0,
) -> Iterator[T]:
    """Yield `items`, showing how many of `total` units are done.

    Each item counts as one unit, or as `weight(item)` units (e.g. a chunk of documents).
    """
    size = weight or (lambda _: 1)
    if sys.stderr.isatty():
        from tqdm import tqdm

        with tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, mininterval=1.0) as bar:
            for item in items:
                bar.update(size(item))
                yield item
        return
    done = 0
    started = last = time.monotonic()
    for item in items:
        done += size(item)
        now = time.monotonic()
        if now - last >= interval:
            log.info("%s: %s after %.0f s", desc, _count(done, total, unit), now - started)
            last = now
        yield item


def _count(done: int, total: int | None, unit: str) -> str:
    """`120/500 segments (24%)`, or `120 segments` when the total is unknown."""
    if not total:
        return f"{done} {unit}s"
    return f"{done}/{total} {unit}s ({100 * done // total}%)"
