"""Sharing work with a forked helper (`generator.parallel`): same results as one
process, in order, and nothing lost when the helper fails."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from generator.parallel import can_fork, map_shared

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork")


def _all_take_one(processes: int):  # type: ignore[no-untyped-def]
    """A `work` whose first call in each process waits for every process's first call:
    each process surely takes a chunk, however slowly the helpers start."""
    barrier = multiprocessing.get_context("fork").Barrier(processes, timeout=30)
    started: set[int] = set()

    def work(n: int) -> tuple[int, int]:
        if os.getpid() not in started:
            started.add(os.getpid())
            barrier.wait()
        return n * n, os.getpid()

    return work


def test_results_come_back_in_order_and_both_processes_work():
    taken: list[int] = []
    out = map_shared(_all_take_one(2), list(range(30)), taken.append)
    assert [square for square, _ in out] == [n * n for n in range(30)]
    pids = {pid for _, pid in out}
    assert os.getpid() in pids and len(pids) == 2
    assert taken == sorted(taken) and taken[-1] <= 30


def test_chunks_a_dead_helper_took_are_done_here():
    main_pid = os.getpid()

    def work(n: int) -> tuple[int, int]:
        if os.getpid() != main_pid and n >= 2:
            os._exit(3)  # the helper dies holding chunk n
        time.sleep(0.01)
        return n, os.getpid()

    out = map_shared(work, list(range(12)))
    assert [n for n, _ in out] == list(range(12))
    assert all(pid == main_pid for n, pid in out if n >= 2)


def test_an_error_in_the_work_is_raised_here_with_its_type():
    def work(n: int) -> int:
        if n == 5:
            raise ValueError(f"bad chunk {n}")
        return n

    with pytest.raises(ValueError, match="bad chunk 5"):
        map_shared(work, list(range(10)))


def test_unpicklable_results_are_made_here():
    main_pid = os.getpid()

    def work(n: int) -> object:
        time.sleep(0.01)
        return (lambda: n) if os.getpid() != main_pid else n  # a lambda cannot be pickled

    out = map_shared(work, list(range(8)))
    assert out == list(range(8))


def test_several_helpers():
    out = map_shared(_all_take_one(4), list(range(40)), helpers=3)
    assert [square for square, _ in out] == [n * n for n in range(40)]
    assert len({pid for _, pid in out}) == 4
