"""Sharing a list of independent jobs between this process and forked helpers.

Why: loading and validating 10,000 files is five seconds of work on one core while
the others wait for the render stage. Each file is independent, so this process and
helpers forked from it take chunks of files from a shared counter (whoever is free
takes the next, so none waits for another however the chunks' costs differ), and
each helper sends back what it made. Helpers are forked before any work is done:
they start small and cost no copying.

Nothing is lost if a helper fails: a chunk it took but did not deliver (it crashed,
was killed, or its result could not be pickled or read) is done again here, so an
exception in the work is raised in this process with its usual traceback.
Results come back in the order of the chunks, whoever made them.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_LENGTH = struct.Struct("<Q")  # each result sent back: its length, then its pickle


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_shared(work: Callable[[T], R], chunks: Sequence[T],
               done: Callable[[int], None] | None = None, helpers: int = 1) -> list[R]:
    """[work(c) for c in chunks], shared with `helpers` forked processes (see module docstring).

    Only for a process with no other threads (forking copies none of them), e.g. the
    command line's build. `done(n)` is called here after each chunk this process
    finishes, with the number of chunks taken so far by all.
    """
    counter = multiprocessing.get_context("fork").Value("l", 0)

    def take() -> int:
        with counter.get_lock():
            index = int(counter.value)
            counter.value = index + 1
        return index

    results: dict[int, R] = {}
    pipes: list[tuple[int, int]] = []  # (pid, read end) per helper
    readers: list[threading.Thread] = []
    try:
        for _ in range(max(1, helpers)):
            pipes.append(_fork_helper(work, chunks, take))
        for _, read_end in pipes:  # threads only once every helper is forked
            # each helper's results are read (and unpickled) as they come: it never waits
            # for a full pipe, and this process finds them ready when its own share is done
            readers.append(threading.Thread(target=_receive, args=(read_end, results), daemon=True))
            readers[-1].start()
        while (index := take()) < len(chunks):
            results[index] = work(chunks[index])
            if done is not None:
                done(min(int(counter.value), len(chunks)))
    except BaseException:  # a failure here (or Ctrl-C): the helpers' work is not wanted
        for pid, _ in pipes:
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        for reader in readers:
            reader.join()
        for _pid, read_end in pipes[len(readers):]:  # never read: close the pipe
            os.close(read_end)
        for pid, _ in pipes:
            os.waitpid(pid, 0)
    for index in range(len(chunks)):  # taken by a helper but not delivered
        if index not in results:
            results[index] = work(chunks[index])
    return [results[index] for index in range(len(chunks))]


def _fork_helper(work: Callable[[T], R], chunks: Sequence[T],
                 take: Callable[[], int]) -> tuple[int, int]:
    """A helper process taking chunks until none is left; its pid and its results' pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper: never returns into the caller's code
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                while (index := take()) < len(chunks):
                    data = pickle.dumps((index, work(chunks[index])), pickle.HIGHEST_PROTOCOL)
                    out.write(_LENGTH.pack(len(data)) + data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _receive(fd: int, results: dict[int, Any]) -> None:
    """Every complete result the helper sends. One cut off (the helper died) or unreadable
    ends the reading: what is missing is done again by the caller."""
    with os.fdopen(fd, "rb") as stream:
        while len(head := stream.read(_LENGTH.size)) == _LENGTH.size:
            (length,) = _LENGTH.unpack(head)
            data = stream.read(length)
            try:
                index, result = pickle.loads(data)
            except Exception:
                stream.read()  # let the helper finish writing, then stop
                return
            results[index] = result
