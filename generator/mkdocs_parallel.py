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
from dataclasses import dataclass
from typing import Any

from .parallel import can_fork, map_chunks
from .progress import Progress

#: pages per chunk: a page takes 20-30 ms to convert and write, so a chunk is about half
#: a second of work, long beside the cost of taking it and sending its result back
CHUNK = 20
#: fewer pages than this are built in one process: forking and the results' trip back
#: would cost more than they save
MIN_PAGES = 100

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


def unsafe_plugins(config: Any) -> list[str]:
    """Plugins of `config` with page events whose state `build` cannot gather."""
    from mkdocs.plugins import BasePlugin

    def defines(plugin: Any, event: str) -> bool:
        handler = getattr(plugin, event, None)  # a plugin object, or a `hooks:` module
        return handler is not None and \
            getattr(handler, "__func__", handler) is not getattr(BasePlugin, event, None)

    return [name for name, plugin in config.plugins.items()
            if name not in GATHERED and any(defines(plugin, event) for event in PAGE_EVENTS)]


def serial_reason(config: Any) -> str | None:
    """Why `config` is built by MkDocs' own `build`, on one core, or None."""
    if changed := changed_sources():
        return "MkDocs' build differs from the one followed here: " + ", ".join(changed)
    if unsafe := unsafe_plugins(config):
        return "plugins with page events of their own: " + ", ".join(unsafe)
    return None


@dataclass(frozen=True)
class _Record:
    """A message MkDocs logged while a chunk was made, to log again in this process."""

    logger: str
    level: int
    message: str


@dataclass(frozen=True)
class _PageFacts:
    """What MkDocs checks across pages after the last is written (`validate_anchor_links`)."""

    present_anchor_ids: frozenset[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # target's src_uri → anchor → link


@dataclass(frozen=True)
class _Chunk:
    pages: list[_PageFacts]
    entries: dict[str, list[Any]]  # a gathering plugin's name → the chunk's entries
    records: list[_Record]


class _Hold(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[_Record] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(_Record(record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def _held_log(owner: int) -> Iterator[list[_Record]]:
    """MkDocs' messages held back (not shown, not counted) while a chunk is made: a
    helper's would be lost, and this process's must come in page order with them.

    When making the chunk fails, process `owner` (the one that goes on) logs what was
    held at once, so MkDocs' "Error building page …" comes with the error; a helper
    logs nothing, as its chunk is made again by `owner` (`parallel.map_chunks`).
    """
    logger = logging.getLogger("mkdocs")
    hold = _Hold()
    handlers, propagate = logger.handlers[:], logger.propagate
    logger.handlers[:] = [hold]
    logger.propagate = False
    try:
        yield hold.records
    except BaseException:
        logger.handlers[:], logger.propagate = handlers, propagate
        if os.getpid() == owner:
            _log(hold.records)
        raise
    finally:
        logger.handlers[:] = handlers
        logger.propagate = propagate


def _log(records: Sequence[_Record]) -> None:
    for record in records:
        logging.getLogger(record.logger).log(record.level, "%s", record.message)


def build(config: Any, *, jobs: int, progress: Progress | None = None) -> int:
    """`mkdocs.commands.build.build(config)` with the pages shared among `jobs` processes;
    returns how many processes made them (1 also when MkDocs' own `build` made them, see
    `serial_reason`). `progress` hears of each page written, either way.

    Only from a process with no other threads (forking copies none): the command line.
    Where this system cannot fork, this process makes every page (`parallel.map_chunks`).
    """
    from mkdocs.commands.build import build as mkdocs_build

    progress = progress or Progress.off()
    if serial_reason(config) is not None:
        config.plugins["dossier-progress"] = _progress_plugin(progress)
        mkdocs_build(config)
        return 1
    return _Build(config, jobs, progress).run()


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


class _Build:
    """`mkdocs.commands.build.build`, with the two passes over the pages in chunks."""

    def __init__(self, config: Any, jobs: int, progress: Progress) -> None:
        self.config, self.jobs, self.progress = config, jobs, progress

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
        from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
        from mkdocs.structure.nav import get_navigation
        from mkdocs.structure.pages import Page

        config = self.config = self.config.plugins.on_config(self.config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        for file in doc_files:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
        shown = {id(page) for page in nav.pages}  # in every page's menu and neighbour links
        for file in doc_files:
            if id(file.page) in shown:
                _populate_page(file.page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=InclusionLevel.is_included)
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
        """Convert and write every page, in chunks shared with forked helpers."""
        from mkdocs.commands.build import _build_page, _populate_page

        config = self.config
        gatherers = {name: take for name, take in GATHERED.items()
                     if take is not None and name in config.plugins}

        owner = os.getpid()

        def make(chunk: Sequence[int]) -> _Chunk:
            lists = {name: take(config.plugins[name]) for name, take in gatherers.items()}
            before = {name: len(entries) for name, entries in lists.items()}
            facts = []
            with _held_log(owner) as records:
                for index in chunk:
                    page = doc_files[index].page
                    if id(page) not in shown:
                        _populate_page(page, config, files)
                    _build_page(page, config, doc_files, nav, env)
                    facts.append(_facts(page))
                    if id(page) not in shown:
                        _release(page)
            made = {name: entries[before[name]:] for name, entries in lists.items()}
            for name, entries in lists.items():  # gathered below, in page order
                del entries[before[name]:]
            return _Chunk(facts, made, records)

        total = len(doc_files)
        jobs = self.jobs if total >= MIN_PAGES and can_fork() else 1
        self.progress.stage("mkdocs pages", total, "pages")
        shown_done = [0]

        def done(chunks: int) -> None:
            now = min(chunks * CHUNK, total)
            self.progress.step(now - shown_done[0])
            shown_done[0] = now

        made = map_chunks(make, range(total), jobs=jobs, min_items=0, chunk=CHUNK, done=done)
        for start, chunk in zip(range(0, total, CHUNK), made, strict=True):
            for offset, facts in enumerate(chunk.pages):
                _apply(doc_files[start + offset].page, facts, files)
            for name, entries in chunk.entries.items():
                gatherers[name](config.plugins[name]).extend(entries)
            _log(chunk.records)
        self.progress.finish()
        return max(1, min(jobs, -(-total // CHUNK)))


def _facts(page: Any) -> _PageFacts:
    links = page.links_to_anchors
    return _PageFacts(
        None if page.present_anchor_ids is None else frozenset(page.present_anchor_ids),
        None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()})


def _apply(page: Any, facts: _PageFacts, files: Any) -> None:
    """A page as MkDocs leaves it for `validate_anchor_links`, whichever process made it."""
    page.present_anchor_ids = None if facts.present_anchor_ids is None else set(facts.present_anchor_ids)
    page.links_to_anchors = None if facts.links_to_anchors is None else {
        files.src_uris[uri]: anchors for uri, anchors in facts.links_to_anchors.items()}


def _release(page: Any) -> None:
    """A written page's text dropped: no other page shows it (it is not in the
    navigation), and holding every page's HTML at once is what made MkDocs' peak memory
    (1.3 GB at 10,000 entities)."""
    page.content = None
    page.toc = []
    page.markdown = None
