"""Network pictures drawn at build time: a deterministic layout and an SVG writer.

Pictures are plain SVG inlined in the page, so they work from disk with no script
and no network, and they are what print shows. Every node is a link to its profile,
named by its `aria-label` (full name and type); labels are placed by
`graph_labels.LabelPlacer` (no two overlap), shortened to whole words where there is no
room for the whole name. A line carries its statements' words, each with an arrow from
subject to object, and an arrowhead at each end a statement points to.
The SVG is a `role="figure"` named by its `<title>` and described by its `<desc>`:
not `role="img"`, whose children are presentational, since its links must stay
reachable by keyboard and screen reader (axe-core: nested-interactive). Every
string is escaped here, whatever its origin.

Layouts are deterministic: the same graph (same ids, same edges, in any order)
gives the same coordinates. The force-directed layout is O(n²) per iteration
(vectorised with NumPy: a few milliseconds for a full picture), so callers cap the
node count (`MAX_NODES`) and pick what to show (the best connected nodes); a
dossier of 10,000 entities still draws in bounded time.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from .escape import md_text
from .graph_labels import ALONG, ELLIPSIS, LabelPlacer, Placed, Segment, Spot
from .types import TYPES_TABLE

#: Fill colour per entity type (Okabe–Ito palette: distinguishable with colour-vision deficiency),
#: from the table of types.
TYPE_COLOURS = {spec.name: spec.colour for spec in TYPES_TABLE}
#: the fill of a node whose type has no colour of its own
OTHER_COLOUR = "#7f7f7f"
#: The most nodes one force-directed picture holds; larger graphs are cut to their best connected part.
MAX_NODES = 150
ITERATIONS = 120
GRAVITY = 0.05


@functools.lru_cache(maxsize=1 << 16)
def _escaped(text: str) -> str:
    return str(md_text(text))


def x(text: object) -> str:
    """Escape text for an SVG text node or attribute.

    XML escaping, plus Markdown punctuation as character references (`md_text`): the
    SVG sits in a Markdown page, and no Markdown pass may ever turn a name into markup.
    """
    return _escaped(text if type(text) is str else str(text))  # names recur: escape each once


class Node(NamedTuple):
    """An entity drawn: a tuple, since every profile page makes a dozen of them."""

    id: str
    label: str
    type: str
    href: str  # relative URL of the profile page (.html)


@dataclass
class Graph:
    """Nodes and labelled edges (several labels between two nodes are merged into one line).

    A label reads from its subject to the other node ("leads"), unless the statement
    reads both ways ("cooperates with", a symmetric relation type): those are in
    `symmetric`, and their line has no arrow."""

    nodes: dict[str, Node] = field(default_factory=dict)
    #: (smaller id, larger id) → [(subject id, label)]: who said what about whom
    edges: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    #: the labels that read both ways
    symmetric: set[str] = field(default_factory=set)
    _adjacency: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    _degrees: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def add_node(self, node: Node) -> None:
        self.nodes.setdefault(node.id, node)

    def add_edge(self, subject: str, obj: str, label: str, symmetric: bool = False) -> None:
        if subject == obj:
            return
        if symmetric:
            self.symmetric.add(label)
        key = (subject, obj) if subject < obj else (obj, subject)
        if key not in self.edges:
            self._adjacency = self._degrees = None
        labels = self.edges.setdefault(key, [])
        if (subject, label) not in labels:
            labels.append((subject, label))

    def degrees(self) -> dict[str, int]:
        """Links per node, counted once (asked for by every capped picture)."""
        if self._degrees is None:
            deg: dict[str, int] = defaultdict(int)
            for a, b in self.edges:
                deg[a] += 1
                deg[b] += 1
            self._degrees = dict(deg)
        return self._degrees

    def neighbours(self) -> dict[str, list[str]]:
        """Adjacency lists, built once (the graph is complete before anything is drawn)."""
        if self._adjacency is None:
            adj: dict[str, list[str]] = defaultdict(list)
            for a, b in self.edges:
                adj[a].append(b)
                adj[b].append(a)
            self._adjacency = dict(adj)
        return self._adjacency

    def subgraph(self, keep: Iterable[str], focus: Iterable[str] | None = None) -> Graph:
        """The nodes kept and the edges among them (only those touching `focus`, when given).

        Walks the kept nodes' adjacency, not every edge: drawing one profile's picture
        costs its neighbourhood, whatever the size of the dossier.
        """
        ids = {i for i in keep if i in self.nodes}
        sub = Graph({i: self.nodes[i] for i in sorted(ids)}, symmetric=self.symmetric)
        adj = self.neighbours()
        for i in sorted(ids if focus is None else set(focus) & ids):
            for j in adj.get(i, []):
                if j in ids:
                    key = (i, j) if i < j else (j, i)
                    sub.edges[key] = self.edges[key]
        sub.edges = dict(sorted(sub.edges.items()))
        return sub

    def best_connected(self, limit: int = MAX_NODES, among: Iterable[str] | None = None) -> list[str]:
        """The `limit` nodes with most edges (ties by id): what a capped picture shows."""
        deg = self.degrees()
        pool = self.nodes if among is None else [i for i in among if i in self.nodes]
        return sorted(pool, key=lambda i: (-deg.get(i, 0), i))[:limit]


# --- layouts -------------------------------------------------------------------------


def force_layout(graph: Graph, type_order: tuple[str, ...],
                 iterations: int = ITERATIONS) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold in the unit square, from a start that groups nodes by type.

    No randomness: nodes start on a circle in (type, id) order, so types begin as
    neighbouring arcs and the result depends only on the graph's structure (ids, types,
    edges). That also makes it cacheable: the live preview redraws the network pictures
    after every edit, and an edit that changes no link (a name, a date, a summary) reuses
    the layouts instead of recomputing them.
    """
    nodes = tuple(sorted((i, node.type) for i, node in graph.nodes.items()))
    return dict(_layout(nodes, tuple(sorted(graph.edges)), type_order, iterations))


