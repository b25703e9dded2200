"""Per-document work spread over processes comes back complete and in order."""

import os
import types

import pipeline.timexes
from pipeline.parallel import MIN_ITEMS_PER_PROCESS, chunked, map_chunks
from pipeline.stage import importable


def square_all_and_say_where(chunk: list[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in chunk]


def test_chunks_cover_the_items_in_order():
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_two_processes_give_the_results_of_one_in_order():
    items = list(range(4 * MIN_ITEMS_PER_PROCESS))
    parallel = [r for chunk in map_chunks(square_all_and_say_where, iter(items), len(items),
                                          processes=2, chunk_size=8) for r in chunk]
    assert [value for value, _ in parallel] == [n * n for n in items]
    assert os.getpid() not in {pid for _, pid in parallel}  # really in worker processes


def test_few_items_stay_in_this_process():
    results = [r for chunk in map_chunks(square_all_and_say_where, iter(range(5)), 5,
                                         processes=2) for r in chunk]
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_stage_started_as_main_runs_from_its_importable_module():
    # `python -m pipeline.timexes` defines run() in __main__; Dask would pickle functions
    # from there by value (a fresh module state per task), so the stage runs the named one.
    def body(params):
        raise AssertionError("the __main__ copy ran")

    # what run() looks like when the module is started with -m: defined in __main__,
    # whose globals hold the module's spec
    run = types.FunctionType(body.__code__, {"__name__": "__main__",
                                             "__spec__": pipeline.timexes.__spec__}, "run")
    assert run.__module__ == "__main__"
    assert importable(run) is pipeline.timexes.run
    assert importable(pipeline.timexes.run) is pipeline.timexes.run
