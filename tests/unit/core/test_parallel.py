"""Per-document work spread over processes comes back complete and in order."""

import os

from pipeline.core.parallel import MIN_ITEMS_PER_PROCESS, chunked, map_chunks


def square_all_and_say_where(chunk: list[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in chunk]


def test_chunks_cover_the_items_in_order():
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_two_processes_give_the_results_of_one_in_order():
    items = list(range(4 * MIN_ITEMS_PER_PROCESS))
    parallel = [
        r
        for chunk in map_chunks(
            square_all_and_say_where, iter(items), len(items), processes=2, chunk_size=8
        )
        for r in chunk
    ]
    assert [value for value, _ in parallel] == [n * n for n in items]
    assert os.getpid() not in {pid for _, pid in parallel}  # really in worker processes


def test_few_items_stay_in_this_process():
    results = [
        r
        for chunk in map_chunks(square_all_and_say_where, iter(range(5)), 5, processes=2)
        for r in chunk
    ]
    assert {pid for _, pid in results} == {os.getpid()}
