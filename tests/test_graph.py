"""The network drawing (`generator/graph*.py`): a deterministic, cached force layout, big
graphs cut to their best-connected nodes, and SVG that is accessible, escaped XML."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from lxml import etree

from generator import graph as g
from generator import graph_labels as gl
from generator import graph_layout as layout
from generator import graph_svg as draw
from generator.config import DEFAULT_CONFIG_DIR, load_config
from generator.diagnostics import Diagnostics
from generator.pages import pictures
from generator.pages.site import build_graph
from generator.types import TYPES_TABLE

from .conftest import FIXTURES, ROOT, linked

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
    one = layout.force_layout(_graph(edges), ("person", "agency"))
    two = layout.force_layout(_graph(list(reversed(edges))), ("person", "agency"))
    assert one == two
    assert all(0.0 <= px <= 1.0 and 0.0 <= py <= 1.0 for px, py in one.values())
    assert len({(round(px, 3), round(py, 3)) for px, py in one.values()}) == len(one)


def test_force_layout_is_cached_by_structure_and_returns_a_fresh_dict() -> None:
    first = layout.force_layout(_chain("one"), TYPES)
    first["a"] = (9.0, 9.0)  # the caller's copy: the cache must not change
    again = layout.force_layout(_chain("two"), TYPES)  # new labels, same links
    assert again["a"] != (9.0, 9.0) and set(again) == {"a", "b", "c"}
    other = _chain("two")
    other.add_edge("a", "c", "involved in")
    assert layout.force_layout(other, TYPES) != again


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
    text = draw.svg(gr, layout.force_layout(gr, ("person", "agency")), "dg-t", "Title <t>", "Desc & d")
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


# --- labels: measured, shortened, placed without collisions (issue 13, item 1) ----------


def _named(n: int, name: Callable[[int], str], edges: Iterable[tuple[int, int]],
           types: tuple[str, ...] = ("person", "agency", "event")) -> g.Graph:
    gr = g.Graph()
    for i in range(n):
        gr.add_node(g.Node(f"n{i:03d}", name(i), types[i % len(types)], f"n{i:03d}.html"))
    for a, b in edges:
        gr.add_edge(f"n{a:03d}", f"n{b:03d}", "cooperates with" if (a + b) % 3 else "leads")
    return gr


def _star() -> tuple[g.Graph, dict[str, tuple[float, float]], draw.Canvas, str | None]:
    """A profile with 40 neighbours named like events: long, alike, in one ring."""
    gr = _named(41, lambda i: f"Russian Security Council meeting number {i} on Venezuela (April 2019)",
                [(0, i) for i in range(1, 41)])
    others = sorted(i for i in gr.nodes if i != "n000")
    return gr, layout.radial_layout("n000", others), pictures._EGO_TALL, "n000"


def _dense() -> tuple[g.Graph, dict[str, tuple[float, float]], draw.Canvas, str | None]:
    """150 nodes (the most a picture holds), each linked to four others."""
    edges = [(i, (i * 7 + 3) % 150) for i in range(150)] + [(i, (i + 1) % 150) for i in range(150)]
    words = ["Venezuelan", "military", "intelligence", "directorate"]
    gr = _named(150, lambda i: " ".join(words[: 1 + i % 4]) + f" {i}", edges)
    return gr, layout.force_layout(gr, TYPES), pictures._NETWORK_BIG, None


def _stacked() -> tuple[g.Graph, dict[str, tuple[float, float]], draw.Canvas, str | None]:
    """30 nodes drawn on one spot: no room for most labels."""
    gr = _named(30, lambda i: f"Agency {i}", [(i, i + 1) for i in range(29)])
    return gr, dict.fromkeys(gr.nodes, (0.5, 0.5)), pictures._NETWORK, None


def _phone() -> tuple[g.Graph, dict[str, tuple[float, float]], draw.Canvas, str | None]:
    """A phone's picture: 20 entities, names of every length, Cyrillic among them."""
    gr = _named(20, lambda i: ("Главное управление Генерального штаба" if i % 5 == 0 else
                               "Wagner deployment in Venezuela" if i % 2 else f"SVR {i}"),
                [(i, (i * 3 + 1) % 20) for i in range(20)] + [(i, (i + 2) % 20) for i in range(20)])
    return gr, layout.force_layout(gr, TYPES), pictures._PHONE_NETWORK, None


