"""The one switch for CPython's cyclic garbage collector (`generator.gc_control`)."""

from __future__ import annotations

import gc

from generator.gc_control import garbage_collector, settle


def test_a_pause_is_undone_on_exit() -> None:
    assert gc.isenabled()
    with garbage_collector(paused=True):
        settle()
        assert gc.get_freeze_count() > 0 and not gc.isenabled()
        with garbage_collector(paused=False):  # e.g. MkDocs' build, which makes cyclic garbage
            assert gc.isenabled()
        assert not gc.isenabled()
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    settle()  # outside a pause: nothing is frozen
    assert gc.get_freeze_count() == 0


def test_only_the_outermost_pause_unfreezes() -> None:
    """The command line pauses around everything and the preview's refresh pauses too:
    an inner pause ending must not drop what the outer one froze."""
    with garbage_collector(paused=True):
        settle()
        frozen = gc.get_freeze_count()
        with garbage_collector(paused=True):
            settle()
        assert gc.get_freeze_count() >= frozen and not gc.isenabled()
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_an_exception_still_restores_the_collector() -> None:
    try:
        with garbage_collector(paused=True):
            settle()
            raise KeyError("stop")
    except KeyError:
        pass
    assert gc.get_freeze_count() == 0 and gc.isenabled()
