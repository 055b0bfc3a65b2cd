"""Page kind: the network (`network.md`), the picture of the whole dossier, and a view
per type (`network/people.md`) of its entities and their direct links."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from markupsafe import Markup

from .. import graph as g
from ..schema import TYPES
from ..types import TYPE_SPECS
from .base import TYPE_LABELS, Link, PageSpec, View
from .pictures import network_svg, overview_layout
from .site import SiteContext


@dataclass(frozen=True, eq=False)
class NetworkView(View):
    """The network page, and each type's view of it (`view_of` set)."""

    title: str
    svg: Markup | None
    shown: int  # entities drawn
    drawn: int  # entities with a link, that could be drawn
    total: int
    views: tuple[tuple[str, str, int], ...]  # (type's plural, its view's href, entities)
    view_of: tuple[str, Link] | None  # a type's view: (its plural, the link back to the whole)


def network_view_path(type_: str) -> str:
    return f"network/{TYPE_SPECS[type_].folder}.md"


#: the built-in template this kind draws its pages with, and the view it is given
TEMPLATES: dict[str, type[View]] = {"network.md.j2": NetworkView}


def pages(site: SiteContext) -> Iterator[PageSpec]:
    yield PageSpec("network.md", ("network.md.j2",), network_view, "dossier", nav="Network", group="network")
    for t in TYPES:
        if site.linked.of_type(t):
            yield PageSpec(network_view_path(t), ("network.md.j2",), partial(type_network_view, type_=t),
                           "dossier", group="network")


def network_view(site: SiteContext) -> NetworkView:
    page = site.page("network.md")
    shown = overview_layout(site)[0]
    views = tuple((TYPE_LABELS[t][1], page.href(network_view_path(t)), len(site.linked.of_type(t)))
                  for t in TYPES if site.linked.of_type(t))
    svg = network_svg(site, shown, page, "dg-all", "The dossier's network", reuse_overview=True)
    return NetworkView("Network", svg, len(shown), len(site.drawn_ids()), len(site.linked.entities),
                       views, None)


def type_network_view(site: SiteContext, type_: str) -> NetworkView:
    """One type's entities and their direct neighbours, best connected first."""
    path = network_view_path(type_)
    page = site.page(path)
    own = [e.id for e in site.linked.of_type(type_) if e.id in site.neighbours]
    core = site.graph.best_connected(g.MAX_NODES // 2, among=own)
    around = {o for i in core for o in site.neighbours[i]} - set(core)
    shown = core + site.graph.best_connected(g.MAX_NODES - len(core), among=sorted(around))
    label = TYPE_LABELS[type_][1]
    svg = network_svg(site, shown, page, f"dg-{type_}", f"{label} and their direct links",
                      focus=frozenset(core), reuse_overview=True)
    return NetworkView(f"Network: {label}", svg, len(shown), len(own) + len(around),
                       len(site.linked.entities), (), (label, Link("Network", page.href("network.md"))))
