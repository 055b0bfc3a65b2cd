"""The graph a network picture draws: entities as nodes, labelled statements as edges,
and the escaping every picture's text goes through (`x`, also the timeline's).

What is drawn from it lives beside it: `graph_layout` places the nodes (deterministic
force-directed or radial layouts), `graph_svg` writes the SVG (nodes, legend),
`graph_edges` its lines with their words and arrows, and `graph_labels` places the labels.
A picture is plain SVG inlined in the page, so it works from disk with no script and no
network, and it is what print shows.

Pictures cap their node count (`MAX_NODES`) and pick what to show (the best connected
nodes, `Graph.best_connected`): the force layout is O(n²) per iteration, and a dossier
of 10,000 entities still draws in bounded time.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from .escape import md_text

#: The most nodes one force-directed picture holds; larger graphs are cut to their best connected part.
MAX_NODES = 150


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
