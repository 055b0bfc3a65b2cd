"""Previews in headless Chromium: a reference number shows its reference, a link to a profile
shows the profile's name, type and summary, by mouse, keyboard and touch, from a server and
from disk; Escape closes them; a phone's window holds them; axe finds nothing serious with one
open; hostile names stay text. No sleeps: every step waits on what the page shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.cli import main

from ..conftest import FIXTURES, ROOT
from .conftest import AXE, Served, serve

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PROFILE = "people/nikolai-patrushev.html"
POPOVER = "#dossier-preview"
SHOWN = "#dossier-preview:not([hidden])"
FOOTNOTE_TIP = ".md-tooltip2--active"
PHONE = {"width": 390, "height": 844}


def _content(kind: str, ident: str) -> dict[str, str]:
    path = ROOT / "content" / kind / f"{ident}.yml"
    data: dict[str, str] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _open(pg, url: str) -> None:  # type: ignore[no-untyped-def]
    pg.goto(url)
    pg.wait_for_function("document.getElementById('dossier-previews') !== null")


def _preview_of(pg, link) -> str:  # type: ignore[no-untyped-def]
    """The popover's text once it shows the preview of `link` (its name in the popover)."""
    name = link.inner_text()
    pg.wait_for_function(
        "name => { const p = document.getElementById('dossier-preview');"
        " return p && !p.hidden && p.querySelector('.dossier-preview__name').textContent === name; }",
        arg=name)
    text: str = pg.locator(POPOVER).inner_text()
    return text


# --- reference numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["server", "file"])
def test_hovering_a_reference_number_shows_its_source_and_grade(  # type: ignore[no-untyped-def]
        default_site: Served, page, where) -> None:
    pg, watch = page
    _open(pg, default_site.url + PROFILE if where == "server" else (default_site.root / PROFILE).as_uri())
    ref = pg.locator("article a.footnote-ref").first
    box = ref.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.5.8 target size
    ref.hover()
    tip = pg.locator(FOOTNOTE_TIP)
    tip.wait_for()
    source = _content("sources", "seed-article")
    assert source["name"] in tip.inner_text() and f"Source grade {source['reliability']}" in tip.inner_text()
    assert "↩" not in tip.inner_text()  # the footnote's "jump back" arrows are not shown
    note = pg.locator(f"li[id='{ref.get_attribute('href').lstrip('#')}']").inner_text()
    assert " ".join(tip.inner_text().split()) == " ".join(note.replace("↩", "").split())  # all of it:
    assert "para. 1" in tip.inner_text()  # the source, its locators, its grade
    pg.keyboard.press("Escape")
    pg.wait_for_function("() => !document.querySelector('.md-tooltip2--active')")
    watch.check()


