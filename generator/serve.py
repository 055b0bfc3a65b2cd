"""`dossier serve`: live preview.

The Markdown tree is rendered into `.dossier/serve/`; MkDocs' own live-reload
server serves it. A watcher re-checks the content when anything under the
content, templates or site configuration changes. After an edit of profiles only,
it re-renders just the pages that can show them (the edited entities and their
neighbours, before and after the edit, plus the indexes and the pages drawn from
the whole dossier) and rewrites only the files whose text changed, in two bursts:
the profiles first, then the rest (`_partial`). After each burst it asks MkDocs to
rebuild (`Rebuilds.ask`; MkDocs watches nothing else, see `mkdocs_preview`), which
it does "dirty", only the pages that changed, and the browser reloads: at 1,000
entities a renamed person's profile, and the profiles that show it, are served
within a second of the save, the indexes about a second later. Templates,
configuration or dossier.yml changes re-render everything. When an edit breaks the
content, the errors are printed and the pages are left alone, so the last good site
keeps being served; the errors are also written into the tree's one script the
preview adds to every page (`SERVE_ERRORS`), which shows them in a banner above the
page until the content is good again (MkDocs rebuilds and reloads the browser, as on
any edit).
"""
from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .build import write_tree
from .config import DEFAULT_TEMPLATES_DIR
from .diagnostics import Diagnostic, Diagnostics, Loc, report
from .gc_control import garbage_collector
from .history import NO_HISTORY, History, LogCache, site_history
from .link import LinkedDossier, neighbours
from .load import LoadCache
from .model import Entity
from .pages.site import tag_pages_split
from .pages.type_index import letters_folder
from .pipeline import Options, check
from .render import RenderedSite, page_path, render, render_pages, whole_dossier_page
from .serve_banner import SERVE_ERRORS, errors_script
from .template_errors import TemplateFailures
from .validate import ValidateCache

SERVE_DIR = Path(".dossier/serve")
#: MkDocs hooks for dirty rebuilds (rebuilds when the generator asks, compiled templates kept)
PREVIEW_HOOKS = Path(__file__).with_name("mkdocs_preview.py")
#: held by MkDocs from the start of a build until every page is written (see the hooks);
#: the tree is written only under it, so no build sees a page change halfway
BUILDING = threading.Lock()
#: the content is re-checked once it has not changed for this long (milliseconds): a
#: save is one write, or a few within a millisecond; each step waited delays every edit
STEP_MS = 20
#: how long (seconds) a thread holds Python's lock while another waits for it: the server's
#: threads answer the browser while the generator makes the second burst of an edit, and
#: with Python's 5 ms each of their turns waited that long (at 1,000 entities, a page asked
#: for then came 0.1 s later)
SWITCH_INTERVAL = 0.0005
#: seconds after which a touch of the stamp no rebuild followed is made again (`Rebuilds.ask`)
RETOUCH_AFTER = 1.0
#: how long the generator waits for the rebuild it asked for before going on (a dirty
#: rebuild takes seconds; MkDocs, stuck or gone, must not stop the preview)
REBUILD_WAIT = 120.0
@dataclass
class Preview:
    """What the last good refresh produced, so that the next can render only the difference."""

    linked: LinkedDossier | None = None
    site: RenderedSite | None = None
    full_next: bool = True  # templates or configuration changed: render every page
    load_cache: LoadCache = field(default_factory=dict)
    validate_cache: ValidateCache = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    history: History = NO_HISTORY  # the content's git history the site shows
    log: LogCache = field(default_factory=LogCache)  # read again only after a commit


def affected(old: LinkedDossier, new: LinkedDossier) -> set[str] | None:
    """Entities whose pages an edit can change; None when every page can (dossier.yml)."""
    if old.dossier != new.dossier:
        return None
    changed = {i for i, e in new.entities.items() if old.entities.get(i) != e}
    changed |= old.entities.keys() - new.entities.keys()
    pages = set(changed)
    for i in changed:
        pages |= neighbours(old, i) | neighbours(new, i)
    return pages & new.entities.keys()


