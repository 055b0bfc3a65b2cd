"""The Data page as a reader uses it, in headless Chromium: every download link fetches its
file from the site (served, and opened from disk), the page fits a phone, and axe finds
nothing serious in it."""

from __future__ import annotations

import json

import pytest

from .conftest import AXE, Served

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PHONE = {"width": 390, "height": 844}


def test_every_download_link_fetches_its_file(default_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    pg.goto(default_site.url + "data.html")
    hrefs = pg.eval_on_selector_all("article a[download]", "links => links.map(a => a.href)")
    assert len(hrefs) == 13
    for href in hrefs:  # the browser's own request, as a click on the link makes it
        response = pg.request.get(href)
        assert response.ok, href
        body = response.body()
        assert body, href
        if href.endswith(".json"):
            assert json.loads(body)
    watch.check()


def test_download_links_lead_to_files_from_disk(default_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    """Opened from disk (file://), every link names a file beside the page."""
    pg, watch = page
    pg.goto((default_site.root / "data.html").as_uri())
    hrefs = pg.eval_on_selector_all("article a[download]", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all((default_site.root / href).is_file() for href in hrefs)
    watch.check()


def test_data_page_fits_a_phone(default_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    pg.set_viewport_size(PHONE)
    pg.goto(default_site.url + "data.html")
    # nothing in the article scrolls sideways (the four-column table of exports did)
    scrolling = pg.evaluate("() => [...document.querySelectorAll('article *')]"
                            ".filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)"
                            " && e.scrollWidth > e.clientWidth + 1).map(e => e.className || e.tagName)")
    assert scrolling == []
    assert pg.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    watch.check()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` (npm)")
def test_axe_finds_nothing_serious_on_the_data_page(default_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    pg.goto(default_site.url + "data.html")
    pg.add_script_tag(path=str(AXE))
    found = pg.evaluate("async () => (await axe.run(document)).violations"
                        ".map(v => [v.id, v.impact, v.nodes.length])")
    assert [v for v in found if v[1] in ("serious", "critical")] == []
    watch.check()
