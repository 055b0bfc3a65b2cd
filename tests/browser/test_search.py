"""Search as a reader uses it (issue 13 item 4), in headless Chromium on the default dossier,
from a server and from disk: Material's dialog, Dossier's worker behind it.

Each query opens a fresh page, opens the dialog with Material's `s` shortcut, types, and
reads the result list Material draws. Every test asserts that no request left the loopback
address and that no console error occurred (the `page` fixture's Watch).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .conftest import Served, search

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PATRUSHEV = "people/nikolai-patrushev.html"
WAGNER = "agencies/wagner-group.html"
#: the navigation's pages: never above a profile
PAGES = ("index.html", "network.html", "timeline.html", "tags.html", "bibliography.html",
         "writing-content.html", "errors.html")


def _url(site: Served, how: str) -> str:
    return (site.root / "index.html").as_uri() if how == "file" else site.url + "index.html"


def _results(pg, url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The result links' paths, relative to the site, in the order shown."""
    pg.goto(url)
    search(pg, query)
    root = urlsplit(url).path.rsplit("/", 1)[0] + "/"
    return [urlsplit(a.get_attribute("href")).path.removeprefix(root)
            for a in pg.locator(".md-search-result__item > a").all()]


@pytest.mark.parametrize("how", ["file", "http"])
@pytest.mark.parametrize(("query", "first"), [
    ("Patrushv", PATRUSHEV),           # one typo
    ("Патрушев", PATRUSHEV),           # an alias in another script
    ("Николай Патрушев", PATRUSHEV),   # an alias of two words
    ("PMC Wagner", WAGNER),            # an alias ranks its profile first
    ("Wagner", WAGNER),                # the profile above pages and mentions
])
def test_the_profile_comes_first(default_site, page, how: str, query: str, first: str) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    found = _results(pg, _url(default_site, how), query)
    assert found[0] == first, found
    watch.check()


def test_accents_are_folded_both_ways(default_site, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    url = _url(default_site, "file")
    plain, accented = _results(pg, url, "Chavez"), _results(pg, url, "Chávez")
    assert plain == accented and plain[0] == "people/hugo-chavez.html"
    watch.check()


def test_no_page_ranks_above_a_profile(default_site, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    for query in ("Wagner", "network", "timeline"):
        found = _results(pg, _url(default_site, "http"), query)
        is_page = [path.endswith(PAGES) or path.endswith("/index.html") for path in found]
        assert is_page == sorted(is_page), (query, found)
    watch.check()


def test_results_are_text_and_the_dialog_is_named(default_site, page) -> None:  # type: ignore[no-untyped-def]
    """A result shows its name, type, aliases and a summary excerpt as text: no element but
    Material's own and the worker's marks; the dialog has an accessible name (axe-core)."""
    pg, watch = page
    _results(pg, _url(default_site, "file"), "Patrushev")
    assert pg.locator(".md-search[role=dialog]").get_attribute("aria-label") == "Search"
    tags = pg.evaluate("""() => [...new Set([...document.querySelectorAll(
        '.md-search-result__article *')].map(e => e.tagName.toLowerCase()))]""")
    assert set(tags) <= {"div", "h1", "h2", "p", "em", "mark"}, tags
    first = pg.locator(".md-search-result__article").first
    assert first.locator("mark").first.inner_text() == "Patrushev"
    text = first.inner_text()
    assert "Person" in text and "Николай Патрушев" in text and "Senior Russian security official" in text
    watch.check()