def refresh(opts: Options, tree: Path, state: Preview | None = None,
            written: Callable[[], None] = lambda: None) -> bool:
    """Re-render into `tree`; False (and the tree untouched) when the content fails.

    `written` is called after each burst of files is written (`serve` has MkDocs
    rebuild then); an edit of profiles writes two bursts, its profiles first (see
    `_partial`). The cyclic garbage collector pauses meanwhile (`gc_control`): a
    refresh makes many objects and few cycles, and its passes over the whole dossier's
    model cost a third of it.
    """
    with garbage_collector(paused=True):
        return _refresh(opts, tree, state if state is not None else Preview(), written)


def _refresh(opts: Options, tree: Path, state: Preview, written: Callable[[], None]) -> bool:
    started = time.perf_counter()
    waited = 0.0  # for MkDocs' rebuilds, not the generator's time

    def rebuilt() -> None:
        nonlocal waited
        asked = time.perf_counter()
        with garbage_collector(paused=False):  # MkDocs' rebuild makes cyclic garbage in bulk
            written()
        waited += time.perf_counter() - asked

    result = check(opts, load_cache=state.load_cache, validate_cache=state.validate_cache)
    linked, config = result.linked, result.config
    if linked is None or config is None or result.failed(opts.strict):
        _failed(result.diags, opts, tree, state, rebuilt)
        return False
    history = site_history(opts.content_dir, linked, opts.edition, state.log)  # a commit: any page may change
    ids = _to_render(state, linked, history)
    try:
        if ids is None:
            site = render(linked, config.mkdocs_base, opts.templates_dir, config.static_pages,
                          history=history)
            site.mkdocs_config = _preview_config(site.mkdocs_config)
            changed = _write(site, opts, tree, state, rebuilt)
        else:
            changed = _partial(opts, tree, state, linked, config.mkdocs_base, config.static_pages,
                               history, ids, rebuilt)
    except TemplateFailures as exc:  # a broken template: reported, the pages written so far kept
        # (the profiles, when the rest failed: state.linked is still the last good one, so
        # the next refresh renders the same pages again)
        result.diags.items += exc.problems
        _failed(result.diags, opts, tree, state, rebuilt)
        return False
    state.linked, state.full_next, state.history = linked, False, history
    assert state.site is not None
    rendered = len(state.site.pages) if ids is None else len(ids)
    state.stats = {"rendered": rendered, "changed": changed}
    print(f"dossier: regenerated in {time.perf_counter() - started - waited:.1f} s; "
          f"{rendered} page(s) rendered, {changed} file(s) changed", file=sys.stderr)
    return True


def _to_render(state: Preview, linked: LinkedDossier, history: History) -> set[str] | None:
    """The entities whose pages an edit can change (`affected`), or None: every page (a
    template, the configuration or a commit changed, or the Tags page split or joined)."""
    if state.full_next or state.linked is None or state.site is None or history != state.history \
            or tag_pages_split(state.linked) != tag_pages_split(linked):
        return None
    return affected(state.linked, linked)


