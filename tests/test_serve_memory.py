"""`dossier serve` keeps no MkDocs rebuild alive once it is done: each rebuild's
configuration, files, navigation and pages (cyclic garbage) are collected after it,
by a collection that does not walk what existed before (`gc_control.collecting_its_garbage`)."""

from __future__ import annotations

import gc
import shutil
import weakref
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.config import DEFAULT_CONFIG_DIR
from generator.gc_control import collecting_its_garbage, garbage_collector
from generator.pipeline import Options
from generator.serve import Preview, refresh

from .conftest import FIXTURES

#: what each MkDocs rebuild makes and then drops, all in cycles with one another
KINDS = (MkDocsConfig, File, Navigation, Page)
SERVE_URL = "http://127.0.0.1:8000/"


@dataclass
class Served:
    """A preview of the mini dossier, set up as `dossier serve` sets it up."""

    server: LiveReloadServer
    opts: Options
    tree: Path
    state: Preview

    def rename_jane(self, name: str) -> None:
        """Edit a profile and refresh as the watcher does; MkDocs rebuilds after each
        burst as the server's build loop has it rebuild (`server.builder()`)."""
        jane = self.opts.content_dir / "people" / "jane-doe.yml"
        lines = jane.read_text(encoding="utf-8").splitlines(keepends=True)
        assert lines[0].startswith("name: ")
        jane.write_text("".join([f"name: {name}\n", *lines[1:]]), encoding="utf-8")
        assert refresh(self.opts, self.tree, self.state, written=lambda: self.server.builder())


@pytest.fixture
def served(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Served]:
    """The tree rendered, MkDocs' first build, then its server as the hooks' on_serve
    leaves it (never bound: nothing but its `builder` is used)."""
    content, tree, site = tmp_path / "content", tmp_path / "tree", tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", content)
    opts, state = Options(content_dir=content, config_dir=DEFAULT_CONFIG_DIR), Preview()
    assert refresh(opts, tree, state)

    def get_config() -> MkDocsConfig:  # as mkdocs.commands.serve.serve does
        config = load_config(config_file=str(tree / "mkdocs.yml"), site_dir=str(site))
        config.site_url = SERVE_URL
        return config

    def builder(config: MkDocsConfig | None = None) -> None:
        build(config or get_config(), serve_url=SERVE_URL, dirty=True)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    builder(config)
    server = LiveReloadServer(builder=builder, host="127.0.0.1", port=0, root=str(site))
    server.watch(config.docs_dir)
    server.watch(str(config.config_file_path))
    server = config.plugins.on_serve(server, config=config, builder=builder)
    del config
    try:
        yield Served(server, opts, tree, state)
    finally:
        server.server_close()
        capsys.readouterr()


def _live() -> Counter[str]:
    """Live objects of the `KINDS` a rebuild drops, by kind (frozen ones are not listed,
    so nothing may be frozen)."""
    assert gc.get_freeze_count() == 0
    return Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, KINDS))


def test_no_rebuild_is_kept_alive_by_the_next(served: Served) -> None:
    """Each edit's rebuilds were kept (9.7 MB per edit at 1,000 entities): the hooks froze
    the heap at each build's start, the previous builds' garbage with it."""
    served.rename_jane("Warm Up")  # what the first rebuild leaves for good (caches)
    after_first = _live()
    for n in range(4):
        served.rename_jane(f"Jane Edited{n}")
    assert _live() == after_first
    assert after_first["Page"] == 0, after_first  # the first edit's pages are gone too


class _Cycle:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_the_collection_after_a_block_examines_only_what_it_made() -> None:
    """Garbage made before the block is left for a later full collection: the one after
    the block costs what the block made, not the whole heap."""
    with garbage_collector(paused=True):
        before = weakref.ref(_Cycle())
        with collecting_its_garbage():
            made = weakref.ref(_Cycle())
        assert made() is None and before() is not None
    gc.collect()
    assert before() is None


@pytest.mark.parametrize("pause_ends_first", [False, True])
def test_what_is_frozen_is_thawed_when_the_last_holder_ends(pause_ends_first: bool) -> None:
    """A rebuild (in MkDocs' thread) and a refresh's pause (in the watcher's) hold the
    frozen generation together, in either order of ending: the refresh ending must not
    turn the rebuild's collection into one of the whole heap."""
    pause, block = garbage_collector(paused=True), collecting_its_garbage()
    pause.__enter__()
    block.__enter__()
    first, second = (pause, block) if pause_ends_first else (block, pause)
    first.__exit__(None, None, None)
    assert gc.get_freeze_count() > 0
    second.__exit__(None, None, None)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
