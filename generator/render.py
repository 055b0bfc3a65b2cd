"""Stage 4, render: the linked dossier → Markdown pages and a `mkdocs.yml`, in memory.

What pages exist is one list (`pages.all_pages`: a module per page kind); each page's
view is a frozen dataclass built from the site context, and the Jinja2 templates under
`templates/` decide how it looks (`page_templates`). A user's templates folder, when
given, is searched first, so any template can be overridden by name. Every string
from content reaches the page through `escape.md_text` (Jinja's `finalize` applies it
to every `{{ }}` output that is not already safe markup) or through
`escape.prose_html` for Markdown fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from .dates import PartialDate
from .diagnostics import Diagnostic
from .history import NO_HISTORY, History
from .link import LinkedDossier
from .mkdocs_config import SEARCH_SEPARATOR, mkdocs_config
from .page_templates import PageTemplates
from .pages import PageSpec, SiteContext, all_pages, navigation, page_path
from .pages.base import TYPE_LABELS
from .pages.previews import page_previews
from .parallel import map_chunks
from .progress import Progress
from .types import TYPE_SPECS

__all__ = ["SEARCH_SEPARATOR", "PageSink", "RenderedSite", "page_path", "render", "render_pages",
           "whole_dossier_page"]

#: below this many profiles, starting worker processes costs more than it saves
PARALLEL_MIN = 400
PARALLEL_CHUNK = 50
#: the pages drawn from the whole dossier, in groups a worker renders at once (see
#: `PageSpec.group`); the slowest first, so they overlap with the profile pages
PAGE_GROUPS = ("network", "timeline", "indexes", "reference")
PAGE_GROUPS_IN_ORDER = ("indexes", "timeline", "network", "reference")

#: what a forked worker hands its pages to (path, text), if anything: see `render`
PageSink = Callable[[str, str], None]


@dataclass
class RenderedSite:
    """The Markdown tree (path relative to docs/ → text) and the MkDocs configuration."""

    pages: dict[str, str]
    mkdocs_config: dict[str, Any]
    #: the content's own date (latest `updated`/`published`), stamped on the build instead
    #: of the clock so that the same content gives the same bytes
    content_date: PartialDate | None = None
    #: pages that forked workers handed to the render's `sink` (path relative to docs/, as
    #: in `pages`) instead of sending their text back
    spooled: list[str] = field(default_factory=list)
    #: the files a live preview's partial refresh keeps as they are (`PageSpec.preview`)
    kept_in_preview: frozenset[str] = frozenset()

    def page_paths(self) -> list[str]:
        return [*self.pages, *self.spooled]

    def mkdocs_yml(self) -> str:
        return yaml.safe_dump(self.mkdocs_config, sort_keys=False, allow_unicode=True)


def whole_dossier_page(path: str) -> bool:
    """Pages drawn from the whole dossier (any edit may change them or make them go): all
    but home and what lies in a type's folder (its profiles and its index)."""
    return path != "index.md" and path.split("/", 1)[0] not in {spec.folder for spec in TYPE_SPECS.values()}


class _Renderer:
    """The site context and its templates: renders page specs into Markdown text."""

    def __init__(self, linked: LinkedDossier, templates_dir: Path | None,
                 static_pages: frozenset[str], limit: float | None, history: History = NO_HISTORY):
        self.site = SiteContext(linked, static_pages, history)
        self.templates = PageTemplates(templates_dir, linked.vocab, TYPE_LABELS, self.site.label, limit)
        self.specs = all_pages(self.site)

    def pages(self, specs: Iterable[PageSpec]) -> dict[str, str]:
        return {spec.path: self.page(spec) for spec in specs}

    def page(self, spec: PageSpec) -> str:
        if spec.data is not None:
            return spec.data(self.site)
        assert spec.build is not None
        text = self.templates.render(spec.templates, spec.path, spec.build(self.site).variables())
        return text + page_previews(self.site, spec.path, text)  # what its profile links show on hover

    def group(self, name: str) -> list[PageSpec]:
        return [spec for spec in self.specs if spec.group == name]

    def profiles(self) -> list[PageSpec]:
        return self.group("profiles")


#: a worker's task: a group's name (see `PageSpec.group`), or a chunk of profile pages
Task = str | list[PageSpec]
#: what one task hands back: its group's name ("" for profiles), its pages (path → text,
#: or "" for a page handed to the sink), and the template problems met on the way
Done = tuple[str, dict[str, str], list[Diagnostic]]


def _tasks(renderer: _Renderer) -> list[Task]:
    """The whole-dossier groups (the slowest first, to overlap with the profiles), then
    the profile pages in chunks."""
    profiles = renderer.profiles()
    tasks: list[Task] = list(PAGE_GROUPS)
    tasks += [profiles[i:i + PARALLEL_CHUNK] for i in range(0, len(profiles), PARALLEL_CHUNK)]
    return tasks


