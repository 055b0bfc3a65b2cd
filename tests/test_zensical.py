"""The rendered tree builds with Zensical too (issue 17, goal 5); MkDocs + Material stays the
default, tested everywhere else.

Dossier's search worker answering Zensical's protocol, in node (no Zensical needed). Then
one build of the default dossier's rendered tree with `zensical build` (about 6 s), from the
venv `make .venv/zensical/.installed` makes (`make test` makes it): the built HTML read as
a reader gets it, the search files Zensical's dialog reads, and in headless Chromium the
pictures' labels (no underline from Zensical's link style) and a search in Zensical's
dialog, answered by Dossier's worker, from a server and from disk.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.jsdata import script_file
from generator.pages.search_index import (
    COLUMNS,
    ENTRIES_GLOBAL,
    PAGE_KIND,
    ZENSICAL_GLOBAL,
    zensical_document,
)

from .browser import conftest as chromium
from .browser.conftest import Served, serve
from .conftest import ROOT, WORKER_CONTEXT_JS
from .test_search import MINISEARCH, NODE, WORKER, entries

# the browser tests' fixtures (Debian's Chromium; a page that fails on console errors and on
# requests leaving 127.0.0.1), here by name
browser = chromium.browser
page = chromium.page

ZENSICAL = ROOT / ".venv" / "zensical" / "bin" / "zensical"
PATRUSHEV = "people/nikolai-patrushev.html"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: the worker in a fresh V8 context given Zensical's SETUP (its documents) and QUERY messages
#: (`{input, page}`); prints every message it sent back
HARNESS = r"""
const vm = require("vm"), fs = require("fs");
const [worker, minisearch, entries, documents, queries] = process.argv.slice(1);
""" + WORKER_CONTEXT_JS + r"""(async () => {
  await handler({ data: { type: 0, data: { config: {}, items: JSON.parse(documents) } } });
  if (sent[0].type === 1)
    while (ctx.texts.documentCount < ctx.rows.length)  // the summaries, indexed after READY
      await new Promise(resolve => setTimeout(resolve, 0));
  for (const query of JSON.parse(queries)) await handler({ data: { type: 2, data: query } });
  console.log(JSON.stringify(sent));
})();
"""

#: an entry whose name and summary hold what HTML would read as markup, then 12 of a kind
ROWS: list[list[object]] = [
    ["index.html", "Home", PAGE_KIND, [], "", []],
    ["agencies/att.html", "AT&T Labs", "Agency", ["Эй-Ти"], "Runs <b>phones</b> & more, LT desk.", []],
    *[[f"people/smith-{i:02}.html", f"Smith {i}", "Person", [], "A smith.", []] for i in range(12)],
]


def _worker(tmp_path: Path, documents: list[dict[str, object]],
            queries: list[object]) -> list[dict[str, Any]]:
    if NODE is None:
        pytest.skip("node is not installed (the worker is checked in the browser tests too)")
    path = tmp_path / "entries.js"
    path.write_text(script_file(ENTRIES_GLOBAL, {"columns": list(COLUMNS), "rows": ROWS}), encoding="utf-8")
    done = subprocess.run([NODE, "-e", HARNESS, str(WORKER), str(MINISEARCH), str(path),
                           json.dumps(documents), json.dumps(queries)],
                          capture_output=True, text=True, check=True)
    sent: list[dict[str, Any]] = json.loads(done.stdout)
    return sent


def test_a_document_is_html_text() -> None:
    """Zensical's dialog parses a document's title, text and path as HTML (it builds the
    elements it finds) and decodes only `&amp;`, `&lt;`, `&gt;`: exactly those are escaped."""
    assert zensical_document(ROWS[1]) == {
        "location": "../agencies/att.html", "title": "AT&amp;T Labs", "path": ["Agency"],
        "text": "Эй-Ти · Runs &lt;b&gt;phones&lt;/b&gt; &amp; more, LT desk."}
    assert zensical_document(ROWS[0]) == {"location": "../index.html", "title": "Home", "path": [],
                                          "text": ""}
    assert zensical_document(["a.html", "O'Brien \"Jr\"", "Person", [], "", []])["title"] == \
        "O'Brien \"Jr\""  # no &#x27; (shown raw by Zensical's dialog)


def test_the_worker_answers_zensical_with_positions_and_ranges(tmp_path: Path) -> None:
    documents = [zensical_document(row) for row in ROWS]
    ready, labs, amp, lt = _worker(tmp_path, documents,
                                   [{"input": "Labs"}, {"input": "AT&T"}, {"input": "LT"}])
    assert ready == {"type": 1}
    assert labs["type"] == 3 and [item["id"] for item in labs["data"]["items"]] == [1]
    matches = {m["field"]: m["value"]["highlight"]["ranges"] for m in labs["data"]["items"][0]["matches"]}
    title = documents[1]["title"]
    assert isinstance(title, str)
    assert [title[r["start"]:r["end"]] for r in matches["title"]] == ["Labs"]
    assert all(r["value"] == r["end"] - r["start"] for r in matches["title"])
    # an escaped '&' is never part of a marked word
    assert amp["data"]["items"][0]["id"] == 1
    for item in amp["data"]["items"]:
        for match in item["matches"]:
            text = str(documents[item["id"]][match["field"]])
            assert all("&" not in text[r["start"]:r["end"]] for r in match["value"]["highlight"]["ranges"])
    # nor a word inside one: "&lt;" holds no "lt" to mark
    text = str(documents[1]["text"])
    ranges = next(m for m in lt["data"]["items"][0]["matches"] if m["field"] == "text")
    assert [text[r["start"]:r["end"]] for r in ranges["value"]["highlight"]["ranges"]] == ["LT"]


def test_the_worker_pages_its_answers_as_zensical_asks(tmp_path: Path) -> None:
    """Ten results a page; a page after the first carries `prev`, which tells Zensical's
    dialog to append it; no words, or a filter alone, find nothing."""
    documents = [zensical_document(row) for row in ROWS]
    _, first = _worker(tmp_path, documents, [{"input": "smith"}])
    pagination = first["data"]["pagination"]
    assert len(first["data"]["items"]) == 10 and pagination["total"] == 12
    assert "prev" not in pagination and pagination["next"]["from"] == 10
    _, second, empty, operator = _worker(tmp_path, documents, [
        {"input": "smith", "page": pagination["next"]}, {"input": "  "},
        {"input": {"type": "operator", "data": {"operator": "not", "operands": []}}}])
    assert len(second["data"]["items"]) == 2 and second["data"]["pagination"]["prev"]["from"] == 0
    assert "next" not in second["data"]["pagination"]
    assert {item["id"] for item in first["data"]["items"] + second["data"]["items"]} == set(range(2, 14))
    assert empty["data"] == operator["data"] == {"items": [], "pagination": {"total": 0}}


def test_the_worker_refuses_documents_that_are_not_its_entries(tmp_path: Path) -> None:
    """Zensical's own index (another site's, or the root's) is not ours: 'unavailable'
    rather than results pointing at the wrong documents."""
    documents = [zensical_document(row) for row in ROWS[:-1]]
    assert _worker(tmp_path, documents, []) == [{"type": 4}]


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The default dossier rendered, built by Zensical, served from 127.0.0.1."""
    if not ZENSICAL.exists():
        pytest.skip("Zensical is not installed: `make .venv/zensical/.installed` puts "
                    "zensical==0.0.73 in a venv of its own")
    tree = tmp_path_factory.mktemp("zensical") / "tree"
    assert main(["render", "--content", str(ROOT / "content"), "--out", str(tree)]) == 0
    built = subprocess.run([str(ZENSICAL), "build", "--clean"], cwd=tree, capture_output=True,
                           text=True, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "No issues found" in built.stdout + built.stderr, built.stdout + built.stderr
    yield from serve(tree / "site")


def _article(site: Served, path: str) -> BeautifulSoup:
    soup = BeautifulSoup((site.root / path).read_text(encoding="utf-8"), "lxml")
    generator = soup.find("meta", attrs={"name": "generator"})
    assert generator is not None and str(generator["content"]).startswith("zensical-")
    article = soup.select_one("article.md-content__inner")
    assert article is not None, path
    return article


def test_the_home_page_and_a_profile(zensical_site: Served) -> None:
    home = _article(zensical_site, "index.html")
    h1 = home.find("h1")
    assert h1 is not None and h1.get_text(strip=True) == "Russian intelligence in Venezuela"
    assert home.select_one("svg.dossier-network.dg-large") is not None  # the overview picture
    profile = _article(zensical_site, PATRUSHEV)
    h1 = profile.find("h1")
    assert h1 is not None and h1.get_text(strip=True) == "Nikolai Patrushev"
    assert "Патрушев" in profile.get_text()  # an alias, as text
    labels = [a.get("aria-label") for a in profile.select("svg.dossier-network.dg-large a")]
    assert labels and all(labels), labels


def test_the_search_documents_are_the_entries_in_order(zensical_site: Served) -> None:
    """The worker answers Zensical with an entry's position in search/entries.js: the
    documents Zensical's dialog shows are the same entries in the same order; Zensical's
    own index, at the root, stays empty (no page's text meets its 64 KB limit)."""
    root = zensical_site.root
    rows = entries((root / "search" / "entries.js").read_text(encoding="utf-8"))
    index = json.loads((root / "search" / "search.json").read_text(encoding="utf-8"))
    assert [d["location"] for d in index["items"]] == [f"../{r['location']}" for r in rows]
    assert [d["title"] for d in index["items"]][:2] == ["Home", "People"]
    script = (root / "search" / "search.js").read_text(encoding="utf-8")
    assert script.startswith(f"window.{ZENSICAL_GLOBAL}=")
    assert json.loads(script[len(f"window.{ZENSICAL_GLOBAL}="):-2]) == index
    assert json.loads((root / "search.json").read_text(encoding="utf-8"))["items"] == []


@pytest.mark.browser
def test_picture_labels_are_underlined_only_when_hovered(zensical_site: Served, page: Any) -> None:
    """Zensical underlines every link in a page, and an <a>'s underline is drawn across the
    SVG text inside it: a picture's labels have none until hovered."""
    pg, watch = page
    pg.set_viewport_size({"width": 1280, "height": 900})
    pg.goto(zensical_site.url + PATRUSHEV)
    decorations = pg.evaluate("""() => [...document.querySelectorAll('svg.dossier-network a')]
        .flatMap(a => [a, ...a.querySelectorAll('text')])
        .map(e => getComputedStyle(e).textDecorationLine)""")
    assert decorations and set(decorations) == {"none"}, decorations
    link = pg.locator("svg.dossier-network.dg-large a").first
    link.hover()
    assert link.locator("text").first.evaluate("t => getComputedStyle(t).textDecorationLine") \
        == "underline"
    watch.check()


@pytest.mark.browser
@pytest.mark.parametrize(("how", "query", "first", "marked"), [
    ("http", "Patrushev", PATRUSHEV, "Patrushev"),  # a surname
    ("file", "Patrushev", PATRUSHEV, "Patrushev"),  # from disk (iframe worker, search/search.js)
    ("http", "Patrushv", PATRUSHEV, "Patrushev"),   # one typo: Dossier's worker, as under Material
    ("file", "Chavez", "people/hugo-chavez.html", "Chávez"),  # accents folded
])
def test_search_in_zensicals_dialog(zensical_site: Served, page: Any, how: str, query: str,
                                    first: str, marked: str) -> None:
    """A search in Zensical's own dialog: the profile comes first, its name's matched word
    marked (Dossier's worker names the word; Zensical's dialog marks it)."""
    pg, watch = page
    url = (zensical_site.root / "index.html").as_uri() if how == "file" \
        else zensical_site.url + "index.html"
    pg.goto(url)
    pg.locator("button.md-search__button").click()
    box = pg.locator("input[role=combobox]")
    box.wait_for(state="visible")
    box.fill(query)
    results = pg.locator("a[role=option]")
    results.first.wait_for(timeout=15000)
    root = urlsplit(url).path.rsplit("/", 1)[0] + "/"
    found = [urlsplit(a.get_attribute("href")).path.removeprefix(root) for a in results.all()]
    assert found[0] == first, found
    assert results.first.locator("mark").first.inner_text() == marked
    watch.check()