def _boxes(root: etree._Element) -> tuple[list[tuple[str, gl.Box]], list[gl.Box]]:
    """The box of every label drawn (hidden ones left out), from the SVG's own text and
    coordinates, and the box of every circle."""
    labels = []
    for text in root.iter(f"{SVG}text"):
        if "dg-hidden" in (text.get("class") or ""):
            continue
        shown = (text.text or "") + "".join(t.text or "" for t in text if t.get("class") == "dg-more")
        size = float(text.getparent().get("font-size") or text.getparent().getparent().get("font-size"))
        width = gl.text_width(shown, size)
        x, y = float(text.get("x")), float(text.get("y"))
        left = {"start": x, "end": x - width, "middle": x - width / 2}[text.get("text-anchor")]
        labels.append((shown, gl.Box(left, y - gl.ASCENT * size, left + width, y + gl.DESCENT * size)))
    circles = [gl.Box(float(c.get("cx")) - float(c.get("r")), float(c.get("cy")) - float(c.get("r")),
                      float(c.get("cx")) + float(c.get("r")), float(c.get("cy")) + float(c.get("r")))
               for c in root.iter(f"{SVG}circle")]
    return labels, circles


@pytest.mark.parametrize(("crowded", "at_least"), [(_star, 41), (_dense, 150), (_stacked, 1), (_phone, 20)],
                         ids=["star", "dense", "stacked", "phone"])
def test_no_label_overlaps_another_or_a_circle_and_all_stay_on_the_canvas(crowded, at_least) -> None:
    """`at_least`: how many labels (of nodes and lines) are drawn, not given up."""
    gr, pos, canvas, centre = crowded()
    root = etree.fromstring(draw.svg(gr, pos, "dg-t", "T", "D", canvas, centre=centre).encode())
    labels, circles = _boxes(root)
    assert len(labels) >= at_least
    for k, (text, box) in enumerate(labels):
        assert box.left >= 0 and box.right <= canvas.width and box.top >= 0 and box.bottom <= canvas.height
        assert not [other for other, o in labels[k + 1:] if box.hits(o)], text
        assert not [c for c in circles if box.hits(c)], text


def test_a_label_left_out_shows_on_hover_with_the_full_name_in_the_link() -> None:
    gr, pos, canvas, centre = _stacked()
    root = etree.fromstring(draw.svg(gr, pos, "dg-t", "T", "D", canvas, centre=centre).encode())
    hidden = [t for t in root.iter(f"{SVG}text") if t.get("class") == "dg-hidden"]
    assert hidden  # 30 names on one spot: some had no room
    for t in hidden:  # the whole name, in its node's link (pictures.css shows it on hover and focus)
        link = t.getparent()
        assert link.tag == f"{SVG}a" and link.get("aria-label") == f"{t.text} ({link.get('class')[11:]})"


@pytest.mark.parametrize(("text", "expected"), [
    ("FSB", ["FSB"]),
    ("Alpha Beta Gamma", ["Alpha Beta Gamma", "Alpha Beta", "Alpha"]),
    ("Russia–Venezuela agreement, signed in 2008",
     ["Russia–Venezuela agreement, signed in 2008", "Russia–Venezuela agreement, signed in",
      "Russia–Venezuela agreement, signed", "Russia–Venezuela agreement", "Russia–Venezuela",
      "Russia"]),  # a dash parts words too
    ("Supercalifragilistic expialidocious", ["Supercalifragilistic expialidocious",
                                             "Supercalifragilistic"]),  # never part of a word
    ("Supercalifragilistic", ["Supercalifragilistic"]),
    ("Главное  управление", ["Главное  управление", "Главное"]),
    ("Meeting on Venezuela (January 2019) in Moscow",  # never inside the brackets
     ["Meeting on Venezuela (January 2019) in Moscow", "Meeting on Venezuela (January 2019) in",
      "Meeting on Venezuela (January 2019)", "Meeting on Venezuela", "Meeting on", "Meeting"]),
])
def test_shortening_keeps_whole_words(text: str, expected: list[str]) -> None:
    assert list(gl.shortened(text)) == expected


