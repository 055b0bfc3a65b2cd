"""The network explorer in headless Chromium, on the default dossier as a reader uses it:
open it by a picture, zoom and pan, focus a node, filter, read the table, with a keyboard
only, on a phone, from file://, in light and dark. Every test checks that no request left
the machine and that no console error occurred (the `page` fixture's Watch)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

from ..conftest import FIXTURES
from .conftest import AXE, Served, serve

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PERSON = "people/nikolai-patrushev.html"
OPEN_DIALOG = "dialog.dx-dialog[open]"


def graph(site: Path) -> dict[str, Any]:
    """The data file the explorer loads, as Python sees it."""
    text = (site / "assets/dossier/graph.js").read_text()
    return json.loads(text[text.index("=") + 1:-2])  # type: ignore[no-any-return]


def neighbours(data: dict[str, Any], node_id: str) -> set[str]:
    ids = [n[0] for n in data["nodes"]]
    k = ids.index(node_id)
    return {ids[e[1]] if e[0] == k else ids[e[0]] for e in data["edges"] if k in e[:2]}


def open_explorer(pg: Any, url: str) -> None:  # a Playwright page
    pg.goto(url)
    pg.locator(".dx-open").first.click()
    pg.locator(f"{OPEN_DIALOG} .dx-stage canvas").first.wait_for()
    pg.wait_for_function("document.querySelector('.dx-status').textContent.includes('shown')")


def table_rows(pg: Any, which: str) -> list[list[str]]:
    if pg.locator(".dx-table-toggle").get_attribute("aria-pressed") != "true":
        pg.locator(".dx-table-toggle").click()
    return pg.eval_on_selector_all(f".dx-{which} tbody tr", "rows => rows.map(r => "
                                   "[...r.cells].map(c => c.textContent))")  # type: ignore[no-any-return]


def shown_ids(pg: Any, selector: str) -> set[str]:
    return set(pg.evaluate(f"dossierExplorer.current.cy.nodes({selector!r}).map(n => n.id())"))


def test_the_explorer_opens_on_the_network_page_with_the_pictures_entities(default_site: Served, page):
    pg, watch = page
    open_explorer(pg, default_site.url + "network.html")
    picture = set(pg.eval_on_selector_all(
        ".dossier-graph svg.dossier-network a.dg-node",
        "links => links.map(a => new URL(a.getAttribute('href'), location.href).href)"))
    names = {row[0] for row in table_rows(pg, "nodes")}
    data = graph(default_site.root)
    by_href = {default_site.url + n[3]: n[1] for n in data["nodes"]}
    assert names == {by_href[h] for h in picture}
    assert pg.evaluate("!!window.dossierGraph && !!window.cytoscape")
    watch.check()


def test_without_javascript_and_in_print_the_picture_stays(default_site: Served, browser, page):
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(default_site.url + "network.html")
    assert plain.locator(".dossier-graph svg.dossier-network").count() >= 1
    assert plain.locator(".dx-open").count() == 0
    context.close()
    pg, watch = page
    pg.goto(default_site.url + PERSON)
    assert pg.locator(".dx-open").is_visible()
    pg.emulate_media(media="print")
    assert not pg.locator(".dx-open").is_visible()
    assert pg.locator(".dossier-graph svg.dossier-network").first.is_visible()
    watch.check()


def test_the_data_is_loaded_only_when_the_explorer_opens(default_site: Served, page):
    pg, watch = page
    pg.goto(default_site.url + PERSON)
    assert pg.locator(".dx-open").count() == 1
    assert not pg.evaluate("!!window.dossierGraph || !!window.cytoscape")
    assert not any("graph.js" in url or "cytoscape" in url for url in watch.requests)
    watch.check()


def test_zoom_and_pan_change_the_view(default_site: Served, page):
    pg, watch = page
    open_explorer(pg, default_site.url + "network.html")
    stage = pg.locator(".dx-stage")
    zoom, pan = float(stage.get_attribute("data-zoom")), stage.get_attribute("data-pan")
    pg.locator(".dx-zoom-in").click()
    assert float(stage.get_attribute("data-zoom")) > zoom
    stage.focus()
    pg.keyboard.press("ArrowLeft")
    assert stage.get_attribute("data-pan") != pan
    pg.keyboard.press("-")
    pg.keyboard.press("-")
    assert float(stage.get_attribute("data-zoom")) < zoom
    watch.check()


def test_focusing_a_node_highlights_exactly_its_neighbours(default_site: Served, page):
    pg, watch = page
    open_explorer(pg, default_site.url + "network.html")
    pg.locator(".dx-scope").select_option("dossier")  # every linked entity of this dossier
    assert "Nikolai Patrushev" in {row[0] for row in table_rows(pg, "nodes")}
    pg.locator(".dx-nodes button.dx-goto", has_text="Nikolai Patrushev").first.click()
    expected = neighbours(graph(default_site.root), "nikolai-patrushev")
    assert shown_ids(pg, ".dx-focus") == {"nikolai-patrushev"}
    assert shown_ids(pg, ".dx-near") == expected
    assert shown_ids(pg, ":visible") - shown_ids(pg, ".dx-faded") == expected | {"nikolai-patrushev"}
    assert pg.locator(".dx-panel h3").inner_text() == "Nikolai Patrushev"
    assert pg.locator(".dx-panel .dx-lines li").count() == len(expected)
    assert pg.locator(".dx-profile").get_attribute("href").endswith(PERSON)
    watch.check()


def test_show_all_its_links_adds_a_focused_entitys_neighbourhood(default_site: Served, page):
    """On a type's view, an entity linked beyond the picture: its button draws the rest."""
    pg, watch = page
    open_explorer(pg, default_site.url + "network/agencies.html")
    data = graph(default_site.root)
    drawn = shown_ids(pg, "")
    outside = next(i for i in sorted(drawn, key=lambda i: (-len(neighbours(data, i)), i))
                   if not neighbours(data, i) <= drawn)
    name = {n[0]: n[1] for n in data["nodes"]}[outside]
    assert name in {row[0] for row in table_rows(pg, "nodes")}
    pg.locator(".dx-nodes button.dx-goto", has_text=name).first.click()
    pg.locator(".dx-expand").click()
    assert shown_ids(pg, "") == drawn | neighbours(data, outside)
    assert shown_ids(pg, ".dx-focus") == {outside} and shown_ids(pg, ".dx-near") == neighbours(data, outside)
    assert pg.locator(".dx-expand").count() == 0
    assert pg.locator(".dx-scope").input_value() == "opened"  # the menu says what is drawn
    pg.locator(".dx-scope").select_option("picture")
    assert shown_ids(pg, "") == drawn
    pg.locator(".dx-scope").select_option("opened")
    assert shown_ids(pg, "") == drawn | neighbours(data, outside)
    watch.check()