@functools.lru_cache(maxsize=64)
def _layout(nodes: tuple[tuple[str, str], ...], edges: tuple[tuple[str, str], ...],
            type_order: tuple[str, ...], iterations: int) -> tuple[tuple[str, tuple[float, float]], ...]:
    import numpy as np  # here, not at the top: most commands draw no force layout

    rank = {t: i for i, t in enumerate(type_order)}
    types = dict(nodes)
    ids = sorted(types, key=lambda i: (rank.get(types[i], 99), i))
    n = len(ids)
    if n == 0:
        return ()
    if n == 1:
        return ((ids[0], (0.5, 0.5)),)
    index = {i: k for k, i in enumerate(ids)}
    angles = 2 * np.pi * np.arange(n) / n
    pos = np.stack([0.5 + 0.45 * np.cos(angles), 0.5 + 0.45 * np.sin(angles)], axis=1)
    pairs = np.array(sorted((index[a], index[b]) for a, b in edges), dtype=np.intp).reshape(-1, 2)
    first, second = pairs[:, 0], pairs[:, 1]
    k = math.sqrt(1.0 / n)
    k2 = k * k
    temp = 0.1
    cool = temp / (iterations + 1)
    for _ in range(iterations):
        # every pair repels (k²/d), every edge attracts (d²/k), a weak pull to the centre
        # keeps separate components on the canvas; each node moves at most `temp`
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = np.einsum("ijk,ijk->ij", delta, delta)
        d2[d2 == 0] = 1e-9
        np.fill_diagonal(d2, np.inf)
        disp = np.einsum("ijk,ij->ik", delta, k2 / d2)
        along = pos[first] - pos[second]
        pull = along * (np.sqrt(np.einsum("ij,ij->i", along, along)) / k)[:, None]
        np.subtract.at(disp, first, pull)
        np.add.at(disp, second, pull)
        disp += (0.5 - pos) * GRAVITY
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp))
        length[length == 0] = 1e-9
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    placed = {i: (float(pos[index[i], 0]), float(pos[index[i], 1])) for i in ids}
    return tuple(_spread(fit(placed)).items())


