"""What pages exist: one list of page kinds, each a module that yields its `PageSpec`s.

The render loop renders the specs; the navigation, the home page's links and the live
preview's partial re-render are filters over the same list (as every step of MkDocs'
build filters its one `Files` collection). A new page kind is one module here, one
entry in KINDS and its template. KINDS' order is the navigation's.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    bibliography,
    changes,
    data,
    errors,
    explorer,
    home,
    network,
    profile,
    search_index,
    tags,
    timeline,
    type_index,
    writing_content,
)
from .base import Link, PageContext, PageSpec, Scope, View, index_path, page_path, relative_href
from .site import ERRORS_PAGE, SiteContext

#: every page kind, in the navigation's order: each module has `pages(site)`, yielding its
#: PageSpecs, and `TEMPLATES`, its built-in templates and the view each is given
KINDS: tuple[ModuleType, ...] = (
    home, type_index, bibliography, timeline, network, tags, changes, data, writing_content, errors, profile,
    explorer,
    search_index,
)

__all__ = ["ERRORS_PAGE", "KINDS", "Link", "PageContext", "PageSpec", "Scope", "SiteContext", "View",
           "all_pages", "index_path", "navigation", "page_path", "relative_href", "template_views"]


def all_pages(site: SiteContext) -> tuple[PageSpec, ...]:
    """Every page of the site, once per process (a cheap list: views are built later)."""
    return site.remembered("pages", lambda: tuple(spec for kind in KINDS for spec in kind.pages(site)))


def navigation(site: SiteContext) -> list[PageSpec]:
    """The pages the site's navigation lists, in order: never an entity's (the nav is
    drawn into every page, so its size must not grow with the dossier)."""
    return [spec for spec in all_pages(site) if spec.nav is not None]


def template_views() -> dict[str, type[View]]:
    """Each built-in page template and the view class its variables come from."""
    return {name: cls for kind in KINDS for name, cls in kind.TEMPLATES.items()}
