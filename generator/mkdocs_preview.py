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
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from generator.render import MemoryBytecodeCache

_THEME_CACHE = MemoryBytecodeCache()
_pages: set[str] = set()  # the site's pages in this rebuild


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def on_files(files: Any, config: Any) -> Any:
    _pages.clear()
    _pages.update(f.url for f in files.documentation_pages())
    return files


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.bytecode_cache = _THEME_CACHE
    return env


@event_priority(100)  # before Material's search plugin writes the index
def on_post_build(config: Any) -> None:
    search = config.plugins.get("material/search")
    previous = getattr(search, "search_index_prev", None)
    current = getattr(search, "search_index", None)
    if previous is None or current is None:  # a first build, or another search plugin
        return
    rebuilt = {_page(entry["location"]) for entry in current.entries}
    previous.entries = [entry for entry in previous.entries
                        if _page(entry["location"]) not in rebuilt
                        and _page(entry["location"]) in _pages]
