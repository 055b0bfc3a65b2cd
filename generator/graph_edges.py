"""A network picture's lines: one per pair of linked nodes, carrying its statements'
words, each with an arrow from subject to object ("involved →", "← part of"), and an
arrowhead at each end a statement points to. Statements that read both ways (a
symmetric relation type) have no arrow.

The words are placed by `graph_labels.LabelPlacer` (`graph_svg.svg` asks it); a line's
`<title>` says every statement in full, subject → words → object.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

from .graph import Graph, x
from .graph_labels import Placed, Segment, Spot

#: an arrowhead's length and half width, in canvas units
ARROW = (6.0, 2.6)
#: where a radial picture's line words sit: nearer the neighbour, off the crowded centre
EGO_ALONG = (0.62, 0.72, 0.52, 0.8, 0.45)


class Line(NamedTuple):
    """One line between two nodes: its ends, the statements it stands for, its words
    with their arrows, and the arrowheads at the ends its statements point to. A tuple:
    a frozen dataclass sets each field through `object.__setattr__`, and a profile's two
    pictures make some thirty lines."""

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
           centre: str | None) -> Line:
        a, b = key
        if b == centre:
            a, b = b, a  # from the centre outwards
        statements = graph.edges[key]
        if len(statements) == 1:  # most lines: what the general case below makes of one statement
            subj, label = statements[0]
            other = b if subj == a else a
            said = f"{graph.nodes[subj].label} → {label} → {graph.nodes[other].label}"
            if label in graph.symmetric:
                return cls(spots[a], spots[b], said, label, ())
            words = _with_arrow(label, spots[subj], spots[other])
            return cls(spots[a], spots[b], said, words, (spots[other],))
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
        a, b = self.a, self.b
        out = [f'<g class="dg-edge"><title>{x(self.said)}</title>', _line(a.x, a.y, b.x, b.y)]
        for tip in self.heads:
            tail = b if tip == a else a
            out.append(_arrowhead(tail.x, tail.y, tip.x, tip.y, tip.r))
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


#: Why the line and its arrowheads are remembered by their coordinates: a profile's radial
#: pictures put its neighbours on the same few places whatever the profile (the n places of a
#: ring of n): at 1,000 entities 99 in 100 of them had been drawn before (18,000 lines).


@functools.lru_cache(maxsize=1 << 12)
def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'


@functools.lru_cache(maxsize=1 << 12)
def _arrowhead(tail_x: float, tail_y: float, tip_x: float, tip_y: float, tip_r: float) -> str:
    """A filled triangle on the line from the tail, its point on the edge of the tip's
    circle (centre and radius)."""
    dx, dy = tip_x - tail_x, tip_y - tail_y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    px, py = tip_x - ux * (tip_r + 1.5), tip_y - uy * (tip_r + 1.5)
    back, half = ARROW
    bx, by = px - ux * back, py - uy * back
    return (f'<path class="dg-arrow" d="M{px:.1f} {py:.1f}L{bx - uy * half:.1f} {by + ux * half:.1f}'
            f'L{bx + uy * half:.1f} {by - ux * half:.1f}Z"/>')
