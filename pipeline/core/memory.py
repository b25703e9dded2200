"""Make the C library's malloc hand freed memory back to the system as a stage goes.

A stage that works over the whole corpus's columns (entities, happenings, nlp's tables)
allocates and frees many buffers of a few MB. glibc's malloc raises its mmap threshold each
time such a buffer is freed, so later ones come from the heap, where freed memory stays
resident; and each Arrow thread gets a heap (an arena) of its own. The process then held
far more than it used, more as the corpus grew (docs/scaling.md, "Memory").
"""

from __future__ import annotations

import contextlib
import ctypes

M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
"""`mallopt` parameters (glibc's malloc.h)."""

MMAP_THRESHOLD = 2**20
"""Buffers of this size or more are mapped on their own and unmapped when freed."""


def return_freed_memory() -> None:
    """Have malloc map large buffers on their own and keep one arena for every thread.

    A fixed threshold also stops glibc from raising it. A no-op without glibc.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(M_ARENA_MAX, 1)
