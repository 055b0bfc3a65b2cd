"""Sharing a list of independent jobs between this process and forked helpers.

Why: loading and validating 10,000 files is five seconds of work on one core while
the others wait, and rendering is the generator's largest cost; each file, and each
page, is independent. So this process and helpers forked from it take chunks of the
work from a shared counter (whoever is free takes the next, so none waits for another
however the chunks' costs differ), and each helper sends back what it made. Helpers
are forked before any work is done: they inherit the work (a closure over the
dossier) and its data without copying or pickling them, and start small.

Nothing is lost if a helper fails: a chunk it took but did not deliver (it crashed,
was killed, or its result could not be pickled or read) is done again here, so an
exception in the work is raised in this process with its usual traceback.
Results come back in the order of the chunks, whoever made them: the output does not
depend on how many processes ran, nor on which was quicker.

A helper never returns into the caller's code: it ends with `os._exit`, whatever
happens (an exception, Ctrl-C), so it runs none of this process's cleanup (`finally`
blocks, context managers, atexit); the command line's SIGTERM and SIGINT handler
exits a helper at once too (`cli._stopping_in_order`).
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import pickle
import signal
import struct
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_LENGTH = struct.Struct("<Q")  # each result sent back: its length, then its pickle
_COUNT = struct.Struct("<q")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_chunks(work: Callable[[Sequence[T]], R], items: Sequence[T], *, jobs: int,
               min_items: int, chunk: int, done: Callable[[int], None] | None = None) -> Iterator[R]:
    """`work` of each run of `chunk` consecutive `items`, in their order, made by this
    process and `jobs - 1` forked helpers (see the module docstring).

    All in this process when `jobs` <= 1, when there are fewer than `min_items` items
    (a fork and the results' trip back cost more than they save) or when this system
    cannot fork. Forking copies no thread: only for a process with no other threads
    (the command line), never inside a server. `done(n)` is called here, from this
    thread, with the number of chunks done so far, each time that number grows.
    Leaving the loop early (or an exception) stops the helpers.
    """
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1, not {chunk}")
    count = -(-len(items) // chunk)
    helpers = min(jobs, count) - 1
    if helpers < 1 or len(items) < min_items or not can_fork():
        return _serially(work, items, chunk, done)
    return _Sharing(work, items, chunk, count, done).run(helpers)


def _serially(work: Callable[[Sequence[T]], R], items: Sequence[T], chunk: int,
              done: Callable[[int], None] | None) -> Iterator[R]:
    for n, start in enumerate(range(0, len(items), chunk), 1):
        result = work(items[start:start + chunk])
        if done is not None:
            done(n)
        yield result


class SharedCounter:
    """A number that forked processes take turns to take and increment.

    A POSIX record lock (`lockf`) on a nameless temporary file guards it, not a
    `multiprocessing` lock: the kernel releases a record lock when its holder dies, so a
    helper killed while taking a chunk cannot stop every other process for good.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - open for the run, see close
        os.pwrite(self._file.fileno(), _COUNT.pack(0), 0)

    def fileno(self) -> int:
        return self._file.fileno()

    def take(self) -> int:
        """The number, then one more for the next taker."""
        fd = self._file.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            (value,) = _COUNT.unpack(os.pread(fd, _COUNT.size, 0))
            os.pwrite(fd, _COUNT.pack(value + 1), 0)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)
        return int(value)

    def close(self) -> None:
        self._file.close()


