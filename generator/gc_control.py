"""When CPython's cyclic garbage collector runs: one switch for the whole generator.

Why: the pipeline's stages build millions of long-lived objects and almost no cycles
(rendering 1,000 profiles leaves about 26,000 cyclic objects, under a megabyte), yet
the collector traversed them again and again: a third of the time of load and
validate at 10,000 entities, and a third of a live-preview refresh. So the collector
pauses while the stages run (`garbage_collector(paused=True)`), and each finished
stage's output is frozen (`settle`) so that a collection later skips it. Work that
does make cyclic garbage in bulk (MkDocs' build) runs with the collector back on
(`garbage_collector(paused=False)`, inside a pause). When the outermost pause ends
all is undone, so a long-running process (the preview) frees what it no longer uses.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_pauses = 0  # pauses open now (one process-wide collector, so one count)


@contextlib.contextmanager
def garbage_collector(*, paused: bool) -> Iterator[None]:
    """The collector paused (or, inside a pause, back on) for the `with` block; on exit it
    is as it was, and leaving the outermost pause unfreezes what `settle` froze."""
    global _pauses
    was_enabled = gc.isenabled()
    if paused:
        gc.disable()
        _pauses += 1
    else:
        gc.enable()
    try:
        yield
    finally:
        if paused:
            _pauses -= 1
            if _pauses == 0:
                gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def settle() -> None:
    """Inside a pause: what exists now lives on; collections skip it from now on."""
    if _pauses:
        gc.freeze()
