"""MkDocs hooks for `dossier serve` (listed under `hooks:` in the preview's mkdocs.yml).

The live preview lets MkDocs rebuild "dirty": only the pages whose Markdown
changed. What MkDocs does per rebuild is changed here:

- The generator says when to rebuild: it is the only writer of the tree, so it
  touches one stamp file once a burst of pages is complete (`serve.Rebuilds.ask`)
  and MkDocs watches that file alone (with the operating system's notifications),
  not the tree. Watching the tree, MkDocs heard each of a burst's files and waited
  for a tenth of a second without one (`build_delay`) before building; it now
  builds at once, once per burst.
- A dirty rebuild that sees a page change between reading and writing it fails
  (Material's search gets a page with no content) and MkDocs then appears stuck:
  the generator writes the tree only while no build runs (`serve.BUILDING`).
- MkDocs makes a new Jinja environment per rebuild and compiled Material's
  templates again each time; compiled templates are kept in memory instead. It also
  listed the theme's files again, matching each of Material's 14,500 (icons mostly)
  against a dozen patterns (0.05 s of every rebuild); the list is kept until the
  site's own theme folder (`overrides/`) changes (`_theme_files`).
- What exists before a rebuild (the generator's model of the whole dossier) is
  frozen for the cyclic garbage collector while MkDocs rebuilds, and one collection
  after the rebuild examines only what it made (`gc_control.collecting_its_garbage`,
  around the server's builder: `_rebuilds_collected`). Python-Markdown makes many
  short-lived objects, and the collections they set off walked the whole heap (a
  tenth of a dirty rebuild's time at 1,000 entities). A rebuild's configuration,
  files, navigation and pages hold one another in cycles; frozen at each build's
  start and thawed at its end, as the hooks once did, each build's were frozen again
  by the next before a full collection reached them: the server grew by 9.7 MB per
  saved edit at 1,000 entities (370 MB to 610 MB in 25 edits), and now stays flat.
- Long one-line raw HTML blocks (a profile's network picture and previews' JSON,
  20 of its 32 kB) are set aside while Python-Markdown converts a page and put back
  after (`raw_blocks`): Markdown and MkDocs each read them with html.parser only to
  pass them through (0.13 s of the 0.64 s MkDocs took for an edit's 26 pages at
  1,000 entities).
- MkDocs' own "Serving on" line is an INFO record nobody shows; the address the
  server really bound (the port `--dev-addr` named, or the one the system gave for
  port 0) is printed as soon as it is bound (`_announce_address`).

What this relies on beyond MkDocs' documented plugin events is pinned by the digest
of its source (`MKDOCS_SOURCES`); tests/test_serve_preview.py fails when MkDocs changes it.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from watchdog.events import EVENT_TYPE_ATTRIB, FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.gc_control import collecting_its_garbage
from generator.raw_blocks import put_back, set_aside
from generator.serve import BUILDING, REBUILDS, rebuild_stamp
from generator.templating import MemoryBytecodeCache

_THEME_CACHE = MemoryBytecodeCache()

#: sha256 of the source of each part of MkDocs (1.6.1) the hooks rely on, and what for;
#: when one differs, read it again (`mkdocs_parallel.source_digest(name)` gives the new digest)
MKDOCS_SOURCES = {
    # `observer` made here, replaced by on_serve before it starts; `build_delay` set here
    "mkdocs.livereload.LiveReloadServer.__init__":
        "e79efeb939bfe4b4bbf5d2f11b320778194229b1fd3f9c061e2a5c66e0df43a2",
    # schedules on `self.observer` (a file as well as a folder); any event means "rebuild"
    "mkdocs.livereload.LiveReloadServer.watch":
        "5db077e3a3e7f8e3ee992d6a96823abdce09565d558580452139816005fe1f1c",
    "mkdocs.livereload.LiveReloadServer.unwatch":
        "24bd7d23db286d686f3572922bef176d0b47d45a5942df82cb4efdbfaa1bd499",
    # binds with `server_activate` (wrapped to print the address), starts the observer
    "mkdocs.livereload.LiveReloadServer.serve":
        "e1d492bd6096889e7e1bf4cb4d11ac910b77767a0a8758f614eb72618a0483d4",
    # waits `build_delay` without events before building (0 here); builds with
    # `self.builder()` (wrapped by on_serve)
    "mkdocs.livereload.LiveReloadServer._build_loop":
        "0bea1402bb4a41bfd626e0532bc254a1c5e3eafac07b73eef5bceef484852e31",
    # adds the live-reload script to pages only while some path is watched (the stamp)
    "mkdocs.livereload.LiveReloadServer._serve_request":
        "3b1515c96f563d1797a9cdb3116be3946f654f34ffcfbf982d9ce616daf9cb00",
    # watches docs_dir and the config file, then calls on_serve, then serves; its
    # `builder` loads the configuration and builds, and keeps nothing of either
    "mkdocs.commands.serve.serve":
        "518c785249cd4e9d56a4e4bca47559dee4d5a7347293feaa4b0bc551381586ed",
    # the theme's environment (made once per build, after on_config) lists the theme's
    # files only for add_files_from_theme
    "mkdocs.commands.build.build":
        "c476b64474acfaa20c08fdedc074238c6521bf320263065ee7de983ebf2032f9",
    "mkdocs.theme.Theme.get_env":
        "9c26120fb96f9204cb08fe133317f0badb6f9725833c414bd685c6fac9905c83",
    # its filter depends only on the theme's static templates and Markdown's extensions
    "mkdocs.structure.files.Files.add_files_from_theme":
        "0169dd2b1c22ca136924ca9136a97b690ba2711d8896258e5858a237c186a12e",
}
#: the theme's files as add_files_from_theme lists them, by `_theme_key`
_THEME_FILES: dict[tuple[Any, ...], list[str]] = {}


class _Touches(FileSystemEventHandler):
    """Passes on only the stamp's touches (`os.utime`: one event each): the native
    observer also reports the file opened and closed."""

    def __init__(self, inner: FileSystemEventHandler):
        super().__init__()
        self.inner = inner

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type == EVENT_TYPE_ATTRIB:
            self.inner.dispatch(event)


class _TouchesObserver(Observer):  # type: ignore[misc,valid-type]
    """The platform's native observer (inotify on Linux), reporting only touches."""

    def schedule(self, event_handler: Any, path: Any, **options: Any) -> Any:
        return super().schedule(_Touches(event_handler), path, **options)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    # after the first build, before serving: one full collection now, rather than in
    # the middle of the first rebuild (it would add a second to the first edit)
    gc.collect()
    for path in (config.docs_dir, config.config_file_path):
        if path:
            server.unwatch(path)
    server.observer = _TouchesObserver()  # not started yet: MkDocs starts it after this event
    server.build_delay = 0  # the stamp is touched once a burst is written: nothing to wait for
    server.builder = _rebuilds_collected(server.builder)
    # watched, the stamp also keeps MkDocs adding its live-reload script to every page
    server.watch(str(rebuild_stamp(Path(config.config_file_path).parent)), recursive=False)
    _announce_address(server)
    return server


