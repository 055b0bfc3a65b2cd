"""The pictures pages carry: network graphs (the overview, a type's view, a profile's
direct links) and the timeline's, as raw HTML around an SVG drawn at build time."""

from __future__ import annotations

from markupsafe import Markup

from .. import graph as g
from .. import timeline as tl
from ..schema import TYPES
from .base import TYPE_LABELS, PageContext, html_href
from .site import SiteContext, type_rank

_TYPE_NAMES = {t: label for t, (label, _) in TYPE_LABELS.items()}
_EGO_SMALL = g.Canvas(width=760, height=300, margin=180, margin_y=36, radius=7, font=12)
_EGO_LARGE = g.Canvas(width=760, height=460, margin=180, margin_y=36, radius=7, font=12)
Layout = tuple[list[str], dict[str, tuple[float, float]]]


def overview_layout(site: SiteContext) -> Layout:
    """The overview's entities (the best connected) and their places, computed once."""
    def compute() -> Layout:
        shown = site.graph.best_connected(g.MAX_NODES, among=site.drawn_ids())
        return shown, g.force_layout(site.graph.subgraph(shown), TYPES)
    return site.remembered("overview-layout", compute)


def network_svg(site: SiteContext, ids: list[str], page: PageContext, ident: str, title: str,
                edge_labels: bool = True, centre: str | None = None,
                focus: frozenset[str] | None = None, reuse_overview: bool = False) -> Markup | None:
    """A network picture and its legend, as one line of raw HTML for the page.

    `reuse_overview`: entities drawn on the overview keep the places they have there
    (the network page and the per-type views), so the pictures read alike.

    `centre`: a profile's own picture (radial); `focus`: only the links of these
    entities are drawn, and they are drawn larger (a view of one type).
    """
    if not ids:
        return None
    sub = site.graph.subgraph(ids, [centre] if centre is not None else focus)
    ents = site.linked.entities
    sub.nodes = {i: g.Node(i, n.label, n.type, html_href(page, ents[i])) for i, n in sub.nodes.items()}
    n = len(sub.nodes)
    if centre is not None:
        rank = type_rank()
        others = sorted((i for i in sub.nodes if i != centre),
                        key=lambda i: (rank[ents[i].type], ents[i].name.casefold(), i))
        pos = g.radial_layout(centre, others)
        canvas = _EGO_SMALL if n <= 7 else _EGO_LARGE
    else:
        overview = overview_layout(site)[1] if reuse_overview else {}
        if reuse_overview and set(sub.nodes) <= set(overview):
            pos = g.fit({i: overview[i] for i in sub.nodes})  # the overview's places
        else:
            pos = g.force_layout(sub, TYPES)
        big = n > 60
        canvas = g.Canvas(width=1200 if big else 820, height=900 if big else 560,
                          margin=130 if big else 110, margin_y=24, radius=6 if big else 7,
                          font=11 if big else 12, edge_labels=edge_labels,
                          hover_labels=len(sub.edges) > 60, wide=big)
    desc = (f"{n} entities and {len(sub.edges)} links. Each node is a link to the entity's "
            "page; colour shows its type (see the legend); hover a line for the relation.")
    picture = g.svg(sub, pos, ident, title, desc, canvas, _TYPE_NAMES, centre, focus or frozenset())
    shown = {x.type for x in sub.nodes.values()}
    legend = g.legend([t for t in TYPES if t in shown], _TYPE_NAMES)
    return Markup(f'<div class="dossier-graph">{picture}{legend}</div>')


def timeline_bands_svg(bands: list[tl.Band], events: int, relations: int) -> Markup | None:
    """The picture of a short timeline: a mark per event and dated relation."""
    picture = tl.svg([b for b in bands if b.marks], "dt-all", "Timeline of the dossier", width=780,
                     desc=f"{events} events and {relations} dated "
                     "relations on a year axis. "
                     "Dots are single days, bars whole months or years; hollow marks are "
                     "approximate. Each mark links to its page.")
    return Markup(f'<div class="dossier-graph">{picture}</div>') if picture else None