class _Sharing(Generic[T, R]):
    """One `map_chunks` run shared with forked helpers: the counter they take chunks
    from, and the results that came back, waiting to be yielded in order."""

    def __init__(self, work: Callable[[Sequence[T]], R], items: Sequence[T], chunk: int,
                 count: int, done: Callable[[int], None] | None) -> None:
        self.work, self.items, self.chunk, self.count, self.done = work, items, chunk, count, done
        self.counter: SharedCounter  # made when the run starts, closed when it ends
        self.arrived = threading.Condition()  # guards all below; notified as results come
        self.results: dict[int, R] = {}  # made, not yet yielded
        self.delivered = 0  # chunks made so far, by any process
        self.reading = 0  # helpers whose pipe is still read
        self.reported = 0

    def work_on(self, index: int) -> R:
        return self.work(self.items[index * self.chunk:(index + 1) * self.chunk])

    def run(self, helpers: int) -> Iterator[R]:
        self.counter = SharedCounter()
        forked: list[tuple[int, int]] = []  # (pid, read end) per helper
        readers: list[threading.Thread] = []
        try:
            for _ in range(helpers):
                forked.append(self._fork_helper([read_end for _, read_end in forked]))
            self.reading = len(forked)
            for _, read_end in forked:  # threads only once every helper is forked
                # each helper's results are read (and unpickled) as they come: it never
                # waits on a full pipe, and this process finds them ready when it looks
                readers.append(threading.Thread(target=self._receive, args=(read_end,), daemon=True))
                readers[-1].start()
            yield from self._in_order()
        except BaseException:  # a failure, Ctrl-C, or the caller stopped: helpers not wanted
            for pid, _ in forked:
                os.kill(pid, signal.SIGKILL)
            raise
        finally:
            for reader in readers:
                reader.join()
            for _pid, read_end in forked[len(readers):]:  # never read: close the pipe
                os.close(read_end)
            for pid, _ in forked:
                os.waitpid(pid, 0)
            self.counter.close()

    def _in_order(self) -> Iterator[R]:
        """Chunks taken and made here while any is left, then the helpers' awaited; each
        result yielded as soon as all before it are."""
        following = 0  # the next index to yield
        while (index := self.counter.take()) < self.count:
            self._deliver(index, self.work_on(index))
            self._report()
            while (ready := self._pop(following)) is not None:
                yield ready[0]
                following += 1
        while following < self.count:
            ready = self._await(following)
            if ready is None:  # a helper took it and died: made here
                ready = (self.work_on(following),)
                with self.arrived:
                    self.delivered += 1
            self._report()
            yield ready[0]
            following += 1
        self._report()  # the helpers' last results, if they were in before this process looked

    def _deliver(self, index: int, result: R) -> None:
        with self.arrived:
            self.results[index] = result
            self.delivered += 1
            self.arrived.notify_all()

    def _pop(self, index: int) -> tuple[R] | None:
        with self.arrived:
            return (self.results.pop(index),) if index in self.results else None

    def _await(self, index: int) -> tuple[R] | None:
        """The result of chunk `index` once a helper sends it, or None once no helper can;
        progress reported meanwhile."""
        while True:
            with self.arrived:
                self.arrived.wait_for(lambda: index in self.results or not self.reading
                                      or self.delivered != self.reported)
                if index in self.results:
                    return (self.results.pop(index),)
                if not self.reading:
                    return None
            self._report()

    def _report(self) -> None:
        with self.arrived:
            delivered = self.delivered
        if self.done is not None and delivered != self.reported:
            self.done(delivered)
        self.reported = delivered

    def _fork_helper(self, other_pipes: list[int]) -> tuple[int, int]:
        """A helper process taking chunks until none is left; its pid and its results' pipe."""
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the helper: never returns into the caller's code
            status = 1
            try:
                for each in (signal.SIGTERM, signal.SIGINT):  # stop at once, quietly
                    signal.signal(each, _exit_at_once)
                for fd in (read_end, *other_pipes):
                    os.close(fd)
                with os.fdopen(write_end, "wb") as out:
                    while (index := self.counter.take()) < self.count:
                        data = pickle.dumps((index, self.work_on(index)), pickle.HIGHEST_PROTOCOL)
                        out.write(_LENGTH.pack(len(data)))
                        out.write(data)
                        out.flush()  # whole results reach this process as they are made
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        return pid, read_end

    def _receive(self, fd: int) -> None:
        """Every complete result one helper sends. One cut off (the helper died) or
        unreadable ends the reading: what is missing is made again in this process."""
        try:
            with os.fdopen(fd, "rb") as stream:
                while len(head := stream.read(_LENGTH.size)) == _LENGTH.size:
                    (length,) = _LENGTH.unpack(head)
                    data = stream.read(length)
                    try:
                        index, result = pickle.loads(data)
                    except Exception:
                        stream.read()  # let the helper finish writing, then stop
                        return
                    self._deliver(index, result)
        finally:
            with self.arrived:
                self.reading -= 1
                self.arrived.notify_all()


def _exit_at_once(signum: int, frame: object) -> None:
    """A helper's SIGTERM and SIGINT: gone, running none of the caller's cleanup (its
    chunk is made again in the caller if the caller goes on)."""
    os._exit(128 + signum)
