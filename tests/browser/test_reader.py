"""What a reader does, in headless Chromium: browse, search, click a picture, read a timeline.

Each site is built once per module: the default dossier and the mini fixture. Every
page is served from 127.0.0.1 (or opened from disk), and every test asserts that no
request left the loopback address and that no console error occurred.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.cli import main

from ..conftest import FIXTURES, ROOT
from .conftest import AXE, Served, search, serve

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@dataclass(frozen=True)
class Dossier:
    content: Path
    person: str
    person_page: str
    agency: str
    alias: str  # an alias in another script
    alias_page: str
    node: str  # aria-label of a node on the network page
    text_links_page: str  # links inside running text in table cells ("Director at [X]")


DOSSIERS = {
    "default": Dossier(ROOT / "content", "Nikolai Patrushev", "people/nikolai-patrushev.html",
                       "FSB", "Патрушев", "people/nikolai-patrushev.html", "FSB (Agency)",
                       "people/nicolas-maduro.html"),
    "mini": Dossier(FIXTURES / "mini", "Jane Doe", "people/jane-doe.html", "Beta Bureau",
                    "Джейн", "people/jane-doe.html", "John Roe (Person)",
                    "agencies/alpha-service.html"),
}


@pytest.fixture(scope="module", params=sorted(DOSSIERS))
def site(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Dossier, Served]]:
    dossier = DOSSIERS[request.param]
    out = tmp_path_factory.mktemp(request.param) / "site"
    assert main(["build", "--content", str(dossier.content), "--site-dir", str(out)]) == 0
    for served in serve(out):
        yield dossier, served


_search = search


def test_home_then_a_person_and_an_agency(site, page):
    dossier, served = site
    pg, watch = page
    pg.goto(served.url + "index.html")
    assert pg.locator("article h1").inner_text()
    pg.locator("nav.md-nav--primary a", has_text="People").first.click()
    pg.locator("article table a", has_text=dossier.person).first.click()
    assert pg.url.endswith(dossier.person_page)
    assert pg.locator("article h1").inner_text() == dossier.person
    pg.locator("nav.md-nav--primary a", has_text="Agencies").first.click()
    pg.locator("article table a", has_text=dossier.agency).first.click()
    assert pg.locator("article h1").inner_text() == dossier.agency
    watch.check()


def test_search_by_an_alias_in_another_script_lands_on_the_profile(site, page):
    dossier, served = site
    pg, watch = page
    pg.goto(served.url + "index.html")
    _search(pg, dossier.alias)
    first = pg.locator(".md-search-result__item a").first
    assert urlsplit(first.get_attribute("href")).path.endswith("/" + dossier.alias_page)
    first.click()
    pg.wait_for_url("**/" + dossier.alias_page + "*")
    assert pg.locator("article h1").inner_text() == dossier.person
    watch.check()


def test_search_works_from_disk(site, page):
    dossier, served = site
    pg, watch = page
    pg.goto((served.root / "index.html").as_uri())
    _search(pg, dossier.alias)
    first = pg.locator(".md-search-result__item a").first
    first.click()
    pg.wait_for_url("**/" + dossier.alias_page + "*")
    assert pg.url.startswith("file://")
    watch.check()


def test_clicking_a_node_in_the_network_picture_opens_its_page(site, page):
    dossier, served = site
    pg, watch = page
    pg.goto(served.url + "network.html")
    node = pg.locator(f'svg.dossier-network.dg-large a[aria-label="{dossier.node}"]')  # not the phone's
    href = node.get_attribute("href")
    node.locator("circle").click()
    pg.wait_for_url("**/" + href.lstrip("./"))
    assert pg.locator("article h1").inner_text() == dossier.node.rsplit(" (", 1)[0]
    # and on a profile, its own picture leads back to its neighbours
    ego = pg.locator("svg.dossier-network a").first
    assert ego.get_attribute("aria-label")
    watch.check()


def _key(iso: str) -> tuple[int, ...]:
    parts = [int(p) for p in iso.split("-")]
    return tuple(parts + [0] * (3 - len(parts)))


def test_timeline_is_in_date_order_partial_dates_first(site, page):
    dossier, served = site
    pg, watch = page
    pg.goto(served.url + "timeline.html")
    dates = pg.locator("article .dossier-date").evaluate_all("els => els.map(e => e.dataset.date)")
    assert dates and [_key(d) for d in dates] == sorted(_key(d) for d in dates)
    years = [int(t) for t in pg.locator("article h2").all_inner_texts() if t.isdigit()]  # not References
    assert years == sorted(years)
    if dossier.content.name == "mini":
        shown = pg.locator("article .dossier-date").all_inner_texts()
        assert shown[shown.index("c. 2020"):][:3] == ["c. 2020", "February 2020", "11 February 2020"]
    assert pg.locator("svg.dossier-timeline a").count() > 0
    watch.check()


def test_keyboard_and_colour_schemes(site, page):
    _, served = site
    pg, watch = page
    pg.goto(served.url + "index.html")
    pg.keyboard.press("Tab")
    assert "Skip to content" in pg.evaluate("document.activeElement.textContent")
    before = pg.evaluate("document.body.dataset.mdColorScheme")
    pg.locator("form[data-md-component=palette] label:visible").first.click()
    after = pg.evaluate("document.body.dataset.mdColorScheme")
    assert {before, after} == {"default", "slate"}
    watch.check()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` (npm)")
def test_axe_finds_no_serious_problem_in_light_or_dark(site, page):
    """Every rule, link-in-text-block included: the pages with links in running text (a
    profile's timeline rows, the tags) tell links apart by more than colour."""
    dossier, served = site
    pg, watch = page
    problems = []
    for scheme, names in (("light", ("index.html", "network.html", "timeline.html",
                                     "writing-content.html", "people/index.html", "tags.html",
                                     "bibliography.html", dossier.person_page,
                                     dossier.text_links_page)),
                          ("dark", ("index.html", dossier.person_page, dossier.text_links_page))):
        pg.emulate_media(color_scheme=scheme)
        for name in names:
            pg.goto(served.url + name)
            pg.add_script_tag(path=str(AXE))
            found = pg.evaluate("async () => (await axe.run(document)).violations"
                                ".map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].target])")
            problems += [(scheme, name, *v) for v in found if v[1] in ("serious", "critical")]
    assert not problems
    watch.check()
