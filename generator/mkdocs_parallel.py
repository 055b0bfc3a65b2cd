"""MkDocs' build on several cores: the one module that follows MkDocs' build internals.

Why: MkDocs builds page by page on one core. At 1,000 entities `mkdocs build` takes
30 s, at 10,000 about 300 s, and over nine tenths of it is the two passes over the
pages (Python-Markdown turns each page into HTML, then Material's Jinja template
wraps it), which are independent of each other once the files and the navigation
are known. So `build` does what `mkdocs.commands.build.build` does, step by step,
except those two passes: this process and forked helpers (`parallel.map_chunks`)
take chunks of pages, and each page is read, converted and written by whichever
process took it. What MkDocs gathers across pages comes back from each chunk and is
put together in page order, so the site is byte for byte the one-process build's
(tests/test_mkdocs_parallel.py compares them):

- the search plugin's entries (Material's, or MkDocs' own), written once at the end;
- each page's anchors and the links to anchors it holds, checked at the end as MkDocs
  does;
- the messages MkDocs logs while a chunk is made (a broken link, say): held back in
  the chunk and logged again here, in page order, where `--strict` counts them.

Pages other pages show (the navigation's: their titles, in every page's menu and
in the previous/next links) are converted here before the helpers are forked.

The live preview's rebuilds come here too (`dirty`, with a `serve_url`): MkDocs then
makes again only the pages whose file is newer than its page, and those are what the
processes share. An edit at 1,000 entities changes 26 pages, 0.45 s of MkDocs' work
on one core.

MkDocs 1.6.1 is its last release, so following its internals is a stable bet; still,
`MKDOCS_SOURCES` pins the source of every function this module follows. If any
differs (another MkDocs, or Material), `build` leaves the work to MkDocs' own
`build`, on one core, and tests/test_mkdocs_parallel.py fails with the names of the
functions to read again. Plugins with page events of their own (anything beyond the
search, meta and offline plugins) would keep state in the helpers that is lost, so
a configuration with one of them is built by MkDocs' own `build` as well.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urljoin

from .mkdocs_gathered import Chunk, apply_facts, held_log, log_again, page_facts, release
from .parallel import can_fork, map_chunks
from .progress import Progress

#: pages per chunk: a page takes 20-30 ms to convert and write, so a chunk is about half
#: a second of work, long beside the cost of taking it and sending its result back
CHUNK = 20
#: fewer pages than this are built in one process: forking and the results' trip back
#: would cost more than they save. A page takes 5-20 ms; forking the live preview's
#: 400 MB process at 1,000 entities and reading back a chunk's results, about 10 ms.
#: (An edit there makes 26 pages again: 0.45 s of work on one core.)
MIN_PAGES = 8

#: the page events of MkDocs' plugins
PAGE_EVENTS = ("on_pre_page", "on_page_read_source", "on_page_markdown", "on_page_content",
               "on_page_context", "on_post_page")

#: sha256 of the source of each function `build` follows (see the module docstring)
MKDOCS_SOURCES = {
    "mkdocs.commands.build.build":
        "c476b64474acfaa20c08fdedc074238c6521bf320263065ee7de983ebf2032f9",
    "mkdocs.commands.build._populate_page":
        "31a70ea4caef1e127a9d65a0f346ee322bad00d673ef824d82acf807e61d91c2",
    "mkdocs.commands.build._build_page":
        "adcdbd14b236112697cafec9171bd281981f15a776e0d2f941a62e7bffd9a0d5",
    "mkdocs.structure.pages.Page.render":
        "320529348f7a8af152073d0a3ab02960ccce91f9204716144e51b20931983cc6",
    "mkdocs.structure.pages.Page.validate_anchor_links":
        "874bc52fc630d5e85d851ae9c9f33f69a9c301d4e241fb282729ef417458073d",
    "material.plugins.search.plugin.SearchPlugin.on_page_context":
        "33eb62fd1688be4d99a4e7bf8fc51c1be3d37602b63ad5327c9be3abf5dc8d50",
    "material.plugins.search.plugin.SearchIndex.add_entry_from_context":
        "4ca78ac4321f7704149f84dac0abc5a26afbd7c43de197ce7f481dcab47edb7b",
    "mkdocs.contrib.search.SearchPlugin.on_page_context":
        "1ba8c73e75ece2394d7957300f46dd54e0e613fdc4c17a70fd7a69ee80c2c5b5",
    # calls its module's `build(config, serve_url=..., dirty=...)` (`rebuilding_in_parallel`)
    "mkdocs.commands.serve.serve":
        "518c785249cd4e9d56a4e4bca47559dee4d5a7347293feaa4b0bc551381586ed",
}


def _search_entries(plugin: Any) -> list[Any]:
    """The list a search plugin adds each page's entries to."""
    index = plugin.search_index
    return index.entries if hasattr(index, "entries") else index._entries  # type: ignore[no-any-return]