def test_a_shortened_label_shows_whole_words_and_keeps_the_full_name_in_its_text() -> None:
    gr, pos, canvas, centre = _star()
    root = etree.fromstring(draw.svg(gr, pos, "dg-t", "T", "D", canvas, centre=centre).encode())
    cut = [t for t in root.iter(f"{SVG}text") if len(t)]  # those with a hidden rest
    assert cut
    for t in cut:
        rest, more = list(t)
        full = t.getparent().get("aria-label").rsplit(" (", 1)[0]
        assert (t.text + rest.text) == full and more.text == "…" and more.get("aria-hidden") == "true"
        assert not (t.text[-1].isalnum() and rest.text[0].isalnum())  # never inside a word


@pytest.mark.parametrize(("text", "measured"), [
    # Chromium's canvas measureText at 1000 px in the site's font stack (Liberation Sans)
    ("Nikolai Patrushev", 7781.25),
    ("Venezuelan intelligence services", 14453.61),
    ("Патрушев Николай Платонович", 14721.68),
    ("Chávez Ñ é ü ö", 6892.58),
])
def test_text_width_estimate_is_never_short_and_at_most_a_tenth_long(text: str, measured: float) -> None:
    assert measured <= gl.text_width(text, 1000) <= measured * 1.12


# --- lines: the relation's own words, pointing from subject to object --------------------


def _statements(root: Path) -> set[tuple[str, str, str]]:
    graph = build_graph(linked(root, load_config(DEFAULT_CONFIG_DIR, Diagnostics()))[0])
    return {(subj, label, b if subj == a else a) for (a, b), said in graph.edges.items()
            for subj, label in said}


@pytest.mark.parametrize("statement", [
    ("ann-smith", "leads", "north-bureau"),  # a relation: its vocabulary word
    ("ann-smith", "Chief", "north-bureau"),  # a role: its title
    ("ann-smith", "national of", "northland"),
    ("north-bureau", "part of", "north-ministry"),  # child → parent
    ("north-bureau", "belongs to", "northland"),
    ("north-bureau", "party to", "signals"),  # read from the party to the domain
    ("signing-2019", "involved", "ann-smith"),
    ("signing-2019", "took place at", "northland"),
    ("signing-2019", "part of", "signals"),
    ("coastal-radar", "operated by", "north-bureau"),
    ("coastal-radar", "located in", "northland"),
])
def test_lines_read_as_the_relation_or_the_fields_reading_in_its_direction(statement) -> None:
    assert statement in _statements(FIXTURES / "contract")


def test_every_reference_field_a_line_is_drawn_for_has_a_reading_in_the_table() -> None:
    for spec in TYPES_TABLE:
        drawn = {name for name, f in spec.fields.items() if f.inverse}
        assert drawn == {field for field, _ in spec.edge_readings}, spec.name


@pytest.mark.parametrize(("dx", "dy", "words"), [
    (100, 0, "leads →"), (-100, 0, "← leads"), (100, 90, "leads →"),
    (10, 100, "leads ↓"), (-10, -100, "leads ↑"),
])
def test_line_words_carry_an_arrow_from_subject_to_object(dx: float, dy: float, words: str) -> None:
    gr = g.Graph()
    for i in ("a", "b"):
        gr.add_node(g.Node(i, i.upper(), "person", f"{i}.html"))
    gr.add_edge("a", "b", "leads")
    gr.add_edge("a", "b", "met with", symmetric=True)
    canvas = draw.Canvas(width=400, height=400, margin=100, margin_y=100)
    pos = {"a": (0.5, 0.5), "b": (0.5 + dx / 400, 0.5 + dy / 400)}
    root = etree.fromstring(draw.svg(gr, pos, "dg-t", "T", "D", canvas).encode())
    edge = root.find(f".//{SVG}g[@class='dg-edge']")
    assert edge.find(f"{SVG}text").text == f"{words}; met with"  # a symmetric one has no arrow
    assert len(edge.findall(f"{SVG}path")) == 1  # one arrowhead, at b
    assert edge.find(f"{SVG}title").text == "A → leads → B; A → met with → B"


