"""Sharing work with forked helpers (`generator.parallel.map_chunks`): the same results
as a plain loop, in order, whoever made them, and nothing lost when a helper fails."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from generator.parallel import SharedCounter, can_fork, map_chunks

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork")

Work = Callable[[Sequence[int]], tuple[list[int], int]]


def _plain_loop(work: Callable[[Sequence[int]], object], items: Sequence[int], chunk: int) -> list[object]:
    return [work(items[i:i + chunk]) for i in range(0, len(items), chunk)]


def _squares(chunk: Sequence[int]) -> list[int]:
    return [n * n for n in chunk]


def _everyone_takes_one(processes: int, then: Callable[[Sequence[int]], object] = _squares) -> Work:
    """A `work` whose first call in each process waits for every process's first call:
    each process surely takes a chunk, however slowly the helpers start (a barrier, not a
    sleep). Returns what `then` makes and the pid that made it."""
    barrier = multiprocessing.get_context("fork").Barrier(processes, timeout=60)
    started: set[int] = set()

    def work(chunk: Sequence[int]) -> tuple[list[int], int]:
        if os.getpid() not in started:
            started.add(os.getpid())
            barrier.wait()
        return then(chunk), os.getpid()  # type: ignore[return-value]

    return work


@pytest.mark.parametrize("jobs", [1, 2, 3, 4])
@pytest.mark.parametrize("min_items", [0, 23, 24])
@pytest.mark.parametrize("chunk", [1, 5, 23, 100])
def test_the_results_of_a_plain_loop_in_its_order(jobs: int, min_items: int, chunk: int) -> None:
    items = list(range(23))
    reported: list[int] = []
    out = list(map_chunks(_squares, items, jobs=jobs, min_items=min_items, chunk=chunk,
                          done=reported.append))
    assert out == _plain_loop(_squares, items, chunk)
    count = len(out)
    assert reported == sorted(set(reported)) and reported[-1] == count  # grows to every chunk


@pytest.mark.parametrize("jobs", [1, 3])
def test_no_items_no_chunks(jobs: int) -> None:
    assert list(map_chunks(_squares, [], jobs=jobs, min_items=0, chunk=3)) == []


@pytest.mark.parametrize("jobs", [2, 3])
def test_every_process_takes_a_share(jobs: int) -> None:
    items = list(range(40))
    out = list(map_chunks(_everyone_takes_one(jobs), items, jobs=jobs, min_items=0, chunk=2))
    assert [squares for squares, _ in out] == _plain_loop(_squares, items, 2)
    pids = {pid for _, pid in out}
    assert os.getpid() in pids and len(pids) == jobs


@pytest.mark.parametrize(("jobs", "min_items", "chunk", "items"), [
    (1, 0, 2, 40),    # one job
    (4, 41, 2, 40),   # fewer items than min_items
    (4, 0, 40, 40),   # one chunk: nothing to share
])
def test_all_here_when_sharing_cannot_pay(jobs: int, min_items: int, chunk: int, items: int) -> None:
    out = list(map_chunks(lambda c: os.getpid(), list(range(items)), jobs=jobs, min_items=min_items,
                          chunk=chunk))
    assert set(out) == {os.getpid()}


def test_all_here_where_the_system_cannot_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.parallel as parallel

    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    out = list(map_chunks(lambda c: os.getpid(), list(range(40)), jobs=4, min_items=0, chunk=2))
    assert set(out) == {os.getpid()}


def _dies(how: str) -> None:
    if how == "exit":
        os._exit(3)
    if how == "SIGKILL":
        os.kill(os.getpid(), signal.SIGKILL)
    raise RuntimeError("a helper's failure")  # "raise": never crosses the fork


@pytest.mark.parametrize("how", ["exit", "SIGKILL", "raise"])
@pytest.mark.parametrize("jobs", [2, 4])
def test_a_chunk_a_helper_dies_on_is_made_here(how: str, jobs: int) -> None:
    main = os.getpid()

    def then(chunk: Sequence[int]) -> list[int]:
        if os.getpid() != main and chunk[0] >= 10:
            _dies(how)
        return _squares(chunk)

    items = list(range(30))
    out = list(map_chunks(_everyone_takes_one(jobs, then), items, jobs=jobs, min_items=0, chunk=2))
    assert [squares for squares, _ in out] == _plain_loop(_squares, items, 2)
    assert all(pid == main for squares, pid in out if squares[0] >= 100)


def test_a_result_that_cannot_be_pickled_is_made_here() -> None:
    main = os.getpid()

    def then(chunk: Sequence[int]) -> object:
        return (lambda: chunk) if os.getpid() != main else _squares(chunk)  # no pickling a lambda

    items = list(range(20))
    out = list(map_chunks(_everyone_takes_one(2, then), items, jobs=2, min_items=0, chunk=2))
    assert [squares for squares, _ in out] == _plain_loop(_squares, items, 2)
    assert {pid for _, pid in out} == {main}


@pytest.mark.parametrize("jobs", [1, 2, 4])
def test_an_exception_in_the_work_is_raised_here_with_its_type(jobs: int) -> None:
    def then(chunk: Sequence[int]) -> list[int]:
        if 13 in chunk:
            raise ValueError(f"bad chunk {list(chunk)}")
        return _squares(chunk)

    work = _everyone_takes_one(jobs, then) if jobs > 1 else then
    with pytest.raises(ValueError, match=r"bad chunk \[12, 13\]"):
        list(map_chunks(work, list(range(30)), jobs=jobs, min_items=0, chunk=2))


def test_large_results_come_back_whole() -> None:
    """Each helper's pipe holds 64 KiB: results of megabytes (a chunk of rendered pages)
    pass only because they are read while being written."""
    def pages(chunk: Sequence[int]) -> dict[str, str]:
        return {f"p{n}/{i}.md": f"{n}:{i}:" + "x" * 1000 for n in chunk for i in range(1500)}

    items = list(range(8))
    out = list(map_chunks(_everyone_takes_one(3, pages), items, jobs=3, min_items=0, chunk=1))
    assert [made for made, _ in out] == _plain_loop(pages, items, 1)
    assert len({pid for _, pid in out}) == 3


def _helper_pids(log: Path) -> set[int]:
    return {int(line) for line in log.read_text().split()} - {os.getpid()}


def _gone(pid: int) -> bool:
    """Whether `pid` is reaped (a zombie still answers signal 0)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _logging_pids(log: Path, processes: int) -> Work:
    def then(chunk: Sequence[int]) -> list[int]:
        with open(log, "a") as out:
            out.write(f"{os.getpid()}\n")
        return _squares(chunk)

    return _everyone_takes_one(processes, then)