#: plugins with page events whose state across pages is gathered here: the search
#: plugins' entries. The meta plugin's page event reads only what it loaded from the
#: files before the fork.
GATHERED: dict[str, Callable[[Any], list[Any]] | None] = {
    "material/search": _search_entries,
    "search": _search_entries,
    "material/meta": None,
}


@functools.cache  # the installed source does not change while a process runs
def source_digest(qualified: str) -> str:
    """sha256 of the source of the function named `qualified` (module path, then
    attributes), or "" when it cannot be found."""
    import importlib

    parts = qualified.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for name in parts[cut:]:
                target = getattr(target, name)
            return hashlib.sha256(inspect.getsource(target).encode("utf-8")).hexdigest()
        except (AttributeError, OSError, TypeError):
            return ""
    return ""


def changed_sources() -> list[str]:
    """The functions `build` follows whose source is not the one it was written for."""
    return [name for name, digest in MKDOCS_SOURCES.items() if source_digest(name) != digest]


#: what a plugin (or a `hooks:` module) sets to True when its page events keep no state
#: from one page to another: each page's events run in whichever process makes the page
PAGE_LOCAL = "dossier_page_events_are_page_local"


def unsafe_plugins(config: Any) -> list[str]:
    """Plugins of `config` with page events whose state `build` cannot gather."""
    from mkdocs.plugins import BasePlugin

    def defines(plugin: Any, event: str) -> bool:
        handler = getattr(plugin, event, None)  # a plugin object, or a `hooks:` module
        return handler is not None and \
            getattr(handler, "__func__", handler) is not getattr(BasePlugin, event, None)

    return [name for name, plugin in config.plugins.items()
            if name not in GATHERED and getattr(plugin, PAGE_LOCAL, False) is not True
            and any(defines(plugin, event) for event in PAGE_EVENTS)]


def serial_reason(config: Any) -> str | None:
    """Why `config` is built by MkDocs' own `build`, on one core, or None."""
    if changed := changed_sources():
        return "MkDocs' build differs from the one followed here: " + ", ".join(changed)
    if unsafe := unsafe_plugins(config):
        return "plugins with page events of their own: " + ", ".join(unsafe)
    return None


def build(config: Any, *, jobs: int, progress: Progress | None = None,
          serve_url: str | None = None, dirty: bool = False) -> int:
    """`mkdocs.commands.build.build(config, serve_url=serve_url, dirty=dirty)` with the
    pages shared among `jobs` processes; returns how many processes made them (1 also
    when MkDocs' own `build` made them, see `serial_reason`). `progress` hears of each
    page written, either way.

    Forking copies only the calling thread. From the command line there is no other;
    the live preview calls this from MkDocs' build thread beside its server's threads,
    which a helper never needs: it converts, templates and writes its pages, holds
    MkDocs' messages in a list, sends its results down a pipe and ends with `os._exit`
    (no printing, no lock another thread could have held; `logging` and the import
    lock are reset in a forked child by Python itself). Where this system cannot fork,
    this process makes every page (`parallel.map_chunks`).
    """
    from mkdocs.commands.build import build as mkdocs_build

    progress = progress or Progress.off()
    if serial_reason(config) is not None:
        config.plugins["dossier-progress"] = _progress_plugin(progress)
        mkdocs_build(config, serve_url=serve_url, dirty=dirty)
        return 1
    return _Build(config, jobs, progress, serve_url, dirty).run()


@contextlib.contextmanager
def rebuilding_in_parallel(jobs: int) -> Iterator[None]:
    """`mkdocs serve` builds with `build` here while this lasts: MkDocs' `serve` calls
    the `build` its module imported (its source pinned in `MKDOCS_SOURCES`), with the
    same arguments."""
    import mkdocs.commands.serve

    serving: Any = mkdocs.commands.serve
    original = serving.build
    serving.build = functools.partial(build, jobs=jobs)
    try:
        yield
    finally:
        serving.build = original


def _progress_plugin(progress: Progress) -> Any:
    """A plugin that reports MkDocs' own build to `progress` as `_Build` does: one stage,
    a step per page written."""
    from mkdocs.plugins import BasePlugin

    class ProgressPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
        def on_files(self, files: Any, config: Any) -> Any:
            progress.stage("mkdocs pages", len(files.documentation_pages()), "pages")
            return files

        def on_post_page(self, output: str, **kwargs: Any) -> str:
            progress.step()
            return output

        def on_post_build(self, **kwargs: Any) -> None:
            progress.finish()

    return ProgressPlugin()