def test_find_focuses_an_entity_not_drawn_with_its_links(default_site: Served, page):
    """On a profile's explorer, find an entity beyond its links by a part of its name."""
    pg, watch = page
    open_explorer(pg, default_site.url + PERSON)
    data = graph(default_site.root)
    drawn = shown_ids(pg, "")
    target = next(n for n in sorted(data["nodes"], key=lambda n: -n[4]) if n[0] not in drawn)
    box = pg.locator(".dx-find")
    box.fill(target[1][1:-1].lower())
    assert target[1] in pg.eval_on_selector_all("#dx-names option", "os => os.map(o => o.value)")
    box.press("Enter")
    assert shown_ids(pg, ".dx-focus") == {target[0]}
    assert shown_ids(pg, "") == drawn | {target[0]} | neighbours(data, target[0])
    assert pg.locator(".dx-panel h3").inner_text() == target[1]
    box.fill("no such name at all")
    box.press("Enter")
    assert "no such name at all" in pg.locator(".dx-status").inner_text()
    watch.check()


def test_tapping_a_line_says_its_whole_statement(default_site: Served, page):
    pg, watch = page
    open_explorer(pg, default_site.url + PERSON)
    x, y = pg.evaluate("""() => {
      const x = dossierExplorer.current, line = x.g.edges.find(e => e.kind === 'met-with' &&
        e.source === 'nikolai-patrushev');
      const p = x.cy.getElementById(line.id).renderedMidpoint(), box = x.stage.getBoundingClientRect();
      return [box.left + p.x, box.top + p.y]; }""")
    pg.mouse.click(x, y)
    assert pg.locator(".dx-status").inner_text() == (
        "Nikolai Patrushev → met with → Miguel Rodríguez Torres (reported, moderate confidence, since 2013).")
    watch.check()