def _partial(opts: Options, tree: Path, state: Preview, linked: LinkedDossier,
             mkdocs_base: dict[str, Any], static_pages: frozenset[str], history: History,
             ids: set[str], written: Callable[[], None]) -> int:
    """Re-render the pages an edit of profiles can change, in two bursts: the profiles
    of `ids` (the edited entities and those that show them through a relation), then
    the indexes and the pages drawn from the whole dossier. Returns the files changed.

    Why two: the profiles are what the reader is looking at, and the pages drawn from
    the whole dossier were most of the work (at 1,000 entities, of the 37 files a
    renamed person changed, 9 such pages took 0.6 s to render and 0.6 s for MkDocs to
    turn into HTML, the 26 profiles 0.1 s and 0.65 s); MkDocs serves the profiles
    while the rest is made. Until the second burst, the indexes show the last edit's
    state.
    """
    assert state.site is not None and state.linked is not None
    removed = _removed(state.linked, linked)
    gone = {page_path(e) for e in removed}
    pages = {path: text for path, text in state.site.pages.items() if path not in gone}
    pages.update(render_pages(linked, mkdocs_base, opts.templates_dir, ids, set(),
                              static_pages=static_pages, history=history, whole_dossier=False))
    changed = _write(replace(state.site, pages=pages), opts, tree, state, written)
    # whole-dossier pages come back from render_pages in full (a year may have gone),
    # but for the files kept until the next full render (`PageSpec.preview`)
    kept = state.site.kept_in_preview
    # an index lists one type; its rows name neighbours, which `ids` holds already
    types = {linked.entities[i].type for i in ids} | {e.type for e in removed}
    # an index's letter pages come back in full too (a letter may have gone)
    letters = tuple(letters_folder(t) + "/" for t in types)
    pages = {path: text for path, text in pages.items()
             if (path in kept or not whole_dossier_page(path)) and not path.startswith(letters)}
    pages.update(render_pages(linked, mkdocs_base, opts.templates_dir, set(), types,
                              static_pages=static_pages, history=history))
    return changed + _write(replace(state.site, pages=pages), opts, tree, state, written)


def _write(site: RenderedSite, opts: Options, tree: Path, state: Preview,
           written: Callable[[], None], errors: str | None = None) -> int:
    """Write `site` as one burst, with the banner's script (`errors`; by default empty:
    the content is good); `written` is told when anything changed. The files changed."""
    site.pages[SERVE_ERRORS] = errors if errors is not None else errors_script(Diagnostics(), opts.strict)
    with BUILDING:
        changed = write_tree(site, tree, opts.config_dir,
                             known=state.site.pages if state.site is not None else None)
    state.site = site
    if changed:
        written()
    return changed


def _preview_config(config: dict[str, Any]) -> dict[str, Any]:
    """The site's MkDocs configuration with the preview's hooks and its errors script."""
    scripts = config.get("extra_javascript") or []
    assert isinstance(scripts, list)
    return {**config, "hooks": [str(PREVIEW_HOOKS)], "extra_javascript": [*scripts, SERVE_ERRORS]}


def _failed(diags: Diagnostics, opts: Options, tree: Path, state: Preview,
            written: Callable[[], None]) -> None:
    """Report the errors, and show them on every page of the last good site (the pages
    themselves are left as they were)."""
    report(diags, opts.strict)
    print("dossier: still serving the last good site", file=sys.stderr)
    if state.site is None:  # nothing served yet
        return
    _write(replace(state.site, pages=dict(state.site.pages)), opts, tree, state, written,
           errors_script(diags, opts.strict))


def rebuild_stamp(tree: Path) -> Path:
    """The file beside the tree that the generator touches once it has written a burst
    of files, and the only one MkDocs watches (`mkdocs_preview.on_serve`)."""
    return tree.with_name(tree.name + ".rebuild")


class Rebuilds:
    """MkDocs' builds, as the generator asks for them and the hooks count them."""

    def __init__(self) -> None:
        self.started = 0
        self.done = 0
        self.changed = threading.Condition()

    def began(self) -> None:
        """A build began, with the tree as it is now (the hooks call it holding BUILDING)."""
        with self.changed:
            self.started += 1
            self.changed.notify_all()

    def finished(self) -> None:
        """A build ended (well or not): called by the hooks."""
        with self.changed:
            self.done += 1
            self.changed.notify_all()

    def ask(self, tree: Path) -> None:
        """Have MkDocs rebuild `tree` now (one touch: one event), and wait until it has:
        the rest of an edit, made meanwhile, would share this process's one core with
        the rebuild and slow down the pages it serves first.

        A touch no build follows within RETOUCH_AFTER is made again: MkDocs starts
        watching the stamp only once its first build is over, and an edit saved just
        then would otherwise wait for the next one. No longer than REBUILD_WAIT in all.
        """
        with self.changed:
            started, done = self.started, self.done
            deadline = time.monotonic() + REBUILD_WAIT
            touch(rebuild_stamp(tree))
            while not self.changed.wait_for(lambda: self.started > started, timeout=RETOUCH_AFTER):
                if time.monotonic() > deadline:
                    return
                touch(rebuild_stamp(tree))
            self.changed.wait_for(lambda: self.done > done, timeout=max(0.0, deadline - time.monotonic()))


