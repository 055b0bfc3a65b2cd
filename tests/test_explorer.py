"""The explorer's data file (`assets/dossier/graph.js`): what it holds for the mini fixture,
that hostile names stay data, that nothing above the edition reaches it, and that the
same content gives the same bytes. (The explorer itself: tests/browser/test_explorer.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.pages.explorer import EDGE_COLUMNS, GRAPH_GLOBAL, GRAPH_PATH, NODE_COLUMNS, graph_file
from generator.pages.site import SiteContext
from generator.pipeline import Options, check

from .conftest import FIXTURES
from .test_editions import canaries

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PREFIX = f"window.{GRAPH_GLOBAL}="


def data_file(content: Path, edition: str = "full") -> str:
    result = check(Options(content_dir=content, edition=edition))
    assert result.linked is not None and not result.diags.failed(False)
    return graph_file(SiteContext(result.linked))


def decoded(text: str) -> dict[str, Any]:
    """The file's value, its rows as dicts by column name, lines by node id."""
    assert text.startswith(PREFIX) and text.endswith(";\n")
    raw = json.loads(text[len(PREFIX):-2])
    assert raw["nodeColumns"] == list(NODE_COLUMNS) and raw["edgeColumns"] == list(EDGE_COLUMNS)
    nodes = [dict(zip(NODE_COLUMNS, row, strict=True)) for row in raw["nodes"]]
    edges = []
    for row in raw["edges"]:
        full = row + ["", "", "", "", 0, ""][len(row) - 3:]
        edge = dict(zip(EDGE_COLUMNS, full, strict=True))
        edge["source"], edge["target"] = nodes[row[0]]["id"], nodes[row[1]]["id"]
        edge["words"] = edge["words"] or raw["kinds"][edge["kind"]]
        edges.append(edge)
    return {**raw, "nodes": nodes, "edges": edges}


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mini") / "site"
    assert main(["build", "--content", str(FIXTURES / "mini"), "--site-dir", str(out)]) == 0
    return out


def test_the_site_ships_the_data_file_the_library_and_the_script(mini_site: Path) -> None:
    assert (mini_site / GRAPH_PATH).read_text() == data_file(FIXTURES / "mini")
    assert (mini_site / "assets/javascripts/cytoscape/cytoscape.min.js").is_file()
    assert (mini_site / "assets/javascripts/explorer.js").is_file()


def test_every_node_links_to_its_profile_from_the_site_root(mini_site: Path) -> None:
    nodes = decoded((mini_site / GRAPH_PATH).read_text())["nodes"]
    assert [n["id"] for n in nodes] == sorted(n["id"] for n in nodes)
    assert {n["id"]: n["href"] for n in nodes}["jane-doe"] == "people/jane-doe.html"
    assert all((mini_site / n["href"]).is_file() for n in nodes)


MINI_LINES = [
    # a relation, subject to object, with its assessment and dates
    {"source": "jane-doe", "target": "john-roe", "kind": "met-with", "words": "met with",
     "status": "reported", "confidence": "low", "start": "2020-02-11", "end": "", "circa": 0},
    {"source": "alpha-service", "target": "beta-bureau", "kind": "cooperates-with",
     "words": "cooperates with", "status": "alleged", "confidence": "low", "start": "2018", "end": "",
     "circa": 0},
    # a role: the holder to the organization, the title as its words
    {"source": "jane-doe", "target": "alpha-service", "kind": "role", "words": "Director",
     "status": "", "confidence": "", "start": "2019-04", "end": "", "circa": 0},
    # a reference field, read as the table of types says (`edge_reading`)
    {"source": "beta-bureau", "target": "alpha-service", "kind": "field:parent", "words": "part of",
     "status": "", "confidence": "", "start": "", "end": "", "circa": 0},
    {"source": "summit-2020", "target": "jane-doe", "kind": "field:participants", "words": "involved",
     "status": "", "confidence": "", "start": "", "end": "", "circa": 0},
]


@pytest.mark.parametrize("line", MINI_LINES, ids=lambda line: f"{line['source']}-{line['kind']}")
def test_mini_lines(line: dict[str, Any]) -> None:
    assert line in decoded(data_file(FIXTURES / "mini"))["edges"]


@pytest.mark.parametrize("fixture", ["mini", "hostile"])
def test_every_line_reads_as_on_the_pictures(fixture: str) -> None:
    """The explorer's words and direction are the static pictures' (`build_graph`)."""
    result = check(Options(content_dir=FIXTURES / fixture))
    assert result.linked is not None
    drawn = SiteContext(result.linked).graph.edges
    lines = decoded(data_file(FIXTURES / fixture))["edges"]
    assert lines
    for line in lines:
        a, b = line["source"], line["target"]
        assert (a, line["words"]) in drawn[(a, b) if a < b else (b, a)], line


def test_mini_nodes_kinds_and_degrees() -> None:
    data = decoded(data_file(FIXTURES / "mini"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert sorted(nodes) == ["alpha-service", "beta-bureau", "freedonia", "jane-doe", "john-roe",
                             "ruritania", "summit-2020", "talks-2020", "visit-2020-02"]
    assert nodes["jane-doe"] == {"id": "jane-doe", "name": "Jane Doe", "type": "person",
                                 "href": "people/jane-doe.html", "degree": 5}
    # a node's degree counts the neighbours it is drawn linked to, as on the pictures
    for i, node in nodes.items():
        others = {e["target"] if e["source"] == i else e["source"] for e in data["edges"] if i in
                  (e["source"], e["target"])}
        assert node["degree"] == len(others), i
    assert data["kinds"]["met-with"] == "met with" and data["kinds"]["role"] == "role"
    assert data["kinds"]["field:parent"] == "part of"
    assert data["undirected"] == ["cooperates-with", "met-with"]
    assert data["statuses"]["confirmed"] == "confirmed"
    assert [t[0] for t in data["types"]][:2] == ["person", "agency"]


def test_hostile_names_are_data() -> None:
    text = data_file(FIXTURES / "hostile")
    body = text[len(PREFIX):]
    # nothing in the file can close a <script> or open markup, even when inlined
    assert "<" not in body and ">" not in body.rstrip(";\n") and "&" not in body
    result = check(Options(content_dir=FIXTURES / "hostile"))
    assert result.linked is not None
    names = {n["id"]: n["name"] for n in decoded(text)["nodes"]}
    assert names and all(names[i] == result.linked.entities[i].name for i in names)
    assert any("</script>" in name for name in names.values())


def test_nothing_above_the_edition_reaches_the_data_file() -> None:
    full, public = data_file(FIXTURES / "editions"), data_file(FIXTURES / "editions", "public")
    assert [c for c in canaries() if c in full], "the canary must be able to fail"
    assert [c for c in canaries() if c in public] == []
    assert "secret-person" not in {n["id"] for n in decoded(public)["nodes"]}


def test_the_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    again = tmp_path / "site"
    assert main(["build", "--content", str(FIXTURES / "mini"), "--site-dir", str(again)]) == 0
    assert (again / GRAPH_PATH).read_bytes() == data_file(FIXTURES / "mini").encode()
    assert data_file(FIXTURES / "hostile") == data_file(FIXTURES / "hostile")