def test_filtering_by_type_leaves_only_that_type_in_the_table(default_site: Served, page):
    pg, watch = page
    open_explorer(pg, default_site.url + "network.html")
    before = table_rows(pg, "nodes")
    pg.locator(".dx-filters summary").click()
    pg.locator(".dx-filter-type .dx-all", has_text="None").click()
    pg.locator(".dx-filter-type label", has_text="People").locator("input").check()
    after = table_rows(pg, "nodes")
    assert {row[1] for row in after} == {"Person"}
    assert sorted(after) == sorted(row for row in before if row[1] == "Person")
    lines = table_rows(pg, "edges")
    people = {row[0] for row in after}
    assert all(row[0] in people and row[2] in people for row in lines)
    watch.check()


def _years(dates: str) -> tuple[int, int]:
    found = [int(w[:4]) for w in dates.replace("–", " ").split() if w[:4].isdigit()]
    if dates.startswith("since"):
        return found[0], 9999
    if dates.startswith("until"):
        return 0, found[0]
    return found[0], found[-1]


#: (filter group, the one choice left ticked, the table column it shows in, what that
#: column must then say); dates are a range, checked apart
ONE_CHOICE = [
    ("kind", "met with", 1, "met with"),
    ("status", "confirmed", 3, "confirmed"),
    ("confidence", "high confidence", 4, "high confidence"),
]


@pytest.mark.parametrize(("group", "choice", "column", "shown"), ONE_CHOICE, ids=[c[0] for c in ONE_CHOICE])
def test_filtering_lines_keeps_only_those_lines_and_their_entities(default_site: Served, page, group: str,
                                                                  choice: str, column: int, shown: str):
    pg, watch = page
    open_explorer(pg, default_site.url + "network.html")
    before = table_rows(pg, "edges")
    pg.locator(".dx-filters summary").click()
    pg.locator(f".dx-filter-{group} .dx-all", has_text="None").click()
    pg.locator(f".dx-filter-{group} label", has_text=choice).first.locator("input").check()
    lines = table_rows(pg, "edges")
    assert 0 < len(lines) < len(before)
    assert {row[column] for row in lines} == {shown}
    assert sorted(lines) == sorted(row for row in before if row[column] == shown)
    ends = {row[0] for row in lines} | {row[2] for row in lines}
    assert {row[0] for row in table_rows(pg, "nodes")} == ends  # entities left without a line go
    watch.check()


def test_a_date_range_keeps_the_lines_that_overlap_it(default_site: Served, page):
    pg, watch = page
    open_explorer(pg, default_site.url + "network.html")
    before = table_rows(pg, "edges")
    pg.locator(".dx-filters summary").click()
    pg.locator(".dx-from").fill("2015")
    pg.locator(".dx-to").fill("2016")
    pg.locator(".dx-undated").uncheck()  # a change event: the filter applies
    lines = table_rows(pg, "edges")
    expected = [row for row in before if row[5] and _years(row[5])[0] <= 2016 and _years(row[5])[1] >= 2015]
    assert lines and sorted(lines) == sorted(expected)
    watch.check()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    out = tmp_path_factory.mktemp("hostile") / "site"
    assert main(["build", "--content", str(FIXTURES / "hostile"), "--site-dir", str(out)]) == 0
    yield from serve(out)


def test_hostile_names_are_text_in_the_explorer(hostile_site: Served, page):
    pg, watch = page
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_explorer(pg, hostile_site.url + "network.html")
    names = {n[1] for n in graph(hostile_site.root)["nodes"]}
    shown = {row[0] for row in table_rows(pg, "nodes")}
    assert any("</script>" in name for name in shown) and shown <= names
    pg.locator(".dx-nodes button.dx-goto", has_text="</script>").first.click()
    assert "</script>" in pg.locator(".dx-panel h3").inner_text()
    assert pg.evaluate("document.querySelectorAll('dialog.dx-dialog script, dialog.dx-dialog img, "
                       "dialog.dx-dialog svg, dialog.dx-dialog iframe').length") == 0
    assert dialogs == []
    watch.check()


def test_a_profile_opens_its_neighbourhood_and_a_keyboard_reaches_everything(default_site: Served, page):
    """Tab to the button, Enter, Tab to the table, pick a neighbour, open its profile."""
    pg, watch = page
    pg.goto(default_site.url + PERSON)

    def tab_to(selector: str) -> None:
        for _ in range(80):  # bounded: the page's own links come first
            pg.keyboard.press("Tab")
            if pg.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to(".dx-open")
    pg.keyboard.press("Enter")
    pg.locator(f"{OPEN_DIALOG} canvas").first.wait_for()
    expected = neighbours(graph(default_site.root), "nikolai-patrushev") | {"nikolai-patrushev"}
    assert shown_ids(pg, "") == expected
    tab_to(".dx-table-toggle")
    pg.keyboard.press("Enter")
    tab_to(".dx-nodes button.dx-goto")
    name = pg.evaluate("document.activeElement.textContent")
    pg.keyboard.press("Enter")
    assert pg.locator(".dx-panel h3").inner_text() == name
    tab_to(".dx-profile")
    pg.keyboard.press("Enter")
    pg.wait_for_url(lambda url: not url.endswith(PERSON))
    assert pg.locator("article h1").inner_text() == name
    watch.check()


