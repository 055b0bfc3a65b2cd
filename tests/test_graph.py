"""The network drawing (`generator/graph.py`): a deterministic, cached force layout, big
graphs cut to their best-connected nodes, and SVG that is accessible, escaped XML."""

from __future__ import annotations

from lxml import etree

from generator import graph as g

SVG = "{http://www.w3.org/2000/svg}"
TYPES = ("person", "agency", "event")


def _graph(edges: list[tuple[str, str]]) -> g.Graph:
    """A graph of `edges`, every one labelled 'knows'; ids before 'm' are people."""
    gr = g.Graph()
    for a, b in edges:
        for i in (a, b):
            gr.add_node(g.Node(i, i.upper(), "person" if i < "m" else "agency", f"{i}.html"))
        gr.add_edge(a, b, "knows")
    return gr


def _chain(label: str) -> g.Graph:
    """A person leading an agency involved in an event, the names starting with `label`."""
    gr = g.Graph()
    for i, t in (("a", "person"), ("b", "agency"), ("c", "event")):
        gr.add_node(g.Node(i, f"{label} {i}", t, f"{i}.html"))
    gr.add_edge("a", "b", "leads")
    gr.add_edge("b", "c", "involved in")
    return gr


def test_force_layout_is_deterministic_whatever_the_insertion_order() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("x", "y"), ("d", "x")]
    one = g.force_layout(_graph(edges), ("person", "agency"))
    two = g.force_layout(_graph(list(reversed(edges))), ("person", "agency"))
    assert one == two
    assert all(0.0 <= px <= 1.0 and 0.0 <= py <= 1.0 for px, py in one.values())
    assert len({(round(px, 3), round(py, 3)) for px, py in one.values()}) == len(one)


def test_force_layout_is_cached_by_structure_and_returns_a_fresh_dict() -> None:
    first = g.force_layout(_chain("one"), TYPES)
    first["a"] = (9.0, 9.0)  # the caller's copy: the cache must not change
    again = g.force_layout(_chain("two"), TYPES)  # new labels, same links
    assert again["a"] != (9.0, 9.0) and set(again) == {"a", "b", "c"}
    other = _chain("two")
    other.add_edge("a", "c", "involved in")
    assert g.force_layout(other, TYPES) != again


def test_a_large_graph_is_cut_to_its_best_connected_nodes() -> None:
    hub_edges = [("hub", f"n{i:05d}") for i in range(3000)] + [("n00001", "n00002")]
    gr = _graph(hub_edges)
    shown = gr.best_connected()
    assert len(shown) == g.MAX_NODES
    assert shown[:3] == ["hub", "n00001", "n00002"]


def test_network_svg_is_accessible_escaped_xml() -> None:
    gr = g.Graph()
    gr.add_node(g.Node("a", 'Evil <script>alert(1)</script> & "q" [x](javascript:y)', "person",
                       "people/a.html"))
    gr.add_node(g.Node("b", "Агентство", "agency", "agencies/b.html"))
    gr.add_edge("a", "b", "member <of>")
    text = g.svg(gr, g.force_layout(gr, ("person", "agency")), "dg-t", "Title <t>", "Desc & d")
    root = etree.fromstring(text.encode())  # well-formed XML, or this raises
    assert root.get("role") == "figure" and root.get("aria-labelledby") == "dg-t-t"
    assert root.get("aria-describedby") == "dg-t-d"
    assert root.find(f"{SVG}title").text == "Title <t>"
    assert root.find(f"{SVG}desc").text == "Desc & d"
    assert not list(root.iter(f"{SVG}script"))
    links = root.findall(f".//{SVG}a")
    assert sorted(a.get("href") for a in links) == ["agencies/b.html", "people/a.html"]
    evil = next(a for a in links if a.get("href") == "people/a.html")
    assert evil.get("aria-label").startswith('Evil <script>alert(1)</script> & "q" [x](javascript:y)')
    assert "javascript:" not in text and "<script" not in text  # Markdown-proof, not only XML
    edge_title = root.find(f".//{SVG}g[@class='dg-edge']/{SVG}title").text
    assert "member <of>" in edge_title and "Агентство" in edge_title
    assert "\n" not in text  # one line: a Markdown raw-HTML block cannot be split