def _work(renderer: _Renderer, sink: PageSink | None, tasks: Sequence[Task]) -> list[Done]:
    """Render `tasks`, in whichever process takes them: with a sink, the text goes to it
    and only the paths come back; problems come back as values (a traceback cannot cross
    the fork, and an exception would not say which page)."""
    done: list[Done] = []
    for task in tasks:
        group, specs = (task, renderer.group(task)) if isinstance(task, str) else ("", task)
        pages = renderer.pages(specs)
        if sink is not None:
            for rel, text in pages.items():
                sink(rel, text)
            pages = dict.fromkeys(pages, "")
        done.append((group, pages, renderer.templates.take_problems()))
    return done


def render(linked: LinkedDossier, mkdocs_base: dict[str, Any],
           templates_dir: Path | None = None, static_pages: frozenset[str] = frozenset(),
           progress: Progress | None = None, jobs: int = 1,
           sink: PageSink | None = None, limit: float | None = None,
           history: History = NO_HISTORY) -> RenderedSite:
    """Render every page of the linked dossier (see the module docstring).

    `static_pages` are the Markdown pages the configuration's `docs/` adds to the site
    (`SiteConfig.static_pages`); the "Error messages" page is linked when among them.
    `jobs` > 1 renders profile pages in that many forked processes; only for
    single-threaded callers (the command line), never inside a server. With a `sink`
    (the build stage's `Spool`), those workers hand it their pages instead of sending
    the text back (`RenderedSite.spooled` names them): on a large dossier, passing
    150 MB of text between processes cost more than writing it, and doubled memory.

    A template that fails, or runs past `limit` seconds on a page (default: the
    `template_errors.time_limit_setting`), is reported: TemplateFailures is raised once every
    page has been tried, holding one located error per template file.
    """
    renderer = _Renderer(linked, templates_dir, static_pages, limit, history)
    config = mkdocs_config(linked.dossier, mkdocs_base, navigation(renderer.site))
    date = renderer.site.content_date()
    progress = progress or Progress.off()
    # progress counts profile pages one by one and each group of other pages as one
    progress.stage("render", len(linked.entities) + len(PAGE_GROUPS), "pages")
    shared = jobs > 1 and len(linked.entities) >= PARALLEL_MIN
    sink = sink if shared else None
    profiles: dict[str, str] = {}
    groups: dict[str, dict[str, str]] = {}
    for done in map_chunks(partial(_work, renderer, sink), _tasks(renderer), jobs=jobs if shared else 1,
                           min_items=0, chunk=1):
        for group, pages, problems in done:
            for problem in problems:  # the first in the order of the tasks, whichever process
                renderer.templates.problems.setdefault(problem.path, problem)
            if group:
                groups[group] = pages
                progress.step()
            else:
                profiles.update(pages)
                progress.step(len(pages))
    for name in PAGE_GROUPS_IN_ORDER:  # profiles first, then the groups in this order
        profiles.update(groups[name])
    renderer.templates.raise_problems()
    progress.finish()
    kept = frozenset(spec.path for spec in renderer.specs if not spec.preview)
    if sink is not None:  # the sink has the text: only the pages' names are kept
        return RenderedSite({}, config, date, spooled=list(profiles), kept_in_preview=kept)
    return RenderedSite(profiles, config, date, kept_in_preview=kept)


def render_pages(linked: LinkedDossier, mkdocs_base: dict[str, Any], templates_dir: Path | None,
                 entity_ids: set[str], index_types: set[str] | None = None,
                 static_pages: frozenset[str] = frozenset(), limit: float | None = None,
                 history: History = NO_HISTORY, whole_dossier: bool = True) -> dict[str, str]:
    """Only the pages of `entity_ids`, the index pages (of `index_types`, or all), and
    (unless `whole_dossier` is False) the pages drawn from the whole dossier (home,
    timeline, network, bibliography, tags), less the files a preview keeps
    (`PageSpec.preview`): a filter over the same list of pages `render` renders.

    For the live preview, which re-renders the neighbourhood of an edit instead of
    every page (`serve.affected`). Raises TemplateFailures as `render` does.
    """
    renderer = _Renderer(linked, templates_dir, static_pages, limit, history)

    def wanted(spec: PageSpec) -> bool:
        if not spec.rendered or not spec.preview:
            return False
        if spec.scope == "entity":
            return spec.subject in entity_ids
        if spec.scope == "type":
            return index_types is None or spec.subject in index_types
        return whole_dossier

    chosen = [spec for spec in renderer.specs if wanted(spec)]
    # profiles first, then the other pages in the groups' order, as `render` gives them
    order = {name: n for n, name in enumerate(("profiles", *PAGE_GROUPS_IN_ORDER))}
    chosen.sort(key=lambda spec: order.get(spec.group, len(order)))
    pages = renderer.pages(chosen)
    renderer.templates.raise_problems()
    return pages