@pytest.mark.parametrize("key", ["n", "p", "s", "/"])
def test_the_themes_shortcuts_do_not_act_behind_the_explorer(default_site: Served, page, key: str):
    """Material's keys (next/previous page, search) typed in the explorer stay in it."""
    pg, watch = page
    open_explorer(pg, default_site.url + "network.html")
    pg.locator(".dx-stage").focus()
    pg.keyboard.press(key)
    pg.keyboard.press("+")  # the explorer still answers
    assert pg.locator(OPEN_DIALOG).count() == 1 and pg.url.endswith("network.html")
    assert not pg.locator(".md-search__input").evaluate("el => el === document.activeElement")
    watch.check()


def test_a_profile_is_found_whatever_its_address_carries(default_site: Served, page):
    """A search result's address (`?h=…`) or an anchor still opens the profile's links."""
    pg, watch = page
    open_explorer(pg, default_site.url + PERSON + "?h=patrushev#network")
    assert pg.locator(".dx-scope").input_value() == "ego"
    watch.check()


def test_escape_closes_and_returns_to_the_button(default_site: Served, page):
    pg, watch = page
    open_explorer(pg, default_site.url + PERSON)
    pg.keyboard.press("Escape")
    assert pg.locator(OPEN_DIALOG).count() == 0
    # the dialog's close event comes in a task of its own: wait for focus to settle
    pg.wait_for_function("document.activeElement && document.activeElement.classList.contains('dx-open')")
    watch.check()


def test_on_a_phone_the_explorer_fits_and_responds(default_site: Served, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    open_explorer(pg, default_site.url + PERSON)
    sizes = pg.evaluate("""() => { const d = document.querySelector('dialog.dx-dialog');
        const s = d.querySelector('.dx-stage').getBoundingClientRect();
        return [d.scrollWidth, d.clientWidth, s.width, s.height]; }""")
    assert sizes[0] <= sizes[1] <= 390 and sizes[2] <= 390 and sizes[3] >= 200
    assert pg.locator(".dx-close").is_visible() and pg.locator(".dx-table-toggle").is_visible()
    pg.locator(".dx-zoom-in").tap()
    pg.locator(".dx-table-toggle").tap()
    pg.locator(".dx-nodes button.dx-goto").first.tap()
    assert pg.locator(".dx-panel h3").is_visible()
    assert not errors
    context.close()


def test_from_disk_with_no_network(default_site: Served, page):
    pg, watch = page
    open_explorer(pg, (default_site.root / "network.html").as_uri())
    assert table_rows(pg, "nodes")
    assert any(url.startswith("file:") and url.endswith("assets/dossier/graph.js") for url in watch.requests)
    watch.check()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_labels_take_the_schemes_colours(default_site: Served, page, scheme: str):
    pg, watch = page
    pg.emulate_media(color_scheme=scheme)
    open_explorer(pg, default_site.url + "network.html")
    colour = pg.evaluate("dossierExplorer.current.cy.nodes()[0].style('color')")
    channels = [int(c) for c in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3]]
    assert (sum(channels) > 384) == (scheme == "dark"), colour
    watch.check()


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is installed by `make test` (npm)")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_problem_in_the_open_explorer(default_site: Served, page, scheme: str):
    pg, watch = page
    pg.emulate_media(color_scheme=scheme)
    open_explorer(pg, default_site.url + PERSON)
    pg.locator(".dx-filters summary").click()
    pg.locator(".dx-table-toggle").click()
    pg.locator(".dx-nodes button.dx-goto").first.click()
    pg.add_script_tag(path=str(AXE))
    found = pg.evaluate("async () => (await axe.run(document.querySelector('dialog.dx-dialog'))).violations"
                        ".map(v => [v.id, v.impact, v.nodes.length, v.nodes[0].target])")
    assert [v for v in found if v[1] in ("serious", "critical")] == []
    watch.check()
