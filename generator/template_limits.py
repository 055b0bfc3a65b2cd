"""A time limit per page for a user's template: `time_limit` stops code that runs too long.

A user's template is code the generator runs, and a loop in it that never ends
would hang the render; here it is interrupted by a TemplateTimeout raised inside
it, which `template_errors.template_problem` reports as the user's located error.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import os
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType

#: seconds the template of one page may take; a page takes milliseconds (the largest
#: built-in page, the tags of 25,000 tags, well under a second), so only a template that
#: never ends reaches it. DOSSIER_TEMPLATE_TIME_LIMIT sets another (0: no limit).
TIME_LIMIT = 10.0
TIME_LIMIT_ENV = "DOSSIER_TEMPLATE_TIME_LIMIT"


class TemplateTimeout(Exception):
    """Raised inside a template that ran past its time limit (see `time_limit`)."""


def time_limit(seconds: float) -> contextlib.AbstractContextManager[None]:
    """Raise TemplateTimeout in the code run inside once it has run `seconds` (0: never).

    In the main thread a timer signal interrupts it (`_Alarm`); a forked render worker
    is the main thread of its process. Signals reach only the main thread, so elsewhere
    (the live preview renders in a watcher thread, MkDocs' own serve rebuilds in
    another) a watching thread interrupts it (`_Watchdog`). Either way the exception
    comes between two steps of Python code: a single step that never ends (a C call)
    is not interrupted.
    """
    if seconds <= 0:
        return contextlib.nullcontext()
    if threading.current_thread() is threading.main_thread():
        return _Alarm(seconds)
    return _WATCHDOG.limit(seconds)


class _Alarm:
    """A one-shot ITIMER_REAL timer whose SIGALRM raises TemplateTimeout.

    Each page sets it and clears it, and puts back the handler and any timer that was
    there before: 12.6 µs a page, measured (most of it the two handler swaps), about 1%
    of a profile page's 1.2 ms. The handler puts the old handler back itself before
    raising, so a late signal (the page ended as the timer ran out) can never raise
    outside the page: at worst it fails that page.
    """

    __slots__ = ("pending", "previous", "seconds", "started")

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self) -> None:
        self.previous = signal.signal(signal.SIGALRM, self._expire)
        self.started = time.monotonic()
        self.pending = signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def _expire(self, signum: int, frame: FrameType | None) -> None:
        self._put_back_handler()
        raise TemplateTimeout

    def _put_back_handler(self) -> None:
        signal.signal(signal.SIGALRM, self.previous if self.previous is not None else signal.SIG_DFL)

    def __exit__(self, *exc: object) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        self._put_back_handler()
        delay, interval = self.pending
        if delay:  # someone else's timer was running: it runs on, less the time spent here
            spent = time.monotonic() - self.started
            signal.setitimer(signal.ITIMER_REAL, max(delay - spent, 1e-6), interval)


def _raise_in_thread(ident: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in thread `ident` at its next step of Python code (None: withdraw)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                               None if exc is None else ctypes.py_object(exc))


class _Watchdog:
    """Time limits for threads other than the main one: one daemon thread keeps every
    thread's deadline and raises TemplateTimeout in a thread past its own.

    It sleeps until the earliest deadline, so a run of pages wakes it about once per
    limit, not once per page. A deadline is taken out under the lock both by the
    watchdog (before raising) and by the thread (when its page ends, withdrawing an
    exception sent but not yet raised): no exception can reach a thread after its page.
    """

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # a fork copies no thread

    def _reset(self) -> None:
        self._lock = threading.Condition()
        self._deadlines: dict[int, float] = {}
        self._wake = math.inf  # when the watchdog looks again
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def limit(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        deadline = time.monotonic() + seconds
        with self._lock:
            self._deadlines[ident] = deadline
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="dossier-template-watchdog",
                                                daemon=True)
                self._thread.start()
            elif deadline < self._wake:
                self._lock.notify()
        try:
            yield
        finally:
            with self._lock:
                if self._deadlines.pop(ident, None) is None:  # the watchdog has sent it
                    _raise_in_thread(ident, None)

    def _watch(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for ident, deadline in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[ident]
                        _raise_in_thread(ident, TemplateTimeout)
                self._wake = min(self._deadlines.values(), default=math.inf)
                self._lock.wait(None if self._wake == math.inf else self._wake - now)


_WATCHDOG = _Watchdog()