def radial_layout(centre: str, others: list[str]) -> dict[str, tuple[float, float]]:
    """The centre in the middle, its neighbours evenly on a circle in the given order."""
    pos = {centre: (0.5, 0.5)}
    n = len(others)
    for k, i in enumerate(others):
        angle = -math.pi / 2 + 2 * math.pi * k / max(n, 1)
        pos[i] = (0.5 + 0.5 * math.cos(angle), 0.5 + 0.5 * math.sin(angle))
    return pos


def _spread(pos: dict[str, tuple[float, float]], keep: float = 0.35) -> dict[str, tuple[float, float]]:
    """Even out density: mix each coordinate with its rank, so a dense core opens up
    while left stays left and top stays top (labels in a hub no longer pile up)."""
    n = len(pos)
    if n < 3:
        return pos
    rx = {i: r / (n - 1) for r, i in enumerate(sorted(pos, key=lambda i: (pos[i][0], i)))}
    ry = {i: r / (n - 1) for r, i in enumerate(sorted(pos, key=lambda i: (pos[i][1], i)))}
    return {i: (keep * p[0] + (1 - keep) * rx[i], keep * p[1] + (1 - keep) * ry[i])
            for i, p in pos.items()}


def fit(pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Scale positions to fill the unit square (a part of a laid-out picture, redrawn alone)."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    w = (max(xs) - min(xs)) or 1.0
    h = (max(ys) - min(ys)) or 1.0
    return {i: ((p[0] - min(xs)) / w, (p[1] - min(ys)) / h) for i, p in pos.items()}


# --- drawing -------------------------------------------------------------------------


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


#: an arrowhead's length and half width, in canvas units
ARROW = (6.0, 2.6)


def svg(graph: Graph, pos: dict[str, tuple[float, float]], ident: str, title: str, desc: str,
        canvas: Canvas = Canvas(), type_labels: dict[str, str] | None = None,
        centre: str | None = None, emphasis: frozenset[str] = frozenset()) -> str:
    """One accessible, self-contained SVG element (a single line, safe inside Markdown).

    `ident` makes the ids of its title and description unique on the page; `centre` is
    the profile a radial picture is about; `emphasis` nodes are drawn larger. Labels are
    placed by `graph_labels.LabelPlacer`: none overlaps another or a circle.
    """
    w, h, m, my = canvas.width, canvas.height, canvas.margin, canvas.margin_y
    spots = {}
    for i in sorted(graph.nodes):
        px, py = pos[i]
        r = canvas.radius * (1.6 if i == centre else 1.35 if i in emphasis else 1.0)
        spots[i] = Spot(m + px * (w - 2 * m), my + py * (h - 2 * my), r, graph.nodes[i].label)
    placer = LabelPlacer(spots, w, h)
    deg = graph.degrees()
    order = sorted(graph.nodes, key=lambda i: (i != centre, i not in emphasis, -deg.get(i, 0), i))
    labels = placer.nodes(order, canvas.font, centre)
    lines = [_Line.of(graph, key, spots, centre) for key in sorted(graph.edges)]
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
    for i in sorted(graph.nodes):
        s, label = spots[i], labels[i]
        head, fill = _node_head(graph.nodes[i], (type_labels or {}).get(graph.nodes[i].type,
                                                                        graph.nodes[i].type))
        hidden = "" if label.shown else ' class="dg-hidden"'
        parts.append(
            f'{head}<circle cx="{s.x:.1f}" cy="{s.y:.1f}" r="{s.r:.1f}" fill="{fill}"/>'
            f'<text{hidden} x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}">'
            f'{_label(graph.nodes[i].label, label.text)}</text></a>')
    parts.append("</g></svg>")
    return "".join(parts)


#: where a radial picture's line words sit: nearer the neighbour, off the crowded centre
EGO_ALONG = (0.62, 0.72, 0.52, 0.8, 0.45)


@dataclass(frozen=True)
class _Line:
    """One line between two nodes: its ends, the statements it stands for, its words
    with their arrows, and the arrowheads at the ends its statements point to."""

    a: Spot
    b: Spot
    said: str
    words: str
    heads: tuple[Spot, ...]  # the ends an arrow points at

    @property
    def segment(self) -> Segment:
        return Segment(self.a.x, self.a.y, self.b.x, self.b.y, self.words)

    @classmethod
    def of(cls, graph: Graph, key: tuple[str, str], spots: dict[str, Spot],
           centre: str | None) -> _Line:
        a, b = key
        if b == centre:
            a, b = b, a  # from the centre outwards
        statements = graph.edges[key]
        said = "; ".join(f"{graph.nodes[subj].label} → {label} → {graph.nodes[b if subj == a else a].label}"
                         for subj, label in statements)
        both_ways = [label for _, label in statements if label in graph.symmetric]
        # each subject's words, together before one arrow: "took place at; involved ↑"
        by_subject: dict[str, list[str]] = {}
        for subj, label in statements:
            if label not in graph.symmetric:
                by_subject.setdefault(subj, []).append(label)
        readings = [_with_arrow("; ".join(dict.fromkeys(words)), spots[subj], spots[b if subj == a else a])
                    for subj, words in by_subject.items()]
        heads = tuple(spots[b if subj == a else a] for subj in by_subject)
        return cls(spots[a], spots[b], said, "; ".join(dict.fromkeys([*readings, *both_ways])), heads)

    def svg(self, placed: Placed | None) -> str:
        out = [f'<g class="dg-edge"><title>{x(self.said)}</title>'
               f'<line x1="{self.a.x:.1f}" y1="{self.a.y:.1f}" x2="{self.b.x:.1f}" y2="{self.b.y:.1f}"/>']
        for tip in self.heads:
            out.append(_arrowhead(self.b if tip == self.a else self.a, tip))
        if placed is not None:
            hidden = "" if placed.shown else " dg-hidden"
            out.append(f'<text class="dg-edge-label{hidden}" x="{placed.x:.1f}" y="{placed.y:.1f}" '
                       f'text-anchor="middle">{x(placed.text)}</text>')
        out.append("</g>")
        return "".join(out)


def _with_arrow(words: str, subject: Spot, obj: Spot) -> str:
    """The words of a statement with an arrow pointing, on the page, from its subject to
    its object: "involved →", "← part of", "involved ↓"."""
    dx, dy = obj.x - subject.x, obj.y - subject.y
    if abs(dx) >= abs(dy) * 0.6:
        return f"{words} →" if dx > 0 else f"← {words}"
    return f"{words} ↓" if dy > 0 else f"{words} ↑"


def _arrowhead(tail: Spot, tip: Spot) -> str:
    """A filled triangle on the line from `tail`, its point on the edge of `tip`'s circle."""
    dx, dy = tip.x - tail.x, tip.y - tail.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    px, py = tip.x - ux * (tip.r + 1.5), tip.y - uy * (tip.r + 1.5)
    back, half = ARROW
    bx, by = px - ux * back, py - uy * back
    return (f'<path class="dg-arrow" d="M{px:.1f} {py:.1f}L{bx - uy * half:.1f} {by + ux * half:.1f}'
            f'L{bx + uy * half:.1f} {by - ux * half:.1f}Z"/>')


@functools.lru_cache(maxsize=1 << 15)
def _node_head(node: Node, kind: str) -> tuple[str, str]:
    """What a node's link starts with wherever it is drawn (it is drawn on several
    pictures): the opening tag with its name, and its fill."""
    named = f"{x(node.label)} ({x(kind)})"
    head = (f'<a class="dg-node dg-{x(node.type)}" href="{x(node.href)}" '
            f'aria-label="{named}"><title>{named}</title>')
    return head, TYPE_COLOURS.get(node.type, OTHER_COLOUR)


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