def test_a_reference_number_reached_with_the_keyboard_shows_its_reference(default_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    """Tab from the profile link before it (same table row) to the number."""
    pg, watch = page
    _open(pg, default_site.url + PROFILE)
    ref = pg.locator("article table a.footnote-ref").first
    row_link = ref.locator("xpath=ancestor::tr//a[not(contains(@class, 'footnote-ref'))]").last
    row_link.focus()
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.classList.contains('footnote-ref')")
    tip = pg.locator(FOOTNOTE_TIP)
    tip.wait_for()
    assert "Source grade" in tip.inner_text()
    assert ref.get_attribute("aria-controls") == tip.get_attribute("id")  # Material ties them
    assert tip.get_attribute("aria-label") == f"Reference {ref.inner_text()}"  # previews.js names it
    watch.check()


# --- profile links -----------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["server", "file"])
def test_hovering_a_profile_link_in_prose_shows_name_type_and_summary(  # type: ignore[no-untyped-def]
        default_site: Served, page, where) -> None:
    pg, watch = page
    url = default_site.url + PROFILE if where == "server" else (default_site.root / PROFILE).as_uri()
    _open(pg, url)
    link = pg.locator("article .dossier-prose a").first
    assert link.inner_text() == _content("people", "miguel-rodriguez-torres")["name"]
    link.hover()
    text = _preview_of(pg, link)
    assert pg.locator(f"{POPOVER} .dossier-type").inner_text() == "Person"
    assert "Venezuelan general who in the early 2000s" in text
    assert "Chávez's hold" in text  # a [[hugo-chavez|Chávez]] in the summary, as its label
    assert pg.locator(POPOVER).get_attribute("role") == "tooltip"
    assert link.get_attribute("aria-describedby") == "dossier-preview"
    pg.keyboard.press("Escape")
    pg.locator(POPOVER).wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None
    watch.check()


def test_hovering_a_profile_link_in_a_table_shows_its_preview(default_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    _open(pg, default_site.url + "agencies/index.html")
    link = pg.locator("article table a[href='fsb.html']").first
    link.hover()
    text = _preview_of(pg, link)
    fsb = _content("agencies", "fsb")
    assert pg.locator(f"{POPOVER} .dossier-type").inner_text() == "Agency"
    assert " ".join(fsb["summary"].split())[:40] in text
    # the pointer may move onto the preview (to read or select it) without closing it
    pg.locator(POPOVER).hover()
    pg.mouse.move(0, 0)
    pg.locator(POPOVER).wait_for(state="hidden")
    watch.check()


def test_focusing_a_profile_link_with_the_keyboard_shows_its_preview(default_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    _open(pg, default_site.url + PROFILE)
    links = pg.locator("article .dossier-prose a")
    before = pg.locator("article a").nth(0)  # the type's index link, just before the prose
    before.focus()
    for _ in range(pg.locator("article a").count()):
        if pg.evaluate("document.activeElement.closest('.dossier-prose') !== null"):
            break
        pg.keyboard.press("Tab")
    _preview_of(pg, links.first)
    pg.keyboard.press("Tab")  # moving on closes it (or shows the next link's)
    pg.wait_for_function("() => { const p = document.getElementById('dossier-preview');"
                         " return p.hidden || document.activeElement.getAttribute('aria-describedby'); }")
    watch.check()


def test_on_a_phone_a_long_press_shows_the_preview_inside_the_window(default_site: Served, browser) -> None:  # type: ignore[no-untyped-def]
    """A finger resting on a link shows its preview and does not open the link; a tap
    elsewhere closes it; the preview fits the 390 px window."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        _open(pg, default_site.url + PROFILE)
        link = pg.locator("article .dossier-prose a").first
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        cdp = context.new_cdp_session(pg)
        point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
        _preview_of(pg, link)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        shown = pg.locator(POPOVER).bounding_box()
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= PHONE["width"]
        assert pg.url.endswith(PROFILE)  # the long press did not follow the link
        pg.locator("article h1").tap()
        pg.locator(POPOVER).wait_for(state="hidden")
        assert errors == []
    finally:
        context.close()


#: waits until every transition and animation on the page has ended: a tip fading in has its
#: text half transparent, and axe measures the contrast of what it sees at that moment
_SETTLED = "async () => { await Promise.all(document.getAnimations().map(a => a.finished)); }"


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` (npm)")
def test_axe_finds_nothing_serious_with_a_preview_and_a_footnote_tip_open(default_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    pg, watch = page
    _open(pg, default_site.url + PROFILE)
    link = pg.locator("article .dossier-prose a").first
    link.hover()
    _preview_of(pg, link)
    # the pointer rests on the preview, not the link: a hovered or focused link takes
    # Material's accent colour (#526cfe on white, 4.25:1), which axe reports but is not ours
    pg.locator(POPOVER).hover()
    pg.add_script_tag(path=str(AXE))
    pg.evaluate(_SETTLED)
    found = pg.evaluate("async () => (await axe.run(document)).violations"
                        ".map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].target])")
    assert [v for v in found if v[1] in ("serious", "critical")] == []
    assert pg.locator(SHOWN).count() == 1
    pg.mouse.move(0, 0)
    pg.locator(POPOVER).wait_for(state="hidden")
    pg.locator("article a.footnote-ref").first.hover()
    pg.locator(FOOTNOTE_TIP).wait_for()
    pg.evaluate(_SETTLED)
    # the tip and what it holds (the hovered number has the accent colour, as above)
    found = pg.evaluate("async () => (await axe.run({include: [['.md-tooltip2--active']]})).violations"
                        ".map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].target])")
    assert [v for v in found if v[1] in ("serious", "critical")] == []
    assert pg.locator(FOOTNOTE_TIP).count() == 1
    watch.check()


# --- hostile content -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    out = tmp_path_factory.mktemp("hostile-previews") / "site"
    assert main(["build", "--content", str(FIXTURES / "hostile"), "--site-dir", str(out)]) == 0
    yield from serve(out)


def test_a_hostile_name_in_a_preview_is_text(hostile_site: Served, page) -> None:  # type: ignore[no-untyped-def]
    """The preview of every profile the people index links to shows its name exactly as
    written, as text: the popover holds only the elements the script makes."""
    pg, watch = page
    _open(pg, (Path(hostile_site.root) / "people" / "index.html").as_uri())
    pg.evaluate("window.__pwned = false")
    names = {yaml.safe_load(p.read_text(encoding="utf-8"))["name"]
             for p in (FIXTURES / "hostile" / "people").glob("*.yml")}
    links = pg.locator("article table a[href$='.html']:not(.footnote-ref)")
    shown = set()
    for n in range(links.count()):
        link = links.nth(n)
        link.focus()
        _preview_of(pg, link)
        shown.add(pg.locator(f"{POPOVER} .dossier-preview__name").text_content())
        tags = pg.evaluate("[...document.querySelectorAll('#dossier-preview *')].map(e => e.tagName)")
        assert set(tags) <= {"P", "STRONG", "SPAN"}
    assert names <= shown
    assert pg.evaluate("window.__pwned") is False
    watch.check()
