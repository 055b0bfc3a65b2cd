"""A network picture as one SVG element: its nodes, each a link to its profile, its lines
(`graph_edges`), and the legend beside it.

Every node is a link to its profile, named by its `aria-label` (full name and type);
labels are placed by `graph_labels.LabelPlacer` (no two overlap), shortened to whole
words where there is no room for the whole name.
The SVG is a `role="figure"` named by its `<title>` and described by its `<desc>`:
not `role="img"`, whose children are presentational, since its links must stay
reachable by keyboard and screen reader (axe-core: nested-interactive). Every
string is escaped here (`graph.x`), whatever its origin.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from .graph import Graph, Node, x
from .graph_edges import EGO_ALONG, Line
from .graph_labels import ALONG, ELLIPSIS, LabelPlacer, Spot
from .types import TYPES_TABLE

#: Fill colour per entity type (Okabe–Ito palette: distinguishable with colour-vision deficiency),
#: from the table of types.
TYPE_COLOURS = {spec.name: spec.colour for spec in TYPES_TABLE}
#: the fill of a node whose type has no colour of its own
OTHER_COLOUR = "#7f7f7f"


@dataclass(frozen=True)
class Canvas:
    """A picture's size in canvas units and its type sizes. The SVG has no width of its
    own: it fills its column (pictures.css), so a unit is a CSS pixel only when the
    column is `width` pixels wide; each `variant` is drawn for the screens it is shown
    on ("large" from tablets up and in print, "small" on phones)."""

    width: int = 900
    height: int = 600
    margin: int = 60  # room for the labels of the outermost nodes
    margin_y: int = 24
    radius: float = 7.0
    font: float = 12.0
    edge_font: float = 10.0
    edge_labels: bool = True
    variant: str = "large"


def svg(graph: Graph, pos: dict[str, tuple[float, float]], ident: str, title: str, desc: str,
        canvas: Canvas = Canvas(), type_labels: dict[str, str] | None = None,
        centre: str | None = None, emphasis: frozenset[str] = frozenset()) -> str:
    """One accessible, self-contained SVG element (a single line, safe inside Markdown).

    `ident` makes the ids of its title and description unique on the page; `centre` is
    the profile a radial picture is about; `emphasis` nodes are drawn larger. Labels are
    placed by `graph_labels.LabelPlacer`: none overlaps another or a circle.
    """
    w, h, m, my = canvas.width, canvas.height, canvas.margin, canvas.margin_y
    ids = sorted(graph.nodes)
    nodes = graph.nodes
    spots = {}
    for i in ids:
        px, py = pos[i]
        r = canvas.radius * (1.6 if i == centre else 1.35 if i in emphasis else 1.0)
        spots[i] = Spot(m + px * (w - 2 * m), my + py * (h - 2 * my), r, nodes[i].label)
    placer = LabelPlacer(spots, w, h)
    deg = graph.degrees()
    order = sorted(graph.nodes, key=lambda i: (i != centre, i not in emphasis, -deg.get(i, 0), i))
    labels = placer.nodes(order, canvas.font, centre)
    lines = [Line.of(graph, key, spots, centre) for key in sorted(graph.edges)]
    words = (placer.edges([ln.segment for ln in lines], canvas.edge_font,
                          EGO_ALONG if centre is not None else ALONG)
             if canvas.edge_labels else [None] * len(lines))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dossier-network dg-{x(canvas.variant)}" '
        f'role="figure" viewBox="0 0 {w} {h}" aria-labelledby="{x(ident)}-t" '
        f'aria-describedby="{x(ident)}-d">',
        f'<title id="{x(ident)}-t">{x(title)}</title>',
        f'<desc id="{x(ident)}-d">{x(desc)}</desc>',
        f'<g class="dg-edges" font-size="{canvas.edge_font:g}">',
    ]
    parts += [ln.svg(placed) for ln, placed in zip(lines, words, strict=True)]
    parts.append(f'</g><g class="dg-nodes" font-size="{canvas.font:g}">')
    kinds = type_labels or {}
    for i in ids:
        s, label, node = spots[i], labels[i], nodes[i]
        head, fill = _node_head(node, kinds.get(node.type, node.type))
        hidden = "" if label.shown else ' class="dg-hidden"'
        parts.append(
            f'{head}{_circle(s.x, s.y, s.r, fill)}'
            f'<text{hidden}{_at(label.x, label.y, label.anchor)}>'
            f'{_label(node.label, label.text)}</text></a>')
    parts.append("</g></svg>")
    return "".join(parts)


@functools.lru_cache(maxsize=1 << 15)
def _node_head(node: Node, kind: str) -> tuple[str, str]:
    """What a node's link starts with wherever it is drawn (it is drawn on several
    pictures): the opening tag with its name, and its fill."""
    named = f"{x(node.label)} ({x(kind)})"
    head = (f'<a class="dg-node dg-{x(node.type)}" href="{x(node.href)}" '
            f'aria-label="{named}"><title>{named}</title>')
    return head, TYPE_COLOURS.get(node.type, OTHER_COLOUR)


@functools.lru_cache(maxsize=1 << 12)
def _circle(cx: float, cy: float, r: float, fill: str) -> str:
    """A node's circle, remembered like `graph_edges._line`: a radial picture's places recur."""
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{fill}"/>'


@functools.lru_cache(maxsize=1 << 12)
def _at(x: float, y: float, anchor: str) -> str:
    """A label's place (its attributes), remembered like `_circle`."""
    return f' x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'


def legend(types: Iterable[str], type_labels: dict[str, str]) -> str:
    """A legend as HTML (one line): a coloured dot and the type's name per type shown."""
    return _legend(tuple(types), tuple(type_labels.items()))


@functools.lru_cache(maxsize=256)  # the same few legends on every page
def _legend(types: tuple[str, ...], labels: tuple[tuple[str, str], ...]) -> str:
    type_labels = dict(labels)
    items = "".join(
        f'<li><svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12">'
        f'<circle cx="6" cy="6" r="5" fill="{TYPE_COLOURS.get(t, OTHER_COLOUR)}"/></svg> '
        f"{x(type_labels.get(t, t))}</li>"
        for t in types)
    return f'<ul class="dossier-legend" aria-label="Legend: colour by type">{items}</ul>'


def _label(full: str, shown: str) -> str:
    """A node's label: `shown`, the beginning of its `full` name the placement found room
    for. The rest stays in the text, hidden by the stylesheet (and shown while the node
    is hovered or focused), so the link's visible text stays part of its accessible name
    (axe-core: label-content-name-mismatch)."""
    if shown == full:
        return x(full)
    rest = full[len(shown):]
    space = " " if rest[:1].isspace() else ""  # x() strips it: put it back, or words run together
    return (f'{x(shown)}<tspan class="dg-rest">{space}{x(rest)}</tspan>'
            f'<tspan class="dg-more" aria-hidden="true">{ELLIPSIS}</tspan>')
