"""The pictures pages carry: network graphs (the overview, a type's view, a profile's
direct links) and the timeline's, as raw HTML around an SVG drawn at build time."""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from .. import graph as g
from .. import graph_layout as layout
from .. import graph_svg as draw
from .. import timeline as tl
from ..schema import TYPES
from .base import TYPE_LABELS, PageContext, html_href
from .site import SiteContext, type_rank

_TYPE_NAMES = {t: label for t, (label, _) in TYPE_LABELS.items()}
Layout = tuple[list[str], dict[str, tuple[float, float]]]

#: Canvases, in units that are CSS pixels when the column is as wide: a profile's column
#: is 688 px at a 1280 px window (its table of contents beside it), a network page's 938
#: px (no table of contents); a phone's 358 px at 390 px. Each picture is drawn twice, for
#: large screens (and print) and for phones, and pictures.css shows one (600 px breakpoint).
_EGO = draw.Canvas(width=720, height=300, margin=150, margin_y=30, font=12, edge_font=10)
_EGO_TALL = replace(_EGO, height=480)
_NETWORK = draw.Canvas(width=920, height=600, margin=40, margin_y=24, font=13, edge_font=11)
_NETWORK_BIG = replace(_NETWORK, height=920, radius=6)
_PHONE_EGO = draw.Canvas(width=360, height=360, margin=60, margin_y=24, font=11, edge_font=10,
                         variant="small")
_PHONE_EGO_TALL = replace(_PHONE_EGO, height=440)  # more than 5 entities
_PHONE_NETWORK = replace(_PHONE_EGO, height=520, margin=24, radius=6)
#: the most neighbours a profile's picture on a phone shows, and the most entities of another
#: picture there: at 11 px a label of 12 characters is 70 px, a fifth of the width
PHONE_EGO_MAX = 8
PHONE_MAX = 20


def overview_layout(site: SiteContext) -> Layout:
    """The overview's entities (the best connected) and their places, computed once."""
    def compute() -> Layout:
        shown = site.graph.best_connected(g.MAX_NODES, among=site.drawn_ids())
        return shown, layout.force_layout(site.graph.subgraph(shown), TYPES)
    return site.remembered("overview-layout", compute)


def network_svg(site: SiteContext, ids: list[str], page: PageContext, ident: str, title: str,
                edge_labels: bool = True, centre: str | None = None,
                focus: frozenset[str] | None = None, reuse_overview: bool = False) -> Markup | None:
    """A network picture, its phone-sized variant, and its legend, as one line of raw HTML.

    `ids` are best connected first (a profile's centre first). `reuse_overview`: entities
    drawn on the overview keep the places they have there (the network page and the
    per-type views), so the pictures read alike. `centre`: a profile's own picture
    (radial); `focus`: only the links of these entities are drawn, and they are drawn
    larger (a view of one type). The phone's variant shows the first `PHONE_EGO_MAX`
    neighbours or `PHONE_MAX` entities (the focus first), laid out for its own canvas.
    """
    if not ids:
        return None
    sub = _subgraph(site, ids, page, centre, focus)
    large = _drawn(site, sub, ident, title, centre, focus, edge_labels,
                   overview_layout(site)[1] if reuse_overview else {})
    few = ids[:PHONE_EGO_MAX + 1] if centre is not None else _phone_share(site, ids, focus)
    # the phone's entities are some of the large picture's: its subgraph is cut from that
    # one (the same nodes, links and addresses), not from the whole dossier's graph again
    small = _drawn(site, sub.subgraph(few, [centre] if centre is not None else focus), f"{ident}-s",
                   title, centre, focus, edge_labels, {}, phone=True)
    shown = {x.type for x in sub.nodes.values()}
    legend = draw.legend([t for t in TYPES if t in shown], _TYPE_NAMES)
    return Markup(f'<div class="dossier-graph">{large}{small}{legend}</div>')


def _phone_share(site: SiteContext, ids: list[str], focus: frozenset[str] | None) -> list[str]:
    """The entities of a phone's picture: the `PHONE_MAX` best connected, or for a view of
    one type its best connected half and the entities drawn linked to them (the type
    alone would be dots without a line: events link to people, not to events)."""
    if focus is None:
        return site.graph.best_connected(PHONE_MAX, among=ids)
    core = site.graph.best_connected(PHONE_MAX // 2, among=[i for i in ids if i in focus])
    shown = set(ids)
    around = sorted({o for i in core for o in site.neighbours.get(i, ()) if o in shown} - set(core))
    return core + site.graph.best_connected(PHONE_MAX - len(core), among=around)


def _subgraph(site: SiteContext, ids: list[str], page: PageContext, centre: str | None,
              focus: frozenset[str] | None) -> g.Graph:
    """The entities `ids` and the links drawn among them, linking to their pages from `page`."""
    sub = site.graph.subgraph(ids, [centre] if centre is not None else focus)
    ents = site.linked.entities
    sub.nodes = {i: g.Node(i, n.label, n.type, html_href(page, ents[i])) for i, n in sub.nodes.items()}
    return sub


def _drawn(site: SiteContext, sub: g.Graph, ident: str, title: str, centre: str | None,
           focus: frozenset[str] | None, edge_labels: bool,
           overview: dict[str, tuple[float, float]], phone: bool = False) -> str:
    """One variant of a picture: laid out (radial around `centre`, else by force, or in
    the overview's places) and drawn on the canvas for its screens."""
    n = len(sub.nodes)
    if centre is not None:
        rank = type_rank()
        ents = site.linked.entities
        others = sorted((i for i in sub.nodes if i != centre),
                        key=lambda i: (rank[ents[i].type], ents[i].name.casefold(), i))
        pos = layout.radial_layout(centre, others)
        canvas = (_PHONE_EGO_TALL if n > 5 else _PHONE_EGO) if phone else _EGO if n <= 7 else _EGO_TALL
    else:
        if overview and set(sub.nodes) <= set(overview):
            pos = layout.fit({i: overview[i] for i in sub.nodes})  # the overview's places
        else:
            pos = layout.force_layout(sub, TYPES)
        canvas = _PHONE_NETWORK if phone else _NETWORK_BIG if n > 60 else _NETWORK
    if canvas.edge_labels != edge_labels:  # a new Canvas only when it differs (a frozen dataclass)
        canvas = replace(canvas, edge_labels=edge_labels)
    desc = (f"{n} entities and {len(sub.edges)} links. Each node is a link to the entity's "
            "page; colour shows its type (see the legend); lines are labelled with the relation, "
            "its arrow pointing from subject to object; hover a line for the statement.")
    return draw.svg(sub, pos, ident, title, desc, canvas, _TYPE_NAMES, centre, focus or frozenset())


def timeline_bands_svg(bands: list[tl.Band], events: int, relations: int) -> Markup | None:
    """The picture of a short timeline: a mark per event and dated relation."""
    picture = tl.svg([b for b in bands if b.marks], "dt-all", "Timeline of the dossier", width=780,
                     desc=f"{events} events and {relations} dated "
                     "relations on a year axis. "
                     "Dots are single days, bars whole months or years; hollow marks are "
                     "approximate. Each mark links to its page.")
    return Markup(f'<div class="dossier-graph">{picture}</div>') if picture else None