def _rebuilds_collected(builder: Callable[..., None]) -> Callable[..., None]:
    """MkDocs' `builder` (load the configuration, build), its garbage collected once it
    returns, without walking what existed before (`collecting_its_garbage`)."""
    def build_and_collect(config: Any = None) -> None:
        with collecting_its_garbage():
            builder(config)

    return build_and_collect


def _announce_address(server: Any) -> None:
    """Print `Serving on http://HOST:PORT` once the server has bound its socket (MkDocs
    binds it after this event, in `serve`): the address it really listens on."""
    activate = server.server_activate

    def activate_and_announce() -> None:
        activate()
        host, port = server.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        mount = server.mount_path.rstrip("/")
        print(f"Serving on http://{shown}:{port}{mount}", file=sys.stderr, flush=True)

    server.server_activate = activate_and_announce


@event_priority(100)
def on_pre_build(config: Any) -> None:
    BUILDING.acquire()
    REBUILDS.began()


def _built() -> None:
    if BUILDING.locked():
        BUILDING.release()
    REBUILDS.finished()  # the generator, waiting for this build, goes on


def on_build_error(error: Exception) -> None:
    _built()


_set_aside: dict[str, list[str]] = {}  # a page's blocks, from its Markdown to its HTML
#: these hooks' page events keep nothing from one page to the next (a page's blocks are
#: set aside and put back in the process that converts it): MkDocs' rebuilds may share
#: the pages among processes (`mkdocs_parallel`)
dossier_page_events_are_page_local = True


@event_priority(-100)  # the Markdown as every other plugin left it
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    text, blocks = set_aside(markdown)
    if blocks:
        _set_aside[page.file.src_uri] = blocks
    return text


@event_priority(100)  # before any other plugin reads the HTML
def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    blocks = _set_aside.pop(page.file.src_uri, None)
    return put_back(html, blocks) if blocks else html


def on_config(config: Any) -> Any:
    """The theme's environment of this build lists the theme's files once per process."""
    theme = config.theme
    make_env = theme.get_env

    def env_listing_once() -> Any:
        env = make_env()
        env.list_templates = functools.partial(_theme_files, theme, env.list_templates)
        return env

    theme.get_env = env_listing_once
    return config


def _theme_files(theme: Any, list_templates: Callable[..., list[str]],
                 extensions: Any = None, filter_func: Any = None) -> list[str]:
    """`list_templates` of the theme's environment, remembered for the filter of
    add_files_from_theme (the only caller that passes one alone)."""
    if extensions is not None or filter_func is None:
        return list_templates(extensions, filter_func)
    key = _theme_key(theme)
    if key not in _THEME_FILES:
        _THEME_FILES[key] = list_templates(filter_func=filter_func)
    return list(_THEME_FILES[key])


def _theme_key(theme: Any) -> tuple[Any, ...]:
    """What the theme's file list depends on: its folders, its static templates and
    what the site's own theme folder holds (Material's installed files do not change)."""
    custom: list[str] = []
    if theme.custom_dir:
        for folder, _, names in os.walk(theme.custom_dir):
            custom += (os.path.join(folder, name) for name in names)
    return tuple(theme.dirs), tuple(sorted(theme.static_templates)), tuple(sorted(custom))


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.bytecode_cache = _THEME_CACHE
    return env


@event_priority(-100)  # after every other plugin: every page is read and written
def on_post_build(config: Any) -> None:
    _built()  # the generator may write the tree again