def touch(path: Path) -> None:
    """Touch the stamp: its time changes, one event for MkDocs' watch (tests replace this)."""
    path.touch()


#: the builds of this process's MkDocs server
REBUILDS = Rebuilds()


def _removed(old: LinkedDossier | None, new: LinkedDossier) -> list[Entity]:
    if old is None:
        return []
    return [e for i, e in old.entities.items() if i not in new.entities]


def watched_paths(opts: Options) -> list[Path]:
    paths = [opts.content_dir, opts.config_dir, DEFAULT_TEMPLATES_DIR]
    if opts.templates_dir:
        paths.append(opts.templates_dir)
    return [p for p in paths if p.exists()]


def _watch(opts: Options, tree: Path, stop: threading.Event, state: Preview) -> None:
    from watchfiles import watch

    content = opts.content_dir.resolve()
    for changes in watch(*watched_paths(opts), stop_event=stop, debounce=200, step=STEP_MS):
        if any(not _inside(Path(path).resolve(), content) for _, path in changes):
            state.full_next = True  # a template or the configuration: every page may change
        refresh(opts, tree, state, written=lambda: REBUILDS.ask(tree))


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def address_problem(dev_addr: str) -> Diagnostic | None:
    """Whether `--dev-addr` can be listened on, asked before the first render: MkDocs
    binds only after it, and a busy port, a port past 65535 or a word ended there in a
    traceback. Tried by binding as MkDocs' server does (address reuse on)."""
    host, _, port = dev_addr.rpartition(":")
    host = host.strip("[]")
    try:
        number = int(port)
        family = socket.AF_INET if host == "localhost" else \
            socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, number))
    except (ValueError, OverflowError, OSError) as exc:
        return cannot_listen(dev_addr, exc)
    return None


def cannot_listen(dev_addr: str, exc: Exception) -> Diagnostic:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return Diagnostic("error", Loc("--dev-addr"), f"cannot listen on '{dev_addr}': {reason}",
                      "Give an address of this machine and a free port, e.g. 127.0.0.1:8000 "
                      "(port 0: any free one).")


def serve(opts: Options, dev_addr: str, jobs: int = 1) -> int:
    """Render, then serve with MkDocs' live reload until Ctrl-C. `jobs`: processes that
    share MkDocs' rebuild of the pages an edit changed (`mkdocs_parallel`; at 1,000
    entities an edit makes 26 pages, 0.45 s of work on one core). The generator's own
    refreshes stay in this process: they run in a thread of their own, beside the server's."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    from .mkdocs_parallel import rebuilding_in_parallel

    tree = SERVE_DIR.resolve()
    state = Preview()
    if not refresh(opts, tree, state):
        return 1
    sys.setswitchinterval(SWITCH_INTERVAL)
    rebuild_stamp(tree).touch()  # MkDocs watches it from the start (`mkdocs_preview.on_serve`)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(opts, tree, stop, state), daemon=True)
    watcher.start()
    # dirty: MkDocs rebuilds only the pages whose Markdown file changed. Its warning that
    # a dirty build may leave stale navigation does not apply (the nav lists fixed index
    # pages, and every page an edit changes is rewritten), so it is not shown on each edit.
    logging.getLogger("mkdocs.commands.build").addFilter(
        lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))
    try:
        with rebuilding_in_parallel(jobs):
            mkdocs_serve(config_file=str(tree / "mkdocs.yml"), livereload=True, dev_addr=dev_addr,
                         build_type="dirty")
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # the port was taken since `address_problem` tried it
        diags = Diagnostics([cannot_listen(dev_addr, exc)])
        report(diags)
        return 1
    finally:
        stop.set()
    return 0
