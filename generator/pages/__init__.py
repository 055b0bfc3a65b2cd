"""What pages exist: one list of page kinds, each a module that yields its `PageSpec`s.

The render loop renders the specs; the navigation, the home page's links and the live
preview's partial re-render are filters over the same list (as every step of MkDocs'
build filters its one `Files` collection). A new page kind is one module here, one
entry in KINDS and its template. KINDS' order is the navigation's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import bibliography, errors, home, network, profile, tags, timeline, type_index, writing_content
from .base import Link, PageContext, PageSpec, Scope, View, index_path, page_path, relative_href
from .site import ERRORS_PAGE, SiteContext

#: every page kind, in the navigation's order
KINDS: tuple[Callable[[SiteContext], Iterator[PageSpec]], ...] = (
    home.pages, type_index.pages, bibliography.pages, timeline.pages, network.pages, tags.pages,
    writing_content.pages, errors.pages, profile.pages,
)

__all__ = ["ERRORS_PAGE", "KINDS", "Link", "PageContext", "PageSpec", "Scope", "SiteContext", "View",
           "all_pages", "index_path", "navigation", "page_path", "relative_href"]


def all_pages(site: SiteContext) -> tuple[PageSpec, ...]:
    """Every page of the site, once per process (a cheap list: views are built later)."""
    return site.remembered("pages", lambda: tuple(spec for kind in KINDS for spec in kind(site)))


def navigation(site: SiteContext) -> list[PageSpec]:
    """The pages the site's navigation lists, in order: never an entity's (the nav is
    drawn into every page, so its size must not grow with the dossier)."""
    return [spec for spec in all_pages(site) if spec.nav is not None]