def test_leaving_the_loop_early_stops_and_reaps_the_helpers(tmp_path: Path) -> None:
    log = tmp_path / "pids"

    def first_three() -> list[tuple[list[int], int]]:
        out = []
        for made in map_chunks(_logging_pids(log, 3), list(range(1000)), jobs=3, min_items=0, chunk=1):
            out.append(made)
            if len(out) == 3:
                return out  # the loop is abandoned: its generator is closed
        raise AssertionError("never three")

    assert [squares for squares, _ in first_three()] == [[0], [1], [4]]
    helpers = _helper_pids(log)
    assert len(helpers) == 2 and all(_gone(pid) for pid in helpers)


def test_an_exception_here_stops_and_reaps_the_helpers(tmp_path: Path) -> None:
    log = tmp_path / "pids"
    with pytest.raises(KeyError):
        for squares, _ in map_chunks(_logging_pids(log, 3), list(range(1000)), jobs=3, min_items=0,
                                     chunk=1):
            if squares[0] >= 4:
                raise KeyError("the caller's own error")
    helpers = _helper_pids(log)
    assert len(helpers) == 2 and all(_gone(pid) for pid in helpers)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("under_cli", [False, True])
def test_a_signalled_helper_exits_quietly_running_none_of_the_callers_cleanup(
        tmp_path: Path, capfd: pytest.CaptureFixture[str], signum: int, under_cli: bool) -> None:
    """As a CI cancel does to every process: a helper that gets SIGTERM or SIGINT leaves
    at once, printing nothing and running none of the `finally` blocks and context
    managers of the code that called `map_chunks` (they remove temporary folders); its
    chunk is made here. With and without the command line's own handler."""
    import contextlib

    from generator.cli import _stopping_in_order

    main, cleaned = os.getpid(), tmp_path / "cleaned"

    def then(chunk: Sequence[int]) -> list[int]:
        if os.getpid() != main and chunk[0] == 6:
            os.kill(os.getpid(), signum)
        return _squares(chunk)

    items = list(range(30))
    stopping = _stopping_in_order() if under_cli else contextlib.nullcontext()
    with stopping:
        try:
            out = list(map_chunks(_everyone_takes_one(2, then), items, jobs=2, min_items=0, chunk=2))
        finally:
            with open(cleaned, "a") as note:
                note.write(f"{os.getpid()}\n")
    assert [squares for squares, _ in out] == _plain_loop(_squares, items, 2)
    assert cleaned.read_text().split() == [str(main)]
    err = capfd.readouterr().err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_a_counter_taker_killed_holding_the_lock_stops_nobody() -> None:
    """The kernel drops a dead process's record lock: a helper killed while it takes a
    chunk cannot leave the others waiting for ever (a multiprocessing lock would)."""
    counter = SharedCounter()
    try:
        assert counter.take() == 0
        pid = os.fork()
        if pid == 0:
            fcntl.lockf(counter.fileno(), fcntl.LOCK_EX)  # as if killed inside `take`
            os.kill(os.getpid(), signal.SIGKILL)
        os.waitpid(pid, 0)
        fcntl.lockf(counter.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: raises otherwise
        fcntl.lockf(counter.fileno(), fcntl.LOCK_UN)
        assert [counter.take(), counter.take()] == [1, 2]
    finally:
        counter.close()


def test_a_page_a_helper_was_killed_writing_is_spooled_whole(tmp_path: Path) -> None:
    """The render's sink with `map_chunks`: a helper killed halfway through writing a page
    leaves it cut short in its spool folder; the page made again here is the one moved
    into the tree."""
    from generator.spool import Spool

    spool, main = Spool(tmp_path / "spool"), os.getpid()
    text = {n: f"page {n}\n" * 2000 for n in range(12)}

    def write(chunk: Sequence[int]) -> list[str]:
        for n in chunk:
            if os.getpid() != main:  # the helper's first page: cut short, as by a kill mid-write
                spool(f"people/p{n}.md", text[n][:100])
                os.kill(os.getpid(), signal.SIGKILL)
            spool(f"people/p{n}.md", text[n])
        return [f"people/p{n}.md" for n in chunk]

    out = list(map_chunks(_everyone_takes_one(2, write), list(range(12)), jobs=2, min_items=0,
                          chunk=1))
    assert {pid for _, pid in out} == {main}
    assert len(list((tmp_path / "spool").iterdir())) == 2  # the helper's folder: one page cut short
    moved = spool.move_into(tmp_path / "docs", [rel for made, _ in out for rel in made])
    assert {p.name: p.read_text() for p in moved} == {f"p{n}.md": text[n] for n in range(12)}


@pytest.mark.parametrize("own", ["w1", "w9"])  # this process's folder sorted first, then last
def test_the_spool_moves_this_processs_copy_of_a_page_last(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own: str) -> None:
    """Whichever way the workers' folders sort, the copy this process made (again) wins
    over a helper's, which may be cut short."""
    from generator.spool import Spool

    spool = Spool(tmp_path / "spool")
    for worker in ("w1", "w9"):
        (tmp_path / "spool" / worker / "people").mkdir(parents=True)
        (tmp_path / "spool" / worker / "people/a.md").write_text("whole" if worker == own else "cut")
    with monkeypatch.context() as patched:
        patched.setattr(os, "getpid", lambda: int(own[1:]))
        moved = spool.move_into(tmp_path / "docs", ["people/a.md"])
    assert [p.read_text() for p in moved] == ["whole"]
