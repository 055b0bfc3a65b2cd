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

The preview's MkDocs rebuilds run inside `collecting_its_garbage`: what exists before
a rebuild is frozen while it runs, and one collection after it examines only what the
rebuild made, all garbage by then (its configuration, files, navigation, pages and
Markdown trees hold one another in cycles: 9k objects, about 5 MB per rebuild at 1,000
entities, 2 rebuilds an edit). The hooks used to freeze at each build's start
and thaw at its end without a collection: a later build froze the earlier builds'
garbage again before any full collection could reach it (the generator's refresh runs
with the collector paused), and `dossier serve` grew by 9.7 MB per saved edit.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_pauses = 0  # pauses open now (one process-wide collector, so one count)
_collecting = 0  # `collecting_its_garbage` blocks open now (MkDocs' rebuilds, in the server's thread)
#: the preview's generator (pauses) and MkDocs' rebuilds (`collecting_its_garbage`) run
#: in two threads and share the one frozen generation
_freezing = threading.Lock()


@contextlib.contextmanager
def garbage_collector(*, paused: bool) -> Iterator[None]:
    """The collector paused (or, inside a pause, back on) for the `with` block; on exit it
    is as it was, and leaving the outermost pause unfreezes what `settle` froze."""
    global _pauses
    was_enabled = gc.isenabled()
    if paused:
        gc.disable()
        with _freezing:
            _pauses += 1
    else:
        gc.enable()
    try:
        yield
    finally:
        if paused:
            with _freezing:
                _pauses -= 1
                _thaw_when_unheld()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def settle() -> None:
    """Inside a pause: what exists now lives on; collections skip it from now on."""
    if _pauses:
        gc.freeze()


@contextlib.contextmanager
def collecting_its_garbage() -> Iterator[None]:
    """What exists now is frozen for the `with` block; on exit one collection examines
    only what was made meanwhile (the block's objects, garbage once it returns), and
    what was frozen is thawed unless a pause still holds it (see the module docstring).

    The collection costs what the block made, not the whole heap's size: after a
    dirty rebuild at 1,000 entities, 5 to 15 ms for its 9k cyclic objects, where a full
    collection walks 190k live ones (90 ms).
    """
    global _collecting
    with _freezing:
        _collecting += 1
        gc.freeze()
    try:
        yield
    finally:
        with _freezing:
            gc.collect()
            _collecting -= 1
            _thaw_when_unheld()


def _thaw_when_unheld() -> None:
    """Thaw the frozen generation once no pause and no `collecting_its_garbage` block
    holds it: a rebuild's collection must not walk the whole heap because the
    generator's refresh ended meanwhile, nor a pause drop what a rebuild froze."""
    if _pauses == 0 and _collecting == 0:
        gc.unfreeze()
