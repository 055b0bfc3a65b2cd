"""MkDocs hooks for `dossier serve` (listed under `hooks:` in the preview's mkdocs.yml).

The live preview lets MkDocs rebuild "dirty": only the pages whose Markdown
changed. Two things MkDocs and Material do per rebuild are fixed here:

- Material's search plugin merges a dirty rebuild into the previous index on the
  assumption that one page changed; an edit here rewrites several (the profile, its
  neighbours, indexes, views), so the others kept their old entries too and search
  found stale names twice. Before Material writes the index, the previous entries of
  every rebuilt page, and of pages that no longer exist, are dropped.
- MkDocs makes a new Jinja environment per rebuild and compiled Material's
  templates again each time; compiled templates are kept in memory instead.
- MkDocs polls the watched files every half second (stat-ing every page); the tree
  here is written by the generator on this machine, so the operating system's own
  notifications (watchdog's native observer, told only of files created, changed,
  moved or deleted: not of MkDocs' own reads) tell MkDocs at once instead.
- A dirty rebuild that sees a page change between reading and writing it fails
  (Material's search gets a page with no content) and MkDocs then appears stuck:
  the generator writes the tree only while no build runs (`serve.BUILDING`).
- MkDocs' own "Serving on" line is an INFO record nobody shows; the address the
  server really bound (the port `--dev-addr` named, or the one the system gave for
  port 0) is printed as soon as it is bound (`_announce_address`).
"""

from __future__ import annotations

import gc
import sys
from typing import Any

from mkdocs.plugins import event_priority
from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from generator.serve import BUILDING
from generator.templating import MemoryBytecodeCache

_THEME_CACHE = MemoryBytecodeCache()
_pages: set[str] = set()  # the site's pages in this rebuild


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def on_files(files: Any, config: Any) -> Any:
    _pages.clear()
    _pages.update(f.url for f in files.documentation_pages())
    return files


class _Changes(FileSystemEventHandler):
    """Passes on only file changes: the native observer also reports files opened and
    closed, and MkDocs would rebuild after reading its own pages, again and again."""

    KINDS = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_DELETED})

    def __init__(self, inner: FileSystemEventHandler):
        super().__init__()
        self.inner = inner

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.event_type in self.KINDS:
            self.inner.dispatch(event)


class _ChangesObserver(Observer):  # type: ignore[misc,valid-type]
    """The platform's native observer (inotify on Linux), reporting only file changes."""

    def schedule(self, event_handler: Any, path: Any, **options: Any) -> Any:
        return super().schedule(_Changes(event_handler), path, **options)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    # after the first build, before serving: one full collection now, rather than in
    # the middle of the first rebuild (it would add a second to the first edit)
    gc.collect()
    paths = [p for p in (config.docs_dir, config.config_file_path) if p]
    for path in paths:
        server.unwatch(path)
    server.observer = _ChangesObserver()  # not started yet: MkDocs starts it after this event
    for path in paths:
        server.watch(path)
    _announce_address(server)
    return server


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


def _built() -> None:
    if BUILDING.locked():
        BUILDING.release()


def on_build_error(error: Exception) -> None:
    _built()


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.bytecode_cache = _THEME_CACHE
    return env


@event_priority(100)  # before Material's search plugin writes the index
def on_post_build(config: Any) -> None:
    _built()  # every page is read and written: the generator may write the tree again
    search = config.plugins.get("material/search")
    previous = getattr(search, "search_index_prev", None)
    current = getattr(search, "search_index", None)
    if previous is None or current is None:  # a first build, or another search plugin
        return
    rebuilt = {_page(entry["location"]) for entry in current.entries}
    previous.entries = [entry for entry in previous.entries
                        if _page(entry["location"]) not in rebuilt
                        and _page(entry["location"]) in _pages]
