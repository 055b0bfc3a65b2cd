"""Where a network picture's nodes go, in the unit square: a force-directed layout for
a whole graph, a radial one for a profile and its neighbours, and `fit` for a part of a
laid-out picture redrawn alone.

Layouts are deterministic: the same graph (same ids, same edges, in any order)
gives the same coordinates. The force-directed layout is O(n²) per iteration
(vectorised with NumPy: a few milliseconds for a full picture), so callers cap the
node count (`graph.MAX_NODES`).
"""

from __future__ import annotations

import functools
import math

from .graph import Graph

ITERATIONS = 120
GRAVITY = 0.05


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