def chunk_size(pages: int, jobs: int) -> int:
    """Pages per chunk: `CHUNK`, or fewer when there are few pages (a live preview's
    edit: 26 at 1,000 entities), so that every process gets about two chunks."""
    return max(1, min(CHUNK, -(-pages // (2 * jobs))))


class _Build:
    """`mkdocs.commands.build.build`, with the two passes over the pages in chunks."""

    def __init__(self, config: Any, jobs: int, progress: Progress, serve_url: str | None,
                 dirty: bool) -> None:
        from mkdocs.structure.files import InclusionLevel

        self.config, self.jobs, self.progress = config, jobs, progress
        self.serve_url, self.dirty = serve_url, dirty
        self.inclusion = InclusionLevel.is_in_serve if serve_url else InclusionLevel.is_included

    def run(self) -> int:
        from mkdocs import utils
        from mkdocs.exceptions import Abort, BuildError

        counter = utils.CountHandler()
        counter.setLevel(logging.WARNING)
        if self.config.strict:
            logging.getLogger("mkdocs").addHandler(counter)
        try:
            processes = self._steps()
            if counts := counter.get_counts():
                summary = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
                raise Abort(f"Aborted with {summary} in strict mode!")
            return processes
        except Exception as error:
            self.config.plugins.on_build_error(error=error)
            if isinstance(error, BuildError):
                logging.getLogger("mkdocs").error(str(error))
                raise Abort("Aborted with a BuildError!") from None
            raise
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)

    def _steps(self) -> int:
        from mkdocs import utils
        from mkdocs.commands.build import _build_extra_template, _build_theme_template, _populate_page
        from mkdocs.structure.files import get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        log = logging.getLogger("mkdocs.commands.build")
        config = self.config = self.config.plugins.on_config(self.config)
        config.plugins.on_pre_build(config=config)
        if not self.dirty:
            utils.clean_directory(config.site_dir)
        else:
            log.warning("A 'dirty' build is being performed, this will likely lead to inaccurate "
                        "navigation and other links within your site. This option is designed "
                        "for site development purposes only.")
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        excluded = []
        for file in files.documentation_pages(inclusion=self.inclusion):
            if file.page is None and file.inclusion.is_not_in_nav():
                if self.serve_url and file.inclusion.is_excluded():
                    excluded.append(urljoin(self.serve_url, file.url))
                Page(None, file, config)
        if excluded:
            log.info("The following pages are being built only for the preview but will be "
                     "excluded from `mkdocs build` per `draft_docs` config:\n  - "
                     + "\n  - ".join(excluded))
        doc_files = files.documentation_pages(inclusion=self.inclusion)
        shown = {id(page) for page in nav.pages}  # in every page's menu and neighbour links
        for file in doc_files:
            if id(file.page) in shown:
                _populate_page(file.page, config, files, self.dirty)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=self.dirty, inclusion=self.inclusion)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
        processes = self._pages(files, doc_files, nav, env, shown)
        log_level = config.validation.links.anchors
        for file in doc_files:
            file.page.validate_anchor_links(files=files, log_level=log_level)
        config.plugins.on_post_build(config=config)
        return processes

    def _pages(self, files: Any, doc_files: Sequence[Any], nav: Any, env: Any,
               shown: set[int]) -> int:
        """Convert and write every page (a dirty build: every page whose file changed), in
        chunks shared with forked helpers."""
        from mkdocs.commands.build import _build_page, _populate_page

        config, dirty = self.config, self.dirty
        gatherers = {name: take for name, take in GATHERED.items()
                     if take is not None and name in config.plugins}
        # what a dirty build skips (its file older than its page) is left out before the
        # fork, so that the pages an edit changed are what the processes share
        todo = [i for i, file in enumerate(doc_files) if not dirty or file.is_modified()]
        owner = os.getpid()

        def make(chunk: Sequence[int]) -> Chunk:
            lists = {name: take(config.plugins[name]) for name, take in gatherers.items()}
            before = {name: len(entries) for name, entries in lists.items()}
            facts = []
            with held_log(owner) as records:
                for index in chunk:
                    file = doc_files[index]
                    page = file.page
                    if id(page) not in shown:
                        _populate_page(page, config, files, dirty)
                    _build_page(page, config, doc_files, nav, env, dirty,
                                excluded=file.inclusion.is_excluded())
                    facts.append(page_facts(page))
                    if id(page) not in shown:
                        release(page)
            made = {name: entries[before[name]:] for name, entries in lists.items()}
            for name, entries in lists.items():  # gathered below, in page order
                del entries[before[name]:]
            return Chunk(facts, made, records)

        total = len(todo)
        jobs = self.jobs if total >= MIN_PAGES and can_fork() else 1
        size = chunk_size(total, jobs)
        self.progress.stage("mkdocs pages", total, "pages")
        shown_done = [0]

        def done(chunks: int) -> None:
            now = min(chunks * size, total)
            self.progress.step(now - shown_done[0])
            shown_done[0] = now

        made = map_chunks(make, todo, jobs=jobs, min_items=0, chunk=size, done=done)
        for start, chunk in zip(range(0, total, size), made, strict=True):
            for offset, facts in enumerate(chunk.pages):
                apply_facts(doc_files[todo[start + offset]].page, facts, files)
            for name, entries in chunk.entries.items():
                gatherers[name](config.plugins[name]).extend(entries)
            log_again(chunk.records)
        self.progress.finish()
        return max(1, min(jobs, -(-total // size)))