# --- size and determinism ---------------------------------------------------------------------


def test_the_picture_scales_to_its_column_with_no_width_of_its_own() -> None:
    gr, pos, canvas, centre = _dense()
    root = etree.fromstring(draw.svg(gr, pos, "dg-t", "T", "D", canvas, centre=centre).encode())
    assert root.get("viewBox") == f"0 0 {canvas.width} {canvas.height}"
    assert root.get("width") is None and root.get("height") is None and root.get("style") is None
    assert "dg-large" in root.get("class")


def test_the_same_graph_in_any_order_draws_the_same_bytes() -> None:
    gr, pos, canvas, _ = _dense()
    again = g.Graph()
    for i in reversed(list(gr.nodes)):
        again.add_node(gr.nodes[i])
    for (a, b), said in reversed(list(gr.edges.items())):
        for subj, label in said:
            again.add_edge(subj, b if subj == a else a, label, symmetric=label in gr.symmetric)
    one = draw.svg(gr, pos, "dg-t", "T", "D", canvas)
    two = draw.svg(again, layout.force_layout(again, TYPES), "dg-t", "T", "D", canvas)
    assert one == two


@pytest.mark.parametrize(("said", "words", "arrowheads"), [
    ([("a", "took place at"), ("a", "involved")], "took place at; involved →", 1),  # one arrow for both
    ([("b", "signed"), ("a", "involved")], "← signed; involved →", 2),  # one each way, as written
    ([("a", "cooperates with"), ("b", "cooperates with")], "cooperates with", 0),
    ([("a", "leads")], "leads →", 1),  # one statement (most lines): drawn by a shorter path
    ([("b", "leads")], "← leads", 1),
    ([("a", "cooperates with")], "cooperates with", 0),
])
def test_the_words_of_one_line_are_grouped_by_direction(said, words: str, arrowheads: int) -> None:
    gr = g.Graph()
    for i in ("a", "b"):
        gr.add_node(g.Node(i, i.upper(), "event", f"{i}.html"))
    for subj, label in said:
        gr.add_edge(subj, "b" if subj == "a" else "a", label, symmetric=label == "cooperates with")
    canvas = draw.Canvas(width=400, height=200, margin=100, margin_y=100)
    pos = {"a": (0.0, 0.5), "b": (1.0, 0.5)}
    root = etree.fromstring(draw.svg(gr, pos, "dg-t", "T", "D", canvas).encode())
    edge = root.find(f".//{SVG}g[@class='dg-edge']")
    assert edge.find(f"{SVG}text").text == words
    assert len(edge.findall(f"{SVG}path")) == arrowheads
    names = {"a": "A", "b": "B"}
    assert edge.find(f"{SVG}title").text == "; ".join(
        f"{names[subj]} → {label} → {names['b' if subj == 'a' else 'a']}" for subj, label in said)


def test_a_type_views_phone_picture_shows_the_type_with_what_it_links_to() -> None:
    """The events' view on a phone: its best connected events and the people and bodies
    they involve, lines between them (it drew 20 events and no line at all)."""
    from generator.pages.network import type_network_view
    from generator.pages.site import SiteContext

    site = SiteContext(linked(ROOT / "content", load_config(DEFAULT_CONFIG_DIR, Diagnostics()))[0])
    view = type_network_view(site, "event")
    root = etree.fromstring(f"<div>{view.svg}</div>".encode())
    phone = root.find(f".//{SVG}svg[@class='dossier-network dg-small']")
    types = {a.get("class").split()[1] for a in phone.iter(f"{SVG}a")}
    assert "dg-event" in types and len(types) > 1
    assert len(phone.findall(f".//{SVG}g[@class='dg-edge']")) >= 10
